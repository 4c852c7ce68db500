/**
 * A working group, child of its cycle (`cycle:<cycleId>:group:<groupId>`), from group formation to
 * the approval of the consolidated wording. It owns the group's human decisions (members
 * confirming, the moderator accepting, the submission, the approval) and learns phases and
 * deadlines from the cycle's broadcasts. Ends explicitly: fallen back, cancelled, no
 * recommendations, or closed when the public review opens.
 */
import {
  allHandlersFinished, CancellationScope, condition, currentUpdateInfo, getExternalWorkflowHandle,
  isCancellation, patched, proxyActivities, proxyLocalActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { cycleWorkflowId } from '../../domain/ids';
import type { Actor, ApprovalStatus, GroupStatus } from '../../domain/types';
import { FAILURE_TYPES } from '../../domain/errors';
import { approvalSettledSignal } from '../cycle/contract';
import {
  acceptModeratorRoleUpdate, approvalRequestedSignal, approveConsolidationUpdate, confirmMembershipUpdate,
  cycleMessageUpdate, cyclePhaseSignal, formationVerdictSignal, groupStatusQuery, requestConsolidationChangeUpdate,
  resolveApprovalUpdate, submitRecommendationsUpdate, type GroupInput, type GroupResult,
} from './contract';
import { GroupState, phaseIndex } from './state';
import { asUpdateFailure, isActorId, isText, msUntil, reject, setSearchAttributes, STORAGE_RETRY, waitFor } from '../shared/messages';

const storage = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: STORAGE_RETRY });
/**
 * A member's click waits for its membership write: run in the worker that holds the update, it
 * spares the activity task's trip through the server (the click benchmark's gap). A failing
 * write retries on Temporal timers past the first minute, as a normal activity would.
 */
const storageNearby = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', localRetryThreshold: '10 seconds', retry: STORAGE_RETRY });
/** Since 2026-11 the membership writes of member clicks are local activities (old runs replay the activity). */
const MEMBERSHIP_WRITES_LOCAL = '2026-11-membership-writes-local';
const membershipStorage = () => (patched(MEMBERSHIP_WRITES_LOCAL) ? storageNearby : storage);
const mail = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { ...STORAGE_RETRY, maximumInterval: '5 minutes' },
});

const LIVE: GroupStatus[] = ['forming', 'active', 'submitted'];

/** The id of the audit event of the running update (the api passes its request's update id). */
function updateAuditId(): string {
  return `${workflowInfo().workflowId}:update:${currentUpdateInfo()?.id ?? 'unknown'}`;
}

export async function groupWorkflow(input: GroupInput): Promise<GroupResult> {
  const s = new GroupState(input);
  const workflowId = workflowInfo().workflowId;
  registerHandlers(s, workflowId);
  try {
    await run(s, workflowId);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // The cycle was cancelled: record it (not cancellable itself) and end.
    await CancellationScope.nonCancellable(async () => {
      await storage.setGroupStatus({ cycleId: s.cycleId, groupId: s.groupId, status: 'cancelled', from: LIVE, reason: 'the cycle was cancelled' });
    });
    s.status = 'cancelled';
    s.statusReason = 'the cycle was cancelled';
    setSearchAttributes({ status: 'cancelled' });
  }
  await condition(allHandlersFinished);
  return { groupId: s.groupId, status: s.status, approval: s.approval.status, reason: s.statusReason };
}

function registerHandlers(s: GroupState, workflowId: string): void {
  setHandler(groupStatusQuery, () => s.view());
  setHandler(cyclePhaseSignal, (m) => s.onCycleMessage({ kind: 'phase', ...m }));
  setHandler(formationVerdictSignal, (v) => s.onCycleMessage({ kind: 'formation_verdict', ...v }));
  setHandler(approvalRequestedSignal, (m) => s.onCycleMessage({ kind: 'approval_requested', ...m }));
  setHandler(cycleMessageUpdate, (m) => s.onCycleMessage(m));

  setHandler(
    confirmMembershipUpdate,
    async ({ memberId, actorId }) => {
      if (patched(MEMBERSHIP_WRITES_LOCAL)) {
        // The group counts its confirmations itself: the storage's count is a scan on FerretDB.
        const res = await asUpdateFailure(() =>
          storageNearby.confirmMembership({ cycleId: s.cycleId, groupId: s.groupId, memberId, actorId, auditId: updateAuditId(), count: false }),
        );
        if (!res.already) s.confirmed += 1;
        return s.view();
      }
      const res = await asUpdateFailure(() =>
        storage.confirmMembership({ cycleId: s.cycleId, groupId: s.groupId, memberId, actorId, auditId: updateAuditId() }),
      );
      s.confirmed = res.confirmed ?? s.confirmed;
      return s.view();
    },
    {
      validator: (arg) => {
        s.checkJoinPhase(arg?.memberId);
        if (!isActorId(arg.actorId)) reject(FAILURE_TYPES.INVALID_DECISION, 'actorId is required');
      },
    },
  );

  setHandler(
    acceptModeratorRoleUpdate,
    async ({ memberId }) => {
      const res = await asUpdateFailure(() =>
        membershipStorage().acceptModerator({ cycleId: s.cycleId, groupId: s.groupId, memberId, auditId: updateAuditId() }),
      );
      s.moderatorMemberId = memberId;
      s.moderatorAccepted = true;
      s.confirmed = res.confirmed;
      return s.view();
    },
    { validator: (arg) => s.checkJoinPhase(arg?.memberId) },
  );

  setHandler(
    submitRecommendationsUpdate,
    async ({ items, actorId }) => {
      s.submitting = true;
      const version = s.submissionVersion + 1;
      try {
        await storage.storeSubmission({ cycleId: s.cycleId, groupId: s.groupId, version, items, actorId, auditId: updateAuditId() });
        s.submissionVersion = version;
        if (s.status !== 'submitted') {
          s.status = 'submitted';
          setSearchAttributes({ status: 'submitted' });
        }
      } finally {
        s.submitting = false;
      }
      return s.view();
    },
    { validator: (arg) => s.checkSubmission(arg) },
  );

  setHandler(
    approveConsolidationUpdate,
    async ({ memberId, version }) => {
      s.approval = { status: 'approved', version };
      setSearchAttributes({ status: 'approval_approved' });
      await storage.recordApproval({
        cycleId: s.cycleId, groupId: s.groupId, version, status: 'approved', actor: { kind: 'member', id: memberId }, auditId: updateAuditId(),
      });
      return s.view();
    },
    { validator: (arg) => s.checkApprovalAnswer(arg) },
  );

  setHandler(
    requestConsolidationChangeUpdate,
    async ({ memberId, version, comment }) => {
      s.approval = { status: 'change_requested', version };
      setSearchAttributes({ status: 'approval_change_requested' });
      await storage.recordApproval({
        cycleId: s.cycleId, groupId: s.groupId, version, status: 'change_requested', comment: comment.trim(),
        actor: { kind: 'member', id: memberId }, auditId: updateAuditId(),
      });
      await mail.sendMail({
        workflowId, purpose: 'change_requested', version: String(version), template: 'staff_alert',
        recipient: { role: 'staff' }, data: { kind: 'change_requested', groupId: s.groupId, version },
      });
      return s.view();
    },
    {
      validator: (arg) => {
        s.checkApprovalAnswer(arg);
        if (!isText(arg.comment, 4000)) reject(FAILURE_TYPES.INVALID_DECISION, 'a comment (at most 4000 characters) says what should change');
      },
    },
  );

  setHandler(
    resolveApprovalUpdate,
    async ({ resolution, actorId, note }) => {
      const version = s.approval.version ?? 0;
      s.approval = { status: 'approved', version };
      setSearchAttributes({ status: 'approval_approved' });
      await storage.recordApproval({
        cycleId: s.cycleId, groupId: s.groupId, version, status: 'approved', resolution, comment: note.trim(),
        actor: { kind: 'staff', id: actorId }, auditId: updateAuditId(),
      });
      // The cycle may be waiting for this before it opens the public review.
      await getExternalWorkflowHandle(cycleWorkflowId(s.cycleId)).signal(approvalSettledSignal, { groupId: s.groupId, version });
      return s.view();
    },
    { validator: (arg) => s.checkResolution(arg) },
  );
}

async function run(s: GroupState, workflowId: string): Promise<void> {
  const snap = await storage.startGroup({ cycleId: s.cycleId, groupId: s.groupId });
  s.kind = snap.kind;
  s.status = snap.status;
  s.moderatorMemberId = snap.moderatorMemberId;
  s.moderatorAccepted = snap.moderatorAccepted;
  s.confirmed = snap.confirmed;
  s.submissionVersion = snap.submissionVersion;
  s.loaded = true;
  setSearchAttributes({ kind: 'group', cycleId: s.cycleId, status: s.status });
  if (!s.live) return; // ended before (a restarted run)

  await welcome(s, workflowId);

  // Group formation: the cycle's verdict (only for groups below the minimum) or deliberation.
  if (s.status === 'forming') {
    await condition(() => s.verdict !== undefined || phaseIndex(s.phase) > phaseIndex('group_formation'));
    if (s.verdict && s.verdict.verdict !== 'keep') return endByVerdict(s, workflowId);
    await setStatus(s, 'active', ['forming']);
  }

  // Deliberation: submissions arrive as updates until the cycle moves to consolidation.
  await condition(() => phaseIndex(s.phase) >= phaseIndex('consolidation') || (s.verdict !== undefined && s.verdict.verdict !== 'keep' && s.submissionVersion === 0));
  if (s.verdict && s.verdict.verdict !== 'keep' && s.submissionVersion === 0 && phaseIndex(s.phase) < phaseIndex('consolidation')) {
    return endByVerdict(s, workflowId);
  }
  await condition(() => !s.submitting);
  if (s.submissionVersion === 0) {
    s.statusReason = 'nothing submitted by the submission deadline';
    await setStatus(s, 'no_recommendations', ['forming', 'active'], s.statusReason);
    return;
  }

  await approvals(s, workflowId);
  s.statusReason = `consolidated wording ${s.approval.status} (version ${s.approval.version ?? 0})`;
  await setStatus(s, 'closed', ['submitted'], s.statusReason);
}

/** Invitations when the group starts: confirm, accept the moderator role, the framing brief. */
async function welcome(s: GroupState, workflowId: string): Promise<void> {
  const common = { workflowId, version: '1', data: { cycleId: s.cycleId, groupId: s.groupId } };
  const expiresAt = s.kind === 'office' ? s.deadlines.formationDeadline : s.deadlines.submissionDeadline;
  if (s.status === 'forming' && s.phase === 'group_formation') {
    await mail.sendBulkMail({
      ...common, purpose: 'group_invitation', template: 'group_invitation',
      audience: { kind: 'group_members', groupId: s.groupId, unconfirmedOnly: true },
      link: { actions: ['confirm_membership'], workflowId, subjectId: s.groupId, version: '1', expiresAt },
    });
  }
  if (!s.moderatorAccepted && s.moderatorMemberId) {
    await mail.sendBulkMail({
      ...common, purpose: 'moderator_invitation', template: 'moderator_invitation',
      audience: { kind: 'group_moderators', cycleId: s.cycleId, groupIds: [s.groupId] },
      link: { actions: ['accept_moderator'], workflowId, subjectId: s.groupId, version: '1', expiresAt },
    });
  }
  await mail.sendBulkMail({ ...common, purpose: 'framing_brief', template: 'framing_brief', audience: { kind: 'group_members', groupId: s.groupId } });
}

async function endByVerdict(s: GroupState, workflowId: string): Promise<void> {
  const verdict = s.verdict!;
  // The cycle's formation activity already recorded the status and its reason in MongoDB.
  s.status = verdict.verdict === 'fallen_back' ? 'fallen_back' : 'cancelled';
  s.statusReason = verdict.reason;
  setSearchAttributes({ status: s.status });
  await mail.sendBulkMail({
    workflowId, purpose: s.status === 'fallen_back' ? 'group_fallen_back' : 'group_cancelled', version: '1',
    template: s.status === 'fallen_back' ? 'group_fallen_back' : 'group_cancelled',
    audience: { kind: 'group_members', groupId: s.groupId },
    data: { cycleId: s.cycleId, groupId: s.groupId, ...(verdict.fallbackGroupId ? { fallbackGroupId: verdict.fallbackGroupId } : {}) },
  });
}

async function setStatus(s: GroupState, status: GroupStatus, from: GroupStatus[], reason?: string): Promise<void> {
  s.status = status;
  setSearchAttributes({ status });
  await storage.setGroupStatus({ cycleId: s.cycleId, groupId: s.groupId, status, from, reason });
}

/**
 * Consolidation: each version the cycle freezes is put to the moderator; silence at the approval
 * deadline counts as approval or escalates to staff, per the cycle's policy. Ends when the
 * cycle opens the public review (it waits for every approval to be settled first).
 */
async function approvals(s: GroupState, workflowId: string): Promise<void> {
  const reviewOpen = () => phaseIndex(s.phase) >= phaseIndex('public_review');
  while (!reviewOpen()) {
    if (s.requestedVersion > (s.approval.version ?? 0)) {
      await askApproval(s, workflowId, s.requestedVersion);
      continue;
    }
    if (s.approval.status === 'pending') {
      const version = s.approval.version;
      const dates = s.datesVersion;
      const answered = await waitFor(
        () => s.approval.status !== 'pending' || s.requestedVersion > (version ?? 0) || s.datesVersion !== dates || reviewOpen(),
        msUntil(s.deadlines.approvalDeadline),
      );
      if (!answered && s.approval.status === 'pending' && Date.now() >= Date.parse(s.deadlines.approvalDeadline)) {
        await silence(s, workflowId);
      }
      continue;
    }
    const status: ApprovalStatus = s.approval.status;
    await condition(() => s.approval.status !== status || s.requestedVersion > (s.approval.version ?? 0) || reviewOpen());
  }
}

async function askApproval(s: GroupState, workflowId: string, version: number): Promise<void> {
  s.approval = { status: 'pending', version };
  setSearchAttributes({ status: 'approval_pending' });
  const system: Actor = { kind: 'system', id: workflowId };
  const res = await storage.recordApproval({
    cycleId: s.cycleId, groupId: s.groupId, version, status: 'pending', actor: system, auditId: `${workflowId}:approval:${version}:requested`,
  });
  if (res.moderatorMemberId) s.moderatorMemberId = res.moderatorMemberId;
  const link = String(version);
  await mail.sendBulkMail({
    workflowId, purpose: 'approval_request', version: link, template: 'approval_request',
    audience: { kind: 'group_moderators', cycleId: s.cycleId, groupIds: [s.groupId] },
    data: { cycleId: s.cycleId, groupId: s.groupId, version, deadline: s.deadlines.approvalDeadline },
    link: { actions: ['approve_consolidation', 'request_change'], workflowId, subjectId: s.groupId, version: link, expiresAt: s.deadlines.approvalDeadline },
  });
}

/** No answer by the approval deadline: an explicit outcome, never a silent fall-through. */
async function silence(s: GroupState, workflowId: string): Promise<void> {
  const version = s.approval.version ?? 0;
  const tacit = (s.silencePolicy ?? 'tacit_approval') === 'tacit_approval';
  const status: ApprovalStatus = tacit ? 'tacitly_approved' : 'escalated';
  s.approval = { status, version };
  setSearchAttributes({ status: `approval_${status}` });
  await storage.recordApproval({
    cycleId: s.cycleId, groupId: s.groupId, version, status, policy: tacit ? 'tacit_approval' : 'escalate',
    actor: { kind: 'system', id: workflowId }, auditId: `${workflowId}:approval:${version}:silence`,
  });
  if (!tacit) {
    await mail.sendMail({
      workflowId, purpose: 'approval_escalated', version: String(version), template: 'staff_alert',
      recipient: { role: 'staff' }, data: { kind: 'approval_escalated', groupId: s.groupId, version },
    });
  }
}
