import { z } from '../../zod';
import type { AppDeps } from '../../deps';
import type { OpsDeps } from '../../usecases/ops';
import { parseWorkflowId } from '../../../domain/ids';

/** A workflow id of this project (`cycle:…`, `project:…`); others are refused. */
export const workflowIdSchema = z
  .string()
  .max(300)
  .refine((id) => parseWorkflowId(id) !== undefined && /^[A-Za-z0-9_:-]+$/.test(id), {
    message: 'a workflow id of this project, e.g. cycle:sip-2019-2020 or cycle:sip-2019-2020:board:BE',
  })
  .openapi({ example: 'cycle:sip-2019-2020' });

export const workflowSummarySchema = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    type: z.string(),
    status: z.string(),
    startTime: z.string(),
    closeTime: z.string().optional(),
    historyLength: z.number(),
    searchAttributes: z.record(z.string(), z.string()),
    webUiUrl: z.string(),
  })
  .openapi('WorkflowSummary');

export const timelineEntrySchema = z
  .object({
    at: z.string(),
    workflowId: z.string().optional(),
    kind: z.enum([
      'workflow_started', 'workflow_closed', 'phase_entered', 'status_changed', 'deadline_armed', 'deadline_fired',
      'deadline_cancelled', 'decision', 'decision_failed', 'signal', 'child_started', 'child_closed', 'mail_sent',
      'mail_failed', 'activity', 'activity_failed', 'audit',
    ]),
    summary: z.string(),
    actor: z.object({ id: z.string(), label: z.string() }).optional(),
    source: z.enum(['history', 'audit']),
    eventId: z.number().optional(),
    /** The run the event belongs to (a workflow that continued as new has several). */
    runId: z.string().optional(),
    webUiUrl: z.string().optional(),
  })
  .openapi('TimelineEntry');

export function opsDeps(deps: AppDeps): OpsDeps {
  return {
    models: deps.models,
    temporalClient: deps.temporalClient,
    uiUrl: deps.config.TEMPORAL_UI_URL,
    namespace: deps.config.TEMPORAL_NAMESPACE,
  };
}

/** Query-string booleans: `true`/`1` and `false`/`0`. */
export const queryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');
