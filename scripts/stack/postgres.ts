import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { findPgBinDir } from './paths';
import { LOOKUP_SETTINGS, LOOKUP_SQL } from './postgres-lookups';
import { assertPortFree, waitForPort } from './ports';
import { isAlive, stopPid, tailFile } from './processes';
import { defaultHost, type RunningServer } from './types';

const run = promisify(execFile);

export interface PostgresOptions {
  /** The stack's data dir; the cluster lives in <dataDir>/pg (see clusterDirFor). */
  dataDir: string;
  port: number;
  host?: string;
  /** Database created for FerretDB. */
  database?: string;
  /** fsync off and friends: for throw-away test clusters (still safe when a process is killed). */
  fast?: boolean;
  startTimeoutMs?: number;
}

export interface PostgresServer extends RunningServer<'postgres', PostgresOptions> {
  clusterDir: string;
  /** postgres://postgres@host:port/database */
  url: string;
}

const isRoot = () => process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root every server command runs as the `postgres` user. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function postgresIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error("running as root needs a 'postgres' user (apt-get install postgresql creates it)");
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function postgresCanEnter(dir: string): Promise<boolean> {
  try {
    await run('runuser', ['-u', 'postgres', '--', 'test', '-x', dir, '-a', '-r', dir]);
    return true;
  } catch {
    return false;
  }
}

/**
 * <dataDir>/pg, or, when root and the `postgres` user cannot enter dataDir (a clone under /root,
 * mode 700), a folder in postgres's home named after dataDir: PostgreSQL must own its cluster.
 */
export async function clusterDirFor(dataDir: string): Promise<string> {
  const inside = path.join(dataDir, 'pg');
  if (!isRoot() || (await postgresCanEnter(dataDir))) return inside;
  const hash = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  return path.join('/var/lib/postgresql/smart-in-progress', hash);
}

function makeOwnedDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (isRoot()) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
}

function readPostmasterPid(clusterDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the cluster on first use, starts it with pg_ctl and creates the FerretDB database. */
export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
  const host = options.host ?? defaultHost;
  const database = options.database ?? 'ferretdb';
  const binDir = findPgBinDir();
  const clusterDir = await clusterDirFor(options.dataDir);
  const logLink = path.join(options.dataDir, 'logs', 'postgres.log');
  // The server writes its log itself, so the file must be reachable by its user: next to the
  // cluster when the cluster had to move out of the data dir (then linked from <dataDir>/logs).
  const logFile = clusterDir === path.join(options.dataDir, 'pg') ? logLink : `${clusterDir}.log`;
  await assertPortFree(options.port, host, 'PostgreSQL');

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    makeOwnedDir(path.dirname(clusterDir));
    makeOwnedDir(clusterDir);
    const [cmd, args] = asPostgres(path.join(binDir, 'initdb'), [
      '-D', clusterDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-instructions', '--no-sync',
    ]);
    try {
      await run(cmd, args, { timeout: 120_000 });
    } catch (error) {
      throw new Error(`initdb of ${clusterDir} failed: ${(error as { stderr?: string }).stderr ?? error}`);
    }
  }

  mkdirSync(path.dirname(logLink), { recursive: true });
  if (!existsSync(logFile)) writeFileSync(logFile, '');
  if (isRoot()) {
    const { uid, gid } = postgresIds();
    chownSync(logFile, uid, gid);
  }
  if (logFile !== logLink && !existsSync(logLink)) symlinkSync(logFile, logLink);

  const settings = [
    `-p ${options.port}`,
    `-k ${clusterDir}`, // the socket next to the cluster: always writable by its owner
    `-c listen_addresses=${host}`,
    ...(options.fast ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
    ...LOOKUP_SETTINGS,
  ].join(' ');
  const timeoutS = Math.ceil((options.startTimeoutMs ?? 60_000) / 1000);
  const [cmd, args] = asPostgres(path.join(binDir, 'pg_ctl'), [
    '-D', clusterDir, '-l', logFile, '-w', '-t', String(timeoutS), '-o', settings, 'start',
  ]);
  try {
    // pg_ctl daemonizes the postmaster in its own session, so Ctrl-C does not reach it either.
    await run(cmd, args, { timeout: (timeoutS + 5) * 1000 });
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start on ${host}:${options.port}: ${(error as { stderr?: string }).stderr ?? error}\n` +
        `last lines of ${logFile}:\n${tailFile(logFile)}`,
    );
  }
  const pid = readPostmasterPid(clusterDir);
  if (!pid) throw new Error(`PostgreSQL started but ${clusterDir}/postmaster.pid is unreadable`);
  await waitForPort(options.port, host, {
    what: 'PostgreSQL',
    timeoutMs: 10_000,
    failure: () => (isAlive(pid) ? undefined : `postmaster ${pid} exited; see ${logFile}`),
  });

  try {
    await run(path.join(binDir, 'createdb'), ['-h', host, '-p', String(options.port), '-U', 'postgres', database]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    if (!stderr.includes('already exists')) throw new Error(`createdb ${database} failed: ${stderr || error}`);
  }
  try {
    await run(path.join(binDir, 'psql'), ['-h', host, '-p', String(options.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-q', '-c', LOOKUP_SQL]);
  } catch (error) {
    throw new Error(`indexed lookups for FerretDB (scripts/stack/postgres-lookups.ts) failed: ${(error as { stderr?: string }).stderr || error}`);
  }

  return {
    name: 'postgres',
    pid,
    exe: 'postgres',
    logFile: logLink,
    options,
    clusterDir,
    url: `postgres://postgres@${host}:${options.port}/${database}`,
  };
}

/** Fast shutdown (SIGINT: disconnect clients, checkpoint), then SIGKILL after the timeout. */
export async function stopPostgres(server: Pick<PostgresServer, 'pid'>, timeoutMs = 15_000): Promise<void> {
  // The postmaster is not a group leader (pg_ctl called setsid in a child): signal the pid only.
  await stopPid(server.pid, { signal: 'SIGINT', timeoutMs, group: false });
}
