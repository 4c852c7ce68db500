import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { idSchema, localDateTimeSchema } from '../../../schemas';
import { cycleWorkflowId, extendDeadlineUpdate } from '../../../../workflows/cycle/contract';
import { CYCLE_DEADLINES } from '../../../../domain/types';
import { updateWorkflow } from '../../../temporal';
import { convertOne } from '../../../usecases/cycle-dates';
import { cycleStatusSchema } from './schemas';

/** Moves one of the cycle's dates later; the workflow checks it is not closed and re-arms its timer. */
export default defineRoute({
  name: 'cycles.extendDeadline',
  method: 'post',
  path: '/admin/cycles/{cycleId}/deadlines/{deadline}/extend',
  summary: 'Extend one of the cycle’s deadlines',
  description: 'The date is read in `timeZone` (default: the first country’s). The workflow refuses (409/422) a closed phase or an earlier date.',
  tag: 'cycles',
  access: { roles: ['staff'] },
  params: z.strictObject({ cycleId: idSchema, deadline: z.enum(CYCLE_DEADLINES) }),
  body: z.strictObject({ until: localDateTimeSchema, timeZone: z.string().min(1).optional() }).openapi('ExtendDeadline'),
  response: { status: 200, description: 'The cycle status after the change', schema: cycleStatusSchema },
  errors: [409],
  audit: 'cycle.extend_deadline',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    const until = convertOne(body.until, body.timeZone ?? cycle.countries[0].timeZone, params.deadline, 'body.until');
    const workflowId = cycleWorkflowId(cycle._id);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, extendDeadlineUpdate,
      { deadline: params.deadline, until, actorId: principal.keyId }, updateId,
    );
    audit.workflowId = workflowId;
    audit.subject = params.deadline;
    audit.details = { until };
    return status;
  },
});
