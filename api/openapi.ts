/**
 * The OpenAPI 3.1 document, generated from the route registry (one schema per request gives the
 * type, the validation and this document), and the readable page at /docs, served from
 * swagger-ui-dist on this host (no third-party resources).
 */
import path from 'node:path';
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { RouteRegistry } from './registry';

export const API_VERSION = '1.0.0';

/** Builds the whole document; `extra` holds routes mounted outside the registry (link pages). */
export function buildOpenApiDocument(routes: RouteRegistry, extra: RouteConfig[] = []): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: '<keyId>.<secret>',
    description:
      'An API key created with `npx tsx cli/main.ts keys create --role staff --owner "..."`; only its hash is stored.',
  });
  for (const config of [...routes.openApiPaths(), ...extra]) registry.registerPath(config);
  const generator = new OpenApiGeneratorV31(registry.definitions);
  const document = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Smart in Progress API',
      version: API_VERSION,
      description:
        'Staff run the yearly Smart in Progress cycle through this API; board secretaries record ' +
        'their board’s decisions; operators read what happened. Errors share one shape: ' +
        '`{ error: { code, message, fields? }, requestId }`. Writes accept an `Idempotency-Key` header.',
    },
    tags: [...new Set(routes.routes.map((r) => r.tag))].map((name) => ({ name })),
  });
  return document as unknown as Record<string, unknown>;
}

/** Folder of swagger-ui-dist's static files. */
export function swaggerUiDir(): string {
  return path.dirname(require.resolve('swagger-ui-dist/package.json'));
}

/** The /docs page: swagger-ui from this host, reading /openapi.json. */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Smart in Progress API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

/** Initialises swagger-ui; a separate file so the page's CSP can forbid inline scripts. */
export const DOCS_INIT_JS = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
});
`;
