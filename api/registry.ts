/**
 * One declarative header per action (method, path, schemas, roles, audit action) and one registry
 * that both mounts it in Express and describes it in the OpenAPI document: a route cannot exist
 * in one without the other.
 */
import type { Express, Request, Response } from 'express';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { ZodObject, ZodType } from 'zod';
import { z } from './zod';
import { ValidationError, type FieldProblem } from '../domain/errors';
import type { AppDeps, AppOptions } from './deps';
import {
  authenticate, checkCountry, checkRole, actorOf, type Access, type Principal,
} from './auth';
import {
  beginIdempotent, completeIdempotent, parseIdempotencyKey, releaseIdempotent, requestHash,
} from './idempotency';
import { recordAudit } from './audit';
import { errorBodySchema } from './schemas';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A non-JSON answer (Markdown, HTML, raw history) or a JSON answer with another status. */
export class RawReply {
  constructor(
    readonly contentType: string,
    readonly body: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** A JSON answer whose status differs from the route's default (e.g. 200 on a replayed create). */
export class JsonReply<T> {
  constructor(readonly status: number, readonly body: T) {}
}

export interface AuditNote {
  /** The storage function already wrote this operation's audit event (with the same actor). */
  recordedByStorage?: boolean;
  cycleId?: string;
  workflowId?: string;
  subject?: string;
  details?: Record<string, unknown>;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Undefined on public routes only. */
  principal: Principal;
  deps: AppDeps;
  log: Logger;
  requestId: string;
  /** Update id for Temporal: stable across retries when the request has an Idempotency-Key. */
  updateId: string;
  idempotencyKey?: string;
  /** What the audit event says about this write; handlers fill it. */
  audit: AuditNote;
}

type Infer<S> = S extends ZodType ? z.output<S> : Record<string, never>;

export interface RouteSpec<
  P extends ZodObject | undefined,
  Q extends ZodObject | undefined,
  B extends ZodType | undefined,
  R extends ZodType,
> {
  /** Public name, also the OpenAPI operationId: `cycles.create`. */
  name: string;
  method: Method;
  /** OpenAPI form: `/admin/cycles/{cycleId}`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access | 'public';
  params?: P;
  query?: Q;
  body?: B;
  /** Media type of the body; `text/csv` bodies are parsed as text. */
  bodyType?: 'application/json' | 'text/csv';
  response: {
    status: 200 | 201 | 202;
    description: string;
    schema: R;
    /** Other media types the route can answer with (via RawReply). */
    alternates?: { contentType: string; description: string }[];
  };
  /** Error statuses worth documenting besides the common ones. */
  errors?: number[];
  /** Audit action for writes (required for every non-GET route). */
  audit?: string;
  handle: (ctx: RouteContext<Infer<P>, Infer<Q>, Infer<B>>) => Promise<z.input<R> | RawReply | JsonReply<z.input<R>>>;
}

/** A route definition, type-erased for the registry. */
export interface RouteDef {
  name: string;
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access | 'public';
  params?: ZodObject;
  query?: ZodObject;
  body?: ZodType;
  bodyType?: 'application/json' | 'text/csv';
  response: RouteSpec<undefined, undefined, undefined, ZodType>['response'];
  errors?: number[];
  audit?: string;
  handle: (ctx: RouteContext<unknown, unknown, unknown>) => Promise<unknown>;
}

/** Declares one action; the type of `ctx` follows from the schemas. */
export function defineRoute<
  P extends ZodObject | undefined = undefined,
  Q extends ZodObject | undefined = undefined,
  B extends ZodType | undefined = undefined,
  R extends ZodType = ZodType,
>(spec: RouteSpec<P, Q, B, R>): RouteDef {
  if (spec.method !== 'get' && !spec.audit) throw new Error(`route ${spec.name}: writes need an audit action`);
  return spec as unknown as RouteDef;
}

/** `/admin/cycles/{cycleId}` → `/admin/cycles/:cycleId`. */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

function fieldsOf(where: string, error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [where, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
}

/** A field that is absent is "required", whatever its type (string, enum, union, object). */
const requiredMessage = (issue: { code: string; input?: unknown }) =>
  issue.input === undefined && issue.code !== 'unrecognized_keys' && issue.code !== 'custom' ? 'required' : undefined;

function parsePart(where: string, schema: ZodType | undefined, value: unknown, problems: FieldProblem[]): unknown {
  if (!schema) return {};
  const result = schema.safeParse(value, { error: requiredMessage });
  if (result.success) return result.data;
  problems.push(...fieldsOf(where, result.error));
  return undefined;
}

const COMMON_ERRORS: Record<number, string> = {
  400: 'Invalid request: `error.fields` names each bad field',
  401: 'Missing, malformed, unknown or revoked API key',
  403: 'The key’s role (or country) may not use this route',
  404: 'An id in the path names nothing stored',
  409: 'Wrong phase, or conflicts with stored state',
  422: 'A workflow rejected the decision, or an Idempotency-Key was reused for another request',
  503: 'Temporal or MongoDB is unreachable; retry later (with the same Idempotency-Key)',
};

/** Collects route definitions; mounts them in Express and lists them in OpenAPI. */
export class RouteRegistry {
  readonly routes: RouteDef[] = [];

  add(...routes: RouteDef[]): this {
    for (const route of routes) {
      const clash = this.routes.find(
        (r) => r.name === route.name || (r.method === route.method && r.path === route.path),
      );
      if (clash) throw new Error(`route ${route.name} clashes with ${clash.name}`);
      this.routes.push(route);
    }
    return this;
  }

  /** Mounts every route on the app, in registration order. */
  mount(app: Express, deps: AppDeps, options: AppOptions): void {
    for (const route of this.routes) {
      app[route.method](expressPath(route.path), (req, res) => runRoute(route, req, res, deps, options));
    }
  }

  /** The OpenAPI description of every route. */
  openApiPaths(): RouteConfig[] {
    return this.routes.map((route) => {
      const isWrite = route.method !== 'get';
      const statuses = new Set<number>([400, 503, ...(route.errors ?? [])]);
      if (route.access !== 'public') {
        statuses.add(401);
        statuses.add(403);
      }
      if (route.params) statuses.add(404);
      if (isWrite) statuses.add(422);
      const content: Record<string, { schema: ZodType }> = {
        'application/json': { schema: route.response.schema },
      };
      for (const alt of route.response.alternates ?? []) {
        content[alt.contentType] = { schema: z.string().openapi({ description: alt.description }) };
      }
      const responses: RouteConfig['responses'] = {
        [route.response.status]: { description: route.response.description, content },
      };
      for (const status of [...statuses].sort()) {
        responses[status] = {
          description: COMMON_ERRORS[status] ?? 'Error',
          content: { 'application/json': { schema: errorBodySchema } },
        };
      }
      const access = route.access;
      const rolesText =
        access === 'public'
          ? 'Public.'
          : `Roles: ${access.roles.join(', ')}${access.country ? ' (board secretaries: their own country only)' : ''}.`;
      const config: RouteConfig = {
        method: route.method,
        path: route.path,
        operationId: route.name,
        summary: route.summary,
        description: [route.description, rolesText, route.audit ? `Audit action: \`${route.audit}\`.` : '']
          .filter(Boolean)
          .join('\n\n'),
        tags: [route.tag],
        ...(access === 'public' ? { security: [] } : { security: [{ apiKey: [] }] }),
        request: {
          ...(route.params ? { params: route.params } : {}),
          ...(route.query ? { query: route.query } : {}),
          ...(isWrite
            ? {
                headers: z.object({
                  'Idempotency-Key': z.string().optional().openapi({
                    description: 'A retried request with the same key returns the first response without acting again.',
                    example: '7f6c7d3e-2d1a-4a53-9a55-3c8a0b1d2f00',
                  }),
                }),
              }
            : {}),
          ...(route.body
            ? {
                body: {
                  required: true,
                  content: { [route.bodyType ?? 'application/json']: { schema: route.body } },
                },
              }
            : {}),
        },
        responses,
      };
      return config;
    });
  }
}

async function runRoute(
  route: RouteDef,
  req: Request,
  res: Response,
  deps: AppDeps,
  options: AppOptions,
): Promise<void> {
  const log = (req.log as Logger | undefined) ?? deps.logger;
  const requestId = String(req.id);
  let principal: Principal | undefined;
  if (route.access !== 'public') {
    principal = await authenticate(deps.models, deps.config.LINK_SECRET, req.get('authorization'));
    checkRole(principal, route.access);
    (req as Request & { principal?: Principal }).principal = principal;
  }

  const problems: FieldProblem[] = [];
  const params = parsePart('params', route.params, req.params, problems);
  // A board secretary's country is in the path: refuse another country before reading the body.
  if (principal && route.access !== 'public' && problems.length === 0) checkCountry(principal, route.access, params);
  const query = parsePart('query', route.query, req.query ?? {}, problems);
  let rawBody: unknown = req.body;
  if (route.body && rawBody === undefined && route.bodyType !== 'text/csv') rawBody = {};
  if (route.body && route.bodyType === 'text/csv' && typeof rawBody !== 'string') {
    problems.push({ path: 'body', message: 'send the CSV with Content-Type: text/csv' });
  }
  const body = route.body && problems.every((p) => p.path !== 'body')
    ? parsePart('body', route.body, rawBody, problems)
    : {};
  const isWrite = route.method !== 'get';
  const idempotencyKey = isWrite ? parseIdempotencyKeySafe(req.get('idempotency-key'), problems) : undefined;
  if (problems.length) throw new ValidationError('the request is invalid', problems);

  let recordId: string | undefined;
  if (isWrite && idempotencyKey && principal) {
    const outcome = await beginIdempotent(
      deps.models,
      principal.keyId,
      idempotencyKey,
      requestHash(req.method, req.path, route.bodyType === 'text/csv' ? rawBody : body),
    );
    if (outcome.kind === 'replay') {
      res.set('Idempotent-Replayed', 'true').status(outcome.status).json(outcome.body);
      return;
    }
    recordId = outcome.recordId;
  }

  const audit: AuditNote = {};
  const updateId = idempotencyKey && principal ? `idem:${principal.keyId}:${idempotencyKey}` : randomUUID();
  let result: unknown;
  try {
    result = await route.handle({
      params, query, body, principal: principal as Principal, deps, log, requestId, updateId, idempotencyKey, audit,
    });
    if (isWrite && principal && route.audit && !audit.recordedByStorage) {
      await recordAudit(deps.models, {
        eventId: idempotencyKey ? `api:${principal.keyId}:${idempotencyKey}` : undefined,
        action: route.audit,
        actor: actorOf(principal),
        cycleId: audit.cycleId ?? (params as { cycleId?: string }).cycleId,
        workflowId: audit.workflowId,
        subject: audit.subject,
        details: { ...audit.details, keyOwner: principal.owner, requestId },
      });
    }
  } catch (err) {
    if (recordId) await releaseIdempotent(deps.models, recordId).catch(() => undefined);
    throw err;
  }

  if (result instanceof RawReply) {
    res.status(route.response.status).set(result.headers).type(result.contentType).send(result.body);
    return;
  }
  let status: number = route.response.status;
  let payload = result;
  if (result instanceof JsonReply) {
    status = result.status;
    payload = result.body;
  }
  if (options.validateResponses) {
    const check = route.response.schema.safeParse(JSON.parse(JSON.stringify(payload ?? null)));
    if (!check.success) {
      log.error({ route: route.name, issues: check.error.issues }, 'response does not match its documented schema');
      throw new Error(`response of ${route.name} does not match its schema`);
    }
  }
  if (recordId) {
    try {
      await completeIdempotent(deps.models, recordId, status, payload);
    } catch (err) {
      // The write happened; a retry acts again (same update id, same created ids) rather than
      // finding the key stuck "in progress" until it expires.
      await releaseIdempotent(deps.models, recordId).catch(() => undefined);
      throw err;
    }
  }
  res.status(status).json(payload);
}

function parseIdempotencyKeySafe(value: string | undefined, problems: FieldProblem[]): string | undefined {
  try {
    return parseIdempotencyKey(value);
  } catch (err) {
    if (err instanceof ValidationError) problems.push(...(err.details?.fields ?? []));
    return undefined;
  }
}
