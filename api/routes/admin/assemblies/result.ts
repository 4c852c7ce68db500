import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { assemblyWorkflowId, recordAssemblyResultUpdate } from '../../../../workflows/assembly/contract';
import { updateWorkflow } from '../../../temporal';
import { boardParams } from '../boards/schemas';
import { assemblyResultSchema, assemblyStatusSchema } from './schemas';
import { NotFoundError } from '../../../../domain/errors';

/** Records a general assembly's result; ratified recommendations become strategic-plan projects. */
export default defineRoute({
  name: 'assemblies.recordResult',
  method: 'post',
  path: '/admin/cycles/{cycleId}/assemblies/{country}/result',
  summary: 'Record a general assembly’s result',
  description: 'Once the assembly date has come (409 before). Board secretaries for their own country, or staff.',
  tag: 'assemblies',
  access: { roles: ['staff', 'board_secretary'], country: (params) => params.country },
  params: boardParams,
  body: assemblyResultSchema,
  response: { status: 200, description: 'The assembly status', schema: assemblyStatusSchema },
  errors: [409],
  audit: 'assembly.record_result',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    if (!cycle.countries.some((c) => c.country === params.country)) throw new NotFoundError('assembly', params.country);
    const workflowId = assemblyWorkflowId(params.cycleId, params.country);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, recordAssemblyResultUpdate, { ...body, actorId: principal.keyId }, updateId,
    );
    audit.workflowId = workflowId;
    audit.details = { country: params.country, mode: body.mode };
    return status;
  },
});
