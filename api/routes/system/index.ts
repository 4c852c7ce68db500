/**
 * Public system routes: liveness, readiness, the OpenAPI document and its readable page.
 */
import { z } from '../../zod';
import { defineRoute, RawReply, JsonReply, type RouteDef } from '../../registry';
import { DOCS_HTML, DOCS_INIT_JS } from '../../openapi';
import { checkReadiness } from '../../usecases/readiness';

const healthSchema = z.object({ status: z.literal('ok') }).openapi('Health');
const readySchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.object({
      temporal: z.object({ ok: z.boolean(), ms: z.number() }),
      mongodb: z.object({ ok: z.boolean(), ms: z.number() }),
    }),
  })
  .openapi('Readiness');

/** The system routes; `document` returns the OpenAPI document built at start. */
export function systemRoutes(document: () => Record<string, unknown>): RouteDef[] {
  return [
    defineRoute({
      name: 'system.health',
      method: 'get',
      path: '/health',
      summary: 'The process is up (no dependency checked)',
      tag: 'system',
      access: 'public',
      response: { status: 200, description: 'Up', schema: healthSchema },
      handle: async () => ({ status: 'ok' as const }),
    }),
    defineRoute({
      name: 'system.ready',
      method: 'get',
      path: '/ready',
      summary: 'Temporal and MongoDB answer; 503 when one does not',
      tag: 'system',
      access: 'public',
      response: { status: 200, description: 'Both dependencies answer', schema: readySchema },
      handle: async ({ deps }) => {
        const result = await checkReadiness(deps);
        return result.status === 'ready' ? result : new JsonReply(503, result);
      },
    }),
    defineRoute({
      name: 'system.openapi',
      method: 'get',
      path: '/openapi.json',
      summary: 'This OpenAPI 3.1 document',
      tag: 'system',
      access: 'public',
      response: { status: 200, description: 'The document', schema: z.record(z.string(), z.unknown()) },
      handle: async () => document(),
    }),
    defineRoute({
      name: 'system.docs',
      method: 'get',
      path: '/docs',
      summary: 'A readable page of this document (swagger-ui, served from this host)',
      tag: 'system',
      access: 'public',
      response: {
        status: 200,
        description: 'HTML page',
        schema: z.string(),
        alternates: [{ contentType: 'text/html', description: 'The page' }],
      },
      handle: async () => new RawReply('text/html; charset=utf-8', DOCS_HTML),
    }),
    defineRoute({
      name: 'system.docsInit',
      method: 'get',
      path: '/docs/init.js',
      summary: 'Script of the /docs page',
      tag: 'system',
      access: 'public',
      response: {
        status: 200,
        description: 'JavaScript',
        schema: z.string(),
        alternates: [{ contentType: 'text/javascript', description: 'The script' }],
      },
      handle: async () => new RawReply('text/javascript; charset=utf-8', DOCS_INIT_JS),
    }),
  ];
}
