import path from 'node:path';
import { toolPath } from './paths';
import { assertPortFree, waitForPort } from './ports';
import { exitFailure, spawnServer, stopPid } from './processes';
import { defaultHost, type RunningServer } from './types';

export interface MailpitOptions {
  dataDir: string;
  smtpPort: number;
  httpPort: number;
  host?: string;
  /** Allows tests to inject SMTP failures through PUT /api/v1/chaos. */
  chaos?: boolean;
  startTimeoutMs?: number;
}

export interface MailpitServer extends RunningServer<'mailpit', MailpitOptions> {
  smtpUrl: string;
  /** Web UI and REST API (…/api/v1/...). */
  httpUrl: string;
}

export async function startMailpit(options: MailpitOptions): Promise<MailpitServer> {
  const host = options.host ?? defaultHost;
  const exe = toolPath('mailpit');
  const logFile = path.join(options.dataDir, 'logs', 'mailpit.log');
  await assertPortFree(options.smtpPort, host, 'Mailpit SMTP');
  await assertPortFree(options.httpPort, host, 'Mailpit web UI and API');
  const args = [
    '--smtp', `${host}:${options.smtpPort}`,
    '--listen', `${host}:${options.httpPort}`,
    '--max', '0', // keep every message (the default keeps 500)
    '--database', path.join(options.dataDir, 'mailpit.db'), // survives a restart of the stack
    '--disable-version-check',
    '--smtp-disable-rdns',
    ...(options.chaos ? ['--enable-chaos'] : []),
  ];
  const server = spawnServer(exe, args, logFile);
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const failure = exitFailure(server, logFile);
  await waitForPort(options.smtpPort, host, { what: 'Mailpit SMTP', timeoutMs, failure });
  await waitForPort(options.httpPort, host, { what: 'Mailpit web UI', timeoutMs, failure });
  return {
    name: 'mailpit',
    pid: server.pid,
    exe: 'mailpit',
    logFile,
    options,
    smtpUrl: `smtp://${host}:${options.smtpPort}`,
    httpUrl: `http://${host}:${options.httpPort}`,
  };
}

export async function stopMailpit(server: Pick<MailpitServer, 'pid'>, timeoutMs = 10_000): Promise<void> {
  await stopPid(server.pid, { timeoutMs });
}
