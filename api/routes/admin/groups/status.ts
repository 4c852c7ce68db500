import { defineRoute } from '../../../registry';
import { requireGroup } from '../../../../activities/storage/cycle-config';
import { groupStatusQuery, groupWorkflowId } from '../../../../workflows/group/contract';
import { queryWorkflow } from '../../../temporal';
import { groupParams, groupStatusSchema } from './schemas';

/** The live status of a group, asked of its workflow. */
export default defineRoute({
  name: 'groups.status',
  method: 'get',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/status',
  summary: 'Live status of a group (workflow query)',
  tag: 'groups',
  access: { roles: ['staff', 'operator'] },
  params: groupParams,
  response: { status: 200, description: 'What the group workflow reports', schema: groupStatusSchema },
  errors: [409],
  handle: async ({ params, deps }) => {
    await requireGroup(deps.models, params.cycleId, params.groupId);
    return queryWorkflow(deps.temporalClient, groupWorkflowId(params.cycleId, params.groupId), groupStatusQuery);
  },
});
