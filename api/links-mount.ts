/**
 * Mounts the emailed-link pages (api/routes/links, owned by the mail+links module) at the root and
 * returns their OpenAPI description, so the document lists every route Express answers.
 */
import type { Express } from 'express';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from './zod';
import type { AppDeps } from './deps';
import { createLinkRouter } from './routes/links';

const token = z.object({
  token: z.string().openapi({ description: 'The link token from the mail (opaque; never logged).' }),
});
const html = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string() } },
});
const common: Pick<RouteConfig, 'tags' | 'security'> = { tags: ['emailed links'], security: [] };

const LINK_ROUTES: RouteConfig[] = [
  {
    ...common,
    method: 'get',
    path: '/l/{token}',
    operationId: 'links.confirmationPage',
    summary: 'Confirmation page of an emailed link (changes nothing; HEAD answers the same)',
    description: 'Says what is being confirmed and as whom, with one button. Unknown, used and expired links get the same neutral page; failed answers are rate-limited per client.',
    request: { params: token },
    responses: { 200: html('The confirmation page (or the neutral page)'), 429: html('Too many failed attempts') },
  },
  {
    ...common,
    method: 'post',
    path: '/l/{token}',
    operationId: 'links.use',
    summary: 'Use an emailed link once: delivers the decision to its workflow',
    request: {
      params: token,
      body: { content: { 'application/x-www-form-urlencoded': { schema: z.record(z.string(), z.string()) } } },
    },
    responses: {
      200: html('Recorded, already recorded, pending delivery, or refused by the workflow'),
      429: html('Too many failed attempts'),
      503: html('Temporarily unavailable'),
    },
  },
  {
    ...common,
    method: 'options',
    path: '/l',
    operationId: 'links.optionsRoot',
    summary: 'Allowed methods (GET, HEAD, POST)',
    responses: { 204: { description: 'No content; `Allow` header' } },
  },
  {
    ...common,
    method: 'options',
    path: '/l/{rest}',
    operationId: 'links.options',
    summary: 'Allowed methods (GET, HEAD, POST)',
    request: { params: z.object({ rest: z.string() }) },
    responses: { 204: { description: 'No content; `Allow` header' } },
  },
];

/** Mounts the link router and returns its OpenAPI paths. */
export function mountLinkRoutes(app: Express, deps: AppDeps): { openApi: RouteConfig[] } {
  app.use(
    createLinkRouter({
      config: deps.config,
      models: deps.models,
      temporalClient: deps.temporalClient,
      logger: deps.logger.child({ module: 'links' }),
    }),
  );
  return { openApi: LINK_ROUTES };
}
