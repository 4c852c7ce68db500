/**
 * Test helpers for the api: the real app on port 0 against the harness's FerretDB and Temporal
 * dev server, one database per test file, one key per role, and a small fetch wrapper.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { createApp, type SipApp } from '../../api/app';
import { createApiKey, type Role } from '../../api/auth';
import { temporalConnectionOptions } from '../../api/temporal';
import { loadConfig, type Config } from '../../config';
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { connectTestDatabase, type TestDatabase } from '../support/mongo';

export type KeyName = 'staff' | 'secretaryBE' | 'secretaryFR' | 'operator';
export const KEY_NAMES: KeyName[] = ['staff', 'secretaryBE', 'secretaryFR', 'operator'];

export interface ApiHarness {
  baseUrl: string;
  app: SipApp;
  models: Models;
  db: TestDatabase;
  config: Config;
  temporal: Client;
  keys: Record<KeyName, string>;
  keyIds: Record<KeyName, string>;
  close(): Promise<void>;
}

/** Starts the app on port 0 with a fresh database and keys for every role. */
export async function startApi(options: { taskQueue?: string; env?: Record<string, string> } = {}): Promise<ApiHarness> {
  const db = await connectTestDatabase();
  const models = createModels(db.connection);
  await syncIndexes(models);
  const config = loadConfig({
    ...process.env,
    MONGODB_URI: db.uri,
    ...(options.taskQueue ? { TEMPORAL_TASK_QUEUE: options.taskQueue } : {}),
    ...options.env,
  });
  const connection = await Connection.connect(temporalConnectionOptions(config.TEMPORAL_ADDRESS));
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const logger = pino({ level: process.env.API_TEST_LOG_LEVEL ?? 'silent' });
  const app = createApp({ config, models, temporalClient: temporal, logger }, { validateResponses: true });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;

  const specs: Record<KeyName, { role: Role; country?: string }> = {
    staff: { role: 'staff' },
    secretaryBE: { role: 'board_secretary', country: 'BE' },
    secretaryFR: { role: 'board_secretary', country: 'FR' },
    operator: { role: 'operator' },
  };
  const keys = {} as Record<KeyName, string>;
  const keyIds = {} as Record<KeyName, string>;
  for (const name of KEY_NAMES) {
    const { key, token } = await createApiKey(models, config.LINK_SECRET, { ...specs[name], owner: `test-${name}` });
    keys[name] = token;
    keyIds[name] = key._id;
  }

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    models,
    db,
    config,
    temporal,
    keys,
    keyIds,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await connection.close();
      await db.drop();
    },
  };
}

export interface CallOptions {
  key?: KeyName | string | null;
  body?: unknown;
  /** Raw body (CSV); sent as-is with `contentType`. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  idempotencyKey?: string;
}

// Answers are JSON read field by field in tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface CallResult<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** One real HTTP request to the api; `key` names a role key of the harness or is a raw token. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = any>(
  h: ApiHarness,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? 'staff' : options.key;
  if (key) headers.authorization = `Bearer ${(h.keys as Record<string, string>)[key] ?? key}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'text/csv';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${h.baseUrl}${path}`, { method: method.toUpperCase(), headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('application/json')) parsed = JSON.parse(text);
  return { status: response.status, body: parsed as T, text, headers: response.headers };
}

/** The error body the api answers with, for exact comparisons (requestId is any string). */
export function errorBody(
  code: string,
  message: string | RegExp,
  fields?: { path: string; message: string | RegExp }[],
  extra: Record<string, unknown> = {},
) {
  return {
    error: {
      code,
      ...extra,
      message: typeof message === 'string' ? message : expect.stringMatching(message),
      ...(fields
        ? {
            fields: fields.map((f) => ({
              path: f.path,
              message: typeof f.message === 'string' ? f.message : expect.stringMatching(f.message),
            })),
          }
        : {}),
    },
    requestId: expect.any(String),
  };
}

/** A unique id for this test run (cycle ids, office ids, ...). */
export function uid(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Local date-time (no offset) `days` from now, for dates that must be in the future. */
export function daysFromNow(days: number, zone = 'Europe/Brussels'): string {
  const date = new Date(Date.now() + days * 86_400_000);
  // Wall time in the zone, formatted as YYYY-MM-DDTHH:mm.
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** A valid cycle body with dates spread over the coming year. */
export function cycleBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    label: `label ${id}`,
    dates: {
      formationOpensAt: daysFromNow(10),
      formationDeadline: daysFromNow(40),
      submissionDeadline: daysFromNow(150),
      approvalDeadline: daysFromNow(170),
      publicReviewOpensAt: daysFromNow(180),
      publicReviewClosesAt: daysFromNow(200),
    },
    countries: [
      { country: 'BE', timeZone: 'Europe/Brussels', languages: ['nl', 'fr'], boardDeadline: daysFromNow(220), assemblyDate: daysFromNow(230) },
      { country: 'FR', timeZone: 'Europe/Paris', languages: ['fr'], boardDeadline: daysFromNow(220), assemblyDate: daysFromNow(240) },
    ],
    ...overrides,
  };
}
