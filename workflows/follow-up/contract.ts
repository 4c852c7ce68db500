/**
 * The follow-up workflow's contract (`project:<projectId>`): a strategic-plan project or a local
 * initiative. Outlives its cycle (parent close policy ABANDON); asks its owner for progress
 * periodically until done; continues as new so its history stays small over years.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ProjectKind, ProjectStatus } from '../../domain/types';

export { projectWorkflowId } from '../../domain/ids';

/** The workflow type the worker registers (workflows/index.ts). */
export const followUpWorkflowType = 'followUpWorkflow';

export interface FollowUpInput {
  projectId: string;
  kind: ProjectKind;
  progressRequestEveryDays: number;
  /** Carried over continue-as-new. */
  requestsSent?: number;
}

export interface FollowUpStatusView {
  projectId: string;
  status: ProjectStatus;
  lastPercent: number;
  requestsSent: number;
  nextRequestAt?: string;
}

export const reportProgressUpdate = defineUpdate<
  FollowUpStatusView,
  [{ reportId: string; percent: number; note: string; done: boolean; reportedBy: string }]
>('reportProgress');
export const abandonProjectUpdate = defineUpdate<FollowUpStatusView, [{ reason: string; actorId: string }]>('abandonProject');
export const followUpStatusQuery = defineQuery<FollowUpStatusView>('status');
