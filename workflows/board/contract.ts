/**
 * The board-review workflow's contract: one per country, in parallel. Board secretaries record
 * decisions as updates; validators reject wrong phase, unknown recommendation, missing motivation.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BoardDecision, BoardStatus, CountryCode } from '../../domain/types';

export { boardWorkflowId } from '../../domain/ids';

/** The workflow type the worker registers (workflows/index.ts). */
export const boardWorkflowType = 'boardWorkflow';

export interface BoardInput {
  cycleId: string;
  country: CountryCode;
  boardDeadline: string;
  assemblyDate: string;
  reminderOffsetsDays: number[];
  /**
   * The board starts when the public review opens (so secretaries see the scope), but takes
   * decisions only once the cycle opens it at the end of the review (`boardOpenSignal`).
   */
  open: boolean;
  /** Carried over continue-as-new: recommendation ids in scope, those decided (id → revision). */
  carried?: { scope: string[]; decided: Record<string, number>; status: BoardStatus; remindersSent: string[] };
}

export interface BoardResult {
  country: CountryCode;
  status: BoardStatus;
  decided: number;
  undecided: number;
}

export interface BoardStatusView extends BoardResult {
  cycleId: string;
  boardDeadline: string;
  assemblyDate: string;
  scope: number;
}

/** At most this many decisions in one batch update (keeps payloads and histories small). */
export const MAX_DECISIONS_PER_BATCH = 100;

export const recordDecisionUpdate = defineUpdate<BoardStatusView, [BoardDecision]>('recordDecision');
export const recordDecisionsUpdate = defineUpdate<BoardStatusView, [{ decisions: BoardDecision[] }]>('recordDecisions');
/** From the cycle: new board deadline or assembly date after staff extended them (bounded: one per extension). */
export const boardDatesSignal = defineSignal<[{ boardDeadline: string; assemblyDate: string }]>('boardDates');
/** From the cycle when the public review closes: decisions are accepted from now on. */
export const boardOpenSignal = defineSignal('boardOpen');
export const boardStatusQuery = defineQuery<BoardStatusView>('status');
