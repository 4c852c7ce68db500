/**
 * Mail fan-out: the public-review invitation of N members (template, language, ICS of the
 * videoconferences, reaction link and List-Unsubscribe per member) through a workflow, the
 * project's sendBulkMail activity (outbox entries by page, claims and outcomes as inserts,
 * pooled SMTP, heartbeats) and Mailpit, against the raw pooled nodemailer rate of the same run.
 *
 * Then the same fan-out with the worker SIGKILLed halfway (by Mailpit's count) and started again:
 * the activity times out on its heartbeat, is retried, resumes from its heartbeat cursor and the
 * outbox skips what was sent. Every member must have exactly one mail (counted in Mailpit by
 * recipient; Mailpit keeps every message, --max 0).
 *
 * The workflow is bench/workflows/targets.ts's benchFanOut: the cycle's public-review invitation
 * call (workflows/cycle/workflow.ts inviteToPublicReview: same input, same activity, heartbeat
 * timeout 2 minutes at the whole size) without the rest of the cycle around it.
 */
import mongoose from 'mongoose';
import { cycleWorkflowId } from '../domain/ids';
import { createModels, syncIndexes, type Models } from '../domain/models';
import type { SendBulkMailResult } from '../activities/mail/contract';
import { generateEdition, writeReference, type Edition } from './generate-edition';
import type { NodeChild } from './lib/child';
import { watchMemory } from './lib/child';
import type { BenchContext, BenchResult } from './lib/context';
import { cpuMeter, perUnit, stackRoots } from './lib/cpu';
import { countByRecipient, exactlyOnce, mailTotal, type ExactlyOnce } from './lib/mailcount';
import type { Figure } from './lib/report';
import { nowMs, round, sleep } from './lib/stats';
import { startWorkerChild } from './lib/temporal';
import type { FanOutInput } from './workflows/targets';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../worker/node-flags';


interface FanOutRun {
  members: number;
  elapsedMs: number;
  /** Mails per second, from the workflow's start to its result. */
  rate: number;
  result: SendBulkMailResult;
  mailpitTotal: number;
  exactlyOnce: ExactlyOnce;
  workerPeakRssMb: number;
  averageMailBytes?: number;
  /** CPU milliseconds per mail by process (plain run only: a killed worker changes pid). */
  cpuMsPerMail?: Record<string, number>;
  kill?: { atMails: number; atMs: number; restartedAtMs: number; recoveredAtMs?: number; outboxUnknown: number };
}

async function seed(ctx: BenchContext, database: string, members: number): Promise<{ models: Models; edition: Edition; close(): Promise<void> }> {
  const mongo = await mongoose.createConnection(ctx.stack.mongoUri(database)).asPromise();
  const models = createModels(mongo);
  await syncIndexes(models);
  const edition = generateEdition({ divisor: 100_000 / members, cycleId: `fan${database.replace(/\W/g, '')}`, emailDomain: `${database.replace(/_/g, '-')}.bench.example` });
  await writeReference(models, edition);
  // The consolidated document the invitation counts (about fifty recommendations).
  await models.Consolidated.insertMany(
    Array.from({ length: 50 }, (_, i) => ({
      _id: `${edition.cycleId}:c${i + 1}`, cycleId: edition.cycleId, number: i + 1, title: `Recommendation ${i + 1}`, text: `Text ${i + 1}`,
      context: 'context', countries: ['BE'], lineage: [], groupIds: [], revision: 1, withdrawn: false, decisions: [], assembly: [], finalStatus: [], updatedBy: 'bench',
    })),
  );
  await models.Cycle.updateOne({ _id: edition.cycleId }, { $set: { 'projection.phase': 'public_review', 'projection.consolidationVersion': 1, status: 'running' } });
  return { models, edition, close: () => mongo.close() };
}

function invitation(edition: Edition, heartbeatTimeoutSeconds: number): FanOutInput {
  const workflowId = cycleWorkflowId(edition.cycleId);
  return {
    heartbeatTimeoutSeconds,
    mail: {
      workflowId,
      purpose: 'public_review_invitation',
      version: '1',
      template: 'public_review_invitation',
      audience: { kind: 'cycle_members', cycleId: edition.cycleId },
      data: { cycleId: edition.cycleId, closesAt: edition.deadlines.publicReviewClosesAt },
      link: { actions: ['react', 'rsvp'], workflowId, subjectId: edition.cycleId, version: '1', expiresAt: edition.deadlines.publicReviewClosesAt },
    },
  };
}

async function oneRun(ctx: BenchContext, deps: { bundle: string; track: (c: NodeChild) => NodeChild }, kill: boolean): Promise<FanOutRun> {
  const label = kill ? 'fanout_kill' : 'fanout';
  const database = `bench_${label}`;
  const members = ctx.size.fanOut;
  await ctx.mailpit.deleteAll();
  let t = nowMs();
  const { models, edition, close } = await seed(ctx, database, members);
  ctx.log(`${label}: ${members} members seeded in ${Math.round(nowMs() - t)} ms`);
  const taskQueue = `${label}-${process.pid}`;
  // The worker process as the product starts it: its malloc settings and heap limits.
  const env = {
    ...WORKER_PROCESS_ENV, ...process.env, ...ctx.stack.env, MONGODB_URI: ctx.stack.mongoUri(database), LINK_SECRET: ctx.linkSecret, LOG_LEVEL: 'warn',
    BENCH_EXPERIMENT: ctx.options['worker-experiment'] ?? '',
  };
  // --profile fanout: a CPU profile of the worker (bench/profile-summary.ts reads it).
  const nodeFlags = [...WORKER_NODE_FLAGS, ...(ctx.options.profile?.split(',').includes(label) ? ['--cpu-prof', '--cpu-prof-dir', `${ctx.runDir}/profiles`] : [])];
  const start = () => startWorkerChild({ name: `worker-${label}`, env, taskQueue, bundle: deps.bundle, activities: ['mail'], logDir: ctx.logDir, nodeFlags }).then(deps.track);
  let worker = await start();
  let memory = watchMemory(worker);
  let peak = 0;
  try {
    t = nowMs();
    const meter = cpuMeter(() => ({ ...stackRoots(ctx.stack.handle()), worker: worker.pid }));
    const handle = await ctx.client.workflow.start('benchFanOut', { taskQueue, workflowId: `${label}-${process.pid}`, args: [invitation(edition, ctx.size.fanOutHeartbeatSeconds)] });
    let killInfo: FanOutRun['kill'];
    if (kill) {
      const half = Math.floor(members / 2);
      for (;;) {
        const n = await mailTotal(ctx.mailpit);
        if (n >= half) {
          const atMs = nowMs() - t;
          peak = Math.max(peak, memory.peakMb());
          memory.stop();
          await worker.kill();
          ctx.log(`${label}: worker SIGKILLed at ${n} mails (${Math.round(atMs / 1000)} s); starting it again`);
          await sleep(1_000);
          worker = await start();
          memory = watchMemory(worker);
          killInfo = { atMails: n, atMs: round(atMs, 0), restartedAtMs: round(nowMs() - t, 0), outboxUnknown: 0 };
          break;
        }
        await sleep(250);
      }
    }
    const result = (await handle.result()) as SendBulkMailResult;
    const elapsedMs = nowMs() - t;
    const cpu = meter.stop();
    peak = Math.max(peak, memory.peakMb());
    if (killInfo) {
      killInfo.recoveredAtMs = round(elapsedMs, 0);
      killInfo.outboxUnknown = await models.OutboxResult.countDocuments({ outcome: 'unknown' });
    }
    // Mailpit stores asynchronously: wait until the count is stable.
    let total = await mailTotal(ctx.mailpit);
    for (let i = 0; i < 40; i++) {
      await sleep(250);
      const again = await mailTotal(ctx.mailpit);
      if (again === total && again >= result.sent) break;
      total = again;
    }
    const counts = await countByRecipient(ctx.mailpit);
    const once = exactlyOnce(counts, edition.members.map((m) => m.email));
    const sample = await ctx.mailpit.list({ limit: 20 });
    let bytes = 0;
    for (const m of sample.messages.slice(0, 5)) bytes += (await ctx.mailpit.message(m.ID)).Size;
    const run: FanOutRun = {
      members,
      elapsedMs: round(elapsedMs, 0),
      rate: round(((result.sent + result.alreadySent) / elapsedMs) * 1000, 1),
      result,
      mailpitTotal: total,
      exactlyOnce: once,
      workerPeakRssMb: round(peak, 0),
      averageMailBytes: sample.messages.length ? Math.round(bytes / Math.min(5, sample.messages.length)) : undefined,
      cpuMsPerMail: kill ? undefined : perUnit(cpu, members),
      kill: killInfo,
    };
    ctx.log(`${label}: ${run.rate} mails/s over ${Math.round(elapsedMs / 1000)} s; result ${JSON.stringify(result)}; Mailpit ${total}; exactly one ${once.exactlyOne}/${once.expected}, missing ${once.missing}, doubled ${once.doubled}`);
    return run;
  } finally {
    memory.stop();
    await worker.stop();
    await close();
  }
}

export async function runFanOut(
  ctx: BenchContext,
  deps: { bundle: string; track: (c: NodeChild) => NodeChild; withKill: boolean; plain: boolean },
): Promise<BenchResult> {
  const figures: Figure[] = [];
  const details: Record<string, unknown> = { heartbeatTimeoutSeconds: ctx.size.fanOutHeartbeatSeconds };
  const n = ctx.size.fanOut.toLocaleString('en-US');
  if (deps.plain) {
    const run = await oneRun(ctx, deps, false);
    details.plain = run;
    figures.push(
      { bench: 'fan-out', name: `invitation of ${n} members via workflow + outbox + templates`, value: run.rate, unit: 'mails/s', baselineOf: 'smtpRate', target: 'ratio >= 0.8', note: `${run.averageMailBytes ?? '?'} B per mail` },
      { bench: 'fan-out', name: 'every member exactly one mail', value: run.exactlyOnce.exactlyOne, unit: `of ${run.exactlyOnce.expected}`, target: `>= ${run.exactlyOnce.expected}` },
      { bench: 'fan-out', name: 'worker peak RSS', value: run.workerPeakRssMb, unit: 'MB' },
    );
  }
  if (deps.withKill) {
    const run = await oneRun(ctx, deps, true);
    details.kill = run;
    figures.push(
      { bench: 'fan-out kill', name: `same, worker SIGKILLed at ${run.kill?.atMails ?? '?'} mails and restarted`, value: run.rate, unit: 'mails/s', baselineOf: 'smtpRate', note: `recovered ${Math.round(((run.kill?.recoveredAtMs ?? 0) - (run.kill?.restartedAtMs ?? 0)) / 1000)} s after the restart` },
      { bench: 'fan-out kill', name: 'members with exactly one mail', value: run.exactlyOnce.exactlyOne, unit: `of ${run.exactlyOnce.expected}`, target: `>= ${run.exactlyOnce.expected}`, note: `missing ${run.exactlyOnce.missing}, doubled ${run.exactlyOnce.doubled}, outbox 'unknown' ${run.kill?.outboxUnknown ?? 0}` },
      { bench: 'fan-out kill', name: 'members with two or more mails', value: run.exactlyOnce.doubled, unit: 'members', target: '<= 0' },
    );
  }
  return { figures, details };
}
