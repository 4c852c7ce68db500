import path from 'node:path';
import { searchAttributes } from '../../config/search-attributes';
import { toolPath } from './paths';
import { assertPortFree, waitForPort } from './ports';
import { exitFailure, spawnServer, stopPid } from './processes';
import { defaultHost, type RunningServer } from './types';

export interface TemporalOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  host?: string;
  startTimeoutMs?: number;
}

export interface TemporalServer extends RunningServer<'temporal', TemporalOptions> {
  /** host:port of the frontend gRPC service (TEMPORAL_ADDRESS). */
  address: string;
  uiUrl: string;
}

/**
 * The Temporal CLI's dev server on a SQLite file in the data dir: state survives a restart, which
 * is what lets `npm start` resume running cycles and lets tests restart it mid-workflow.
 */
export async function startTemporal(options: TemporalOptions): Promise<TemporalServer> {
  const host = options.host ?? defaultHost;
  const exe = toolPath('temporal');
  const logFile = path.join(options.dataDir, 'logs', 'temporal.log');
  await assertPortFree(options.port, host, 'Temporal frontend gRPC');
  await assertPortFree(options.uiPort, host, 'Temporal Web UI');
  const args = [
    'server', 'start-dev',
    '--db-filename', path.join(options.dataDir, 'temporal.db'),
    '--ip', host,
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--log-level', 'warn',
    ...Object.entries(searchAttributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const server = spawnServer(exe, args, logFile);
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const failure = exitFailure(server, logFile);
  await waitForPort(options.port, host, { what: 'Temporal dev server', timeoutMs, failure });
  await waitForPort(options.uiPort, host, { what: 'Temporal Web UI', timeoutMs, failure });
  return {
    name: 'temporal',
    pid: server.pid,
    exe: 'temporal',
    logFile,
    options,
    address: `${host}:${options.port}`,
    uiUrl: `http://${host}:${options.uiPort}`,
  };
}

export async function stopTemporal(server: Pick<TemporalServer, 'pid'>, timeoutMs = 15_000): Promise<void> {
  await stopPid(server.pid, { timeoutMs });
}
