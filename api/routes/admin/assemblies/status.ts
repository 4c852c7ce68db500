import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { assemblyStatusQuery, assemblyWorkflowId } from '../../../../workflows/assembly/contract';
import { queryWorkflow } from '../../../temporal';
import { boardParams } from '../boards/schemas';
import { assemblyStatusSchema } from './schemas';
import { NotFoundError } from '../../../../domain/errors';

/** Where a country's general assembly stands. */
export default defineRoute({
  name: 'assemblies.status',
  method: 'get',
  path: '/admin/cycles/{cycleId}/assemblies/{country}',
  summary: 'Live status of a country’s general assembly (workflow query)',
  tag: 'assemblies',
  access: { roles: ['staff', 'operator', 'board_secretary'], country: (params) => params.country },
  params: boardParams,
  response: { status: 200, description: 'The assembly status', schema: assemblyStatusSchema },
  errors: [409],
  handle: async ({ params, deps }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    if (!cycle.countries.some((c) => c.country === params.country)) throw new NotFoundError('assembly', params.country);
    return queryWorkflow(deps.temporalClient, assemblyWorkflowId(params.cycleId, params.country), assemblyStatusQuery);
  },
});
