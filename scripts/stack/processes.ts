import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface SpawnedServer {
  pid: number;
  child: ChildProcess;
  /** Set once the process exited (code or signal), so a start can stop waiting at once. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

/**
 * Starts a server in its own process group with stdout/stderr appended to logFile.
 *
 * Detached on purpose: Ctrl-C in the terminal must not reach the servers directly, so that the
 * supervisor (run-dev, jest teardown) stops them in order; and a test file that restarts a server
 * must not take it down when its jest worker exits. Every stop goes through stopPid().
 */
export function spawnServer(command: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): SpawnedServer {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env: env ?? process.env });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    const server: SpawnedServer = { pid: child.pid, child, exit: undefined };
    child.on('exit', (code, signal) => (server.exit = { code, signal }));
    child.on('error', () => (server.exit = server.exit ?? { code: -1, signal: null }));
    child.unref();
    return server;
  } finally {
    closeSync(fd);
  }
}

/** Alive and not a zombie (an orphan may stay a zombie when PID 1 does not reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return existsSync(`/proc/${pid}`) || process.platform !== 'linux';
  }
}

/** The command line of pid, or undefined; used to check that a pid from a file is still ours. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** True when pid is alive and its command line mentions `expected` (guards against pid reuse). */
export function isOurProcess(pid: number, expected: string): boolean {
  if (!isAlive(pid)) return false;
  const cmd = commandLine(pid);
  return cmd === undefined ? process.platform !== 'linux' : cmd.includes(expected);
}

function signal(pid: number, sig: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch (error) {
    // ESRCH: already gone. A group kill fails when pid is not a group leader: fall back to pid.
    if (group && (error as NodeJS.ErrnoException).code === 'ESRCH') signal(pid, sig, false);
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

export interface StopOptions {
  /** The graceful signal; PostgreSQL wants SIGINT (fast shutdown), the others SIGTERM. */
  signal?: NodeJS.Signals;
  timeoutMs?: number;
  /** Signal the whole process group (the servers are group leaders, see spawnServer). */
  group?: boolean;
}

/** Graceful signal, then SIGKILL after timeoutMs. Resolves once the process is gone. */
export async function stopPid(pid: number, options: StopOptions = {}): Promise<void> {
  const group = options.group ?? true;
  if (!isAlive(pid)) return;
  signal(pid, options.signal ?? 'SIGTERM', group);
  if (await waitForExit(pid, options.timeoutMs ?? 10_000)) return;
  signal(pid, 'SIGKILL', group);
  if (!(await waitForExit(pid, 5_000))) throw new Error(`process ${pid} survived SIGKILL`);
}

/** The last lines of a log file, for error messages. */
export function tailFile(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A failure() callback for waitForPort: the exit status and the log tail once the child died. */
export function exitFailure(server: SpawnedServer, logFile: string): () => string | undefined {
  return () =>
    server.exit
      ? `exited (code ${server.exit.code}, signal ${server.exit.signal}); last lines of ${logFile}:\n${tailFile(logFile)}`
      : undefined;
}
