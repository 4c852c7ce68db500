import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFerretDB, stopFerretDB, type FerretDBServer } from './ferretdb';
import { startMailpit, stopMailpit, type MailpitServer } from './mailpit';
import { assertPortFree } from './ports';
import { startPostgres, stopPostgres, type PostgresServer } from './postgres';
import { isOurProcess } from './processes';
import { startTemporal, stopTemporal, type TemporalServer } from './temporal';
import { defaultHost, type ServerName } from './types';

export interface StackPorts {
  postgres: number;
  ferretdb: number;
  mailpitSmtp: number;
  mailpitHttp: number;
  temporal: number;
  temporalUi: number;
}

export interface StackOptions {
  dataDir: string;
  ports: StackPorts;
  host?: string;
  /** Which servers to run (all by default): a user's own MongoDB or SMTP replaces ours. */
  run?: { mongo?: boolean; mail?: boolean; temporal?: boolean };
  mailpitChaos?: boolean;
  /** PostgreSQL without fsync: for throw-away test data. */
  fastPostgres?: boolean;
  log?: (line: string) => void;
}

/** What a running stack is, as JSON in the handle file: enough for any process to stop it. */
export interface StackHandle {
  version: 1;
  dataDir: string;
  /** The process that owns the stack (jest, run-dev); when it is dead the stack is stale. */
  ownerPid: number;
  startedAt: string;
  servers: {
    postgres?: PostgresServer;
    ferretdb?: FerretDBServer;
    mailpit?: MailpitServer;
    temporal?: TemporalServer;
  };
}

type AnyServer = NonNullable<StackHandle['servers'][ServerName]>;

const labels: Record<ServerName, string> = {
  postgres: 'PostgreSQL',
  ferretdb: 'FerretDB',
  mailpit: 'Mailpit',
  temporal: 'Temporal dev server',
};

/**
 * Starts the selected servers: PostgreSQL then FerretDB, alongside Mailpit and Temporal.
 * Every port is checked before anything starts, so a port in use fails fast and leaves nothing
 * behind; if a server fails later, the ones already started are stopped before the error is thrown.
 */
export async function startStack(options: StackOptions): Promise<StackHandle> {
  const host = options.host ?? defaultHost;
  const run = { mongo: true, mail: true, temporal: true, ...options.run };
  const { ports, dataDir } = options;
  const log = options.log ?? (() => undefined);
  mkdirSync(dataDir, { recursive: true });

  const wanted: [number, string][] = [
    ...(run.mongo ? ([[ports.postgres, 'PostgreSQL'], [ports.ferretdb, 'FerretDB, MongoDB protocol']] as [number, string][]) : []),
    ...(run.mail ? ([[ports.mailpitSmtp, 'Mailpit SMTP'], [ports.mailpitHttp, 'Mailpit web UI and API']] as [number, string][]) : []),
    ...(run.temporal ? ([[ports.temporal, 'Temporal frontend gRPC'], [ports.temporalUi, 'Temporal Web UI']] as [number, string][]) : []),
  ];
  for (const [port, what] of wanted) await assertPortFree(port, host, what);

  const handle: StackHandle = {
    version: 1,
    dataDir,
    ownerPid: process.pid,
    startedAt: new Date().toISOString(),
    servers: {},
  };
  const timed = async <T>(name: ServerName, start: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const server = await start();
    log(`${labels[name]} up in ${Date.now() - t0} ms`);
    return server;
  };

  const results = await Promise.allSettled([
    run.mongo &&
      (async () => {
        handle.servers.postgres = await timed('postgres', () =>
          startPostgres({ dataDir, port: ports.postgres, host, fast: options.fastPostgres }),
        );
        handle.servers.ferretdb = await timed('ferretdb', () =>
          startFerretDB({ dataDir, port: ports.ferretdb, host, postgresUrl: handle.servers.postgres!.url }),
        );
      })(),
    run.mail &&
      (async () => {
        handle.servers.mailpit = await timed('mailpit', () =>
          startMailpit({ dataDir, smtpPort: ports.mailpitSmtp, httpPort: ports.mailpitHttp, host, chaos: options.mailpitChaos }),
        );
      })(),
    run.temporal &&
      (async () => {
        handle.servers.temporal = await timed('temporal', () =>
          startTemporal({ dataDir, port: ports.temporal, uiPort: ports.temporalUi, host }),
        );
      })(),
  ]);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length > 0) {
    await stopStack(handle);
    throw new Error(failures.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join('\n'));
  }
  return handle;
}

/** Stops one server of the handle (if it is still the process we started) and forgets it. */
export async function stopServer(handle: StackHandle, name: ServerName): Promise<void> {
  const server = handle.servers[name] as AnyServer | undefined;
  if (!server) return;
  if (isOurProcess(server.pid, server.exe)) {
    switch (server.name) {
      case 'postgres':
        await stopPostgres(server);
        break;
      case 'ferretdb':
        await stopFerretDB(server);
        break;
      case 'mailpit':
        await stopMailpit(server);
        break;
      case 'temporal':
        await stopTemporal(server);
        break;
    }
  }
}

/** Starts a server again with the options it had (same ports, same data). */
export async function startServer(handle: StackHandle, name: ServerName): Promise<void> {
  const server = handle.servers[name] as AnyServer | undefined;
  if (!server) throw new Error(`the stack has no ${name} server`);
  if (isOurProcess(server.pid, server.exe)) throw new Error(`${labels[name]} is already running (pid ${server.pid})`);
  switch (server.name) {
    case 'postgres':
      handle.servers.postgres = await startPostgres(server.options);
      break;
    case 'ferretdb':
      handle.servers.ferretdb = await startFerretDB(server.options);
      break;
    case 'mailpit':
      handle.servers.mailpit = await startMailpit(server.options);
      break;
    case 'temporal':
      handle.servers.temporal = await startTemporal(server.options);
      break;
  }
}

export async function restartServer(handle: StackHandle, name: ServerName): Promise<void> {
  await stopServer(handle, name);
  await startServer(handle, name);
}

/** Stops everything: Temporal and Mailpit alongside FerretDB, then PostgreSQL behind FerretDB. */
export async function stopStack(handle: StackHandle): Promise<void> {
  const results = await Promise.allSettled([
    stopServer(handle, 'temporal'),
    stopServer(handle, 'mailpit'),
    (async () => {
      await stopServer(handle, 'ferretdb');
      await stopServer(handle, 'postgres');
    })(),
  ]);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length > 0) throw new Error(failures.map((f) => String(f.reason)).join('\n'));
}

/** The configuration variables (config/index.ts) that point at this stack's servers. */
export function stackEnv(handle: StackHandle): Record<string, string> {
  const { ferretdb, mailpit, temporal } = handle.servers;
  return {
    ...(ferretdb ? { MONGODB_URI: ferretdb.mongoUrl } : {}),
    // The embedded relay can say whether it accepted a message: mails are sent exactly once.
    ...(mailpit ? { SMTP_URL: mailpit.smtpUrl, MAILPIT_API_URL: mailpit.httpUrl, MAIL_DELIVERY_LOOKUP_URL: mailpit.httpUrl } : {}),
    ...(temporal ? { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_UI_URL: temporal.uiUrl } : {}),
  };
}

export function readHandle(file: string): StackHandle {
  return JSON.parse(readFileSync(file, 'utf8')) as StackHandle;
}

/** Written atomically (temp file + rename): another process may read it at any moment. */
export function writeHandle(file: string, handle: StackHandle): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(handle, null, 2) + '\n');
  renameSync(temp, file);
}

/**
 * Stop, start or restart one server of the stack described by a handle file, from any process,
 * and record its new pid in the file. Used by tests that take a server down mid-workflow.
 */
export async function controlServer(file: string, name: ServerName, action: 'stop' | 'start' | 'restart'): Promise<void> {
  const handle = readHandle(file);
  if (action !== 'start') await stopServer(handle, name);
  if (action !== 'stop') await startServer(handle, name);
  // Re-read before writing so that a concurrent change to another server is kept.
  const latest = readHandle(file);
  latest.servers = { ...latest.servers, [name]: handle.servers[name] };
  writeHandle(file, latest);
}

/**
 * Deletes a stopped stack's data: its data dir, and its PostgreSQL cluster when that had to live
 * outside it (root with a data dir the `postgres` user cannot enter, see clusterDirFor).
 */
export function removeStackData(handle: StackHandle): void {
  const cluster = handle.servers.postgres?.clusterDir;
  if (cluster && !cluster.startsWith(path.resolve(handle.dataDir) + path.sep)) {
    rmSync(cluster, { recursive: true, force: true });
    rmSync(`${cluster}.log`, { force: true });
  }
  rmSync(handle.dataDir, { recursive: true, force: true });
}
