/** The figures of a run: a table on stdout and JSON in bench/results/<date>.json. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Table from 'cli-table3';
import { repoRoot } from '../../scripts/stack';

export interface Figure {
  bench: string;
  name: string;
  value: number;
  unit: string;
  /** The same-run baseline this figure is compared with, when there is one. */
  baseline?: number;
  /** Which baseline (filled in at the end of the run, from the mean of its measurements). */
  baselineOf?: 'smtpRate' | 'updateRate' | 'updateP50' | 'updateP99';
  /** value / baseline (the figure that counts: absolute values vary from run to run here). */
  ratio?: number;
  /** e.g. ">= 0.7" (on the ratio) or "< 10240" (on the value). */
  target?: string;
  pass?: boolean;
  note?: string;
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  gitCommit: string;
  gitDirty: boolean;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export interface BenchReport {
  date: string;
  size: string;
  command: string;
  machine: Machine;
  wallMs: number;
  figures: Figure[];
  details: Record<string, unknown>;
  errors: { bench: string; error: string }[];
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): Machine {
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    gitCommit: git(['rev-parse', '--short=12', 'HEAD']),
    gitDirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** "≥ 0.7" style check on a number. */
export function check(value: number, target: string): boolean {
  const m = /^(>=|<=|<|>)\s*([\d.]+)$/.exec(target.trim());
  if (!m || !Number.isFinite(value)) return false;
  const t = Number(m[2]);
  switch (m[1]) {
    case '>=':
      return value >= t;
    case '<=':
      return value <= t;
    case '<':
      return value < t;
    default:
      return value > t;
  }
}

const fmt = (v: number | undefined) => {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 100) return (Math.round(v * 10) / 10).toString();
  return (Math.round(v * 100) / 100).toString();
};

export function printTable(report: BenchReport, out: (s: string) => void = (s) => process.stdout.write(s)): void {
  const m = report.machine;
  out(`\nSmart in Progress benchmarks, size ${report.size}, ${report.date}\n`);
  out(`machine: ${m.nproc} cores (${m.cpuModel}), ${m.memoryGiB} GiB, node ${m.node}, commit ${m.gitCommit}${m.gitDirty ? ' (+ local changes)' : ''}, load ${m.loadAverageAtStart.join(' ')} -> ${(m.loadAverageAtEnd ?? []).join(' ')}\n`);
  const table = new Table({
    head: ['bench', 'figure', 'value', 'unit', 'baseline', 'ratio', 'target', 'ok'],
    style: { head: [], border: [] },
  });
  for (const f of report.figures) {
    table.push([
      f.bench,
      f.name,
      fmt(f.value),
      f.unit,
      fmt(f.baseline),
      f.ratio === undefined ? '' : `${fmt(f.ratio)}x`,
      f.target ?? '',
      f.pass === undefined ? '' : f.pass ? 'yes' : 'NO',
    ]);
  }
  out(table.toString() + '\n');
  for (const e of report.errors) out(`error in ${e.bench}: ${e.error}\n`);
  out(`wall time ${Math.round(report.wallMs / 1000)} s\n`);
}

export function writeReport(report: BenchReport, file?: string): string {
  const dir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const out = file ?? path.join(dir, `${report.date.replace(/[:]/g, '-').replace(/\..*$/, '')}-${report.size}.json`);
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  return out;
}
