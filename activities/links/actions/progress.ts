/** A project owner reports progress from the periodic request mail. */
import { z } from 'zod';
import { reportProgressUpdate } from '../../../workflows/follow-up/contract';
import type { WorkflowLinkAction } from './types';

export const reportProgress: WorkflowLinkAction<{ percent: number; note: string; done: boolean }> = {
  action: 'report_progress',
  kind: 'workflow',
  workflowKind: 'project',
  form: z.object({
    percent: z.coerce.number().int().min(0).max(100),
    note: z.string().trim().max(4000).default(''),
    done: z.enum(['on', 'yes', 'true']).optional().transform((v) => v !== undefined),
  }),
  updateName: reportProgressUpdate.name,
  // The report id is the use id: a redelivery after continue-as-new is still recognised.
  updateArg: (claims, form, useId) => ({
    reportId: `link:${useId.slice(0, 24)}`,
    percent: form.percent,
    note: form.note,
    done: form.done,
    reportedBy: claims.memberId,
  }),
};
