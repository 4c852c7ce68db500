/**
 * The api process: reads the configuration, connects to MongoDB and Temporal, listens on
 * API_HOST:API_PORT, sweeps expired idempotency records, redelivers link clicks that Temporal missed, and shuts down cleanly on SIGINT/SIGTERM
 * (stops accepting, lets requests in flight finish, closes connections).
 */
import mongoose from 'mongoose';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadConfig } from '../config';
import { createModels, syncIndexes } from '../domain/models';
import { createApp } from './app';
import { sweepIdempotency } from './idempotency';
import { temporalConnectionOptions } from './temporal';
import { startLinkReconciler } from '../activities/links/reconciler';

const SWEEP_EVERY_MS = 10 * 60 * 1000;
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'api' }, redact: ['req.headers.authorization'] });

  const mongo = await mongoose
    .createConnection(config.MONGODB_URI, { serverSelectionTimeoutMS: 5000, bufferCommands: false })
    .asPromise();
  const models = createModels(mongo);
  await syncIndexes(models);
  // Lazy: the api starts (and /ready says why) even when Temporal is not up yet.
  const connection = Connection.lazy(temporalConnectionOptions(config.TEMPORAL_ADDRESS));
  const temporalClient = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

  const app = createApp({ config, models, temporalClient, logger });
  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    logger.info(
      { url: `http://${config.API_HOST}:${config.API_PORT}`, docs: `http://${config.API_HOST}:${config.API_PORT}/docs` },
      'api listening',
    );
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') logger.fatal(`port ${config.API_PORT} on ${config.API_HOST} is in use (API_PORT)`);
    else logger.fatal({ err }, 'api server failed');
    process.exit(1);
  });

  // Clicks consumed while Temporal was unreachable are delivered later, with the same update id.
  const reconciler = startLinkReconciler({ models, temporalClient, config, logger: logger.child({ module: 'link-reconciler' }) });

  const sweep = setInterval(() => {
    sweepIdempotency(models)
      .then((n) => n && logger.info({ deleted: n }, 'expired idempotency records swept'))
      .catch((err) => logger.warn({ err: { message: (err as Error).message } }, 'idempotency sweep failed'));
  }, SWEEP_EVERY_MS);
  sweep.unref();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping');
    clearInterval(sweep);
    const force = setTimeout(() => {
      logger.warn('requests still running after the grace period; closing');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(async () => {
      await reconciler.stop().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await mongo.close().catch(() => undefined);
      logger.info('api stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`api failed to start: ${(err as Error).message}`);
  process.exit(1);
});
