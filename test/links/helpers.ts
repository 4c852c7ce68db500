/**
 * Shared by the link tests: an Express app with the link router on port 0, a worker for the
 * fixture workflows on a task queue of the test's own, tokens sealed directly, and small HTTP
 * helpers (raw node:http where fetch would refuse a header, e.g. Host).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { Models } from '../../domain/models';
import type { LinkAction } from '../../activities/mail/contract';
import { randomLinkId, sealLink, type LinkClaims } from '../../activities/links/token';
import { createLinkRouter, type LinkRouterDeps } from '../../api/routes/links';
import { bundleWorkflows, uniqueTaskQueue, type DevServer } from '../support/temporal';
import { memoryLogger } from './seed';

export const SECRET = process.env.LINK_SECRET ?? 'l'.repeat(64);

export interface LinkApp {
  url: string;
  logger: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

/** The link router alone, as api/app.ts mounts it (JSON parser in front, like the api). */
export async function startLinkApp(
  deps: { models: Models; temporalClient: Client } & Partial<Omit<LinkRouterDeps, 'models' | 'temporalClient' | 'config'>> & { rateLimit?: number },
): Promise<LinkApp> {
  const logger = memoryLogger();
  const app = express();
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '2mb' }));
  app.use(
    createLinkRouter({
      config: { LINK_SECRET: SECRET, LINK_RATE_LIMIT_PER_MINUTE: deps.rateLimit ?? 10_000 },
      logger,
      ...deps,
    }),
  );
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    logger,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface FixtureWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/** A worker running the fixture workflows of test/fixtures/workflows/link-targets.ts. */
export async function startFixtureWorker(dev: Pick<DevServer, 'nativeConnection'>, namespace = 'default'): Promise<FixtureWorker> {
  const taskQueue = uniqueTaskQueue('links');
  const worker = await Worker.create({
    connection: dev.nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: await bundleWorkflows(path.join(__dirname, '..', 'fixtures', 'workflows', 'link-targets.ts')),
  });
  const running = worker.run();
  return {
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

export function token(over: Partial<LinkClaims> & { actions: LinkAction[]; workflowId: string; subjectId: string; memberId: string }): string {
  return sealLink(SECRET, {
    linkId: randomLinkId(),
    version: '1',
    expiresAt: Date.now() + 7 * 86_400_000,
    issuedAt: Date.now() - 1000,
    language: 'en',
    name: 'Test Member',
    ...over,
  });
}

export interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

export async function get(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** A form POST, as the page's button sends it. */
export async function post(url: string, form: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  return get(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** A request with headers fetch refuses to set (Host), or a path fetch would normalise. */
export function raw(url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** The page's main heading, for readable assertions. */
export function heading(html: string): string {
  return /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';
}
