/**
 * `npm run bench [-- --size quick|whole] [--only a,b] [--keep-data] [--out file]`
 *
 * Starts a private stack (PostgreSQL + FerretDB, Mailpit, Temporal dev server) on free ports
 * under .data/bench/<run>/, runs the benchmarks, prints a table and writes bench/results/*.json,
 * and stops the stack always (also on Ctrl-C or a failure). Every figure is a ratio against a
 * baseline measured in the same run: the machine is shared and absolute figures drift.
 * docs/README-bench.md explains each figure.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runningMarker, stopStaleRuns } from '../scripts/stack';
import { MailpitClient } from '../test/support/mailpit';
import { finishTargets, smtpBaseline, startTargets, updateBaseline, type SmtpBaseline, type UpdateBaseline } from './baselines';
import { runClicks } from './clicks';
import { runEurope } from './europe';
import { runFanOut } from './fanout';
import type { NodeChild } from './lib/child';
import { cpuMeter, perUnit, stackRoots } from './lib/cpu';
import { SIZES, type BenchContext, type BenchResult, type SizeName } from './lib/context';
import { check, describeMachine, printTable, writeReport, type BenchReport, type Figure } from './lib/report';
import { randomSecret, startPrivateStack, type PrivateStack } from './lib/stack';
import { ratio, round } from './lib/stats';
import { benchWorkflowsPath, bundleToFile, connectClient, startWorkerChild } from './lib/temporal';

const ALL = ['baselines', 'clicks', 'fanout', 'fanout-kill', 'europe'] as const;
type BenchName = (typeof ALL)[number];

interface Args {
  size: SizeName;
  only: Set<BenchName>;
  keepData: boolean;
  out?: string;
  options: Record<string, string>;
}

const USAGE = `usage: npm run bench -- [--size quick|whole] [--only ${ALL.join(',')}] [--keep-data] [--out file]
  [--set key=value ...]   override a size parameter (${Object.keys(SIZES.quick).join(', ')})
  [--click-target standin|real|both] [--api-log-level info|warn|...]
  [--europe-worker main|bundled|prebundled] [--europe-node-options "--max-old-space-size=192"] [--europe-patience-min N] [--profile fanout,fanout_kill,clicks] [--worker-experiment fast-fold,dtf-cache]`;

function parseArgs(argv: string[]): Args {
  const args: Args = { size: 'quick', only: new Set(ALL), keepData: false, options: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--size') {
      const v = value();
      if (v !== 'quick' && v !== 'whole') throw new Error(`--size is quick or whole\n${USAGE}`);
      args.size = v;
    } else if (a === '--only') {
      const names = value().split(',');
      for (const n of names) if (!ALL.includes(n as BenchName)) throw new Error(`unknown bench ${n}\n${USAGE}`);
      args.only = new Set(names as BenchName[]);
    } else if (a === '--keep-data') args.keepData = true;
    else if (a === '--out') args.out = value();
    else if (a === '--set') {
      const [k, v] = value().split('=');
      args.options[`set.${k}`] = v;
    } else if (a.startsWith('--') && a.length > 2) args.options[a.slice(2)] = value();
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const size = { ...SIZES[args.size] };
  for (const [k, v] of Object.entries(args.options)) {
    if (!k.startsWith('set.')) continue;
    const key = k.slice(4) as keyof typeof size;
    if (!(key in size)) throw new Error(`--set ${key}: not a size parameter\n${USAGE}`);
    size[key] = Number(v);
  }
  const started = new Date();
  const stamp = started.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const benchBase = path.join(repoRoot, '.data', 'bench');
  const runDir = path.join(benchBase, `${stamp}-${process.pid}`);
  const log = (line: string) => process.stdout.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  // A run killed without its cleanup (SIGKILL, power) left servers running: stop them by pid.
  await stopStaleRuns(benchBase, log);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, runningMarker), `${process.pid}\n`);
  const report: BenchReport = {
    date: started.toISOString(),
    size: args.size,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: describeMachine(),
    wallMs: 0,
    figures: [],
    details: { sizeParameters: size, runDir: path.relative(repoRoot, runDir) },
    errors: [],
  };
  log(`size ${args.size} (${JSON.stringify(size)}); data and logs in ${path.relative(repoRoot, runDir)}`);

  let stack: PrivateStack | undefined;
  const children: NodeChild[] = [];
  // Servers a benchmark starts itself (the Europe run's time-skipping server), stopped on Ctrl-C too.
  const ownServers: (() => Promise<unknown>)[] = [];
  let interrupted = false;
  const cleanup = async () => {
    for (const c of children) await c.stop(5_000).catch(() => undefined);
    for (const stop of ownServers) await stop().catch(() => undefined);
    await stack?.stop({ keep: args.keepData }).catch((err) => log(`stopping the stack failed: ${err}`));
    if (!args.keepData) rmSync(runDir, { recursive: true, force: true });
    else rmSync(path.join(runDir, runningMarker), { force: true });
  };
  const onSignal = (sig: string) => {
    if (interrupted) return;
    interrupted = true;
    log(`${sig}: stopping the benchmark stack`);
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  try {
    stack = await startPrivateStack({ dataDir: runDir, log: (l) => log(l) });
    const { client, connection } = await connectClient(stack.env.TEMPORAL_ADDRESS);
    const ctx: BenchContext = {
      size,
      sizeName: args.size,
      stack,
      runDir,
      logDir: path.join(runDir, 'logs'),
      bundleDir: path.join(runDir, 'bundles'),
      linkSecret: randomSecret(),
      client,
      mailpit: new MailpitClient(stack.env.MAILPIT_API_URL),
      baselines: {},
      options: args.options,
      log,
    };
    const track = (c: NodeChild) => {
      children.push(c);
      return c;
    };

    const add = (name: string, result: BenchResult) => {
      report.figures.push(...result.figures);
      report.details[name] = result.details;
    };
    const attempt = async (name: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (err) {
        const message = err instanceof Error ? err.stack ?? err.message : String(err);
        log(`${name} failed: ${message}`);
        report.errors.push({ bench: name, error: message.split('\n').filter((l) => !/^\s+at /.test(l)).slice(0, 40).join('\n') });
      }
    };

    // One worker for the bench workflows (baseline target, group stand-in): a child process, as
    // the product's worker is, so the client's CPU is not the worker's.
    const benchEnv = { ...process.env, ...stack.env, MONGODB_URI: stack.mongoUri('bench_worker'), LINK_SECRET: ctx.linkSecret, LOG_LEVEL: 'warn' };
    const bundle = await bundleToFile(benchWorkflowsPath, ctx.bundleDir, 'bench-targets');
    const benchQueue = `bench-${process.pid}`;
    let benchWorker: NodeChild | undefined;
    const needWorker = args.only.has('baselines') || args.only.has('clicks');
    if (needWorker) {
      benchWorker = track(await startWorkerChild({ name: 'bench-worker', env: benchEnv, taskQueue: benchQueue, bundle, logDir: ctx.logDir }));
    }

    const smtpRuns: SmtpBaseline[] = [];
    const updateRuns: UpdateBaseline[] = [];
    let targets: string[] = [];
    const measureUpdates = async (label: string) => {
      if (targets.length === 0) {
        targets = await startTargets(client, { taskQueue: benchQueue, count: size.workflows, type: 'benchUpdateTarget', prefix: `bench-update-${process.pid}` });
      }
      const meter = cpuMeter(() => ({ ...stackRoots(stack!.handle()), worker: benchWorker?.pid }));
      const r = await updateBaseline(client, { workflowIds: targets, callers: size.callers, updates: size.updates });
      r.cpuMsPerUpdate = perUnit(meter.stop(), r.updates);
      updateRuns.push(r);
      log(`bare executeUpdate (${label}): ${r.rate}/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${r.errors ? `, ${r.errors} errors (${r.firstError})` : ''}`);
    };
    const measureSmtp = async (label: string) => {
      await ctx.mailpit.deleteAll();
      const meter = cpuMeter(() => stackRoots(stack!.handle()));
      const r = await smtpBaseline({ smtpUrl: stack!.env.SMTP_URL, mails: size.smtpMails });
      r.cpuMsPerMail = perUnit(meter.stop(), r.mails);
      smtpRuns.push(r);
      await ctx.mailpit.deleteAll();
      log(`raw SMTP (${label}): ${r.rate} mails/s (${r.mails} mails of ${r.messageBytes} bytes)${r.errors ? `, ${r.errors} errors` : ''}`);
    };
    const refreshBaselines = () => {
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
      ctx.baselines.smtpRate = round(mean(smtpRuns.map((r) => r.rate)) ?? NaN, 1);
      ctx.baselines.updateRate = round(mean(updateRuns.map((r) => r.rate)) ?? NaN, 1);
      ctx.baselines.updateP50 = round(mean(updateRuns.map((r) => r.latency.p50)) ?? NaN, 1);
      ctx.baselines.updateP99 = round(mean(updateRuns.map((r) => r.latency.p99)) ?? NaN, 1);
    };

    const wantsUpdates = args.only.has('baselines') || args.only.has('clicks');
    const wantsSmtp = args.only.has('baselines') || args.only.has('fanout') || args.only.has('fanout-kill') || args.only.has('europe');
    if (wantsSmtp) await attempt('baselines', () => measureSmtp('before'));
    if (wantsUpdates) await attempt('baselines', () => measureUpdates('before'));
    refreshBaselines();

    if (args.only.has('clicks')) {
      await attempt('clicks', async () => add('clicks', await runClicks(ctx, { benchQueue, benchWorkerPid: benchWorker?.pid, track })));
      // Measured again after the burst: the machine is shared, its load drifts; ratios use the mean.
      await attempt('baselines', () => measureUpdates('after clicks'));
      refreshBaselines();
    }
    if (args.only.has('fanout') || args.only.has('fanout-kill')) {
      await attempt('fanout', async () => add('fanout', await runFanOut(ctx, { bundle, track, withKill: args.only.has('fanout-kill'), plain: args.only.has('fanout') })));
      await attempt('baselines', () => measureSmtp('after fan-out'));
      refreshBaselines();
    }
    if (targets.length > 0) await finishTargets(client, targets);
    if (benchWorker) await benchWorker.stop();

    if (args.only.has('europe')) {
      await attempt('europe', async () => add('europe', await runEurope(ctx, { track, onInterrupt: (stop) => ownServers.push(stop) })));
    }

    // The baselines themselves, last so that their final (mean) values are shown.
    report.figures.unshift(...baselineFigures(smtpRuns, updateRuns, ctx.baselines));
    report.figures = report.figures.map((f) => finishFigure(f, ctx.baselines));
    report.details.baselines = { smtp: smtpRuns, updates: updateRuns, used: ctx.baselines };
    await connection.close();
  } catch (err) {
    const message = err instanceof Error ? err.stack ?? err.message : String(err);
    log(`benchmark run failed: ${message}`);
    report.errors.push({ bench: 'run', error: message });
  } finally {
    await cleanup();
  }
  report.wallMs = Date.now() - t0;
  report.machine.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  printTable(report);
  const file = writeReport(report, args.out);
  log(`results written to ${path.relative(repoRoot, file)}`);
  return report.errors.length > 0 ? 1 : 0;
}

function finishFigure(f: Figure, baselines: BenchContext['baselines']): Figure {
  if (f.baselineOf && f.baseline === undefined) {
    f.baseline = baselines[f.baselineOf];
    f.ratio = ratio(f.value, f.baseline);
  }
  if (f.target !== undefined && f.pass === undefined) {
    const subject = f.target.startsWith('ratio') ? f.ratio : f.value;
    f.pass = check(subject ?? NaN, f.target.replace(/^ratio\s*/, ''));
  }
  return f;
}

function baselineFigures(smtp: SmtpBaseline[], updates: UpdateBaseline[], used: BenchContext['baselines']): Figure[] {
  const out: Figure[] = [];
  const n = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? undefined : x);
  smtp.forEach((r, i) =>
    out.push({ bench: 'baseline', name: `raw pooled SMTP (5 conn, 10 senders) #${i + 1}`, value: r.rate, unit: 'mails/s', note: `${r.mails} mails of ${r.messageBytes} B` }),
  );
  updates.forEach((r, i) => {
    out.push({ bench: 'baseline', name: `bare executeUpdate, ${r.workflows} wf, ${r.callers} callers #${i + 1}`, value: r.rate, unit: 'updates/s' });
    out.push({ bench: 'baseline', name: `  p50 #${i + 1}`, value: r.latency.p50, unit: 'ms' });
    out.push({ bench: 'baseline', name: `  p99 #${i + 1}`, value: r.latency.p99, unit: 'ms' });
  });
  // The ratios divide by the mean of the measurements above (taken before and after the benches).
  if (smtp.length > 1 && n(used.smtpRate)) out.push({ bench: 'baseline', name: 'raw SMTP, mean used for ratios', value: used.smtpRate!, unit: 'mails/s' });
  if (updates.length > 1 && n(used.updateRate)) {
    out.push({ bench: 'baseline', name: 'bare executeUpdate, mean used for ratios', value: used.updateRate!, unit: 'updates/s' });
    out.push({ bench: 'baseline', name: '  p50 / p99 mean used for ratios', value: used.updateP50!, unit: `ms / ${used.updateP99} ms` });
  }
  return out;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
