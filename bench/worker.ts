/**
 * The benchmarks' worker process (started by bench/lib/child.ts, killed with SIGKILL by the
 * fan-out and drill runs): a Temporal worker on BENCH_TASK_QUEUE with a pre-built workflow bundle
 * (BENCH_BUNDLE, a file written by bundleWorkflowCode in the parent, so a restart takes about a
 * second) and the activities named in BENCH_ACTIVITIES:
 *   mail     the project's createMailActivities (pooled SMTP transport, outbox, templates)
 *   project  the project's createActivities (activities/index.ts), the worker/main.ts set
 * With `project`, BENCH_BUNDLE is usually the project's workflows (workflows/index.ts) bundled
 * once by the parent: a restart after SIGKILL then takes about a second instead of a rebundle.
 * The rest of the configuration is the product's (config/index.ts: MONGODB_URI, SMTP_URL, ...).
 * Says { type: 'ready' } over IPC once it polls.
 */
import mongoose from 'mongoose';
import pino from 'pino';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../config';
import { createModels } from '../domain/models';
import { createMailActivities, createMailTransport, deliveryLookupFromConfig } from '../activities/mail';
import { createActivities } from '../activities';
import { Client, Connection } from '@temporalio/client';

/**
 * BENCH_EXPERIMENT (comma list), to measure what would close a gap, never on by default:
 *   fast-fold  TextEncoder.encode of one character answers without allocating (ical-generator
 *              folds lines by encoding every character with a new TextEncoder)
 *   dtf-cache  new Intl.DateTimeFormat(locale, options) returns a cached formatter
 */
function applyExperiments(names: string[]): void {
  if (names.includes('fast-fold')) {
    const encode = TextEncoder.prototype.encode;
    TextEncoder.prototype.encode = function (this: unknown, input?: string) {
      if (input !== undefined && input.length <= 2) return { length: Buffer.byteLength(input) } as ReturnType<typeof encode>;
      return encode.call(this, input);
    } as typeof encode;
  }
  if (names.includes('dtf-cache')) {
    const Base = Intl.DateTimeFormat;
    const cache = new Map<string, Intl.DateTimeFormat>();
    const Cached = function (locales?: string | string[], options?: Intl.DateTimeFormatOptions) {
      const key = JSON.stringify([locales, options]);
      let f = cache.get(key);
      if (!f) {
        f = new Base(locales, options);
        cache.set(key, f);
      }
      return f;
    } as unknown as typeof Intl.DateTimeFormat;
    Object.defineProperty(Cached, 'prototype', { value: Base.prototype });
    Object.assign(Cached, { supportedLocalesOf: Base.supportedLocalesOf });
    (Intl as { DateTimeFormat: typeof Intl.DateTimeFormat }).DateTimeFormat = Cached;
  }
}

async function main(): Promise<void> {
  applyExperiments((process.env.BENCH_EXPERIMENT ?? '').split(',').filter(Boolean));
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig(process.env);
  const taskQueue = process.env.BENCH_TASK_QUEUE ?? config.TEMPORAL_TASK_QUEUE;
  const bundle = process.env.BENCH_BUNDLE;
  if (!bundle) throw new Error('BENCH_BUNDLE is not set');
  const wanted = new Set((process.env.BENCH_ACTIVITIES ?? '').split(',').filter(Boolean));
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'bench-worker' } });

  let activities: Record<string, (...args: never[]) => Promise<unknown>> = {};
  const closers: (() => Promise<unknown>)[] = [];
  if (wanted.size > 0) {
    const mongo = await mongoose.createConnection(config.MONGODB_URI, { serverSelectionTimeoutMS: 10_000, maxPoolSize: 20 }).asPromise();
    closers.push(() => mongo.close());
    const models = createModels(mongo);
    if (wanted.has('mail')) {
      const transport = createMailTransport(config);
      closers.push(async () => transport.close());
      activities = { ...activities, ...createMailActivities({ models, transport, config, logger, deliveryLookup: deliveryLookupFromConfig(config) }) };
    }
    if (wanted.has('project')) {
      // The worker/main.ts set: storage, mail, Temporal messages (one pooled transport).
      const transport = createMailTransport(config);
      closers.push(async () => transport.close());
      const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
      closers.push(() => clientConnection.close());
      const temporalClient = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
      activities = { ...activities, ...(createActivities({ models, mail: { transport, config, logger, deliveryLookup: deliveryLookupFromConfig(config) }, temporalClient }) as unknown as typeof activities) };
    }
  }

  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowBundle: { codePath: bundle },
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    workflowThreadPoolSize: config.WORKER_WORKFLOW_THREADS,
    activities,
  });
  const running = worker.run();
  process.send?.({ type: 'ready', pid: process.pid });
  const stop = () => worker.shutdown();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await running;
  for (const close of closers) await close().catch(() => undefined);
  await connection.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(`bench worker failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
