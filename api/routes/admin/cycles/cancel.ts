import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { cycleParams } from '../../../schemas';
import { cancelCycleUpdate, cycleWorkflowId } from '../../../../workflows/cycle/contract';
import { updateWorkflow } from '../../../temporal';
import { cycleStatusSchema } from './schemas';

/** Cancels the whole edition; its groups, boards and assemblies end with it. */
export default defineRoute({
  name: 'cycles.cancel',
  method: 'post',
  path: '/admin/cycles/{cycleId}/cancel',
  summary: 'Cancel a running cycle',
  tag: 'cycles',
  access: { roles: ['staff'] },
  params: cycleParams,
  body: z.strictObject({ reason: z.string().trim().min(3).max(1000) }).openapi('CancelCycle'),
  response: { status: 200, description: 'The cycle status after cancellation', schema: cycleStatusSchema },
  errors: [409],
  audit: 'cycle.cancel',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    await requireCycle(deps.models, params.cycleId);
    const workflowId = cycleWorkflowId(params.cycleId);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, cancelCycleUpdate, { reason: body.reason, actorId: principal.keyId }, updateId,
    );
    audit.workflowId = workflowId;
    audit.details = { reason: body.reason };
    return status;
  },
});
