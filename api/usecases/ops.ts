/**
 * What operators read about workflows: lists through visibility (search attributes), one
 * workflow described, its raw history, and a readable timeline derived from the history events
 * and the audit trail (phases entered, deadlines armed / extended / fired, decisions with their
 * actor, mails sent). Shared by the /ops routes and the operator command line.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Models } from '../../domain/models';
import { parseWorkflowId } from '../../domain/ids';
import { CYCLE_DEADLINES } from '../../domain/types';
import { webUiLink, workflowRuns, type WorkflowHistory } from '../temporal';

export interface OpsDeps {
  models: Models;
  temporalClient: Client;
  uiUrl: string;
  namespace: string;
}

export interface WorkflowSummary {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  startTime: string;
  closeTime?: string;
  historyLength: number;
  searchAttributes: Record<string, string>;
  webUiUrl: string;
}

export interface ListFilter {
  kind?: 'cycle' | 'group' | 'board' | 'assembly' | 'project';
  cycleId?: string;
  phase?: string;
  status?: string;
  country?: string;
  executionStatus?: 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'ContinuedAsNew' | 'TimedOut';
  limit: number;
}

/** The visibility query for a filter; values are validated ids and enum words (no quotes inside). */
export function visibilityQuery(filter: Omit<ListFilter, 'limit'>): string {
  const clauses: string[] = [];
  const add = (name: string, value: string | undefined) => {
    if (value === undefined) return;
    if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error(`unsafe visibility value ${value}`);
    clauses.push(`${name}='${value}'`);
  };
  add('SipKind', filter.kind);
  add('SipCycleId', filter.cycleId);
  add('SipPhase', filter.phase);
  add('SipStatus', filter.status);
  add('SipCountry', filter.country);
  add('ExecutionStatus', filter.executionStatus);
  if (clauses.length === 0) clauses.push("SipKind IS NOT NULL");
  // A workflow that continued as new (an assembly, a project, a long board) is
  // listed once, by its newest run, unless its earlier runs are asked for.
  if (filter.executionStatus === undefined) clauses.push("ExecutionStatus != 'ContinuedAsNew'");
  return clauses.join(' AND ');
}

function searchAttributesOf(info: Pick<WorkflowExecutionInfo, 'typedSearchAttributes'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of info.typedSearchAttributes.getAll()) {
    if (pair.key.name.startsWith('Sip')) out[pair.key.name] = String(pair.value);
  }
  return out;
}

function summarize(deps: OpsDeps, info: WorkflowExecutionInfo): WorkflowSummary {
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    type: info.type,
    status: info.status.name,
    startTime: info.startTime.toISOString(),
    ...(info.closeTime ? { closeTime: info.closeTime.toISOString() } : {}),
    historyLength: info.historyLength,
    searchAttributes: searchAttributesOf(info),
    webUiUrl: webUiLink(deps.uiUrl, deps.namespace, info.workflowId),
  };
}

/** Workflows matching the filter, newest first (Temporal visibility). */
export async function listWorkflows(deps: OpsDeps, filter: ListFilter): Promise<{ query: string; items: WorkflowSummary[] }> {
  const query = visibilityQuery(filter);
  const items: WorkflowSummary[] = [];
  for await (const info of deps.temporalClient.workflow.list({ query, pageSize: Math.min(filter.limit, 100) })) {
    items.push(summarize(deps, info));
    if (items.length >= filter.limit) break;
  }
  return { query, items };
}

export interface WorkflowDescription extends WorkflowSummary {
  kind: string;
  parentWorkflowId?: string;
  pendingActivities: { activityType: string; attempt: number; state: string; lastFailure?: string }[];
  pendingChildren: { workflowId: string; type: string }[];
  /** The workflow's own status query, when it runs. */
  live?: unknown;
}

/** One workflow: execution info, pending work and (when running) its status query. */
export async function describeWorkflow(deps: OpsDeps, workflowId: string): Promise<WorkflowDescription> {
  const handle = deps.temporalClient.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const raw = description.raw;
  let live: unknown;
  if (description.status.name === 'RUNNING') {
    try {
      live = await deps.temporalClient.connection.withDeadline(Date.now() + 3000, () => handle.query('status'));
    } catch {
      live = undefined; // a worker may be down: the description is still useful
    }
  }
  return {
    ...summarize(deps, description as unknown as WorkflowExecutionInfo),
    kind: parseWorkflowId(workflowId)?.kind ?? 'unknown',
    ...(description.parentExecution?.workflowId ? { parentWorkflowId: description.parentExecution.workflowId } : {}),
    pendingActivities: (raw.pendingActivities ?? []).map((a) => ({
      activityType: a.activityType?.name ?? '?',
      attempt: a.attempt ?? 0,
      state: String(a.state ?? ''),
      ...(a.lastFailure?.message ? { lastFailure: a.lastFailure.message } : {}),
    })),
    pendingChildren: (raw.pendingChildren ?? []).map((c) => ({ workflowId: c.workflowId ?? '', type: c.workflowTypeName ?? '' })),
    ...(live !== undefined ? { live } : {}),
  };
}

/** The raw history as Temporal's JSON (what `temporal workflow show --output json` prints). */
export async function rawHistory(deps: OpsDeps, workflowId: string): Promise<string> {
  const history = await deps.temporalClient.workflow.getHandle(workflowId).fetchHistory();
  return historyToJSON(history);
}

// ---------------------------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------------------------

export type TimelineKind =
  | 'workflow_started'
  | 'workflow_closed'
  | 'phase_entered'
  | 'status_changed'
  | 'deadline_armed'
  | 'deadline_fired'
  | 'deadline_cancelled'
  | 'decision'
  | 'decision_failed'
  | 'signal'
  | 'child_started'
  | 'child_closed'
  | 'mail_sent'
  | 'mail_failed'
  | 'activity'
  | 'activity_failed'
  | 'audit';

export interface TimelineEntry {
  at: string;
  workflowId?: string;
  kind: TimelineKind;
  summary: string;
  actor?: { id: string; label: string };
  source: 'history' | 'audit';
  eventId?: number;
  runId?: string;
  webUiUrl?: string;
}

type HistoryEvent = NonNullable<WorkflowHistory['events']>[number];

/** Runs of one workflow read for a timeline (a project followed for years has more). */
const TIMELINE_MAX_RUNS = 20;

// History events are protobuf objects with one `…EventAttributes` field set: read them loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Attrs = Record<string, any>;

function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof (value as { toNumber?: () => number }).toNumber === 'function') return (value as { toNumber(): number }).toNumber();
  return Number(value);
}

function timestampMs(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!ts) return 0;
  return toNumber(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

function decodePayloads(payloads: { payloads?: unknown[] | null } | null | undefined): unknown[] {
  return (payloads?.payloads ?? []).map((p) => {
    try {
      return defaultPayloadConverter.fromPayload(p as never);
    } catch {
      return '[binary]';
    }
  });
}

function short(value: unknown, max = 240): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Known instants of a cycle, to name timers ("formationDeadline", "submissionDeadline - 14 d"). */
async function knownInstants(models: Models, cycleId: string | undefined): Promise<Map<number, string>> {
  const map = new Map<number, string>();
  if (!cycleId) return map;
  const cycle = await models.Cycle.findById(cycleId).lean();
  if (!cycle) return map;
  const put = (iso: string | undefined, name: string) => {
    if (!iso) return;
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return;
    map.set(t, name);
    for (const days of cycle.policies?.reminderOffsetsDays ?? []) {
      if (!map.has(t - days * 86_400_000)) map.set(t - days * 86_400_000, `${name} reminder (${days} d before)`);
    }
  };
  for (const name of CYCLE_DEADLINES) {
    put(cycle.projection?.deadlines?.[name], name);
    put(cycle.deadlines?.[name], name);
  }
  for (const c of cycle.countries ?? []) {
    put(c.boardDeadline, `${c.country} boardDeadline`);
    put(c.assemblyDate, `${c.country} assemblyDate`);
  }
  // Extended dates, from the audit trail of extensions.
  const extensions = await models.Audit.find({ cycleId, action: { $in: ['cycle.extend_deadline', 'cycle.extend_country_date'] } }).lean();
  for (const e of extensions) {
    const until = (e.details as { until?: string } | undefined)?.until;
    if (until && e.subject) put(until, e.subject.replace(':', ' '));
  }
  return map;
}

function nameOfInstant(instants: Map<number, string>, at: number): string | undefined {
  for (const [t, name] of instants) if (Math.abs(t - at) <= 2000) return name;
  return undefined;
}

async function actorLabeler(models: Models): Promise<(id: string | undefined) => { id: string; label: string } | undefined> {
  const keys = await models.ApiKey.find({}, { owner: 1, role: 1, country: 1 }).lean();
  const byId = new Map(keys.map((k) => [k._id, k]));
  return (id) => {
    if (!id) return undefined;
    const key = byId.get(id);
    if (key) return { id, label: `${key.owner} (${key.role}${key.country ? ` ${key.country}` : ''})` };
    if (id.startsWith('m_') || id.includes('-m')) return { id, label: 'member' };
    return { id, label: id };
  };
}

function actorIdOf(arg: unknown): string | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as Record<string, unknown>;
  const id = a.actorId ?? a.decidedBy ?? a.reportedBy ?? a.memberId;
  if (typeof id === 'string') return id;
  const decisions = a.decisions as Record<string, unknown>[] | undefined;
  if (Array.isArray(decisions) && typeof decisions[0]?.decidedBy === 'string') return decisions[0].decidedBy as string;
  return undefined;
}

function describeUpdate(name: string, arg: unknown): string {
  const a = (arg ?? {}) as Attrs;
  switch (name) {
    case 'extendDeadline':
      return `deadline ${a.deadline} extended to ${a.until}`;
    case 'extendCountryDate':
      return `${a.country} ${a.date} extended to ${a.until}`;
    case 'closePhaseEarly':
      return `phase ${a.phase} closed early`;
    case 'cancelCycle':
      return `cycle cancelled: ${short(a.reason, 120)}`;
    case 'registerGroup':
      return `group ${a.groupId} registered`;
    case 'requestApprovals':
      return 'approvals of the consolidated document requested';
    case 'recordDecision':
      return `decision ${a.outcome} on ${a.recommendationId}`;
    case 'recordDecisions':
      return `${(a.decisions ?? []).length} decisions recorded (${Object.entries(
        (a.decisions ?? []).reduce((acc: Record<string, number>, d: { outcome: string }) => ({ ...acc, [d.outcome]: (acc[d.outcome] ?? 0) + 1 }), {}),
      )
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')})`;
    case 'recordAssemblyResult':
      return `assembly result recorded (${a.mode})`;
    case 'submitRecommendations':
      return `${(a.items ?? []).length} recommendations submitted`;
    case 'confirmMembership':
      return `membership of ${a.memberId} confirmed`;
    case 'acceptModeratorRole':
      return `moderator ${a.memberId} accepted the role`;
    case 'approveConsolidation':
      return `moderator approved consolidation v${a.version}`;
    case 'requestConsolidationChange':
      return `moderator asked a change to consolidation v${a.version}`;
    case 'resolveApproval':
      return `approval resolved by staff: ${a.resolution}`;
    case 'reportProgress':
      return `progress ${a.percent}%${a.done ? ' (done)' : ''}`;
    default:
      return `${name} ${short(arg, 160)}`;
  }
}

function describeMail(input: Attrs, result: Attrs | undefined): string {
  const template = input.template ?? input.purpose ?? 'mail';
  const recipient = input.recipient
    ? 'memberId' in input.recipient
      ? `member ${input.recipient.memberId}`
      : `${input.recipient.role}${input.recipient.country ? ` ${input.recipient.country}` : ''}`
    : input.audience
      ? `${input.audience.kind}${input.audience.groupId ? ` ${input.audience.groupId}` : ''}${input.audience.groupIds ? ` (${input.audience.groupIds.length} groups)` : ''}`
      : 'recipients';
  let outcome = '';
  if (result && typeof result === 'object') {
    if ('recipients' in result) outcome = `: ${result.sent} sent, ${result.alreadySent} already sent, ${result.skipped} skipped, ${result.failed} failed`;
    else if ('state' in result) outcome = `: ${result.state}`;
  }
  return `${template} (${input.purpose ?? ''}) to ${recipient}${outcome}`;
}

/** The readable timeline of one workflow: every run, oldest first. */
export async function workflowTimeline(deps: OpsDeps, workflowId: string, options: { verbose?: boolean } = {}): Promise<TimelineEntry[]> {
  const parsed = parseWorkflowId(workflowId);
  let cycleId = parsed && 'cycleId' in parsed ? parsed.cycleId : undefined;
  if (!cycleId && parsed?.kind === 'project') {
    cycleId = (await deps.models.Project.findById(parsed.projectId, { cycleId: 1 }).lean())?.cycleId;
  }
  const [runs, instants, label] = await Promise.all([
    workflowRuns(deps.temporalClient.workflow, workflowId, TIMELINE_MAX_RUNS).then((newestFirst) => newestFirst.reverse()),
    knownInstants(deps.models, cycleId),
    actorLabeler(deps.models),
  ]);
  const webUiUrl = webUiLink(deps.uiUrl, deps.namespace, workflowId);
  const entries: TimelineEntry[] = [];
  const seen = new Map<string, string>();
  for (const run of runs) {
    const push = (at: number, kind: TimelineKind, summary: string, eventId: number, actorId?: string) => {
      entries.push({
        at: new Date(at).toISOString(), workflowId, kind, summary, source: 'history', eventId, webUiUrl,
        ...(runs.length > 1 && run.runId ? { runId: run.runId } : {}),
        ...(actorId ? { actor: label(actorId) } : {}),
      });
    };
    timelineOfRun(run.history.events ?? [], push, { seen, instants, verbose: options.verbose });
  }
  return entries;
}

/**
 * What one run's events add to a timeline. Activities, timers and updates are the run's own
 * (event ids restart per run); `seen` search attribute values go across runs (a continued run
 * carries them over, which is not news).
 */
function timelineOfRun(
  events: HistoryEvent[],
  push: (at: number, kind: TimelineKind, summary: string, eventId: number, actorId?: string) => void,
  { seen, instants, verbose }: { seen: Map<string, string>; instants: Awaited<ReturnType<typeof knownInstants>>; verbose?: boolean },
): void {
  const activities = new Map<number, { name: string; input: unknown }>();
  const timers = new Map<string, string>();
  const updates = new Map<string, { name: string; arg: unknown }>();
  for (const event of events) {
    const at = timestampMs(event.eventTime as never);
    const id = toNumber(event.eventId);
    const e = event as unknown as Attrs;
    if (e.workflowExecutionStartedEventAttributes) {
      const a = e.workflowExecutionStartedEventAttributes;
      if (a.continuedExecutionRunId) push(at, 'workflow_started', `${a.workflowType?.name ?? 'workflow'} continued in a new run`, id);
      else push(at, 'workflow_started', `${a.workflowType?.name ?? 'workflow'} started${a.parentWorkflowExecution?.workflowId ? ` by ${a.parentWorkflowExecution.workflowId}` : ''}`, id);
    } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {};
      for (const [name, payload] of Object.entries(fields)) {
        const value = decodePayloads({ payloads: [payload] })[0];
        const v = String(Array.isArray(value) ? value[0] : value);
        // Workflows upsert again what did not change (a restart, a load): only changes are news.
        if (seen.get(name) === v) continue;
        seen.set(name, v);
        if (name === 'SipPhase') push(at, 'phase_entered', `phase ${v} entered`, id);
        else if (name === 'SipStatus') push(at, 'status_changed', `status ${v}`, id);
      }
    } else if (e.timerStartedEventAttributes) {
      const a = e.timerStartedEventAttributes;
      const duration = a.startToFireTimeout ? timestampMs(a.startToFireTimeout) : 0;
      const fireAt = at + duration;
      const name = nameOfInstant(instants, fireAt) ?? `timer ${a.timerId}`;
      timers.set(String(a.timerId), name);
      push(at, 'deadline_armed', `${name} armed for ${new Date(fireAt).toISOString()}`, id);
    } else if (e.timerFiredEventAttributes) {
      const name = timers.get(String(e.timerFiredEventAttributes.timerId)) ?? `timer ${e.timerFiredEventAttributes.timerId}`;
      push(at, 'deadline_fired', `${name} fired`, id);
    } else if (e.timerCanceledEventAttributes) {
      const name = timers.get(String(e.timerCanceledEventAttributes.timerId)) ?? `timer ${e.timerCanceledEventAttributes.timerId}`;
      push(at, 'deadline_cancelled', `${name} cancelled (re-armed or no longer needed)`, id);
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      activities.set(id, { name: a.activityType?.name ?? '?', input: decodePayloads(a.input)[0] });
    } else if (e.activityTaskCompletedEventAttributes) {
      const a = e.activityTaskCompletedEventAttributes;
      const scheduled = activities.get(toNumber(a.scheduledEventId));
      if (!scheduled) continue;
      const result = decodePayloads(a.result)[0] as Attrs | undefined;
      if (/mail/i.test(scheduled.name)) {
        const failed = result && (result.state === 'failed' || (typeof result.failed === 'number' && result.failed > 0));
        push(at, failed ? 'mail_failed' : 'mail_sent', describeMail((scheduled.input ?? {}) as Attrs, result), id);
      } else if (verbose) {
        push(at, 'activity', `${scheduled.name} ${short(scheduled.input, 160)}`, id);
      }
    } else if (e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes) {
      const a = e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
      const scheduled = activities.get(toNumber(a.scheduledEventId));
      push(at, 'activity_failed', `${scheduled?.name ?? 'activity'} failed: ${short(a.failure?.message ?? 'timed out', 200)}`, id);
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const req = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      const name = req?.input?.name ?? '?';
      const arg = decodePayloads(req?.input?.args)[0];
      updates.set(req?.meta?.updateId ?? String(id), { name, arg });
      push(at, 'decision', describeUpdate(name, arg), id, actorIdOf(arg));
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      const a = e.workflowExecutionUpdateCompletedEventAttributes;
      if (a.outcome?.failure) {
        const u = updates.get(a.meta?.updateId ?? '');
        push(at, 'decision_failed', `${u?.name ?? 'update'} failed: ${short(a.outcome.failure.message, 200)}`, id, actorIdOf(u?.arg));
      }
    } else if (e.workflowExecutionSignaledEventAttributes) {
      const a = e.workflowExecutionSignaledEventAttributes;
      push(at, 'signal', `signal ${a.signalName} ${short(decodePayloads(a.input)[0], 160)}`, id);
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      const a = e.startChildWorkflowExecutionInitiatedEventAttributes;
      push(at, 'child_started', `child ${a.workflowId} (${a.workflowType?.name}) started`, id);
    } else if (
      e.childWorkflowExecutionCompletedEventAttributes || e.childWorkflowExecutionFailedEventAttributes ||
      e.childWorkflowExecutionCanceledEventAttributes || e.childWorkflowExecutionTerminatedEventAttributes ||
      e.childWorkflowExecutionTimedOutEventAttributes
    ) {
      const a = e.childWorkflowExecutionCompletedEventAttributes ?? e.childWorkflowExecutionFailedEventAttributes ??
        e.childWorkflowExecutionCanceledEventAttributes ?? e.childWorkflowExecutionTerminatedEventAttributes ??
        e.childWorkflowExecutionTimedOutEventAttributes;
      const how = e.childWorkflowExecutionCompletedEventAttributes ? 'completed' : e.childWorkflowExecutionFailedEventAttributes ? 'failed'
        : e.childWorkflowExecutionCanceledEventAttributes ? 'cancelled' : e.childWorkflowExecutionTerminatedEventAttributes ? 'terminated' : 'timed out';
      const result = e.childWorkflowExecutionCompletedEventAttributes ? decodePayloads(a.result)[0] : undefined;
      push(at, 'child_closed', `child ${a.workflowExecution?.workflowId} ${how}${result ? ` ${short(result, 160)}` : ''}`, id);
    } else if (e.workflowExecutionCompletedEventAttributes) {
      push(at, 'workflow_closed', `completed ${short(decodePayloads(e.workflowExecutionCompletedEventAttributes.result)[0], 200)}`, id);
    } else if (e.workflowExecutionFailedEventAttributes) {
      push(at, 'workflow_closed', `failed: ${short(e.workflowExecutionFailedEventAttributes.failure?.message, 200)}`, id);
    } else if (e.workflowExecutionCanceledEventAttributes) {
      push(at, 'workflow_closed', 'cancelled', id);
    } else if (e.workflowExecutionTerminatedEventAttributes) {
      push(at, 'workflow_closed', `terminated: ${short(e.workflowExecutionTerminatedEventAttributes.reason, 200)}`, id);
    } else if (e.workflowExecutionContinuedAsNewEventAttributes) {
      push(at, 'workflow_closed', 'continued as new (history kept small)', id);
    } else if (e.workflowExecutionTimedOutEventAttributes) {
      push(at, 'workflow_closed', 'timed out', id);
    }
  }
}

/** The few audit details worth a timeline line (never personal data: audit holds ids). */
function auditDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  const keep = ['phase', 'deadline', 'until', 'outcome', 'country', 'reason', 'version', 'mode', 'items', 'decisions', 'resolution', 'percent'];
  const parts = keep.filter((k) => details[k] !== undefined && typeof details[k] !== 'object').map((k) => `${k}=${short(details[k], 60)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * The timeline of a cycle: its own workflow, its children (groups, boards, assemblies) when
 * `children` is set, and the audit trail (api writes, phase changes, decisions as stored), merged by time.
 */
export async function cycleTimeline(
  deps: OpsDeps,
  cycleId: string,
  options: { children?: boolean; verbose?: boolean } = {},
): Promise<{ cycleId: string; workflows: { workflowId: string; webUiUrl: string }[]; entries: TimelineEntry[] }> {
  const workflowId = `cycle:${cycleId}`;
  const ids = [workflowId];
  if (options.children) {
    const { items } = await listWorkflows(deps, { cycleId, limit: 500 });
    // Groups, boards and assemblies; projects outlive the cycle and have their own timelines.
    for (const item of items) {
      if (item.workflowId !== workflowId && item.searchAttributes.SipKind !== 'project' && !ids.includes(item.workflowId)) ids.push(item.workflowId);
    }
  }
  const perWorkflow = await Promise.all(ids.map((id) => workflowTimeline(deps, id, options).catch((err) => {
    if (id === workflowId) throw err;
    return [] as TimelineEntry[];
  })));
  const label = await actorLabeler(deps.models);
  const audits = await deps.models.Audit.find({ cycleId }).sort({ at: 1 }).limit(5000).lean();
  const auditEntries: TimelineEntry[] = audits.map((a) => ({
    at: new Date(a.at).toISOString(),
    ...(a.workflowId ? { workflowId: a.workflowId, webUiUrl: webUiLink(deps.uiUrl, deps.namespace, a.workflowId) } : {}),
    kind: 'audit' as const,
    summary: `${a.action}${a.subject && a.subject !== cycleId ? ` ${a.subject}` : ''}${auditDetails(a.details)}`,
    ...(a.actor?.id ? { actor: label(a.actor.id) } : {}),
    source: 'audit' as const,
  }));
  const entries = [...perWorkflow.flat(), ...auditEntries].sort(
    (x, y) => x.at.localeCompare(y.at) || (x.eventId ?? 0) - (y.eventId ?? 0),
  );
  return {
    cycleId,
    workflows: ids.map((id) => ({ workflowId: id, webUiUrl: webUiLink(deps.uiUrl, deps.namespace, id) })),
    entries,
  };
}
