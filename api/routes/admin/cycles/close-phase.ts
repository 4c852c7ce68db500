import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { idSchema, phaseSchema } from '../../../schemas';
import { closePhaseEarlyUpdate, cycleWorkflowId } from '../../../../workflows/cycle/contract';
import { updateWorkflow } from '../../../temporal';
import { cycleStatusSchema } from './schemas';

/** Ends the current phase now (the phase is named, so a stale click cannot close the next one). */
export default defineRoute({
  name: 'cycles.closePhase',
  method: 'post',
  path: '/admin/cycles/{cycleId}/phases/{phase}/close',
  summary: 'Close the current phase early',
  description: 'The phase in the path must be the current one; the workflow refuses (409) otherwise.',
  tag: 'cycles',
  access: { roles: ['staff'] },
  params: z.strictObject({ cycleId: idSchema, phase: phaseSchema }),
  response: { status: 200, description: 'The cycle status after the change', schema: cycleStatusSchema },
  errors: [409],
  audit: 'cycle.close_phase_early',
  handle: async ({ params, deps, principal, updateId, audit }) => {
    await requireCycle(deps.models, params.cycleId);
    const workflowId = cycleWorkflowId(params.cycleId);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, closePhaseEarlyUpdate, { phase: params.phase, actorId: principal.keyId }, updateId,
    );
    audit.workflowId = workflowId;
    audit.subject = params.phase;
    return status;
  },
});
