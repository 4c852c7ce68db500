/**
 * One time-skipping Temporal test server, one database, one worker per workflow test file: the
 * real workflows and activities against FerretDB and the shared Mailpit. Addresses of the file
 * live under a domain of its own, so Mailpit searches see only this file's mail.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { createModels, syncIndexes, type Models } from '../../../domain/models';
import { createActivities } from '../../../activities';
import { createMailTransport } from '../../../activities/mail';
import { searchAttributes } from '../../../config/search-attributes';
import { bundleWorkflows, createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal';
import { connectTestDatabase, type TestDatabase } from '../../support/mongo';
import { MailpitClient } from '../../support/mailpit';
import { eventually as pollUntil } from '../../../scripts/stack/eventually';

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

/** Registers beforeAll/afterAll; the harness is usable inside tests and hooks. */
export function useWorkflowHarness(label: string): () => Harness {
  let harness: Harness | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let transport: { close?: () => void } | undefined;

  beforeAll(async () => {
    const [env, db, bundle] = await Promise.all([createTimeSkippingEnv(), connectTestDatabase(label), bundleWorkflows(require.resolve('../../../workflows'))]);
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
    await harness?.db.drop();
  }, 60_000);

  return () => {
    if (!harness) throw new Error('the workflow harness is ready only inside tests and hooks');
    return harness;
  };
}

/** Polls `check` (real time) until it returns a value that is not undefined/false. */
export const eventually = <T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> =>
  pollUntil(check, what, timeoutMs, { intervalMs: 100 });

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
