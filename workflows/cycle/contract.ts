/**
 * The cycle workflow's contract: id, messages, input and result. The api imports this file,
 * never the workflow code. Ids and enum words only cross this boundary (no personal data).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  CountryCode, CycleDeadlineName, CycleDeadlines, CyclePolicies, CountrySchedule, Phase,
} from '../../domain/types';

export { cycleWorkflowId } from '../../domain/ids';

/** The workflow type the worker registers (workflows/index.ts). */
export const cycleWorkflowType = 'cycleWorkflow';

export interface CycleInput {
  cycleId: string;
}

/** The configuration the workflow reads once (by activity) when it starts. */
export interface CycleConfig {
  cycleId: string;
  deadlines: CycleDeadlines;
  countries: CountrySchedule[];
  policies: CyclePolicies;
  /** Where the cycle stood when this run started (a restarted run resumes; normally `draft`). */
  status: 'draft' | 'running' | 'completed' | 'cancelled';
}

export type CycleOutcome = 'completed' | 'cancelled';

export interface CycleResult {
  cycleId: string;
  outcome: CycleOutcome;
  phase: Phase;
  reason?: string;
}

export interface CycleStatusView {
  cycleId: string;
  phase: Phase;
  phaseEnteredAt: string;
  deadlines: CycleDeadlines;
  /** Per country, where its board and assembly stand. */
  countries: { country: CountryCode; board: string; assembly: string; boardDeadline: string; assemblyDate: string }[];
  groups: { total: number; open: number; online: number };
  consolidationVersion: number;
  cancelled: boolean;
  /** Staff attention needed: e.g. escalated approvals blocking the public review. */
  blockedOn?: string;
}

/** Staff move a deadline. Validator: a later date, in the future, for a phase not yet closed. */
export const extendDeadlineUpdate = defineUpdate<CycleStatusView, [{ deadline: CycleDeadlineName; until: string; actorId: string }]>(
  'extendDeadline',
);
/** Staff move a country's board deadline or assembly date. Same rules as extendDeadline. */
export const extendCountryDateUpdate = defineUpdate<
  CycleStatusView,
  [{ country: CountryCode; date: 'boardDeadline' | 'assemblyDate'; until: string; actorId: string }]
>('extendCountryDate');
/** Staff end the current phase now. Validator: `phase` must be the current one and closable. */
export const closePhaseEarlyUpdate = defineUpdate<CycleStatusView, [{ phase: Phase; actorId: string }]>('closePhaseEarly');
/** Staff cancel the whole edition; groups, boards and assemblies are cancelled with it. */
export const cancelCycleUpdate = defineUpdate<CycleStatusView, [{ reason: string; actorId: string }]>('cancelCycle');
/** Staff add a group during formation: the cycle starts its workflow. */
export const registerGroupUpdate = defineUpdate<CycleStatusView, [{ groupId: string; actorId: string }]>('registerGroup');
/**
 * Staff freeze the consolidated document (version) and ask every moderator concerned to approve
 * the wording of their group's recommendations. Validator: phase is consolidation.
 */
export const requestApprovalsUpdate = defineUpdate<
  { version: number; groupsAsked: number },
  [{ actorId: string }]
>('requestApprovals');

export const cycleStatusQuery = defineQuery<CycleStatusView>('status');

/**
 * Internal: a group whose escalated (or change-requested) approval staff just settled. Bounded:
 * one per escalation. The cycle then re-reads the approval summary and opens the public review
 * when nothing blocks it any more.
 */
export const approvalSettledSignal = defineSignal<[{ groupId: string; version: number }]>('approvalSettled');
