import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { z } from '../../../zod';
import { defineRoute, JsonReply } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { cycleParams } from '../../../schemas';
import { cycleWorkflowId, type CycleInput } from '../../../../workflows/cycle/contract';
import { WORKFLOW_TYPES, webUiLink } from '../../../temporal';
import { ConflictError } from '../../../../domain/errors';

export const startedSchema = z
  .object({ workflowId: z.string(), runId: z.string(), webUiUrl: z.string() })
  .openapi('WorkflowStarted');

const SipKind = defineSearchAttributeKey('SipKind', SearchAttributeType.KEYWORD);
const SipCycleId = defineSearchAttributeKey('SipCycleId', SearchAttributeType.KEYWORD);
const SipPhase = defineSearchAttributeKey('SipPhase', SearchAttributeType.KEYWORD);

/** Starts the cycle workflow; from then on the workflow owns the phases and the deadlines. */
export default defineRoute({
  name: 'cycles.start',
  method: 'post',
  path: '/admin/cycles/{cycleId}/start',
  summary: 'Start a cycle: its workflow takes over phases and deadlines',
  description: 'The cycle needs at least one theme per country. Starting twice answers 409.',
  tag: 'cycles',
  access: { roles: ['staff'] },
  params: cycleParams,
  response: { status: 202, description: 'The workflow started', schema: startedSchema },
  errors: [409],
  audit: 'cycle.start',
  handle: async ({ params, deps, audit }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    if (cycle.status !== 'draft') throw new ConflictError(`cycle ${cycle._id} is already ${cycle.status}`);
    const themes = await deps.models.Theme.find({ cycleId: cycle._id }, { country: 1 }).lean();
    const withoutTheme = cycle.countries.filter((c) => !themes.some((t) => t.country === c.country));
    if (withoutTheme.length) {
      throw new ConflictError(`no theme yet for ${withoutTheme.map((c) => c.country).join(', ')}`);
    }
    const workflowId = cycleWorkflowId(cycle._id);
    const input: CycleInput = { cycleId: cycle._id };
    const handle = await deps.temporalClient.workflow.start(WORKFLOW_TYPES.cycle, {
      workflowId,
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: SipKind, value: 'cycle' },
        { key: SipCycleId, value: cycle._id },
        { key: SipPhase, value: 'preparation' },
      ],
    });
    audit.workflowId = workflowId;
    audit.subject = cycle._id;
    return new JsonReply(202, {
      workflowId,
      runId: handle.firstExecutionRunId,
      webUiUrl: webUiLink(deps.config.TEMPORAL_UI_URL, deps.config.TEMPORAL_NAMESPACE, workflowId),
    });
  },
});
