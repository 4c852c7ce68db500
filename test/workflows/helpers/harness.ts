/**
 * One time-skipping Temporal test server, one database, one worker per workflow test file: the
 * real workflows and activities against FerretDB and the shared Mailpit. Addresses of the file
 * live under a domain of its own, so Mailpit searches see only this file's mail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { createModels, syncIndexes, type Models } from '../../../domain/models';
import { createActivities } from '../../../activities';
import { createMailTransport } from '../../../activities/mail';
import { searchAttributes } from '../../../config/search-attributes';
import { bundleWorkflows, quietRuntime, uniqueTaskQueue } from '../../support/temporal';
import { freePorts } from '../../../scripts/stack/ports';
import { connectTestDatabase, type TestDatabase } from '../../support/mongo';
import { MailpitClient } from '../../support/mailpit';

export interface Harness {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  models: Models;
  mailpit: MailpitClient;
  taskQueue: string;
  /** Domain of every address of this file (members, staff, board secretaries). */
  domain: string;
  staffAddress: string;
  boardAddress: (country: string) => string;
  /** Server time (time-skipping clock). */
  now(): Promise<number>;
  /** Skips server time to `iso` (no-op when already past). */
  advanceTo(iso: string | number): Promise<void>;
  /**
   * A workflow's result without unlocking time skipping (the test client's result() unlocks it,
   * and an idle server then jumps to the next timer anywhere, even years ahead).
   */
  result<T>(handle: WorkflowHandle): Promise<T>;
}

const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

/**
 * The Java time-skipping test server, started here rather than by the SDK: the SDK gives it 5 s
 * to listen, and on this 2-core machine under load (parallel test files, other jobs) it needs up
 * to 20 s. The environment then connects to it as an existing server with time skipping.
 */
async function timeSkippingEnv(): Promise<{ env: TestWorkflowEnvironment; server: ChildProcess }> {
  quietRuntime();
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path) throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: run the tests through `npm test` or `npx jest`');
  const [port] = await freePorts(1);
  const server = spawn(path, [String(port)], { stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(port))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new Error(`the time-skipping test server did not listen on ${port} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // `create` is private in the typings; it is what createTimeSkipping calls, minus the spawn.
  const create = (TestWorkflowEnvironment as unknown as {
    create(opts: Record<string, unknown>): Promise<TestWorkflowEnvironment>;
  }).create.bind(TestWorkflowEnvironment);
  const env = await create({ server: { type: 'existing' }, address: `127.0.0.1:${port}`, namespace: 'default', supportsTimeSkipping: true });
  return { env, server };
}

/** Registers beforeAll/afterAll; the harness is usable inside tests and hooks. */
export function useWorkflowHarness(label: string): () => Harness {
  let harness: Harness | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let transport: { close?: () => void } | undefined;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    const [started, db, bundle] = await Promise.all([timeSkippingEnv(), connectTestDatabase(label), bundleWorkflows(require.resolve('../../../workflows'))]);
    const env = started.env;
    server = started.server;
    await env.connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: Object.fromEntries(Object.keys(searchAttributes).map((k) => [k, KEYWORD])),
    });
    const models = createModels(db.connection);
    await syncIndexes(models);
    const domain = `${label}-${randomUUID().slice(0, 8)}.test.smart.example`;
    const staffAddress = `staff@${domain}`;
    const boardAddress = (country: string) => `board-${country.toLowerCase()}@${domain}`;
    const config = {
      MAIL_FROM: `Smart in Progress <participation@${domain}>`,
      PUBLIC_BASE_URL: 'http://127.0.0.1:3999',
      LINK_SECRET: process.env.LINK_SECRET ?? 'x'.repeat(64),
      SMTP_POOL_SIZE: 4,
      SMTP_URL: process.env.SMTP_URL!,
    };
    const mailTransport = createMailTransport(config);
    transport = mailTransport as { close?: () => void };
    const taskQueue = uniqueTaskQueue(label);
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: createActivities({
        models,
        mail: {
          transport: mailTransport,
          config,
          logger: { info: () => undefined, warn: () => undefined, error: (...args: unknown[]) => console.error(...args) },
          roleMailboxes: { staff: staffAddress, boardSecretary: { BE: boardAddress('BE'), FR: boardAddress('FR') } },
        },
        temporalClient: env.client,
      }),
    });
    running = worker.run();
    const plain = new Client({ connection: env.connection });
    harness = {
      result: <T>(handle: WorkflowHandle) => plain.workflow.getHandle(handle.workflowId).result() as Promise<T>,
      env, db, models, mailpit: new MailpitClient(), taskQueue, domain, staffAddress, boardAddress,
      now: () => env.currentTimeMs(),
      async advanceTo(at) {
        const target = typeof at === 'number' ? at : Date.parse(at);
        const ms = target - (await env.currentTimeMs());
        if (ms > 0) await env.sleep(ms);
      },
    };
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    transport?.close?.();
    await harness?.env.teardown();
    server?.kill('SIGTERM');
    await harness?.db.drop();
  }, 60_000);

  return () => {
    if (!harness) throw new Error('the workflow harness is ready only inside tests and hooks');
    return harness;
  };
}

/** Polls `check` (real time) until it returns a value that is not undefined/false. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The failure type of a rejected update (WorkflowUpdateFailedError → ApplicationFailure.type). */
export async function rejection(promise: Promise<unknown>): Promise<{ type?: string; message: string }> {
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    const cause = (err as { cause?: { type?: string; message: string } }).cause;
    return { type: cause?.type, message: cause?.message ?? (err as Error).message };
  }
  return { type: 'accepted', message: JSON.stringify(value) };
}

export type AnyHandle = WorkflowHandle;
