/**
 * Link clicks: the project's click path, end to end. HTTP POST /l/<token> to the API process
 * (api/main.ts, its default settings) → token opened and checked (revocations) → single use
 * recorded in MongoDB (link_recent, link_uses) → executeUpdate on the group workflow named by the
 * token (update id derived from the use) → use settled → page. `liveLinks` links are issued by
 * the links module (the real token format), spread over the same workflows as the bare
 * executeUpdate baseline; the links not clicked in the burst are recorded as used earlier, so
 * link_uses holds `liveLinks` entries at the end (its size at Smart's scale). `clicks` of them
 * are POSTed by 16 concurrent clients.
 *
 * Target workflows: `--click-target standin` (default) is bench/workflows/targets.ts's
 * benchGroupStandIn, as tiny as the baseline's workflow, so the ratio is the cost of the click
 * path itself. `--click-target real` is the product's groupWorkflow with the product's activities
 * (a worker child with createActivities): each click then also runs the confirmMembership storage
 * activity (membership read and update, audit, confirmed count) against a memberships collection
 * holding one membership per clicked link (20,000 at the whole size, Smart's order of magnitude).
 */
import mongoose from 'mongoose';
import { catalogFor } from '../activities/mail/i18n';
import { groupWorkflowId } from '../domain/ids';
import { createModels, syncIndexes } from '../domain/models';
import { LANGUAGES } from '../domain/types';
import { finishTargets } from './baselines';
import { startApiChild } from './lib/api';
import type { NodeChild } from './lib/child';
import type { BenchContext, BenchResult } from './lib/context';
import { keepAliveAgent, postForm } from './lib/http';
import { issueLinks, markUsed, shuffled } from './lib/links';
import { closedLoop, nowMs, round, summarize } from './lib/stats';
import { cpuMeter, perUnit, stackRoots } from './lib/cpu';
import { countQuery } from './workflows/targets';
import { groupWorkflowType } from '../workflows/group/contract';
import { bundleToFile, projectWorkflowsPath, startWorkerChild } from './lib/temporal';

type Deps = { benchQueue: string; benchWorkerPid?: number; track: (c: NodeChild) => NodeChild };

/** `--click-target standin|real|both` (default both: the stand-in first, then the real group). */
export async function runClicks(ctx: BenchContext, deps: Deps): Promise<BenchResult> {
  const wanted = ctx.options['click-target'] ?? 'both';
  if (!['standin', 'real', 'both'].includes(wanted)) throw new Error(`--click-target is standin, real or both, not ${wanted}`);
  const targets = wanted === 'both' ? (['standin', 'real'] as const) : ([wanted] as ('standin' | 'real')[]);
  const out: BenchResult = { figures: [], details: {} };
  for (const target of targets) {
    const r = await runClicksOn(ctx, deps, target);
    out.figures.push(...r.figures);
    out.details[target] = r.details;
  }
  return out;
}

async function runClicksOn(ctx: BenchContext, deps: Deps, target: 'standin' | 'real'): Promise<BenchResult> {
  const { size, log } = ctx;
  const database = `bench_clicks_${target}`;
  const mongo = await mongoose.createConnection(ctx.stack.mongoUri(database)).asPromise();
  const models = createModels(mongo);
  await syncIndexes(models);
  const cycleId = `bench${target}${process.pid}`;
  const groups = Array.from({ length: size.workflows }, (_, i) => ({ groupId: `g${i}`, workflowId: groupWorkflowId(cycleId, `g${i}`) }));
  let api: NodeChild | undefined;
  let realWorker: NodeChild | undefined;
  try {
    if (target === 'standin') {
      await Promise.all(
        groups.map((g) => ctx.client.workflow.start('benchGroupStandIn', { taskQueue: deps.benchQueue, workflowId: g.workflowId, args: [{ groupId: g.groupId }] })),
      );
    } else {
      realWorker = deps.track(await startRealGroups(ctx, models, database, cycleId, groups));
    }

    const apiPort = await import('../scripts/stack').then((s) => s.freePort());
    const publicBaseUrl = `http://127.0.0.1:${apiPort}`;
    let t = nowMs();
    const links = issueLinks({
      secret: ctx.linkSecret,
      publicBaseUrl,
      targets: groups.map((g) => ({ workflowId: g.workflowId, subjectId: g.groupId })),
      count: size.liveLinks,
      action: 'confirm_membership',
    });
    const issueMs = nowMs() - t;
    log(`clicks: ${links.length} links issued in ${Math.round(issueMs)} ms (${Math.round(links.length / (issueMs / 1000))}/s)`);
    const order = shuffled(links);
    const clicked = order.slice(0, Math.min(size.clicks, links.length));
    t = nowMs();
    await markUsed(models, order.slice(clicked.length));
    log(`clicks: ${order.length - clicked.length} earlier uses recorded in link_uses in ${Math.round(nowMs() - t)} ms`);
    if (target === 'real') {
      // The members who click are members of their group (the activity checks it); other groups'
      // memberships fill the collection to the edition's size (21,600 for 100,000 members).
      const fill = Math.max(0, Math.round(size.liveLinks * 0.216) - clicked.length);
      for (let i = 0; i < fill; i += 10_000) {
        await models.Membership.insertMany(
          Array.from({ length: Math.min(10_000, fill - i) }, (_, k) => ({ _id: `other${(i + k) % 968}:f${i + k}`, cycleId, groupId: `other${(i + k) % 968}`, memberId: `f${i + k}`, role: 'member' })),
          { ordered: false },
        );
      }
      for (let i = 0; i < clicked.length; i += 10_000) {
        await models.Membership.insertMany(
          clicked.slice(i, i + 10_000).map((l) => {
            const groupId = l.workflowId.split(':')[3];
            return { _id: `${groupId}:${l.memberId}`, cycleId, groupId, memberId: l.memberId, role: 'member' };
          }),
          { ordered: false },
        );
      }
    }

    const apiLogLevel = ctx.options['api-log-level'] ?? 'info';
    api = deps.track(
      await startApiChild({
        env: {
          ...process.env,
          ...ctx.stack.env,
          MONGODB_URI: ctx.stack.mongoUri(database),
          LINK_SECRET: ctx.linkSecret,
          LOG_LEVEL: apiLogLevel,
          PUBLIC_BASE_URL: publicBaseUrl,
        },
        logDir: ctx.logDir,
        port: apiPort,
        name: `api-clicks-${target}`,
        // --profile clicks: a CPU profile of the API (bench/profile-summary.ts reads it).
        nodeFlags: ctx.options.profile?.split(',').includes('clicks') ? ['--cpu-prof', '--cpu-prof-dir', `${ctx.runDir}/profiles/api-${target}`] : undefined,
      }),
    );

    const recordedHeadings = LANGUAGES.map((l) => catalogFor(l).page.result.recorded.heading);
    const statuses: Record<string, number> = {};
    let recorded = 0;
    const agent = keepAliveAgent(size.callers);
    const click = async (i: number) => {
      const link = clicked[i];
      const answer = await postForm(publicBaseUrl, `/l/${link.token}`, { action: 'confirm_membership' }, agent);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.status === 200 && recordedHeadings.some((h) => answer.body.includes(`<h1>${h}</h1>`))) recorded++;
    };
    const warmup = Math.min(200, Math.floor(clicked.length / 10));
    await closedLoop(warmup, size.callers, click);
    const measuredLinks = clicked.length - warmup;
    const meter = cpuMeter(() => ({ ...stackRoots(ctx.stack.handle()), api: api!.pid, worker: realWorker?.pid ?? deps.benchWorkerPid }));
    const run = await closedLoop(measuredLinks, size.callers, (i) => click(i + warmup));
    const cpuMsPerClick = perUnit(meter.stop(), run.latencies.length);
    agent.destroy();
    const latency = summarize(run.latencies);
    const rate = round((run.latencies.length / run.elapsedMs) * 1000, 1);
    // The trend inside the burst: link_recent grows with every click (it keeps 15 minutes).
    const tenth = Math.max(1, Math.floor(run.latencies.length / 10));
    const firstTenth = summarize(run.latencies.slice(0, tenth));
    const lastTenth = summarize(run.latencies.slice(-tenth));
    log(`clicks (${target}): ${rate}/s, p50 ${latency.p50} ms, p99 ${latency.p99} ms (statuses ${JSON.stringify(statuses)}; first tenth p50 ${firstTenth.p50}, last tenth p50 ${lastTenth.p50})`);

    // What the system recorded: every click once in MongoDB and once in the workflows.
    const handled = target === 'standin'
      ? (await Promise.all(groups.map((g) => ctx.client.workflow.getHandle(g.workflowId).query(countQuery)))).reduce((a, b) => a + b, 0)
      : await models.Membership.countDocuments({ cycleId, confirmedAt: { $exists: true } });
    const delivered = await models.LinkRecent.countDocuments({ state: 'delivered' });
    const uses = await models.LinkUse.countDocuments({});
    const recent = await models.LinkRecent.estimatedDocumentCount();
    const histories = await Promise.all(groups.slice(0, 4).map((g) => ctx.client.workflow.getHandle(g.workflowId).fetchHistory()));
    const eventsPerClick = round(histories.reduce((a, h) => a + (h.events?.length ?? 0), 0) / Math.max(1, histories.length) / (clicked.length / groups.length), 2);
    if (target === 'standin') await finishTargets(ctx.client, groups.map((g) => g.workflowId));
    else await Promise.all(groups.map((g) => ctx.client.workflow.getHandle(g.workflowId).terminate('bench done').catch(() => undefined)));
    const apiMemory = api.memory();

    // Each click answered "recorded" (200) or "received, will be recorded" (202, delivery slower
    // than 5 s), reached its workflow once, and left its lock in link_uses. (link_recent keeps 15
    // minutes: the API's reconciler sweeps older settled uses, so it is not counted here.)
    const answered = recorded + (statuses['202'] ?? 0);
    const correct = handled === clicked.length && answered === clicked.length && uses === size.liveLinks;
    return {
      figures: [
        { bench: 'clicks', name: `click path throughput (${target === 'real' ? 'real group workflow + activity' : 'stand-in group'}, ${size.liveLinks.toLocaleString('en-US')} live links, ${size.callers} clients)`, value: rate, unit: 'clicks/s', baselineOf: 'updateRate', target: 'ratio >= 0.7' },
        { bench: 'clicks', name: 'click path p50', value: latency.p50, unit: 'ms', baselineOf: 'updateP50' },
        { bench: 'clicks', name: 'click path p99', value: latency.p99, unit: 'ms', baselineOf: 'updateP99', target: 'ratio <= 2' },
        { bench: 'clicks', name: 'clicks recorded once (page, MongoDB, workflow)', value: correct ? 1 : 0, unit: 'bool', target: '>= 1', note: `recorded ${recorded} + pending ${statuses['202'] ?? 0} pages, reached the workflows ${handled}, clicked ${clicked.length}, link_uses ${uses}` },
      ],
      details: {
        target,
        membershipsAtEnd: target === 'real' ? await models.Membership.estimatedDocumentCount() : undefined,
        apiLogLevel,
        liveLinks: size.liveLinks,
        clicked: clicked.length,
        warmup,
        measured: run.latencies.length,
        errors: run.errors,
        firstError: run.firstError,
        rate,
        latency,
        firstTenth,
        lastTenth,
        statuses,
        recordedPages: recorded,
        deliveredInMongo: delivered,
        handledByWorkflows: handled,
        linkUsesAtEnd: uses,
        linkRecentAtEnd: recent,
        historyEventsPerClick: eventsPerClick,
        cpuMsPerClick,
        tokenIssueRatePerSecond: Math.round(links.length / (issueMs / 1000)),
        tokenLength: links[0]?.token.length,
        apiPeakRssMb: round(apiMemory.peakMb, 0),
      },
    };
  } finally {
    if (api) await api.stop();
    if (realWorker) await realWorker.stop();
    await mongo.close();
  }
}

/**
 * The product's group workflows, started on their own (as the cycle starts them) in group
 * formation with deadlines far ahead, on a worker child with the product's activities. Returns the
 * worker once every group has sent its (empty) welcome mails and waits for confirmations.
 */
async function startRealGroups(
  ctx: BenchContext,
  models: ReturnType<typeof createModels>,
  database: string,
  cycleId: string,
  groups: { groupId: string; workflowId: string }[],
): Promise<NodeChild> {
  const day = 86_400_000;
  const at = (days: number) => new Date(Date.now() + days * day).toISOString();
  const deadlines = {
    formationOpensAt: at(-1), formationDeadline: at(30), submissionDeadline: at(120), approvalDeadline: at(150),
    publicReviewOpensAt: at(160), publicReviewClosesAt: at(190),
  };
  await models.Cycle.create({
    _id: cycleId, label: `bench ${cycleId}`, countries: [{ country: 'BE', timeZone: 'Europe/Brussels', languages: ['nl', 'fr'], boardDeadline: at(220), assemblyDate: at(240) }],
    deadlines, policies: { minGroupSize: 3, undersizedGroup: 'online_fallback', silenceAtApprovalDeadline: 'tacit_approval', reminderOffsetsDays: [], progressRequestEveryDays: 90 },
    status: 'running', projection: { phase: 'group_formation', deadlines, consolidationVersion: 0, seq: 1 }, createdBy: 'bench',
  });
  await models.Group.insertMany(groups.map((g) => ({ _id: g.groupId, cycleId, themeId: 'bench-theme', kind: 'office', officeId: 'bench-office', status: 'forming', submissionVersion: 0, approval: { status: 'not_requested' } })));
  const bundle = await bundleToFile(projectWorkflowsPath, ctx.bundleDir, 'project-workflows');
  const taskQueue = `clicks-real-${process.pid}`;
  const worker = await startWorkerChild({
    name: 'worker-clicks-real',
    env: { ...process.env, ...ctx.stack.env, MONGODB_URI: ctx.stack.mongoUri(database), LINK_SECRET: ctx.linkSecret, LOG_LEVEL: 'warn' },
    taskQueue, bundle, activities: ['project'], logDir: ctx.logDir,
  });
  await Promise.all(groups.map((g) => ctx.client.workflow.start(groupWorkflowType, {
    taskQueue, workflowId: g.workflowId,
    args: [{ cycleId, groupId: g.groupId, kind: 'office', phase: 'group_formation', seq: 1, deadlines, silencePolicy: 'tacit_approval' }],
  })));
  // Loaded and past its welcome mails: startGroup and two bulk mails (no members yet) completed.
  const deadline = Date.now() + 120_000;
  for (const g of groups) {
    for (;;) {
      const history = await ctx.client.workflow.getHandle(g.workflowId).fetchHistory();
      if ((history.events ?? []).filter((e) => e.activityTaskCompletedEventAttributes).length >= 3) break;
      if (Date.now() > deadline) throw new Error(`group ${g.groupId} did not start`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return worker;
}
