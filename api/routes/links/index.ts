/**
 * The emailed-link endpoints, mounted at the root of the api (paths start with /l/):
 *   GET/HEAD /l/:token   the confirmation page; never changes anything (mail scanners fetch it)
 *   POST     /l/:token   uses the link once and delivers the decision
 *   OPTIONS  /l/:token   204, Allow: GET, HEAD, POST
 * Strict headers on every answer (CSP with a nonce and no script, no-referrer, no-store, no
 * framing), a per-client rate limit on failed answers, and the token never logged (api/app.ts
 * logs `/l/` paths as `[link]`; this router logs a hash prefix of the use at most).
 */
import { randomBytes } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../../../config';
import type { Models } from '../../../domain/models';
import { inspectLink, useLink, type LinkServiceDeps, type UseResult } from '../../../activities/links/service';
import {
  alreadyPage, confirmationPage, invalidPage, pendingPage, rateLimitedPage, recordedPage, rejectedPage, unavailablePage,
  type Page, type SubView,
} from '../../pages/link-pages';

export interface LinkRouterDeps {
  config: Pick<Config, 'LINK_SECRET' | 'LINK_RATE_LIMIT_PER_MINUTE'>;
  models: Models;
  temporalClient: Client;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How long a click waits for Temporal before answering "received" (default 5 s). */
  deliveryTimeoutMs?: number;
  now?: () => Date;
}

const ID_PARAM = /^[A-Za-z0-9_:-]{1,100}$/;

function subView(req: Request): SubView {
  const r = req.query.r;
  const vc = req.query.vc;
  return {
    recommendationId: typeof r === 'string' && ID_PARAM.test(r) ? r : undefined,
    videoconferenceId: typeof vc === 'string' && ID_PARAM.test(vc) ? vc : undefined,
  };
}

/** Headers of every link answer; the nonce allows the page's one inline style and nothing else. */
const securityHeaders: RequestHandler = (_req, res, next) => {
  const nonce = randomBytes(16).toString('hex');
  res.locals.nonce = nonce;
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  next();
};

function send(res: Response, page: Page): void {
  res.status(page.status).type('html').send(page.html);
}

/** The link router; `api/links-mount.ts` mounts it with `app.use(createLinkRouter(deps))`. */
export function createLinkRouter(deps: LinkRouterDeps): Router {
  const router = Router();
  const service: LinkServiceDeps = {
    models: deps.models,
    temporalClient: deps.temporalClient,
    config: deps.config,
    logger: deps.logger,
    deliveryTimeoutMs: deps.deliveryTimeoutMs,
    now: deps.now,
  };

  // Counts only failed answers (unknown, used, expired, refused): members clicking their own
  // links are never slowed down; guessing is. Keyed by client address (trust proxy decides).
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: deps.config.LINK_RATE_LIMIT_PER_MINUTE,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => send(res, rateLimitedPage(res.locals.nonce as string)),
  });

  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  router.use('/l', securityHeaders);

  router.options(['/l', '/l/*rest'], (_req, res) => {
    res.setHeader('Allow', 'GET, HEAD, POST');
    res.status(204).end();
  });

  router.get('/l/:token', limiter, async (req, res, next) => {
    try {
      const nonce = res.locals.nonce as string;
      const view = subView(req);
      const result = await inspectLink(service, req.params.token, view);
      if (result.kind === 'invalid') {
        deps.logger.info({ reason: result.reason }, 'link refused');
        return send(res, invalidPage(nonce));
      }
      if (result.kind === 'used') return send(res, alreadyPage(result.claims, result.recent, nonce));
      send(res, await confirmationPage(deps.models, result.claims, nonce, view));
    } catch (err) {
      next(err);
    }
  });

  router.post('/l/:token', limiter, form, async (req, res, next) => {
    try {
      const nonce = res.locals.nonce as string;
      const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
      const result = await useLink(service, req.params.token, body);
      send(res, await pageFor(result, nonce, deps.models, subView(req)));
      if (result.kind === 'invalid') deps.logger.info({ reason: result.reason }, 'link refused');
    } catch (err) {
      next(err);
    }
  });

  // No token, or more than one path segment: the same neutral answer.
  router.all(['/l', '/l/*rest'], limiter, (_req, res) => send(res, invalidPage(res.locals.nonce as string)));

  const errors: ErrorRequestHandler = (err, req, res, next) => {
    if (!req.path.startsWith('/l') || res.headersSent) return next(err);
    const nonce = (res.locals.nonce as string) ?? '';
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) return send(res, invalidPage(nonce)); // unreadable body
    deps.logger.error({ err: { name: (err as Error).name, message: (err as Error).message } }, 'link page failed');
    send(res, unavailablePage(nonce));
  };
  router.use(errors);
  return router;
}

async function pageFor(result: UseResult, nonce: string, models: Models, view: SubView): Promise<Page> {
  switch (result.kind) {
    case 'invalid':
      return invalidPage(nonce);
    case 'form_error':
      return confirmationPage(models, result.claims, nonce, view, true);
    case 'recorded':
      return recordedPage(result.claims, result.action, nonce);
    case 'pending':
      return pendingPage(result.claims, result.action, nonce);
    case 'already':
      return alreadyPage(result.claims, result.recent, nonce);
    case 'rejected':
      return rejectedPage(result.claims, result.outcome, nonce);
  }
}

export { startLinkReconciler, reconcileLinks } from '../../../activities/links/reconciler';
