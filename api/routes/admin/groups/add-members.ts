import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { idSchema } from '../../../schemas';
import { addMembers } from '../../../../activities/storage/cycle-config';
import { groupParams } from './schemas';

/** Adds members to a group (during preparation or formation); adding one twice is harmless. */
export default defineRoute({
  name: 'groups.addMembers',
  method: 'post',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/members',
  summary: 'Add members to a group',
  tag: 'groups',
  access: { roles: ['staff'] },
  params: groupParams,
  body: z.strictObject({ memberIds: z.array(idSchema).min(1).max(1000) }).openapi('AddMembersInput'),
  response: {
    status: 200,
    description: 'How many were added',
    schema: z.object({ added: z.number(), already: z.number() }).openapi('AddMembersResult'),
  },
  errors: [409],
  audit: 'group.add_members',
  handle: async ({ params, body, deps, audit }) => {
    const result = await addMembers(deps.models, params.cycleId, params.groupId, body.memberIds);
    audit.subject = params.groupId;
    audit.details = { memberIds: body.memberIds.length <= 50 ? body.memberIds : undefined, count: body.memberIds.length };
    return result;
  },
});
