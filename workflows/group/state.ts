/**
 * A working group's state inside its workflow, and the rules its updates check. Plain data and
 * pure functions (no Temporal calls), so validators stay synchronous and testable.
 */
import type { ApprovalSilencePolicy, ApprovalStatus, CycleDeadlines, GroupKind, GroupStatus, Phase } from '../../domain/types';
import { PHASES } from '../../domain/types';
import { FAILURE_TYPES } from '../../domain/errors';
import { isActorId, isText, reject } from '../shared/messages';
import { SUBMISSION_LIMITS, type CycleMessage, type GroupInput, type GroupStatusView, type SubmittedRecommendation } from './contract';

export const phaseIndex = (phase: Phase) => PHASES.indexOf(phase);

/** Statuses in which a group still takes part. */
const LIVE: GroupStatus[] = ['forming', 'active', 'submitted'];

export class GroupState {
  readonly cycleId: string;
  readonly groupId: string;
  kind: GroupKind;
  readonly silencePolicy: ApprovalSilencePolicy;
  phase: Phase;
  seq: number;
  deadlines: CycleDeadlines;
  /** Bumped whenever the cycle changes phase or deadlines: waits re-arm their timers. */
  datesVersion = 0;
  status: GroupStatus = 'forming';
  statusReason?: string;
  moderatorMemberId?: string;
  moderatorAccepted = false;
  confirmed = 0;
  submissionVersion = 0;
  submitting = false;
  approval: { status: ApprovalStatus; version?: number } = { status: 'not_requested' };
  /** The newest version the cycle asked for; the main loop sends the mail and records it. */
  requestedVersion = 0;
  verdict?: { verdict: 'keep' | 'fallen_back' | 'cancelled'; fallbackGroupId?: string; reason?: string };
  loaded = false;

  constructor(input: GroupInput) {
    this.cycleId = input.cycleId;
    this.groupId = input.groupId;
    this.kind = input.kind;
    this.silencePolicy = input.silencePolicy;
    this.phase = input.phase;
    this.seq = input.seq;
    this.deadlines = { ...input.deadlines };
  }

  /** A phase broadcast from the cycle; an older one (lower seq) is ignored. */
  onPhase(seq: number, phase: Phase, deadlines: CycleDeadlines): void {
    if (seq <= this.seq) return;
    this.seq = seq;
    this.phase = phase;
    this.deadlines = { ...deadlines };
    this.datesVersion += 1;
  }

  /** A message of the cycle's broadcast (update or signal); each kind is idempotent. */
  onCycleMessage(m: CycleMessage): void {
    switch (m.kind) {
      case 'phase':
        this.onPhase(m.seq, m.phase, m.deadlines);
        break;
      case 'formation_verdict':
        if (!this.verdict) this.verdict = { verdict: m.verdict, fallbackGroupId: m.fallbackGroupId, reason: m.reason };
        break;
      case 'approval_requested':
        if (m.version > this.requestedVersion) this.requestedVersion = m.version;
        break;
    }
  }

  get live(): boolean {
    return LIVE.includes(this.status);
  }

  view(): GroupStatusView {
    return {
      groupId: this.groupId,
      status: this.status,
      phase: this.phase,
      moderatorAccepted: this.moderatorAccepted,
      members: this.confirmed,
      submissionVersion: this.submissionVersion,
      approval: { ...this.approval },
    };
  }

  // --- validators: throw ApplicationFailure with the product's failure type -------------------

  checkJoinPhase(memberId: unknown): void {
    if (!this.loaded) reject(FAILURE_TYPES.WRONG_PHASE, 'the group is starting; try again in a moment');
    if (!isActorId(memberId)) reject(FAILURE_TYPES.INVALID_DECISION, 'memberId must be a member id');
    if (!this.live) reject(FAILURE_TYPES.WRONG_PHASE, `group ${this.groupId} is ${this.status}`);
    if (this.phase !== 'group_formation' && this.phase !== 'deliberation') {
      reject(FAILURE_TYPES.WRONG_PHASE, `members join during group formation or deliberation; the cycle is in ${this.phase}`);
    }
  }

  checkSubmission(input: { items: SubmittedRecommendation[]; actorId: string }): void {
    if (!this.loaded) reject(FAILURE_TYPES.WRONG_PHASE, 'the group is starting; try again in a moment');
    if (this.phase !== 'deliberation') reject(FAILURE_TYPES.WRONG_PHASE, `recommendations are submitted during deliberation; the cycle is in ${this.phase}`);
    if (Date.now() >= Date.parse(this.deadlines.submissionDeadline)) reject(FAILURE_TYPES.WRONG_PHASE, 'the submission deadline has passed');
    if (this.status !== 'active' && this.status !== 'submitted') reject(FAILURE_TYPES.WRONG_PHASE, `group ${this.groupId} is ${this.status}`);
    if (this.submitting) reject(FAILURE_TYPES.CONFLICT, 'another submission of this group is being recorded');
    if (!isActorId(input?.actorId)) reject(FAILURE_TYPES.INVALID_DECISION, 'actorId is required');
    const items = input.items;
    if (!Array.isArray(items) || items.length === 0) reject(FAILURE_TYPES.INVALID_DECISION, 'a submission has at least one recommendation');
    if (items.length > SUBMISSION_LIMITS.maxItems) reject(FAILURE_TYPES.INVALID_DECISION, `at most ${SUBMISSION_LIMITS.maxItems} recommendations`);
    items.forEach((item, i) => {
      const at = `recommendation ${i + 1}`;
      if (!isText(item?.title, SUBMISSION_LIMITS.titleMax)) reject(FAILURE_TYPES.INVALID_DECISION, `${at}: a title of at most ${SUBMISSION_LIMITS.titleMax} characters is required`);
      if (!isText(item.text, SUBMISSION_LIMITS.textMax)) reject(FAILURE_TYPES.INVALID_DECISION, `${at}: a text of at most ${SUBMISSION_LIMITS.textMax} characters is required`);
      if (!isText(item.context, SUBMISSION_LIMITS.contextMax)) {
        reject(FAILURE_TYPES.INVALID_DECISION, `${at}: the context (how it fits ongoing projects) is required, at most ${SUBMISSION_LIMITS.contextMax} characters`);
      }
    });
  }

  /** Approve or ask a change: consolidation phase, approval pending, the moderator, the current version. */
  checkApprovalAnswer(input: { memberId: string; version: number }): void {
    if (this.phase !== 'consolidation') reject(FAILURE_TYPES.WRONG_PHASE, `approvals are given during consolidation; the cycle is in ${this.phase}`);
    if (this.approval.status !== 'pending') {
      reject(this.approval.status === 'not_requested' ? FAILURE_TYPES.WRONG_PHASE : FAILURE_TYPES.CONFLICT, `no approval is pending (${this.approval.status})`);
    }
    if (!this.moderatorMemberId || input?.memberId !== this.moderatorMemberId) reject(FAILURE_TYPES.NOT_ALLOWED, 'only the group\'s moderator approves its wording');
    if (input.version !== this.approval.version) {
      reject(FAILURE_TYPES.CONFLICT, `version ${input.version} is outdated: the wording to approve is version ${this.approval.version}`);
    }
  }

  checkResolution(input: { resolution: string; actorId: string; note: string }): void {
    if (this.phase !== 'consolidation') reject(FAILURE_TYPES.WRONG_PHASE, `approvals are settled during consolidation; the cycle is in ${this.phase}`);
    if (this.approval.status !== 'escalated' && this.approval.status !== 'change_requested') {
      reject(FAILURE_TYPES.CONFLICT, `nothing to settle: the approval is ${this.approval.status}`);
    }
    if (input?.resolution !== 'approved' && input?.resolution !== 'change_applied') reject(FAILURE_TYPES.INVALID_DECISION, 'resolution is approved or change_applied');
    if (!isActorId(input.actorId)) reject(FAILURE_TYPES.INVALID_DECISION, 'actorId is required');
    if (!isText(input.note, 4000)) reject(FAILURE_TYPES.INVALID_DECISION, 'a note (at most 4000 characters) is required');
  }
}
