import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { boardStatusQuery, boardWorkflowId } from '../../../../workflows/board/contract';
import { queryWorkflow } from '../../../temporal';
import { boardParams, boardStatusSchema } from './schemas';
import { NotFoundError } from '../../../../domain/errors';

/** Where a country's board stands: decided, undecided, deadline. */
export default defineRoute({
  name: 'boards.status',
  method: 'get',
  path: '/admin/cycles/{cycleId}/boards/{country}',
  summary: 'Live status of a country’s board review (workflow query)',
  tag: 'boards',
  access: { roles: ['staff', 'operator', 'board_secretary'], country: (params) => params.country },
  params: boardParams,
  response: { status: 200, description: 'The board status', schema: boardStatusSchema },
  errors: [409],
  handle: async ({ params, deps }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    if (!cycle.countries.some((c) => c.country === params.country)) throw new NotFoundError('board', params.country);
    return queryWorkflow(deps.temporalClient, boardWorkflowId(params.cycleId, params.country), boardStatusQuery);
  },
});
