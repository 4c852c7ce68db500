/**
 * Fault drills: a small edition runs its whole cycle in about a minute of real time (a schedule in
 * seconds) on a PRIVATE stack (PostgreSQL + FerretDB, Mailpit with chaos, Temporal dev server on
 * its SQLite file; scripts/stack on free ports under the test run's dir), with the worker (and the
 * API when asked) as child processes that a drill can SIGKILL, while a driver plays staff, members,
 * moderators, boards and assemblies. Every decision is sent with a deterministic update id and
 * retried until it is accepted, as a client that cannot tell a lost answer from a lost request
 * must; the checks then prove that nothing was lost and nothing doubled, from MongoDB, Mailpit and
 * the workflow histories.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { UpdateDefinition } from '@temporalio/common';
import mongoose, { type Connection as MongoConnection } from 'mongoose';
import { assemblyWorkflowId, boardWorkflowId, cycleWorkflowId, groupWorkflowId } from '../../domain/ids';
import { createModels, syncIndexes, type Models, type RecommendationDoc } from '../../domain/models';
import type { BoardDecision, Phase } from '../../domain/types';
import { eventually, repoRoot } from '../../scripts/stack';
import { assemblyStatusQuery, recordAssemblyResultUpdate } from '../../workflows/assembly/contract';
import { boardStatusQuery, MAX_DECISIONS_PER_BATCH, recordDecisionsUpdate } from '../../workflows/board/contract';
import { cycleStatusQuery, requestApprovalsUpdate } from '../../workflows/cycle/contract';
import {
  acceptModeratorRoleUpdate, approveConsolidationUpdate, confirmMembershipUpdate, groupStatusQuery, submitRecommendationsUpdate,
} from '../../workflows/group/contract';
import { boardDecisionFor, buildConsolidated, generateEdition, writeReference, type Edition } from '../../bench/generate-edition';
import { startApiChild, type ApiChild } from '../../bench/lib/api';
import { decide as sendDecision } from '../../bench/lib/decide';
import { quietTemporal, startWorkerChild } from '../../bench/lib/temporal';
import { workflowBundle } from '../../worker/bundle';
import { startPrivateStack, randomSecret, type PrivateStack } from '../../bench/lib/stack';
import { workflowRuns } from '../../api/temporal';
import type { NodeChild } from '../../bench/lib/child';
import { MailpitClient } from '../support/mailpit';

export const STAFF = 'key-drill-staff';

export { eventually };

/** The project's workflows bundled once per test run (a restarted worker starts in about a second). */
export function projectBundle(): Promise<string> {
  return workflowBundle(path.join(process.env.SIP_TEST_RUN_DIR ?? path.join(repoRoot, '.test-data'), 'drill-bundles'));
}

export interface DrillOptions {
  label: string;
  /** Seconds between the phases' deadlines (default below); a drill that stalls needs more. */
  schedule?: Partial<import('../../bench/generate-edition').Schedule>;
  withApi?: boolean;
}

export interface Drill {
  label: string;
  stack: PrivateStack;
  models: Models;
  mongo: MongoConnection;
  client: Client;
  mailpit: MailpitClient;
  edition: Edition;
  taskQueue: string;
  secret: string;
  worker?: NodeChild;
  api?: ApiChild;
  startWorker(): Promise<NodeChild>;
  startApi(port?: number): Promise<ApiChild>;
  cycle(): WorkflowHandle;
  group(groupId: string): WorkflowHandle;
  /** An update sent until it is accepted (same update id each time); a rejection is final. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  decide<R>(handle: WorkflowHandle, update: UpdateDefinition<any, any> | string, arg: unknown, updateId: string): Promise<R>;
  log: string[];
  closed: boolean;
  close(): Promise<void>;
}

/**
 * Drills play on wall-clock time: on a loaded 2-core machine a schedule in plain seconds let a
 * deadline overtake the play (a submission refused as late). Every schedule unit is this many
 * seconds (DRILL_TIME_SCALE, default 2); 1 gives the fastest run on a quiet machine.
 */
export const DRILL_TIME_SCALE = Math.max(1, Number(process.env.DRILL_TIME_SCALE) || 2);

/** Schedule units covering `seconds` of real time (a product timeout, e.g. a one-minute retry). */
export const unitsFor = (seconds: number) => Math.ceil(seconds / DRILL_TIME_SCALE);

/** A jest timeout for a drill on `schedule`: the whole cycle plus room for setup and checks. */
export function drillTimeoutMs(schedule: Partial<typeof DRILL_SCHEDULE> = {}): number {
  const last = Math.max(schedule.assemblyDate ?? DRILL_SCHEDULE.assemblyDate, schedule.boardDeadline ?? DRILL_SCHEDULE.boardDeadline) + 9 * DRILL_SCHEDULE.countryStep;
  return (last * DRILL_TIME_SCALE + 180) * 1_000;
}

/** The schedule of a drill edition, in units after the start (see DRILL_TIME_SCALE). */
export const DRILL_SCHEDULE = {
  formationOpensAt: 3,
  formationDeadline: 14,
  submissionDeadline: 20,
  approvalDeadline: 27,
  publicReviewOpensAt: 29,
  publicReviewClosesAt: 33,
  boardDeadline: 40,
  assemblyDate: 42,
  countryStep: 1,
};

/**
 * A drill file's setup: the jest timeout from its schedule, its private stack with the worker
 * (and the API with `withApi`) before the test, everything stopped after it. `ready` receives
 * the drill once it runs.
 */
export function useDrill(options: DrillOptions, ready: (drill: Drill) => void): void {
  jest.setTimeout(drillTimeoutMs(options.schedule));
  let d: Drill | undefined;
  beforeAll(async () => {
    d = await startDrill(options);
    await Promise.all([d.startWorker(), ...(options.withApi ? [d.startApi()] : [])]);
    ready(d);
  }, 120_000);
  afterAll(async () => {
    if (!d) return;
    await d.mailpit.disableChaos().catch(() => undefined);
    if (process.env.DRILL_VERBOSE) console.log(d.log.join('\n'));
    await d.close();
  });
}

export async function startDrill(options: DrillOptions): Promise<Drill> {
  quietTemporal();
  const base = process.env.SIP_TEST_RUN_DIR ?? path.join(repoRoot, '.test-data');
  mkdirSync(base, { recursive: true });
  const dataDir = mkdtempSync(path.join(base, `drill-${options.label}-`));
  const [stack, bundle] = await Promise.all([
    startPrivateStack({ dataDir, mailpitChaos: true, fastPostgres: true }),
    projectBundle(),
  ]);
  const label = options.label;
  const log: string[] = [];
  const note = (line: string) => log.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
  const database = `drill_${label.replace(/\W/g, '_')}`;
  const mongo = await mongoose.createConnection(stack.mongoUri(database), { serverSelectionTimeoutMS: 30_000 }).asPromise();
  const models = createModels(mongo);
  await syncIndexes(models);
  const connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const mailpit = new MailpitClient(stack.env.MAILPIT_API_URL);
  const secret = randomSecret();
  const taskQueue = `drill-${label}`;
  const edition = generateEdition({
    cycleId: `drill${label.replace(/\W/g, '')}`,
    countries: ['BE', 'FR'],
    size: { members: 24, groups: 3, recommendations: 6, activeShare: 1, undersizedShare: 0, silentShare: 0, videoconferences: 2 },
    unitMs: 1_000 * DRILL_TIME_SCALE,
    start: new Date(),
    schedule: { ...DRILL_SCHEDULE, ...options.schedule },
    policies: { minGroupSize: 3, reminderOffsetsDays: [] },
    emailDomain: `${label}.drill.example`,
  });
  const apiPort = options.withApi ? await (await import('../../scripts/stack')).freePort() : undefined;
  const childEnv = {
    ...process.env,
    ...stack.env,
    MONGODB_URI: stack.mongoUri(database),
    LINK_SECRET: secret,
    LOG_LEVEL: 'warn',
    MAIL_FROM: `Smart in Progress <participation@${edition.emailDomain}>`,
    PUBLIC_BASE_URL: apiPort ? `http://127.0.0.1:${apiPort}` : 'http://127.0.0.1:3999',
    TEMPORAL_TASK_QUEUE: taskQueue,
  };
  const drill: Drill = {
    label, stack, models, mongo, client, mailpit, edition, taskQueue, secret, log, closed: false,
    async startWorker() {
      if (drill.closed) throw new Error('the drill is over');
      drill.worker = await startWorkerChild({ name: `worker-${label}`, env: childEnv, taskQueue, bundle, activities: ['project'], logDir: path.join(dataDir, 'logs') });
      note(`worker started (pid ${drill.worker.pid})`);
      return drill.worker;
    },
    async startApi(port = apiPort) {
      drill.api = await startApiChild({ env: childEnv, logDir: path.join(dataDir, 'logs'), port, name: `api-${label}` });
      note(`api started (pid ${drill.api.pid})`);
      return drill.api;
    },
    cycle: () => client.workflow.getHandle(cycleWorkflowId(edition.cycleId)),
    group: (groupId) => client.workflow.getHandle(groupWorkflowId(edition.cycleId, groupId)),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async decide<R>(handle: WorkflowHandle, update: UpdateDefinition<any, any> | string, arg: unknown, updateId: string): Promise<R> {
      let tries = 1;
      try {
        const r = await sendDecision<R>(handle, update, arg, updateId, { onRetry: (n) => void (tries = n + 1) });
        if (tries > 1) note(`${updateId} accepted after ${tries} tries`);
        return r;
      } catch (err) {
        note(`${updateId} failed: ${(err as Error).message}`);
        throw err;
      }
    },
    async close() {
      drill.closed = true;
      await drill.api?.stop(5_000).catch(() => undefined);
      await drill.worker?.stop(5_000).catch(() => undefined);
      await connection.close().catch(() => undefined);
      await mongo.close().catch(() => undefined);
      await stack.stop({ keep: process.env.KEEP_DRILL_DATA === '1' });
    },
  };
  await writeReference(models, edition);
  return drill;
}

/** Waits until Mailpit holds at least `atLeast` messages and no new one arrived for a second. */
export async function waitForQuietMailpit(d: Drill, atLeast: number, timeoutMs = 60_000): Promise<number> {
  let last = -1;
  let since = Date.now();
  return eventually(async () => {
    const n = (await d.mailpit.list({ limit: 1 })).total;
    if (n !== last) {
      last = n;
      since = Date.now();
      return false;
    }
    return n >= atLeast && Date.now() - since >= 1_000 ? n : false;
  }, `${atLeast} mails in Mailpit`, timeoutMs);
}

export type Hook = (phase: Phase | 'formation_decisions' | 'submissions' | 'approvals' | 'decisions') => Promise<void> | void;

export interface CycleRecord {
  confirmations: number;
  submissions: number;
  approvals: number;
  decisions: number;
  consolidated: number;
  /** Staff-side actions the driver sent (all accepted). */
  updates: string[];
  /** The cycle's first run id (the same run must complete: no reset, no new run). */
  cycleRunId?: string;
}

/**
 * Plays the whole cycle against the drill's stack. `hooks(point)` runs at each phase and before
 * each burst of decisions (a drill kills or restarts something there). `confirm` lets a drill send
 * members' confirmations its own way (by their emailed links through the API).
 */
export async function playCycle(
  d: Drill,
  options: { hook?: Hook; confirm?: (groups: Edition['groups']) => Promise<number>; phaseTimeoutMs?: number } = {},
): Promise<CycleRecord> {
  try {
    return await playCycleInner(d, options);
  } catch (err) {
    const where = await Promise.all([cycleWorkflowId(d.edition.cycleId), ...d.edition.groups.map((g) => groupWorkflowId(d.edition.cycleId, g.groupId))].map((id) => whereIs(d, id)));
    throw new Error(`${(err as Error).message}\n${where.join('\n')}\n${d.log.slice(-15).join('\n')}`);
  }
}

async function playCycleInner(
  d: Drill,
  options: { hook?: Hook; confirm?: (groups: Edition['groups']) => Promise<number>; phaseTimeoutMs?: number },
): Promise<CycleRecord> {
  const hook = options.hook ?? (() => undefined);
  const e = d.edition;
  // A phase comes when its deadline passes: the wait is bounded by the schedule, not by a constant
  // (a long formation outlived a fixed 150 s wait under load).
  const lastDate = Math.max(...e.countries.map((c) => Date.parse(c.assemblyDate)));
  const timeout = options.phaseTimeoutMs ?? Math.max(150_000, lastDate - Date.now() + 120_000);
  const record: CycleRecord = { confirmations: 0, submissions: 0, approvals: 0, decisions: 0, consolidated: 0, updates: [] };
  const cycle = await eventually(async () =>
    d.client.workflow.start('cycleWorkflow', { workflowId: cycleWorkflowId(e.cycleId), taskQueue: d.taskQueue, args: [{ cycleId: e.cycleId }] }).catch((err) => {
      if ((err as Error).name === 'WorkflowExecutionAlreadyStartedError') return d.cycle();
      throw err;
    }), 'cycle started', 30_000);
  record.cycleRunId = (cycle as { firstExecutionRunId?: string }).firstExecutionRunId;
  const phase = async (p: Phase) => {
    await eventually(async () => {
      const now = (await cycle.query(cycleStatusQuery)).phase;
      return now === p || PHASE_ORDER.indexOf(now) > PHASE_ORDER.indexOf(p);
    }, `phase ${p}`, timeout);
    d.log.push(`${new Date().toISOString().slice(11, 23)} phase ${p}`);
    await hook(p);
  };

  await phase('group_formation');
  await eventually(async () => (await cycle.query(cycleStatusQuery)).groups.open >= e.groups.length, 'groups started', timeout);
  // Members answer the invitation they received: the welcome mails (invitation, framing brief,
  // moderator invitation) are out first. (A member confirmed before a retried invitation attempt
  // is dropped from its audience, and that entry stays pending: see the report.)
  const memberships = e.groups.reduce((a, g) => a + g.memberIds.length, 0);
  await waitForQuietMailpit(d, 2 * memberships + e.groups.length, timeout);
  await hook('formation_decisions');
  if (options.confirm) {
    record.confirmations = await options.confirm(e.groups);
    await Promise.all(e.groups.map(async (g) => {
      await d.decide(d.group(g.groupId), acceptModeratorRoleUpdate, { memberId: g.moderatorMemberId }, `drill:accept:${g.groupId}`);
    }));
  } else {
    await Promise.all(e.groups.map(async (g) => {
      await eventually(async () => (await d.group(g.groupId).query(groupStatusQuery)).status === 'forming', `${g.groupId} loaded`, timeout);
      await d.decide(d.group(g.groupId), acceptModeratorRoleUpdate, { memberId: g.moderatorMemberId }, `drill:accept:${g.groupId}`);
      for (const m of g.memberIds.filter((id) => id !== g.moderatorMemberId)) {
        await d.decide(d.group(g.groupId), confirmMembershipUpdate, { memberId: m, actorId: m }, `drill:confirm:${g.groupId}:${m}`);
        record.confirmations++;
      }
    }));
  }

  await phase('deliberation');
  await hook('submissions');
  await Promise.all(e.groups.map(async (g) => {
    await eventually(async () => (await d.group(g.groupId).query(groupStatusQuery)).status === 'active', `${g.groupId} active`, timeout);
    await d.decide(d.group(g.groupId), submitRecommendationsUpdate, { items: g.submission, actorId: STAFF }, `drill:submit:${g.groupId}`);
    record.submissions++;
  }));

  await phase('consolidation');
  const originals = (await d.models.Recommendation.find({ cycleId: e.cycleId, superseded: false }).lean<RecommendationDoc[]>()).sort((a, b) => (a._id < b._id ? -1 : 1));
  const consolidated = buildConsolidated(e.cycleId, originals, new Map(e.groups.map((g) => [g.groupId, g.country])));
  await d.models.Consolidated.insertMany(consolidated.map((c) => ({ ...c, createdByOp: `drill:${c.number}`, decisions: [], assembly: [], finalStatus: [] })));
  await d.models.Counter.updateOne({ _id: `consolidation:${e.cycleId}` }, { $set: { value: consolidated.length } }, { upsert: true });
  record.consolidated = consolidated.length;
  await hook('approvals');
  const asked = await d.decide<{ version: number }>(cycle, requestApprovalsUpdate, { actorId: STAFF }, 'drill:request-approvals:1');
  await Promise.all(e.groups.map(async (g) => {
    await eventually(async () => {
      const v = await d.group(g.groupId).query(groupStatusQuery);
      return v.approval.status === 'pending' && v.approval.version === asked.version;
    }, `${g.groupId} asked to approve`, timeout);
    await d.decide(d.group(g.groupId), approveConsolidationUpdate, { memberId: g.moderatorMemberId, version: asked.version }, `drill:approve:${g.groupId}:${asked.version}`);
    record.approvals++;
  }));

  await phase('public_review');
  await phase('board_decisions');
  await hook('decisions');
  await Promise.all(e.countries.map(async ({ country }) => {
    const board = d.client.workflow.getHandle(boardWorkflowId(e.cycleId, country));
    await eventually(async () => (await board.query(boardStatusQuery)).status === 'deciding', `board ${country} open`, timeout);
    const all: BoardDecision[] = consolidated.filter((c) => c.countries.includes(country)).map((c) => {
      const plan = boardDecisionFor(c.number, country);
      return {
        recommendationId: c._id, outcome: plan.outcome, motivation: { criteria: plan.criteria, text: plan.text },
        ...(plan.newWording ? { newWording: plan.newWording } : {}),
        ...(plan.outcome === 'postpone' ? { postponeTo: { kind: 'next_cycle' as const } } : {}),
        decidedBy: `key-board-${country.toLowerCase()}`,
      };
    });
    for (let i = 0; i < all.length; i += MAX_DECISIONS_PER_BATCH) {
      await d.decide(board, recordDecisionsUpdate, { decisions: all.slice(i, i + MAX_DECISIONS_PER_BATCH) }, `drill:decisions:${country}:${i}`);
      record.decisions += Math.min(MAX_DECISIONS_PER_BATCH, all.length - i);
    }
  }));

  await phase('general_assembly');
  for (const { country } of e.countries) {
    const assembly = d.client.workflow.getHandle(assemblyWorkflowId(e.cycleId, country));
    await eventually(async () => (await assembly.query(assemblyStatusQuery)).status === 'awaiting_result', `assembly ${country} met`, timeout);
    await d.decide(assembly, recordAssemblyResultUpdate, {
      mode: 'en_bloc', votes: { for: 40, against: 3, abstain: 2 }, nextThemes: [{ title: { en: 'Next', fr: 'Suivant', nl: 'Volgende' } }], actorId: STAFF,
    }, `drill:assembly:${country}`);
  }
  await eventually(async () => (await cycle.describe()).status.name === 'COMPLETED', 'cycle completed', timeout);
  await Promise.all(e.countries.map(({ country }) =>
    eventually(async () => (await d.client.workflow.getHandle(assemblyWorkflowId(e.cycleId, country)).describe()).status.name === 'COMPLETED', `assembly ${country} completed`, timeout)));
  return record;
}

/** What a workflow is doing: pending activities and its last events (for a drill that got stuck). */
export async function whereIs(d: Drill, workflowId: string): Promise<string> {
  try {
    const handle = d.client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    const raw = description.raw as { pendingActivities?: { activityType?: { name?: string | null } | null; attempt?: number | null; lastFailure?: { message?: string | null } | null; state?: unknown }[] };
    const pending = (raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} attempt ${a.attempt} ${a.lastFailure?.message ?? ''}`);
    const history = await handle.fetchHistory();
    const last = (history.events ?? []).slice(-12).map((e) => {
      const kind = Object.keys(e).find((k) => k.endsWith('Attributes') && (e as Record<string, unknown>)[k]) ?? '?';
      return kind.replace(/EventAttributes$/, '');
    });
    return `${workflowId}: ${description.status.name}; pending activities [${pending.join('; ')}]; last events ${last.join(', ')}`;
  } catch (err) {
    return `${workflowId}: ${(err as Error).message}`;
  }
}

const PHASE_ORDER: Phase[] = ['preparation', 'group_formation', 'deliberation', 'consolidation', 'public_review', 'board_decisions', 'general_assembly', 'follow_up'];

// ------------------------------------------------------------------------------------------------
// Checks: nothing lost, nothing doubled
// ------------------------------------------------------------------------------------------------

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function payloadArgs(event: HistoryEvent): unknown[] {
  const payloads = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads ?? [];
  return payloads.map((p) => (p.data ? JSON.parse(Buffer.from(p.data).toString('utf8')) : undefined));
}

/** Accepted updates of a workflow (every run), by name: their arguments and update ids. */
export async function acceptedUpdates(client: Client, workflowId: string): Promise<Map<string, { id: string; arg: unknown }[]>> {
  const out = new Map<string, { id: string; arg: unknown }[]>();
  for (const { history } of await workflowRuns(client.workflow, workflowId)) {
    for (const event of history.events ?? []) {
      const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
      if (!accepted) continue;
      const name = accepted.acceptedRequest?.input?.name ?? '?';
      const list = out.get(name) ?? [];
      list.push({ id: accepted.protocolInstanceId ?? accepted.acceptedRequest?.meta?.updateId ?? '', arg: payloadArgs(event)[0] });
      out.set(name, list);
    }
  }
  return out;
}

export interface MailCheck {
  /** Outbox entries that should have produced a mail. */
  entries: number;
  sent: number;
  /** Outcome unknown (an attempt died in its SMTP transaction): at most once, staff alerted. */
  unknown: number;
  failed: number;
  mailpit: number;
  /** Recipients whose Mailpit count exceeds their sent entries (a doubled mail). */
  doubled: string[];
  /** Recipients with fewer mails than entries recorded as sent (a lost mail). */
  lost: string[];
  /** Entries neither sent nor unknown: purpose and outcome (none = never attempted to the end). */
  notSent: string[];
}

/** Every outbox entry against Mailpit, per recipient. */
export async function checkMail(d: Drill): Promise<MailCheck> {
  const entries = await d.models.Outbox.find({ state: 'pending' }, { _id: 1, recipientMemberId: 1, recipientRole: 1, purpose: 1 }).lean();
  const notSent: string[] = [];
  const results = new Map((await d.models.OutboxResult.find({}, { _id: 1, outcome: 1 }).lean()).map((r) => [r._id, r.outcome]));
  const members = new Map((await d.models.Member.find({}, { _id: 1, email: 1 }).lean()).map((m) => [m._id, m.email.toLowerCase()]));
  const staff = `participation@${d.edition.emailDomain}`;
  const expected = new Map<string, number>();
  const possible = new Map<string, number>();
  let sent = 0;
  let unknown = 0;
  let failed = 0;
  for (const e of entries) {
    const address = e.recipientMemberId ? members.get(e.recipientMemberId) ?? '?' : staff;
    const outcome = results.get(e._id);
    if (outcome === 'sent') {
      sent++;
      expected.set(address, (expected.get(address) ?? 0) + 1);
    } else if (outcome === 'unknown') unknown++;
    else {
      failed++;
      notSent.push(`${e.purpose} -> ${e.recipientMemberId ?? e.recipientRole}: ${outcome ?? 'no outcome'}`);
    }
    possible.set(address, (possible.get(address) ?? 0) + (outcome === 'sent' || outcome === 'unknown' ? 1 : 0));
  }
  const total = (await d.mailpit.list({ limit: 1 })).total;
  const counts = new Map<string, number>();
  for (let start = 0; start < total; start += 1000) {
    for (const m of (await d.mailpit.list({ start, limit: 1000 })).messages) {
      for (const to of m.To ?? []) counts.set(to.Address.toLowerCase(), (counts.get(to.Address.toLowerCase()) ?? 0) + 1);
    }
  }
  const doubled = [...counts].filter(([a, n]) => n > (possible.get(a) ?? 0)).map(([a, n]) => `${a} x${n}`);
  const lost = [...expected].filter(([a, n]) => (counts.get(a) ?? 0) < n).map(([a, n]) => `${a} ${counts.get(a) ?? 0}/${n}`);
  return { entries: entries.length, sent, unknown, failed, mailpit: total, doubled, lost, notSent };
}

export interface StateCheck {
  cycleStatus: string;
  membersConfirmed: number;
  memberships: number;
  confirmAudits: number;
  /** memberIds confirmed more than once in a group's history. */
  doubledConfirmations: string[];
  groupsClosed: number;
  approvalsApproved: number;
  decisionsPerCountry: Record<string, number>;
  /** Consolidated recommendations whose decision for a country is missing, doubled or revised. */
  badDecisions: string[];
  doubledBoardDecisions: string[];
  assembliesRecorded: number;
  projects: number;
}

/** MongoDB and the histories after the cycle. */
export async function checkState(d: Drill): Promise<StateCheck> {
  const e = d.edition;
  const memberships = await d.models.Membership.find({ cycleId: e.cycleId }).lean();
  const doubledConfirmations: string[] = [];
  for (const g of e.groups) {
    const updates = await acceptedUpdates(d.client, groupWorkflowId(e.cycleId, g.groupId));
    const seen = new Map<string, number>();
    for (const u of updates.get(confirmMembershipUpdate.name) ?? []) {
      const m = (u.arg as { memberId: string }).memberId;
      seen.set(m, (seen.get(m) ?? 0) + 1);
    }
    for (const [m, n] of seen) if (n > 1) doubledConfirmations.push(`${g.groupId}:${m} x${n}`);
  }
  const docs = await d.models.Consolidated.find({ cycleId: e.cycleId }).lean();
  const decisionsPerCountry: Record<string, number> = {};
  const badDecisions: string[] = [];
  for (const doc of docs) {
    for (const c of doc.countries) {
      const ds = doc.decisions.filter((x) => x.country === c);
      decisionsPerCountry[c] = (decisionsPerCountry[c] ?? 0) + ds.length;
      if (ds.length !== 1 || ds[0].revision !== 1) badDecisions.push(`${doc._id}/${c}: ${ds.length} decisions, revision ${ds[0]?.revision}`);
    }
  }
  const doubledBoardDecisions: string[] = [];
  for (const { country } of e.countries) {
    const updates = await acceptedUpdates(d.client, boardWorkflowId(e.cycleId, country));
    const seen = new Map<string, number>();
    for (const u of updates.get(recordDecisionsUpdate.name) ?? []) {
      for (const x of (u.arg as { decisions: BoardDecision[] }).decisions) seen.set(x.recommendationId, (seen.get(x.recommendationId) ?? 0) + 1);
    }
    for (const [r, n] of seen) if (n > 1) doubledBoardDecisions.push(`${country}:${r} x${n}`);
  }
  const groups = await d.models.Group.find({ cycleId: e.cycleId }).lean();
  return {
    cycleStatus: (await d.cycle().describe()).status.name,
    membersConfirmed: memberships.filter((m) => m.confirmedAt).length,
    memberships: memberships.length,
    confirmAudits: await d.models.Audit.countDocuments({ action: 'group.membership_confirmed' }),
    doubledConfirmations,
    groupsClosed: groups.filter((g) => g.status === 'closed').length,
    approvalsApproved: groups.filter((g) => g.approval?.status === 'approved').length,
    decisionsPerCountry,
    badDecisions,
    doubledBoardDecisions,
    assembliesRecorded: await d.models.Assembly.countDocuments({ cycleId: e.cycleId }),
    projects: await d.models.Project.countDocuments({ cycleId: e.cycleId }),
  };
}

/** Activity attempts after the first in the workflows' histories, every run (retries caused by a fault). */
export async function activityRetries(d: Drill, workflowIds: string[]): Promise<number> {
  let retries = 0;
  for (const id of workflowIds) {
    for (const { history } of await workflowRuns(d.client.workflow, id)) {
      for (const ev of history.events ?? []) {
        const attempt = ev.activityTaskStartedEventAttributes?.attempt ?? 1;
        if (attempt > 1) retries++;
      }
    }
  }
  return retries;
}

/** The expectations every drill shares: the cycle completed, every decision once, every mail once. */
export function expectCycleIntact(state: StateCheck, mail: MailCheck, d: Drill, record: CycleRecord, options: { allowUnknownMail?: boolean } = {}): void {
  const e = d.edition;
  const memberships = e.groups.reduce((a, g) => a + g.memberIds.length, 0);
  expect(state.cycleStatus).toBe('COMPLETED');
  expect({ confirmed: state.membersConfirmed, memberships: state.memberships }).toEqual({ confirmed: memberships, memberships });
  // Each member's confirmation once in the audit trail (moderators confirm by accepting the role).
  expect(state.confirmAudits).toBe(memberships - e.groups.length);
  expect(state.doubledConfirmations).toEqual([]);
  expect(state.groupsClosed).toBe(e.groups.length);
  expect(state.approvalsApproved).toBe(e.groups.length);
  expect(state.badDecisions).toEqual([]);
  expect(state.doubledBoardDecisions).toEqual([]);
  expect(state.assembliesRecorded).toBe(e.countries.length);
  expect(record.decisions).toBe(Object.values(state.decisionsPerCountry).reduce((a, b) => a + b, 0));
  expect(mail.doubled).toEqual([]);
  expect(mail.lost).toEqual([]);
  expect(mail.notSent).toEqual([]);
  if (!options.allowUnknownMail) expect(mail.unknown).toBe(0);
  expect(mail.mailpit).toBeGreaterThanOrEqual(mail.sent);
}
