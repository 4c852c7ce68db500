import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './paths';
import { isAlive, stopPid } from './processes';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../../worker/node-flags';

export interface DevApp {
  name: string;
  pid: number;
  /** Resolves with a description of how the process ended. */
  exited: Promise<string>;
}

export interface AppEntry {
  name: string;
  file: string;
  nodeFlags?: readonly string[];
  /** The app's own environment (the worker's malloc settings), under what the caller passes. */
  env?: Readonly<Record<string, string>>;
}

/** The project's entry points, run with tsx; absent until their authors commit them. */
export const appEntries: readonly AppEntry[] = [
  { name: 'worker', file: 'worker/main.ts', nodeFlags: WORKER_NODE_FLAGS, env: WORKER_PROCESS_ENV },
  { name: 'api', file: 'api/main.ts' },
];

export function appExists(file: string): boolean {
  return existsSync(path.join(repoRoot, file));
}

/**
 * Runs `node --import tsx <file>` (what `npx tsx <file>` does, one process fewer) with its output
 * both in the terminal, prefixed with its name, and in <dataDir>/logs/<name>.log.
 * Detached, like the servers, so that Ctrl-C reaches only run-dev, which stops things in order.
 */
export function startApp(app: AppEntry, env: NodeJS.ProcessEnv, logDir: string): DevApp {
  const { name, file } = app;
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [...(app.nodeFlags ?? []), '--import', 'tsx', file], {
    cwd: repoRoot,
    env: { ...app.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  const prefix = `[${name}] `.padEnd(9);
  for (const [stream, out] of [[child.stdout!, process.stdout], [child.stderr!, process.stderr]] as const) {
    createInterface({ input: stream }).on('line', (line) => {
      out.write(prefix + line + '\n');
      log.write(line + '\n');
    });
  }
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      log.end();
      resolve(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
  });
  return { name, pid: child.pid, exited };
}

/** SIGTERM (the apps drain and close their connections), SIGKILL after the timeout. */
export async function stopApp(app: Pick<DevApp, 'pid'>, timeoutMs = 15_000): Promise<void> {
  if (isAlive(app.pid)) await stopPid(app.pid, { timeoutMs });
}
