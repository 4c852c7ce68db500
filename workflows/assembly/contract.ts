/**
 * The general-assembly workflow's contract: one per country. Waits for the assembly date, then for
 * its result (en bloc or per recommendation), then creates the strategic-plan projects.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AssemblyStatus, AssemblyVote, CountryCode, LocalizedText } from '../../domain/types';

export { assemblyWorkflowId } from '../../domain/ids';

/** The workflow type the worker registers (workflows/index.ts). */
export const assemblyWorkflowType = 'assemblyWorkflow';

export interface AssemblyInput {
  cycleId: string;
  country: CountryCode;
  assemblyDate: string;
  progressRequestEveryDays: number;
  /** Carried over continue-as-new while follow-up workflows are being started in batches. */
  carried?: { result: AssemblyResult; projectIdsToStart: string[] };
}

export type AssemblyResultInput =
  | { mode: 'en_bloc'; votes: AssemblyVote; nextThemes: { title: LocalizedText }[]; actorId: string }
  | {
      mode: 'per_recommendation';
      items: { recommendationId: string; votes: AssemblyVote }[];
      nextThemes: { title: LocalizedText }[];
      actorId: string;
    };

export interface AssemblyResult {
  country: CountryCode;
  status: AssemblyStatus;
  ratified: number;
  projectIds: string[];
  backlog: number;
}

export interface AssemblyStatusView extends AssemblyResult {
  cycleId: string;
  assemblyDate: string;
}

export const recordAssemblyResultUpdate = defineUpdate<AssemblyStatusView, [AssemblyResultInput]>('recordAssemblyResult');
/** From the cycle: the assembly date moved (bounded: one per extension). */
export const assemblyDateSignal = defineSignal<[{ assemblyDate: string }]>('assemblyDate');
export const assemblyStatusQuery = defineQuery<AssemblyStatusView>('status');
