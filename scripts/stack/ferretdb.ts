import path from 'node:path';
import { toolPath } from './paths';
import { assertPortFree, waitForPort } from './ports';
import { exitFailure, spawnServer, stopPid } from './processes';
import { defaultHost, type RunningServer } from './types';

export interface FerretDBOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** The PostgreSQL backend, e.g. postgres://postgres@127.0.0.1:5433/ferretdb. */
  postgresUrl: string;
  startTimeoutMs?: number;
}

export interface FerretDBServer extends RunningServer<'ferretdb', FerretDBOptions> {
  /** mongodb://host:port/ (no database: callers add theirs). */
  mongoUrl: string;
}

/** FerretDB speaks the MongoDB wire protocol; it connects to PostgreSQL lazily, per request. */
export async function startFerretDB(options: FerretDBOptions): Promise<FerretDBServer> {
  const host = options.host ?? defaultHost;
  const exe = toolPath('ferretdb');
  const logFile = path.join(options.dataDir, 'logs', 'ferretdb.log');
  await assertPortFree(options.port, host, 'FerretDB, MongoDB protocol');
  const server = spawnServer(exe, [
    `-listen-addr=${host}:${options.port}`,
    `-postgresql-url=${options.postgresUrl}`,
    '-log-level=warn',
  ], logFile);
  await waitForPort(options.port, host, {
    what: 'FerretDB',
    timeoutMs: options.startTimeoutMs ?? 30_000,
    failure: exitFailure(server, logFile),
  });
  return { name: 'ferretdb', pid: server.pid, exe: 'ferretdb', logFile, options, mongoUrl: `mongodb://${host}:${options.port}/` };
}

export async function stopFerretDB(server: Pick<FerretDBServer, 'pid'>, timeoutMs = 10_000): Promise<void> {
  await stopPid(server.pid, { timeoutMs });
}
