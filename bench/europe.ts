/**
 * Whole Europe: a generated edition (bench/generate-edition.ts; 100,000 members, 9 countries,
 * 1,000 groups, 5,000 recommendations at the whole size, 1/50 of that by default) runs end to
 * end under the TIME-SKIPPING test server (TestWorkflowEnvironment.createTimeSkipping on
 * .tools/bin/temporal-test-server) against the private FerretDB and Mailpit, with the project's
 * worker (worker/main.ts, unchanged) in a child process so that its peak RSS (VmHWM) is measured.
 *
 * The run follows test/workflows/scenario-2019-2020.test.ts at scale: members confirm and
 * moderators accept (updates on the group workflows), groups submit, the consolidated document
 * is written by the generator with lineage, approvals are asked and given (some left to tacit
 * approval), the public review invites every member, the nine boards decide every recommendation
 * in their scope in batches, the nine assemblies ratify en bloc, the cycle completes. Then every
 * history is measured (each run of a continued-as-new chain).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import mongoose from 'mongoose';
import { searchAttributes } from '../config/search-attributes';
import { assemblyWorkflowId, boardWorkflowId, cycleWorkflowId, groupWorkflowId, projectWorkflowId } from '../domain/ids';
import { createModels, syncIndexes, type Models, type RecommendationDoc } from '../domain/models';
import type { BoardDecision, Phase } from '../domain/types';
import { eventually, toolPath } from '../scripts/stack';
import { assemblyStatusQuery, recordAssemblyResultUpdate } from '../workflows/assembly/contract';
import { boardStatusQuery, MAX_DECISIONS_PER_BATCH, recordDecisionsUpdate } from '../workflows/board/contract';
import { cycleStatusQuery, requestApprovalsUpdate } from '../workflows/cycle/contract';
import {
  acceptModeratorRoleUpdate, approveConsolidationUpdate, confirmMembershipUpdate, submitRecommendationsUpdate,
} from '../workflows/group/contract';
import { boardDecisionFor, buildConsolidated, generateEdition } from './generate-edition';
import { startNode, watchMemory, type NodeChild } from './lib/child';
import { decide } from './lib/decide';
import type { BenchContext, BenchResult } from './lib/context';
import { cpuMeter, stackRoots } from './lib/cpu';
import { historySizes, largestByType, type HistorySize } from './lib/histories';
import type { Figure } from './lib/report';
import { mapLimit, nowMs, round, sleep } from './lib/stats';
import { workflowTaskStalls } from './lib/worker-log';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../worker/node-flags';
import { bundleToFile, projectWorkflowsPath, quietTemporal } from './lib/temporal';
import { workflowBundle } from '../worker/bundle';
import { readFileSync } from 'node:fs';

const MINUTE = 60_000;
const KEYWORD = 2; // IndexedValueType KEYWORD
const STAFF = 'key-bench-staff';

async function waitForLog(file: string, text: string, child: NodeChild, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    if (!child.alive()) throw new Error(`${child.name} exited: ${readFileSync(file, 'utf8').slice(-2000)}`);
    try {
      return readFileSync(file, 'utf8').includes(text);
    } catch {
      return false;
    }
  }, `"${text}" in ${file}`, timeoutMs);
}

export async function runEurope(
  ctx: BenchContext,
  deps: { track: (c: NodeChild) => NodeChild; onInterrupt?: (stop: () => Promise<unknown>) => void },
): Promise<BenchResult> {
  const divisor = ctx.size.europeDivisor;
  const { log } = ctx;
  // A phase waits for its fan-outs (every member is mailed at the public review and after the
  // assemblies): patience grows with the edition (about 60 ms per member, at least 4 minutes).
  const members = Math.round(100_000 / divisor);
  const patience = ctx.options['europe-patience-min'] ? Number(ctx.options['europe-patience-min']) * MINUTE : Math.max(4 * MINUTE, members * 60);
  quietTemporal();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('temporal-test-server') } },
  });
  // Torn down once: on Ctrl-C by the bench's cleanup, else at the end here (a second teardown
  // makes the SDK print errors about a closed server).
  let tornDown: Promise<unknown> | undefined;
  const teardown = () => (tornDown ??= env.teardown());
  deps.onInterrupt?.(teardown);
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.keys(searchAttributes).map((k) => [k, KEYWORD])),
  });
  const database = 'bench_europe';
  const mongo = await mongoose.createConnection(ctx.stack.mongoUri(database)).asPromise();
  const models = createModels(mongo);
  let worker: NodeChild | undefined;
  const laps: Record<string, number> = {};
  let diagnose: () => Promise<string> = async () => '';
  try {
    await syncIndexes(models);
    await ctx.mailpit.deleteAll();
    const t0 = await env.currentTimeMs();
    const edition = generateEdition({ divisor, start: new Date(t0), cycleId: `eu${process.pid}`, emailDomain: 'europe.bench.example' });
    const cycleId = edition.cycleId;
    let t = nowMs();
    const { writeReference } = await import('./generate-edition');
    await writeReference(models, edition);
    log(`europe 1/${divisor}: ${edition.members.length} members, ${edition.groups.length} groups, ${edition.groups.reduce((a, g) => a + g.submission.length, 0)} recommendations written in ${Math.round(nowMs() - t)} ms`);

    const taskQueue = `europe-${process.pid}`;
    // main: worker/main.ts as `npm start` and the image run it (its bundle built in a child
    // process at start, the node flags of worker/node-flags.ts).
    // bundled: the same on a bundle of worker/bundle.ts made here (WORKFLOW_BUNDLE_PATH).
    // prebundled: bench/worker.ts, the same activities on a bundle built here.
    const which = ctx.options['europe-worker'] ?? 'main';
    const prebundled = which === 'prebundled' ? await bundleToFile(projectWorkflowsPath, ctx.bundleDir, 'project-workflows') : undefined;
    const bundlePath = which === 'bundled' ? await workflowBundle(ctx.bundleDir) : undefined;
    worker = deps.track(
      startNode({
        name: 'worker-europe',
        file: prebundled ? 'bench/worker.ts' : 'worker/main.ts',
        // --europe-node-options replaces the product's flags (a command-line flag beats NODE_OPTIONS).
        nodeFlags: prebundled || ctx.options['europe-node-options'] ? [] : [...WORKER_NODE_FLAGS],
        logDir: ctx.logDir,
        env: {
          ...(prebundled ? { BENCH_BUNDLE: prebundled, BENCH_ACTIVITIES: 'project', BENCH_TASK_QUEUE: taskQueue } : {}),
          // --europe-node-options "--max-old-space-size=192": how much of the peak is V8's lazy GC.
          ...(ctx.options['europe-node-options'] ? { NODE_OPTIONS: ctx.options['europe-node-options'] } : {}),
          ...WORKER_PROCESS_ENV,
          ...process.env,
          ...ctx.stack.env,
          TEMPORAL_ADDRESS: env.address,
          TEMPORAL_TASK_QUEUE: taskQueue,
          MONGODB_URI: ctx.stack.mongoUri(database),
          LINK_SECRET: ctx.linkSecret,
          LOG_LEVEL: 'info',
          MAIL_FROM: `Smart in Progress <participation@${edition.emailDomain}>`,
          PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
          ...(bundlePath ? { WORKFLOW_BUNDLE_PATH: bundlePath } : {}),
        },
      }),
    );
    if (prebundled) await worker.message<{ type: string }>((m) => m.type === 'ready', 180_000);
    else await waitForLog(worker.logFile, 'worker running', worker, 180_000);
    const memory = watchMemory(worker, 250);
    const meter = cpuMeter(() => ({ ...stackRoots(ctx.stack.handle()), worker: worker!.pid }));
    const start = nowMs();
    const startWall = Date.now();
    const lap = (name: string) => {
      laps[name] = round((nowMs() - start) / 1000, 1);
      log(`europe: ${name} after ${laps[name]} s (worker RSS ${Math.round(worker!.memory().rssMb)} MB, peak ${Math.round(memory.peakMb())} MB)`);
    };
    // The time-skipping server jumps to the next timer or timeout whenever the driver sleeps,
    // also while an activity runs: a country's assembly-outcome mailing (heartbeat every few
    // seconds of wall time) then missed its 2-minute heartbeat timeout in server time at once,
    // was retried fourteen times over, and the overlapping attempts crawled at 12 mails/s
    // (the "crawl" of sessions 3 and 4). A jump waits until no long-running activity of the
    // cycle, a board or an assembly is in flight; in real time nothing jumps.
    const longRunners = [cycleWorkflowId(cycleId), ...edition.countries.flatMap((c) => [boardWorkflowId(cycleId, c.country), assemblyWorkflowId(cycleId, c.country)])];
    const running = async (workflowId: string) => {
      // A board or an assembly not started yet runs nothing; any other failure is asked again
      // (eventually retries), not taken for "nothing in flight".
      const described = await env.client.workflow.getHandle(workflowId).describe().catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      });
      // PENDING_ACTIVITY_STATE_STARTED: a worker holds it (a scheduled one waits for time, or a worker).
      return (described?.raw.pendingActivities ?? []).filter((a) => Number(a.state) === 2).length;
    };
    const advanceTo = async (iso: string | number) => {
      const target = typeof iso === 'number' ? iso : Date.parse(iso);
      if (target <= (await env.currentTimeMs())) return;
      await eventually(async () => (await Promise.all(longRunners.map(running))).every((n) => n === 0), 'no mailing in flight before a jump in time', patience);
      const ms = target - (await env.currentTimeMs());
      if (ms > 0) await env.sleep(ms);
    };
    const cycle = await env.client.workflow.start('cycleWorkflow', { workflowId: cycleWorkflowId(cycleId), taskQueue, args: [{ cycleId }] });
    const group = (groupId: string): WorkflowHandle => env.client.workflow.getHandle(groupWorkflowId(cycleId, groupId));
    // Every decision with an update id, sent again on an overloaded server's silence.
    let retries = 0;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const send = <R = unknown>(handle: WorkflowHandle, update: UpdateDefinition<any, any>, arg: unknown, id: string) =>
      decide<R>(handle, update, arg, `europe:${cycleId}:${id}`, { patienceMs: patience, callTimeoutMs: 60_000, onRetry: () => void retries++ });
    // A group's state as its workflow projects it to MongoDB (what the staff pages read; the
    // workflow writes it after changing its own state). Asked by query instead, a group outside
    // the worker's cache is replayed to answer; at 1/10 with a cache of 15 (the whole size's
    // ratio) that made no measurable difference (330 s either way, session 5).
    const groupDoc = (groupId: string) => models.Group.findOne({ _id: groupId }, { status: 1, approval: 1 }).lean();
    const phaseReached = async (phase: Phase) => {
      await eventually(async () => (await cycle.query(cycleStatusQuery)).phase === phase, `phase ${phase}`, patience);
      lap(phase);
    };
    const d = edition.deadlines;
    diagnose = async () => {
      const status = await cycle.query(cycleStatusQuery).catch((e: Error) => e.message);
      const groups = await models.Group.find({ cycleId }, { status: 1, approval: 1 }).lean();
      const tally: Record<string, number> = {};
      for (const g of groups) tally[`${g.status}/${g.approval?.status}`] = (tally[`${g.status}/${g.approval?.status}`] ?? 0) + 1;
      const projection = (await models.Cycle.findById(cycleId).lean())?.projection;
      return `server time ${new Date(await env.currentTimeMs()).toISOString()}\ncycle status ${JSON.stringify(status)}\nprojection ${JSON.stringify(projection)}\ngroups ${JSON.stringify(tally)}\nworker log tail:\n${readFileSync(worker!.logFile, 'utf8').split('\n').slice(-15).join('\n')}`;
    };

    // --- Group formation ------------------------------------------------------------------------
    await advanceTo(Date.parse(d.formationOpensAt) + MINUTE);
    await phaseReached('group_formation');
    await eventually(async () => (await cycle.query(cycleStatusQuery)).groups.open >= edition.groups.length, 'every group started', patience);
    let confirmations = 0;
    await mapLimit(edition.groups, ctx.size.callers, async (g) => {
      await eventually(async () => (await groupDoc(g.groupId))?.status === 'forming', `${g.groupId} forming`, patience);
      await send(group(g.groupId), acceptModeratorRoleUpdate, { memberId: g.moderatorMemberId }, `accept:${g.groupId}`);
      for (const m of g.memberIds) {
        if (m === g.moderatorMemberId) continue;
        await send(group(g.groupId), confirmMembershipUpdate, { memberId: m, actorId: m }, `confirm:${g.groupId}:${m}`);
        confirmations++;
      }
    });
    lap('members confirmed');

    // --- Formation deadline, deliberation, submissions ----------------------------------------
    await advanceTo(Date.parse(d.formationDeadline) + MINUTE);
    await phaseReached('deliberation');
    const submitting = edition.groups.filter((g) => g.submission.length > 0);
    await advanceTo(Date.parse(d.submissionDeadline) - 20 * 86_400_000);
    await mapLimit(submitting, ctx.size.callers, async (g) => {
      await eventually(async () => (await groupDoc(g.groupId))?.status === 'active', `${g.groupId} active`, patience);
      await send(group(g.groupId), submitRecommendationsUpdate, { items: g.submission, actorId: STAFF }, `submit:${g.groupId}`);
    });
    lap('recommendations submitted');
    await advanceTo(Date.parse(d.submissionDeadline) + MINUTE);
    await phaseReached('consolidation');

    // --- Consolidation: the generated document with lineage, then approvals -------------------
    t = nowMs();
    const originals = (await models.Recommendation.find({ cycleId, superseded: false }).lean<RecommendationDoc[]>()).sort((a, b) => (a._id < b._id ? -1 : 1));
    const countryOfGroup = new Map(edition.groups.map((g) => [g.groupId, g.country]));
    const consolidated = buildConsolidated(cycleId, originals, countryOfGroup);
    for (let i = 0; i < consolidated.length; i += 1_000) {
      await models.Consolidated.insertMany(
        consolidated.slice(i, i + 1_000).map((c) => ({ ...c, createdByOp: `bench:${c.number}`, decisions: [], assembly: [], finalStatus: [] })),
      );
    }
    await models.Counter.updateOne({ _id: `consolidation:${cycleId}` }, { $set: { value: consolidated.length } }, { upsert: true });
    log(`europe: ${originals.length} originals -> ${consolidated.length} consolidated in ${Math.round(nowMs() - t)} ms`);
    const asked = await send<{ version: number }>(cycle, requestApprovalsUpdate, { actorId: STAFF }, 'approvals:1');
    const concerned = [...new Set(consolidated.flatMap((c) => c.groupIds))];
    // Nine in ten moderators approve; the others stay silent (tacit approval at the deadline).
    const approving = concerned.filter((_, i) => i % 10 !== 9);
    const moderatorOf = new Map(edition.groups.map((g) => [g.groupId, g.moderatorMemberId]));
    await mapLimit(approving, ctx.size.callers, async (groupId) => {
      await eventually(async () => {
        const v = await groupDoc(groupId);
        return v?.approval?.status === 'pending' && v.approval.version === asked.version;
      }, `${groupId} asked to approve`, patience);
      await send(group(groupId), approveConsolidationUpdate, { memberId: moderatorOf.get(groupId)!, version: asked.version }, `approve:${groupId}:${asked.version}`);
    });
    lap('approvals given');
    await advanceTo(Date.parse(d.approvalDeadline) + MINUTE);

    // --- Public review: every member invited ---------------------------------------------------
    await advanceTo(Date.parse(d.publicReviewOpensAt) + MINUTE);
    await phaseReached('public_review');
    const countries = edition.countries.map((c) => c.country);
    const boards = new Map(countries.map((c) => [c, env.client.workflow.getHandle(boardWorkflowId(cycleId, c))]));
    await mapLimit(countries, 9, (c) => eventually(async () => (await boards.get(c)!.query(boardStatusQuery)).status === 'waiting', `board ${c} started`, patience));
    lap('public review invitations sent');

    // --- Boards: every recommendation in scope decided, in batches ------------------------------
    await advanceTo(Date.parse(d.publicReviewClosesAt) + MINUTE);
    await phaseReached('board_decisions');
    let decisions = 0;
    await mapLimit(countries, 9, async (c) => {
      const board = boards.get(c)!;
      await eventually(async () => (await board.query(boardStatusQuery)).status === 'deciding', `board ${c} open`, patience);
      const scope = consolidated.filter((x) => x.countries.includes(c));
      const all: BoardDecision[] = scope.map((x) => {
        const plan = boardDecisionFor(x.number, c);
        return {
          recommendationId: x._id, outcome: plan.outcome, motivation: { criteria: plan.criteria, text: plan.text },
          ...(plan.newWording ? { newWording: plan.newWording } : {}),
          ...(plan.outcome === 'postpone' ? { postponeTo: { kind: 'next_cycle' as const } } : {}),
          decidedBy: `key-board-${c.toLowerCase()}`,
        };
      });
      for (let i = 0; i < all.length; i += MAX_DECISIONS_PER_BATCH) {
        await send(board, recordDecisionsUpdate, { decisions: all.slice(i, i + MAX_DECISIONS_PER_BATCH) }, `decisions:${c}:${i}`);
        decisions += Math.min(MAX_DECISIONS_PER_BATCH, all.length - i);
      }
    });
    lap('boards decided');

    // --- Assemblies, each on its date -------------------------------------------------------------
    const lastBoardDeadline = Math.max(...edition.countries.map((c) => Date.parse(c.boardDeadline)));
    await advanceTo(lastBoardDeadline + MINUTE);
    await phaseReached('general_assembly');
    for (const c of [...edition.countries].sort((a, b) => Date.parse(a.assemblyDate) - Date.parse(b.assemblyDate))) {
      await advanceTo(Date.parse(c.assemblyDate) + MINUTE);
      const assembly = env.client.workflow.getHandle(assemblyWorkflowId(cycleId, c.country));
      await eventually(async () => (await assembly.query(assemblyStatusQuery)).status === 'awaiting_result', `assembly ${c.country} met`, patience);
      await send(assembly, recordAssemblyResultUpdate, {
        mode: 'en_bloc', votes: { for: 120, against: 14, abstain: 9 }, nextThemes: [{ title: { en: `Next theme ${c.country}`, fr: `Prochain thème ${c.country}`, nl: `Volgend thema ${c.country}` } }], actorId: STAFF,
      }, `assembly:${c.country}`);
    }
    await eventually(async () => (await cycle.describe()).status.name === 'COMPLETED', 'cycle completed', patience);
    await mapLimit(countries, 9, (c) =>
      eventually(async () => (await env.client.workflow.getHandle(assemblyWorkflowId(cycleId, c)).describe()).status.name === 'COMPLETED', `assembly ${c} completed`, patience),
    );
    lap('cycle completed');
    const wallMs = nowMs() - start;
    const cpu = meter.stop();
    const peakMb = memory.peakMb();
    memory.stop();

    // --- What the run left: mails, histories ------------------------------------------------------
    // One pass over the outcomes: counts by purpose and by outcome, each mailing's span (which one waited on what).
    const { spans, outcomes } = await outcomeSpans(models, startWall);
    const byPurpose = new Map<string, number>();
    for (const m of spans) byPurpose.set(m.purpose, (byPurpose.get(m.purpose) ?? 0) + m.mails);
    const mailsByPurpose = Object.fromEntries([...byPurpose].sort((a, b) => b[1] - a[1]));
    const mailings = spans.filter((m) => m.mails >= Math.max(100, Math.round(members / 100)));
    for (const m of mailings) log(`europe: mailing ${m.purpose} of ${m.workflowId}: ${m.mails} mails, ${m.fromS}-${m.toS} s (${m.perS} a second)`);
    await sleep(1_000);
    const mailpitTotal = (await ctx.mailpit.list({ limit: 1 })).total;
    const groupIds = (await models.Group.find({ cycleId }, { _id: 1 }).lean()).map((g) => g._id);
    const projectIds = (await models.Project.find({ cycleId }, { _id: 1 }).lean()).map((p) => p._id);
    const ids = [
      cycleWorkflowId(cycleId),
      ...groupIds.map((id) => groupWorkflowId(cycleId, id)),
      ...countries.flatMap((c) => [boardWorkflowId(cycleId, c), assemblyWorkflowId(cycleId, c)]),
      ...projectIds.slice(0, 200).map((id) => projectWorkflowId(id)),
    ];
    t = nowMs();
    const sizes: HistorySize[][] = await mapLimit(ids, 8, (id) => historySizes(env.client, id).catch(() => []));
    const largest = largestByType(sizes);
    log(`europe: ${ids.length} histories measured in ${Math.round(nowMs() - t)} ms: ${JSON.stringify(largest)}`);

    const totalMails = Object.values(mailsByPurpose).reduce((a, b) => a + b, 0);
    const mailRate = round((mailpitTotal / wallMs) * 1000, 1);
    const figures: Figure[] = [
      { bench: 'europe', name: `edition 1/${divisor} (${edition.members.length.toLocaleString('en-US')} members, ${edition.groups.length} groups) end to end`, value: round(wallMs / 1000, 1), unit: 's wall' },
      { bench: 'europe', name: 'mails sent (Mailpit)', value: mailpitTotal, unit: 'mails', note: JSON.stringify(mailsByPurpose) },
      { bench: 'europe', name: 'mails per second of wall time', value: mailRate, unit: 'mails/s', baselineOf: 'smtpRate', note: 'raw SMTP is the ceiling for the mail-bound part' },
      { bench: 'europe', name: `worker peak RSS (VmHWM, ${{ main: 'worker/main.ts', bundled: 'worker/main.ts on WORKFLOW_BUNDLE_PATH', prebundled: 'bench/worker.ts' }[which] ?? which})`, value: round(peakMb, 0), unit: 'MB', target: '< 400' },
    ];
    const stalls = workflowTaskStalls(readFileSync(worker!.logFile, 'utf8'));
    figures.push({
      bench: 'europe', name: 'workflow tasks over 5 s / already timed out by the server (worker log)', value: stalls.slow, unit: `tasks / ${stalls.expired} expired`,
      note: JSON.stringify({ byType: stalls.slowByType, ms: stalls.slowMs }),
    });
    for (const [type, s] of Object.entries(largest)) {
      figures.push({ bench: 'europe', name: `largest ${type} history (${s.measured} runs measured)`, value: s.events, unit: `events, ${Math.round(s.bytes / 1024)} KiB`, target: '< 10240', note: s.workflowId });
    }
    return {
      figures,
      details: {
        divisor,
        worker: which,
        workerNodeOptions: ctx.options['europe-node-options'],
        size: edition.size,
        counts: {
          members: edition.members.length,
          groups: edition.groups.length,
          groupsInTemporal: groupIds.length,
          confirmations,
          recommendations: originals.length,
          consolidated: consolidated.length,
          approvalsAsked: asked,
          boardDecisions: decisions,
          projects: projectIds.length,
        },
        laps,
        updateRetries: retries,
        wallMs: round(wallMs, 0),
        workerPeakRssMb: round(peakMb, 0),
        mailpitTotal,
        outboxResults: totalMails,
        mailsByPurpose,
        mailings,
        workflowTaskStalls: stalls,
        outcomes,
        cpuSeconds: cpu,
        largestHistories: largest,
        historiesMeasured: sizes.length,
      },
    };
  } catch (err) {
    const more = await diagnose().catch((e: Error) => `(diagnosis failed: ${e.message})`);
    throw new Error(`${(err as Error).message}\n${more}`);
  } finally {
    if (worker) await worker.stop(30_000);
    await mongo.close();
    await teardown().catch(() => undefined);
  }
}

/**
 * Every mailing's outcomes (by workflow and purpose): how many, first and last in seconds from the
 * run's start, in the order they began; and the count of each outcome. Read through a cursor and grouped here: FerretDB 1.24 has no
 * `$min`/`$max` accumulators.
 */
async function outcomeSpans(models: Models, startWall: number): Promise<{
  spans: { workflowId: string; purpose: string; mails: number; fromS: number; toS: number; perS: number }[];
  outcomes: Record<string, number>;
}> {
  const spans = new Map<string, { workflowId: string; purpose: string; n: number; first: number; last: number }>();
  const outcomes: Record<string, number> = {};
  const cursor = models.OutboxResult.find({}, { workflowId: 1, purpose: 1, outcome: 1, at: 1 }).lean().batchSize(5_000).cursor();
  for await (const r of cursor) {
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const key = `${r.workflowId}\u0000${r.purpose}`;
    const at = new Date(r.at).getTime();
    const span = spans.get(key);
    if (!span) spans.set(key, { workflowId: r.workflowId, purpose: r.purpose, n: 1, first: at, last: at });
    else {
      span.n += 1;
      span.first = Math.min(span.first, at);
      span.last = Math.max(span.last, at);
    }
  }
  const list = [...spans.values()]
    .map((r) => {
      const fromS = round((r.first - startWall) / 1000, 0);
      const toS = round((r.last - startWall) / 1000, 0);
      return { workflowId: r.workflowId, purpose: r.purpose, mails: r.n, fromS, toS, perS: round(r.n / Math.max(1, toS - fromS), 1) };
    })
    .sort((a, b) => a.fromS - b.fromS);
  return { spans: list, outcomes };
}
