/**
 * The Express app: request ids and JSON logs, security headers, body parsers, every registered
 * route (admin, operator, system), the emailed-link pages, and one error handler.
 * Tests call `createApp(deps)` and listen on port 0.
 */
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { AppDeps, AppOptions } from './deps';
import { RouteRegistry } from './registry';
import { buildOpenApiDocument, swaggerUiDir } from './openapi';
import { errorHandler, notFoundHandler } from './errors';
import { systemRoutes } from './routes/system';
import { adminRoutes } from './routes/admin';
import { opsRoutes } from './routes/ops';
import { mountLinkRoutes } from './links-mount';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export interface SipApp extends Express {
  /** The registry behind the app: tests walk it for the authorization matrix. */
  locals: Express['locals'] & { registry: RouteRegistry; openapi: Record<string, unknown> };
}

/** Builds the app; does not listen and starts no timers. */
export function createApp(deps: AppDeps, options: AppOptions = {}): SipApp {
  const app = express() as SipApp;
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Paths of link pages carry tokens: log the route, never the url of those.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.startsWith('/l/') || req.url.startsWith('/links/') ? '[link]' : req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'object-src': ["'none'"],
          'base-uri': ["'none'"],
          'frame-ancestors': ["'none'"],
          'form-action': ["'self'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.use(express.json({ limit: '2mb' }));
  app.use(express.text({ type: ['text/csv', 'application/csv'], limit: '50mb' }));

  const registry = new RouteRegistry();
  // The document lists the link routes too, which are mounted after the registry's routes.
  const openapi: { document?: Record<string, unknown> } = {};
  registry.add(...systemRoutes(() => openapi.document ?? {}), ...adminRoutes(), ...opsRoutes());
  registry.mount(app, deps, options);
  const links = mountLinkRoutes(app, deps);
  openapi.document = buildOpenApiDocument(registry, links.openApi);
  app.locals.registry = registry;
  app.locals.openapi = openapi.document;

  app.use('/docs/assets', express.static(swaggerUiDir(), { index: false, maxAge: '1h' }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
