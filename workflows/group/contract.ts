/**
 * The working-group workflow's contract. A group workflow owns the group's human decisions:
 * members confirming, the moderator accepting, the submission, the approval of the consolidated
 * wording. It learns phases and deadlines from the cycle (`cyclePhaseSignal`, bounded: one per
 * phase change or extension).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ApprovalSilencePolicy, ApprovalStatus, CycleDeadlines, GroupKind, GroupStatus, Phase,
} from '../../domain/types';

export { groupWorkflowId } from '../../domain/ids';

/** The workflow type the worker registers (workflows/index.ts). */
export const groupWorkflowType = 'groupWorkflow';

export interface GroupInput {
  cycleId: string;
  groupId: string;
  kind: GroupKind;
  phase: Phase;
  /** The cycle's broadcast sequence number of `phase`/`deadlines`: older broadcasts are ignored. */
  seq: number;
  deadlines: CycleDeadlines;
  silencePolicy: ApprovalSilencePolicy;
}

export interface GroupResult {
  groupId: string;
  status: GroupStatus;
  approval: ApprovalStatus;
  reason?: string;
}

export interface GroupStatusView {
  groupId: string;
  status: GroupStatus;
  phase: Phase;
  moderatorAccepted: boolean;
  members: number;
  submissionVersion: number;
  approval: { status: ApprovalStatus; version?: number };
}

export interface SubmittedRecommendation {
  title: string;
  text: string;
  context: string;
}

/** Limits of a submission (the seed asks for clear and concise recommendations with context). */
export const SUBMISSION_LIMITS = {
  maxItems: 30,
  titleMax: 200,
  textMax: 4000,
  contextMax: 4000,
} as const;

/** The cycle's broadcast: a new phase, new deadlines, or a group-specific verdict. */
export const cyclePhaseSignal = defineSignal<[{ seq: number; phase: Phase; deadlines: CycleDeadlines }]>('cyclePhase');
/** The cycle's verdict at the formation deadline for a group below the minimum size. */
export const formationVerdictSignal = defineSignal<
  [{ verdict: 'keep' | 'fallen_back' | 'cancelled'; fallbackGroupId?: string; reason?: string }]
>('formationVerdict');
/** The cycle asks this group's moderator to approve consolidation `version`. */
export const approvalRequestedSignal = defineSignal<[{ version: number }]>('approvalRequested');
/**
 * The same three messages as one update, which the cycle's broadcast sends since 2026-11: the call
 * returns once this group has applied it, so a broadcast to a thousand groups advances at the
 * pace the workers absorb instead of waking them all at once. The signals stay for runs whose
 * history holds them, and as the broadcast's fallback when an update does not complete in time.
 */
export type CycleMessage =
  | { kind: 'phase'; seq: number; phase: Phase; deadlines: CycleDeadlines }
  | { kind: 'formation_verdict'; verdict: 'keep' | 'fallen_back' | 'cancelled'; fallbackGroupId?: string; reason?: string }
  | { kind: 'approval_requested'; version: number };
export const cycleMessageUpdate = defineUpdate<void, [CycleMessage]>('cycleMessage');
// A cancelled cycle cancels its open group workflows (Temporal cancellation, sent by the
// broadcast activity): the group records `cancelled` and ends. No signal needed.

/** A member confirms joining the group (emailed link or staff). */
export const confirmMembershipUpdate = defineUpdate<GroupStatusView, [{ memberId: string; actorId: string }]>('confirmMembership');
/** The moderator accepts the role (emailed link). Validator: memberId is this group's moderator. */
export const acceptModeratorRoleUpdate = defineUpdate<GroupStatusView, [{ memberId: string }]>('acceptModeratorRole');
/** The group's list; replaces an earlier one until the deadline. Validator: deliberation, limits. */
export const submitRecommendationsUpdate = defineUpdate<
  GroupStatusView,
  [{ items: SubmittedRecommendation[]; actorId: string }]
>('submitRecommendations');
/** The moderator approves the consolidated wording of `version`. */
export const approveConsolidationUpdate = defineUpdate<GroupStatusView, [{ memberId: string; version: number }]>(
  'approveConsolidation',
);
/** The moderator asks for a change, with a comment; staff rework and ask again. */
export const requestConsolidationChangeUpdate = defineUpdate<
  GroupStatusView,
  [{ memberId: string; version: number; comment: string }]
>('requestConsolidationChange');
/** Staff settle an escalated or change-requested approval. */
export const resolveApprovalUpdate = defineUpdate<
  GroupStatusView,
  [{ resolution: 'approved' | 'change_applied'; actorId: string; note: string }]
>('resolveApproval');

export const groupStatusQuery = defineQuery<GroupStatusView>('status');
