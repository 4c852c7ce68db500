/**
 * One edition of Smart in Progress (`cycle:<cycleId>`): the clock of the whole process.
 * preparation → group_formation → deliberation → consolidation → public_review →
 * board_decisions → general_assembly → follow_up. Each phase ends at an absolute deadline (a
 * durable timer re-armed when staff extend it) or early on staff request; every phase change is
 * projected to MongoDB, upserted as a search attribute and broadcast to the group workflows by
 * one activity. Groups, boards and assemblies are children; projects outlive the cycle.
 */
import {
  allHandlersFinished, condition, getExternalWorkflowHandle, ParentClosePolicy, patched,
  proxyActivities, setHandler, startChild, workflowInfo, type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../../activities';
import { assemblyWorkflowId, boardWorkflowId, groupWorkflowId } from '../../domain/ids';
import type { Actor, Phase } from '../../domain/types';
import { FAILURE_TYPES } from '../../domain/errors';
import {
  approvalSettledSignal, cancelCycleUpdate, closePhaseEarlyUpdate, cycleStatusQuery, extendCountryDateUpdate,
  extendDeadlineUpdate, registerGroupUpdate, requestApprovalsUpdate, type CycleInput, type CycleResult,
} from './contract';
import { boardDatesSignal, boardOpenSignal } from '../board/contract';
import { assemblyDateSignal } from '../assembly/contract';
import { groupWorkflow } from '../group/workflow';
import { boardWorkflow } from '../board/workflow';
import { assemblyWorkflow } from '../assembly/workflow';
import { CycleState, GROUP_PHASES, PHASE_END } from './state';
import { waitUntilDeadline } from '../shared/deadlines';
import { asUpdateFailure, reject, searchAttributePairs, setSearchAttributes, STORAGE_RETRY } from '../shared/messages';

const storage = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: STORAGE_RETRY });
const fanOut = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { ...STORAGE_RETRY, maximumInterval: '5 minutes' },
});

/** Thrown inside the cycle's own code when staff cancelled it; caught at the top. */
class CycleCancelled extends Error {}

/** How often a blocked consolidation looks again without news (a signal usually wakes it). */
const BLOCKED_RECHECK = '1 day';
/** Groups process their approval deadline at the same instant as the cycle: give them a moment. */
const SETTLING_RECHECK = '1 minute';
const SETTLING_TRIES = 10;

export async function cycleWorkflow(input: CycleInput): Promise<CycleResult> {
  const s = new CycleState(input.cycleId);
  const workflowId = workflowInfo().workflowId;
  const children = new Map<string, ChildWorkflowHandle<typeof boardWorkflow> | ChildWorkflowHandle<typeof assemblyWorkflow>>();
  registerHandlers(s, workflowId, children);

  const config = await storage.loadCycleConfig({ cycleId: input.cycleId });
  if (config.status === 'completed' || config.status === 'cancelled') {
    return { cycleId: input.cycleId, outcome: config.status, phase: s.phase, reason: `the cycle is already ${config.status}` };
  }
  s.load(config, new Date().toISOString());
  setSearchAttributes({ kind: 'cycle', cycleId: input.cycleId, phase: s.phase });

  try {
    await runPhases(s, workflowId, children);
  } catch (err) {
    if (!(err instanceof CycleCancelled)) throw err;
    await cancelEverything(s, children);
    await condition(allHandlersFinished);
    return { cycleId: s.cycleId, outcome: 'cancelled', phase: s.phase, reason: s.cancel?.reason };
  }
  await condition(allHandlersFinished);
  return { cycleId: s.cycleId, outcome: 'completed', phase: s.phase };
}

// ------------------------------------------------------------------------------------------------
// Phases
// ------------------------------------------------------------------------------------------------

type Children = Map<string, ChildWorkflowHandle<typeof boardWorkflow> | ChildWorkflowHandle<typeof assemblyWorkflow>>;

async function runPhases(s: CycleState, workflowId: string, children: Children): Promise<void> {
  await enter(s, 'preparation', { kind: 'system', id: workflowId });

  await phaseDeadline(s);
  await enter(s, 'group_formation', closer(s, workflowId));
  const { groups } = await storage.listFormationGroups({ cycleId: s.cycleId });
  for (const g of groups) s.pendingGroups.set(g.groupId, g.kind);
  s.formationStarted = true;
  await startPendingGroups(s);
  checkpoint(s);

  await phaseDeadline(s);
  const formation = await storage.evaluateFormation({
    cycleId: s.cycleId, minGroupSize: s.policies.minGroupSize, policy: s.policies.undersizedGroup, auditId: `${workflowId}:formation`,
  });
  for (const id of formation.onlineGroupIds) {
    s.onlineGroups.add(id);
    await startGroup(s, id, 'online');
  }
  if (formation.verdicts.length > 0) {
    await fanOut.broadcastToGroups({ cycleId: s.cycleId, action: { kind: 'formation_verdicts', verdicts: formation.verdicts } });
  }
  await enter(s, 'deliberation', closer(s, workflowId));

  await phaseDeadline(s, {
    offsetsDays: s.policies.reminderOffsetsDays,
    deadline: () => s.deadlines.submissionDeadline,
    handled: s.remindersHandled,
    send: async (offsetDays, deadline) => {
      await fanOut.sendGroupReminders({ cycleId: s.cycleId, kind: 'submission', offsetDays, deadline });
    },
  });
  await enter(s, 'consolidation', closer(s, workflowId));

  await consolidationGate(s, workflowId);
  const published = await storage.publishConsolidation({ cycleId: s.cycleId, version: s.consolidationVersion });
  s.publishedAt = published.publishedAt;
  await enter(s, 'public_review', closer(s, workflowId));
  await inviteToPublicReview(s, workflowId);
  for (const c of s.countries) await startBoard(s, c.country, children);
  checkpoint(s);

  await phaseDeadline(s);
  await enter(s, 'board_decisions', closer(s, workflowId));
  for (const c of s.countries) await children.get(boardWorkflowId(s.cycleId, c.country))?.signal(boardOpenSignal);

  await boardsAndAssemblies(s, workflowId, children);

  await enter(s, 'follow_up', { kind: 'system', id: workflowId });
  await storage.completeCycle({ cycleId: s.cycleId, seq: s.seq });
  setSearchAttributes({ status: 'completed' });
}

/** Staff who closed the phase early, or the system (the timer). */
function closer(s: CycleState, workflowId: string): Actor {
  return s.closeRequested ? { kind: 'staff', id: s.closeRequested.actorId } : { kind: 'system', id: workflowId };
}

function checkpoint(s: CycleState): void {
  if (s.cancel) throw new CycleCancelled();
}

/** Waits for the current phase's deadline (re-armed by extensions) or an early close. */
async function phaseDeadline(s: CycleState, reminders?: Parameters<typeof waitUntilDeadline>[0]['reminders']): Promise<void> {
  const name = PHASE_END[s.phase]!;
  const phase = s.phase;
  await waitUntilDeadline({
    deadline: () => s.deadlines[name],
    version: () => s.datesVersion,
    interrupt: () => s.cancel !== undefined || s.closeRequested?.phase === phase,
    reminders,
  });
  checkpoint(s);
}

/** Enters a phase: projection (seq-guarded), search attribute, broadcast to the live groups. */
async function enter(s: CycleState, phase: Phase, actor: Actor): Promise<void> {
  const closedEarly = s.closeRequested !== undefined;
  s.phase = phase;
  s.phaseEnteredAt = new Date().toISOString();
  s.closeRequested = undefined;
  s.seq += 1;
  setSearchAttributes({ phase });
  await project(s, { action: `cycle.phase.${phase}`, actor: asProjectionActor(actor), details: closedEarly ? { closedEarly: true } : undefined });
  s.projectedPhase = phase;
  if (GROUP_PHASES.includes(phase) && phase !== 'group_formation') {
    await fanOut.broadcastToGroups({ cycleId: s.cycleId, action: { kind: 'phase', seq: s.seq, phase, deadlines: s.deadlines } });
  }
  checkpoint(s);
}

function asProjectionActor(actor: Actor): { kind: 'staff' | 'system'; id: string } {
  return { kind: actor.kind === 'staff' ? 'staff' : 'system', id: actor.id };
}

async function project(
  s: CycleState,
  change: { action: string; actor: { kind: 'staff' | 'system'; id: string }; details?: Record<string, unknown> },
  status: 'running' | 'cancelled' | 'completed' = 'running',
): Promise<void> {
  await storage.projectCycle({
    cycleId: s.cycleId,
    seq: s.seq,
    phase: s.phase,
    phaseEnteredAt: s.phaseEnteredAt,
    deadlines: s.deadlines,
    countries: s.projectionCountries(),
    consolidationVersion: s.consolidationVersion,
    status,
    ...(s.blockedOn ? { blockedOn: s.blockedOn } : {}),
    ...(s.publishedAt ? { publishedAt: s.publishedAt } : {}),
    change,
  });
}

// ------------------------------------------------------------------------------------------------
// Groups
// ------------------------------------------------------------------------------------------------

/**
 * Groups started per activation. A thousand child starts resolved in one activation nest tens of
 * thousands of async contexts in the workflow thread, and Node aborts the worker ("async hook
 * stack has become corrupted", sdk-typescript#939): seen at Smart's whole size.
 */
const GROUP_START_BATCH = 100;

async function startPendingGroups(s: CycleState): Promise<void> {
  const pending = [...s.pendingGroups.entries()].filter(([id]) => !s.groups.has(id));
  s.pendingGroups.clear();
  if (!patched('2026-11-group-starts-in-batches')) {
    await Promise.all(pending.map(([id, kind]) => startGroup(s, id, kind)));
    return;
  }
  for (let i = 0; i < pending.length; i += GROUP_START_BATCH) {
    await Promise.all(pending.slice(i, i + GROUP_START_BATCH).map(([id, kind]) => startGroup(s, id, kind)));
  }
}

async function startGroup(s: CycleState, groupId: string, kind: 'office' | 'online'): Promise<void> {
  if (s.groups.has(groupId)) return;
  s.groups.set(groupId, 'starting');
  try {
    const handle = await startChild(groupWorkflow, {
      workflowId: groupWorkflowId(s.cycleId, groupId),
      args: [{ cycleId: s.cycleId, groupId, kind, phase: s.phase, seq: s.seq, deadlines: s.deadlines, silencePolicy: s.policies.silenceAtApprovalDeadline }],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      typedSearchAttributes: searchAttributePairs({ kind: 'group', cycleId: s.cycleId, status: kind === 'online' ? 'active' : 'forming' }),
    });
    s.groups.set(groupId, 'running');
    handle.result().then(
      () => s.groups.set(groupId, 'finished'),
      () => s.groups.set(groupId, 'finished'),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    s.groups.set(groupId, 'running');
  }
}

// ------------------------------------------------------------------------------------------------
// Consolidation gate: the public review opens at its date once every approval is settled
// ------------------------------------------------------------------------------------------------

async function consolidationGate(s: CycleState, workflowId: string): Promise<void> {
  let settlingTries = 0;
  for (;;) {
    await phaseDeadline(s, {
      offsetsDays: s.policies.reminderOffsetsDays,
      deadline: () => s.deadlines.approvalDeadline,
      handled: s.remindersHandled,
      send: async (offsetDays, deadline) => {
        if (s.consolidationVersion === 0) return; // nothing asked yet: nothing to remind of
        await fanOut.sendGroupReminders({ cycleId: s.cycleId, kind: 'approval', offsetDays, deadline, version: s.consolidationVersion });
      },
    });
    const blocker = await approvalBlocker(s);
    if (!blocker) {
      if (s.blockedOn) s.blockedOn = undefined; // the phase change projects without it
      return;
    }
    const transient = blocker.kind === 'approvals_pending' && settlingTries < SETTLING_TRIES;
    if (transient) settlingTries += 1;
    if (!transient && s.blockedOn !== blocker.label) {
      s.blockedOn = blocker.label;
      s.seq += 1;
      await project(s, { action: 'cycle.blocked', actor: { kind: 'system', id: workflowId }, details: { blockedOn: blocker.label } });
      await storage.sendMail({
        workflowId, purpose: `public_review_blocked:${blocker.kind}`, version: String(s.consolidationVersion), template: 'staff_alert',
        recipient: { role: 'staff' }, data: { kind: 'public_review_blocked', blocked: blocker.count, reason: blocker.kind },
      });
    }
    const settled = s.settled;
    const version = s.consolidationVersion;
    const dates = s.datesVersion;
    await condition(
      () => s.settled !== settled || s.consolidationVersion !== version || s.datesVersion !== dates || s.cancel !== undefined,
      transient ? SETTLING_RECHECK : BLOCKED_RECHECK,
    );
    checkpoint(s);
  }
}

async function approvalBlocker(s: CycleState): Promise<{ kind: string; label: string; count: number } | undefined> {
  const sum = await storage.approvalSummary({ cycleId: s.cycleId, version: s.consolidationVersion });
  if (s.consolidationVersion === 0) {
    return sum.submittedGroups > 0 ? { kind: 'approvals_not_requested', label: 'approvals_not_requested', count: sum.submittedGroups } : undefined;
  }
  const open = sum.escalated + sum.changeRequested;
  if (open > 0) return { kind: 'approvals_escalated', label: `approvals_escalated:${open}`, count: open };
  if (sum.pending > 0) return { kind: 'approvals_pending', label: `approvals_pending:${sum.pending}`, count: sum.pending };
  return undefined;
}

async function inviteToPublicReview(s: CycleState, workflowId: string): Promise<void> {
  const version = String(s.consolidationVersion);
  const res = await fanOut.sendBulkMail({
    workflowId, purpose: 'public_review_invitation', version, template: 'public_review_invitation',
    audience: { kind: 'cycle_members', cycleId: s.cycleId },
    data: { cycleId: s.cycleId, closesAt: s.deadlines.publicReviewClosesAt },
    link: { actions: ['react', 'rsvp'], workflowId, subjectId: s.cycleId, version, expiresAt: s.deadlines.publicReviewClosesAt },
  });
  if (res.failed > 0) {
    await storage.sendMail({
      workflowId, purpose: 'smtp_failures:public_review_invitation', version, template: 'staff_alert',
      recipient: { role: 'staff' }, data: { kind: 'smtp_failures', failed: res.failed, purpose: 'public_review_invitation' },
    });
  }
}

// ------------------------------------------------------------------------------------------------
// Boards and assemblies, one of each per country
// ------------------------------------------------------------------------------------------------

async function startBoard(s: CycleState, country: string, children: Children): Promise<void> {
  const c = s.country(country)!;
  s.boards.set(country, { state: 'starting' });
  const handle = await startChild(boardWorkflow, {
    workflowId: boardWorkflowId(s.cycleId, country),
    args: [{ cycleId: s.cycleId, country, boardDeadline: c.boardDeadline, assemblyDate: c.assemblyDate, reminderOffsetsDays: s.policies.reminderOffsetsDays, open: false }],
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    typedSearchAttributes: searchAttributePairs({ kind: 'board', cycleId: s.cycleId, country, status: 'waiting' }),
  });
  children.set(handle.workflowId, handle);
  s.boards.set(country, { state: 'running', status: 'waiting' });
  handle.result().then(
    (r) => s.boards.set(country, { state: 'finished', status: r.status }),
    () => s.boards.set(country, { state: 'finished' }),
  );
}

async function startAssembly(s: CycleState, country: string, children: Children): Promise<void> {
  const c = s.country(country)!;
  s.assemblies.set(country, { state: 'starting' });
  const handle = await startChild(assemblyWorkflow, {
    workflowId: assemblyWorkflowId(s.cycleId, country),
    args: [{ cycleId: s.cycleId, country, assemblyDate: c.assemblyDate, progressRequestEveryDays: s.policies.progressRequestEveryDays }],
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    typedSearchAttributes: searchAttributePairs({ kind: 'assembly', cycleId: s.cycleId, country, status: 'waiting_for_date' }),
  });
  children.set(handle.workflowId, handle);
  s.assemblies.set(country, { state: 'running', status: 'waiting_for_date' });
  handle.result().then(
    (r) => s.assemblies.set(country, { state: 'finished', status: r.status }),
    () => s.assemblies.set(country, { state: 'finished' }),
  );
}

async function boardsAndAssemblies(s: CycleState, workflowId: string, children: Children): Promise<void> {
  const countries = s.countries.map((c) => c.country);
  const boardDone = (c: string) => s.boards.get(c)?.state === 'finished';
  const assemblyState = (c: string) => s.assemblies.get(c)?.state;
  for (;;) {
    await condition(
      () =>
        s.cancel !== undefined ||
        countries.some((c) => boardDone(c) && assemblyState(c) === 'not_started') ||
        (s.phase === 'board_decisions' && countries.every(boardDone)) ||
        countries.every((c) => assemblyState(c) === 'finished'),
    );
    checkpoint(s);
    for (const c of countries) {
      if (boardDone(c) && assemblyState(c) === 'not_started') await startAssembly(s, c, children);
    }
    if (s.phase === 'board_decisions' && countries.every(boardDone)) {
      await enter(s, 'general_assembly', { kind: 'system', id: workflowId });
      continue;
    }
    if (countries.every((c) => assemblyState(c) === 'finished')) return;
    // A board or assembly status changed: keep the projection's country view current.
    s.seq += 1;
    await project(s, { action: 'cycle.countries', actor: { kind: 'system', id: workflowId } });
  }
}

// ------------------------------------------------------------------------------------------------
// Cancellation
// ------------------------------------------------------------------------------------------------

async function cancelEverything(s: CycleState, children: Children): Promise<void> {
  s.cancelled = true;
  s.seq += 1;
  const actor = { kind: 'staff' as const, id: s.cancel!.actorId };
  await project(s, { action: 'cycle.cancelled', actor, details: { reason: s.cancel!.reason } }, 'cancelled');
  await storage.recordCycleCancelled({ cycleId: s.cycleId, reason: s.cancel!.reason, actorId: s.cancel!.actorId });
  await fanOut.broadcastToGroups({ cycleId: s.cycleId, action: { kind: 'cancel', reason: s.cancel!.reason } });
  for (const [id] of children) {
    const running = [...s.boards.entries(), ...s.assemblies.entries()].some(
      ([country, child]) => child.state === 'running' && (id === boardWorkflowId(s.cycleId, country) || id === assemblyWorkflowId(s.cycleId, country)),
    );
    if (running) {
      try {
        await getExternalWorkflowHandle(id).cancel();
      } catch {
        // It finished meanwhile: nothing to cancel.
      }
    }
  }
  setSearchAttributes({ status: 'cancelled' });
}

// ------------------------------------------------------------------------------------------------
// Staff messages
// ------------------------------------------------------------------------------------------------

function registerHandlers(s: CycleState, workflowId: string, children: Children): void {
  setHandler(cycleStatusQuery, () => s.view());
  setHandler(approvalSettledSignal, () => {
    s.settled += 1;
  });

  setHandler(
    extendDeadlineUpdate,
    async ({ deadline, until, actorId }) => {
      const from = s.deadlines[deadline];
      s.deadlines = { ...s.deadlines, [deadline]: until };
      s.datesVersion += 1;
      s.seq += 1;
      await project(s, { action: 'cycle.deadline_extended', actor: { kind: 'staff', id: actorId }, details: { deadline, from, until } });
      if (GROUP_PHASES.includes(s.phase) && s.formationStarted) {
        await fanOut.broadcastToGroups({ cycleId: s.cycleId, action: { kind: 'phase', seq: s.seq, phase: s.phase, deadlines: s.deadlines } });
      }
      return s.view();
    },
    { validator: (arg) => s.checkExtension(arg) },
  );

  setHandler(
    extendCountryDateUpdate,
    async ({ country, date, until, actorId }) => {
      const c = s.country(country)!;
      const from = c[date];
      c[date] = until;
      s.datesVersion += 1;
      s.seq += 1;
      const board = children.get(boardWorkflowId(s.cycleId, country));
      if (board && s.boards.get(country)?.state === 'running') {
        await board.signal(boardDatesSignal, { boardDeadline: c.boardDeadline, assemblyDate: c.assemblyDate });
      }
      const assembly = children.get(assemblyWorkflowId(s.cycleId, country));
      if (assembly && date === 'assemblyDate' && s.assemblies.get(country)?.state === 'running') {
        await assembly.signal(assemblyDateSignal, { assemblyDate: until });
      }
      await project(s, { action: 'cycle.country_date_extended', actor: { kind: 'staff', id: actorId }, details: { country, date, from, until } });
      return s.view();
    },
    { validator: (arg) => s.checkCountryExtension(arg) },
  );

  setHandler(
    closePhaseEarlyUpdate,
    async ({ phase, actorId }) => {
      if (phase === 'consolidation') {
        const blocker = await approvalBlocker(s);
        if (blocker) reject(FAILURE_TYPES.CONFLICT, `the public review cannot open yet: ${blocker.label}`);
      }
      if (s.phase !== phase || s.closeRequested) reject(FAILURE_TYPES.CONFLICT, `${phase} is no longer open`);
      s.closeRequested = { phase, actorId };
      // Answer once the next phase is projected: readers of MongoDB see it when the update returns.
      await condition(() => (s.phase !== phase && s.projectedPhase === s.phase) || s.cancel !== undefined);
      return s.view();
    },
    { validator: (arg) => s.checkCloseEarly(arg) },
  );

  setHandler(
    cancelCycleUpdate,
    async ({ reason, actorId }) => {
      s.cancel = { reason: reason.trim(), actorId };
      await condition(() => s.cancelled);
      return s.view();
    },
    { validator: (arg) => s.checkCancel(arg) },
  );

  setHandler(
    registerGroupUpdate,
    async ({ groupId }) => {
      if (s.groups.has(groupId) || s.pendingGroups.has(groupId)) return s.view();
      const { kind } = await asUpdateFailure(() => storage.checkGroup({ cycleId: s.cycleId, groupId }));
      if (kind === 'online') s.onlineGroups.add(groupId);
      if (s.formationStarted) await startGroup(s, groupId, kind);
      else s.pendingGroups.set(groupId, kind);
      return s.view();
    },
    { validator: (arg) => s.checkRegister(arg) },
  );

  setHandler(
    requestApprovalsUpdate,
    async ({ actorId }) => {
      s.requestingApprovals = true;
      try {
        const version = s.consolidationVersion + 1;
        const frozen = await asUpdateFailure(() =>
          storage.freezeConsolidation({ cycleId: s.cycleId, version, actorId, auditId: `${workflowId}:approvals:${version}` }),
        );
        s.consolidationVersion = version;
        s.seq += 1;
        await project(s, { action: 'cycle.approvals_requested', actor: { kind: 'staff', id: actorId }, details: { version } });
        const sent = await fanOut.broadcastToGroups({ cycleId: s.cycleId, action: { kind: 'approval_requested', version } });
        return { version, groupsAsked: Math.min(sent.targets, frozen.groupsConcerned) };
      } finally {
        s.requestingApprovals = false;
      }
    },
    { validator: (arg) => s.checkRequestApprovals(arg) },
  );
}
