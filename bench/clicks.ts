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
 * path itself.
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
import { countQuery } from './workflows/targets';

export async function runClicks(ctx: BenchContext, deps: { benchQueue: string; track: (c: NodeChild) => NodeChild }): Promise<BenchResult> {
  const { size, log } = ctx;
  const target = ctx.options['click-target'] ?? 'standin';
  if (target !== 'standin') throw new Error(`--click-target ${target}: only 'standin' is wired so far`);
  const database = 'bench_clicks';
  const mongo = await mongoose.createConnection(ctx.stack.mongoUri(database)).asPromise();
  const models = createModels(mongo);
  await syncIndexes(models);
  const cycleId = `bench${process.pid}`;
  const groups = Array.from({ length: size.workflows }, (_, i) => ({ groupId: `g${i}`, workflowId: groupWorkflowId(cycleId, `g${i}`) }));
  let api: NodeChild | undefined;
  try {
    await Promise.all(
      groups.map((g) => ctx.client.workflow.start('benchGroupStandIn', { taskQueue: deps.benchQueue, workflowId: g.workflowId, args: [{ groupId: g.groupId }] })),
    );

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
        name: 'api-clicks',
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
    const run = await closedLoop(measuredLinks, size.callers, (i) => click(i + warmup));
    agent.destroy();
    const latency = summarize(run.latencies);
    const rate = round((run.latencies.length / run.elapsedMs) * 1000, 1);
    // The trend inside the burst: link_recent grows with every click (it keeps 15 minutes).
    const tenth = Math.max(1, Math.floor(run.latencies.length / 10));
    const firstTenth = summarize(run.latencies.slice(0, tenth));
    const lastTenth = summarize(run.latencies.slice(-tenth));
    log(`clicks: ${rate}/s, p50 ${latency.p50} ms, p99 ${latency.p99} ms (statuses ${JSON.stringify(statuses)}; first tenth p50 ${firstTenth.p50}, last tenth p50 ${lastTenth.p50})`);

    // What the system recorded: every click once in MongoDB and once in the workflows.
    const handled = (await Promise.all(groups.map((g) => ctx.client.workflow.getHandle(g.workflowId).query(countQuery)))).reduce((a, b) => a + b, 0);
    const delivered = await models.LinkRecent.countDocuments({ state: 'delivered' });
    const uses = await models.LinkUse.estimatedDocumentCount();
    const recent = await models.LinkRecent.estimatedDocumentCount();
    const histories = await Promise.all(groups.slice(0, 4).map((g) => ctx.client.workflow.getHandle(g.workflowId).fetchHistory()));
    const eventsPerClick = round(histories.reduce((a, h) => a + (h.events?.length ?? 0), 0) / Math.max(1, histories.length) / (clicked.length / groups.length), 2);
    await finishTargets(ctx.client, groups.map((g) => g.workflowId));
    const apiMemory = api.memory();

    const correct = handled === clicked.length && delivered === clicked.length && recorded === clicked.length;
    return {
      figures: [
        { bench: 'clicks', name: `click path throughput (${size.liveLinks.toLocaleString('en-US')} live links, ${size.callers} clients)`, value: rate, unit: 'clicks/s', baselineOf: 'updateRate', target: 'ratio >= 0.7' },
        { bench: 'clicks', name: 'click path p50', value: latency.p50, unit: 'ms', baselineOf: 'updateP50' },
        { bench: 'clicks', name: 'click path p99', value: latency.p99, unit: 'ms', baselineOf: 'updateP99', target: 'ratio <= 2' },
        { bench: 'clicks', name: 'clicks recorded once (page, MongoDB, workflow)', value: correct ? 1 : 0, unit: 'bool', target: '>= 1', note: `pages ${recorded}, delivered ${delivered}, handled ${handled}, clicked ${clicked.length}` },
      ],
      details: {
        target,
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
        tokenIssueRatePerSecond: Math.round(links.length / (issueMs / 1000)),
        tokenLength: links[0]?.token.length,
        apiPeakRssMb: round(apiMemory.peakMb, 0),
      },
    };
  } finally {
    if (api) await api.stop();
    await mongo.close();
  }
}
