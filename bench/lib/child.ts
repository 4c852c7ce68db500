/**
 * Node processes the benchmarks and the fault drills start, watch, measure and kill: the worker
 * (the project's worker/main.ts or bench/worker.ts) and the API (api/main.ts). Each runs as
 * `node --import tsx <file>` in its own process group, output appended to a log file; an IPC
 * channel lets bench/worker.ts say "ready" and report. Peak memory is the kernel's VmHWM (the
 * resident set's high-water mark) of that pid, read from /proc/<pid>/status before it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/stack';

export interface NodeChild {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** Resolves when the process ended: "code 0", "signal SIGKILL". */
  exited: Promise<string>;
  alive(): boolean;
  /** Next IPC message matching the predicate (bench/worker.ts sends { type: 'ready' } etc.). */
  message<T = Record<string, unknown>>(predicate: (m: T) => boolean, timeoutMs?: number): Promise<T>;
  send(message: unknown): void;
  /** VmHWM and VmRSS in MB (NaN when the process is gone). */
  memory(): { peakMb: number; rssMb: number };
  /** SIGKILL, no goodbye: what a crash or an OOM kill does. */
  kill(): Promise<string>;
  /** SIGTERM (graceful), SIGKILL after timeoutMs. */
  stop(timeoutMs?: number): Promise<string>;
}

export interface StartNodeOptions {
  name: string;
  /** Path relative to the repository root (or absolute). */
  file: string;
  env: NodeJS.ProcessEnv;
  logDir: string;
  args?: string[];
  /** Extra node flags, e.g. --max-old-space-size. */
  nodeFlags?: string[];
}

export function startNode(options: StartNodeOptions): NodeChild {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', options.file, ...(options.args ?? [])], {
      cwd: repoRoot,
      env: options.env,
      detached: true,
      stdio: ['ignore', fd, fd, 'ipc'],
    });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`could not start ${options.file}`);
  const pid = child.pid;
  let done: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      done = signal ? `signal ${signal}` : `code ${code}`;
      resolve(done);
    });
  });
  const inbox: Record<string, unknown>[] = [];
  const waiters: { predicate: (m: never) => boolean; resolve: (m: never) => void }[] = [];
  child.on('message', (m: Record<string, unknown>) => {
    const i = waiters.findIndex((w) => w.predicate(m as never));
    if (i >= 0) waiters.splice(i, 1)[0].resolve(m as never);
    else inbox.push(m);
  });
  child.on('error', () => undefined);

  const memory = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
    } catch {
      return { peakMb: NaN, rssMb: NaN };
    }
  };

  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // gone already
      }
    }
  };

  return {
    name: options.name,
    pid,
    child,
    logFile,
    exited,
    alive: () => done === undefined,
    message<T>(predicate: (m: T) => boolean, timeoutMs = 120_000): Promise<T> {
      const i = inbox.findIndex((m) => predicate(m as T));
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as T);
      return new Promise<T>((resolve, reject) => {
        const waiter = { predicate: predicate as (m: never) => boolean, resolve: resolve as (m: never) => void };
        waiters.push(waiter);
        const timer = setTimeout(() => {
          const j = waiters.indexOf(waiter);
          if (j >= 0) waiters.splice(j, 1);
          reject(new Error(`${options.name}: no expected message within ${timeoutMs} ms; log tail:\n${tail(logFile)}`));
        }, timeoutMs);
        timer.unref();
        void exited.then((how) => {
          const j = waiters.indexOf(waiter);
          if (j < 0) return;
          waiters.splice(j, 1);
          clearTimeout(timer);
          reject(new Error(`${options.name} ended (${how}) before the expected message; log tail:\n${tail(logFile)}`));
        });
      });
    },
    send(message: unknown) {
      if (done === undefined && child.connected) child.send(message as never);
    },
    memory,
    async kill() {
      if (done !== undefined) return done;
      signalGroup('SIGKILL');
      return exited;
    },
    async stop(timeoutMs = 15_000) {
      if (done !== undefined) return done;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Samples a child's memory every `everyMs` while it lives; the max VmHWM seen is the peak. */
export function watchMemory(child: Pick<NodeChild, 'memory' | 'alive'>, everyMs = 500): { peakMb(): number; stop(): void } {
  let peak = 0;
  const sample = () => {
    const m = child.memory();
    if (Number.isFinite(m.peakMb)) peak = Math.max(peak, m.peakMb);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    peakMb: () => {
      sample();
      return peak;
    },
    stop: () => clearInterval(timer),
  };
}
