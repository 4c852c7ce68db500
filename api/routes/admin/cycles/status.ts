import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { cycleParams } from '../../../schemas';
import { cycleStatusQuery, cycleWorkflowId } from '../../../../workflows/cycle/contract';
import { queryWorkflow } from '../../../temporal';
import { cycleStatusSchema } from './schemas';

/** The live status, asked of the cycle workflow itself (phase, deadlines, boards, assemblies). */
export default defineRoute({
  name: 'cycles.status',
  method: 'get',
  path: '/admin/cycles/{cycleId}/status',
  summary: 'Live status of a running cycle (workflow query)',
  tag: 'cycles',
  access: { roles: ['staff', 'operator', 'board_secretary'] },
  params: cycleParams,
  response: { status: 200, description: 'What the workflow reports', schema: cycleStatusSchema },
  errors: [409],
  handle: async ({ params, deps }) => {
    await requireCycle(deps.models, params.cycleId);
    return queryWorkflow(deps.temporalClient, cycleWorkflowId(params.cycleId), cycleStatusQuery);
  },
});
