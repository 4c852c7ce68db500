import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { idSchema } from '../../../schemas';
import { requireGroup } from '../../../../activities/storage/cycle-config';
import { confirmMembershipUpdate, groupWorkflowId } from '../../../../workflows/group/contract';
import { updateWorkflow } from '../../../temporal';
import { groupStatusSchema } from './schemas';

/** Staff confirm a member's participation on their behalf (phone, paper sign-up sheet). */
export default defineRoute({
  name: 'groups.confirmMember',
  method: 'post',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/members/{memberId}/confirm',
  summary: 'Confirm a member’s participation on their behalf',
  tag: 'groups',
  access: { roles: ['staff'] },
  params: z.strictObject({ cycleId: idSchema, groupId: idSchema, memberId: idSchema }),
  response: { status: 200, description: 'The group status', schema: groupStatusSchema },
  errors: [409],
  audit: 'group.confirm_member',
  handle: async ({ params, deps, principal, updateId, audit }) => {
    await requireGroup(deps.models, params.cycleId, params.groupId);
    const workflowId = groupWorkflowId(params.cycleId, params.groupId);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, confirmMembershipUpdate, { memberId: params.memberId, actorId: principal.keyId }, updateId,
    );
    audit.workflowId = workflowId;
    audit.subject = params.memberId;
    return status;
  },
});
