import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams, idSchema } from '../../../schemas';
import { createGroup } from '../../../../activities/storage/cycle-config';
import { cycleWorkflowId, registerGroupUpdate } from '../../../../workflows/cycle/contract';
import { groupSchema, groupView } from './schemas';

/**
 * Adds a working group. Before the cycle starts the workflow reads it with the configuration;
 * once it runs, the group is registered with the cycle workflow (which starts the group's own
 * workflow); if the workflow refuses, the group is removed again so nothing stays half-done.
 */
export default defineRoute({
  name: 'groups.create',
  method: 'post',
  path: '/admin/cycles/{cycleId}/groups',
  summary: 'Add a working group (an office on a theme, or a theme’s online group)',
  tag: 'groups',
  access: { roles: ['staff'] },
  params: cycleParams,
  body: z
    .strictObject({
      id: idSchema,
      themeId: idSchema,
      kind: z.enum(['office', 'online']),
      officeId: idSchema.optional(),
    })
    .refine((b) => b.kind === 'online' || Boolean(b.officeId), { message: 'an office group needs officeId', path: ['officeId'] })
    .openapi('GroupInput'),
  response: { status: 201, description: 'The group', schema: groupSchema },
  errors: [409],
  audit: 'group.create',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const { group } = await createGroup(deps.models, { ...body, cycleId: params.cycleId });
    const workflowId = cycleWorkflowId(params.cycleId);
    try {
      await deps.temporalClient.workflow
        .getHandle(workflowId)
        .executeUpdate(registerGroupUpdate, { args: [{ groupId: group._id, actorId: principal.keyId }], updateId });
      audit.workflowId = workflowId;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) {
        await deps.models.Group.deleteOne({ _id: group._id, cycleId: params.cycleId });
        throw err;
      }
      // Not started yet: the workflow reads its groups when it starts.
    }
    audit.subject = group._id;
    return groupView({ ...group, memberCount: 0 });
  },
});
