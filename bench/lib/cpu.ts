/**
 * CPU time per process group (user + system, from /proc/<pid>/stat and the cumulative times of
 * reaped children), to show where a benchmark's CPU goes: the worker, Mailpit, FerretDB,
 * PostgreSQL (the postmaster and its backends), the Temporal server, the API, this process.
 * On a shared 2-core machine this is steadier than wall time.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

interface Stat {
  pid: number;
  ppid: number;
  /** utime + stime of the process and its waited-for children, in ticks. */
  ticks: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    const f = (n: number) => Number(rest[n - 3]);
    return { pid, ppid: f(4), ticks: f(14) + f(15) + f(16) + f(17) };
  } catch {
    return undefined;
  }
}

function allStats(): Stat[] {
  const out: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** CPU seconds of each named root pid and all its live descendants. */
export function cpuSeconds(roots: Record<string, number | undefined>): Record<string, number> {
  const stats = allStats();
  const children = new Map<number, Stat[]>();
  for (const s of stats) {
    const list = children.get(s.ppid) ?? [];
    list.push(s);
    children.set(s.ppid, list);
  }
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const out: Record<string, number> = {};
  for (const [name, pid] of Object.entries(roots)) {
    if (pid === undefined) continue;
    let ticks = 0;
    const stack = [pid];
    const seen = new Set<number>();
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      const s = byPid.get(p);
      if (s) ticks += s.ticks;
      for (const c of children.get(p) ?? []) stack.push(c.pid);
    }
    out[name] = ticks / TICKS;
  }
  return out;
}

/** Starts a measurement; `stop()` gives the CPU seconds spent by each root since. */
export function cpuMeter(roots: () => Record<string, number | undefined>): { stop(): Record<string, number> } {
  const before = cpuSeconds(roots());
  const client = process.cpuUsage();
  const machine = machineCpu();
  return {
    stop() {
      const after = cpuSeconds(roots());
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(after)) out[k] = Math.round((v - (before[k] ?? 0)) * 100) / 100;
      const c = process.cpuUsage(client);
      out['bench client (this process)'] = Math.round((c.user + c.system) / 1e4) / 100;
      const m = machineCpu();
      out['whole machine busy'] = Math.round((m.busy - machine.busy) * 100) / 100;
      out['whole machine idle'] = Math.round((m.idle - machine.idle) * 100) / 100;
      return out;
    },
  };
}

/** The stack's servers as roots for cpuMeter (PostgreSQL with its backends). */
export function stackRoots(handle: { servers: Partial<Record<'postgres' | 'ferretdb' | 'mailpit' | 'temporal', { pid: number } | undefined>> }): Record<string, number | undefined> {
  return {
    postgres: handle.servers.postgres?.pid,
    ferretdb: handle.servers.ferretdb?.pid,
    mailpit: handle.servers.mailpit?.pid,
    temporal: handle.servers.temporal?.pid,
  };
}

/** CPU milliseconds per unit of work (e.g. per mail), rounded. */
export function perUnit(cpu: Record<string, number>, units: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(cpu)) out[k] = Math.round((v / units) * 1000 * 100) / 100;
  return out;
}

/** Whole-machine CPU (all processes, from /proc/stat), in CPU seconds, and the share idle. */
export function machineCpu(): { busy: number; idle: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const idle = line[3] + line[4];
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS, idle: idle / TICKS };
}
