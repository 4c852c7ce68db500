/**
 * The worker process: reads the configuration, connects MongoDB, the SMTP pool and Temporal,
 * and runs the workflows and activities of the task queue until SIGINT/SIGTERM, then drains
 * (activities in flight finish or are handed back) and closes its connections.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { ConfigError, loadConfig, roleMailboxes, type Config } from '../config';
import { createModels, syncIndexes } from '../domain/models';
import { createActivities } from '../activities';
import { createMailTransport, deliveryLookupFromConfig } from '../activities/mail';

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

/**
 * The workflow bundle: WORKFLOW_BUNDLE_PATH, or one built by worker/bundle.ts in a short-lived
 * child process (webpack's few hundred MB leave with it; an idle worker on a bundle file holds
 * 190 MB, one that bundled itself 260 MB), kept under DATA_DIR/bundles by a hash of its sources.
 */
async function workflowBundlePath(config: Config): Promise<string> {
  if (config.WORKFLOW_BUNDLE_PATH) return config.WORKFLOW_BUNDLE_PATH;
  const dir = path.resolve(config.DATA_DIR, 'bundles');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bundle.ts'), dir], {
    env: { ...process.env, NODE_OPTIONS: '' },
    maxBuffer: 1 << 20,
  });
  return stdout.trim().split('\n').pop()!;
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'worker' } });
  Runtime.install({ logger: new DefaultLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN') });

  const mongo = await mongoose
    .createConnection(config.MONGODB_URI, { serverSelectionTimeoutMS: 10_000, bufferCommands: false })
    .asPromise();
  const models = createModels(mongo);
  await syncIndexes(models);
  const transport = createMailTransport(config);

  const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporalClient = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });

  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundle: { codePath: await workflowBundlePath(config) },
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    workflowThreadPoolSize: config.WORKER_WORKFLOW_THREADS,
    activities: createActivities({
      models,
      mail: { transport, config, logger, roleMailboxes: roleMailboxes(config), deliveryLookup: deliveryLookupFromConfig(config) },
      temporalClient,
    }),
    // SIGINT/SIGTERM (the SDK's default shutdown signals) stop polling; this is how long
    // activities in flight get to finish before they are cancelled.
    shutdownGraceTime: '20 seconds',
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker running');
  try {
    await worker.run();
  } finally {
    logger.info('worker stopped; closing connections');
    (transport as { close?: () => void }).close?.();
    await clientConnection.close().catch(() => undefined);
    await nativeConnection.close().catch(() => undefined);
    await mongo.close().catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
