import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { requireGroup } from '../../../../activities/storage/cycle-config';
import { groupWorkflowId, resolveApprovalUpdate } from '../../../../workflows/group/contract';
import { updateWorkflow } from '../../../temporal';
import { groupParams, groupStatusSchema } from './schemas';

/** Staff settle an escalated or change-requested approval of the consolidated wording. */
export default defineRoute({
  name: 'groups.resolveApproval',
  method: 'post',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/approval/resolve',
  summary: 'Settle a group’s escalated or change-requested approval',
  tag: 'consolidation',
  access: { roles: ['staff'] },
  params: groupParams,
  body: z
    .strictObject({ resolution: z.enum(['approved', 'change_applied']), note: z.string().trim().min(1).max(2000) })
    .openapi('ResolveApprovalInput'),
  response: { status: 200, description: 'The group status', schema: groupStatusSchema },
  errors: [409],
  audit: 'group.resolve_approval',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    await requireGroup(deps.models, params.cycleId, params.groupId);
    const workflowId = groupWorkflowId(params.cycleId, params.groupId);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, resolveApprovalUpdate, { ...body, actorId: principal.keyId }, updateId,
    );
    audit.workflowId = workflowId;
    audit.subject = params.groupId;
    audit.details = { resolution: body.resolution };
    return status;
  },
});
