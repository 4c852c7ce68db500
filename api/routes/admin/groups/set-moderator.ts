import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { idSchema } from '../../../schemas';
import { setModerator } from '../../../../activities/storage/cycle-config';
import { groupParams, groupSchema, groupView } from './schemas';

/** Names the group's moderator (a member who facilitates); before they accepted the role. */
export default defineRoute({
  name: 'groups.setModerator',
  method: 'put',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/moderator',
  summary: 'Name a group’s moderator',
  tag: 'groups',
  access: { roles: ['staff'] },
  params: groupParams,
  body: z.strictObject({ memberId: idSchema }).openapi('ModeratorInput'),
  response: { status: 200, description: 'The group', schema: groupSchema },
  errors: [409],
  audit: 'group.set_moderator',
  handle: async ({ params, body, deps, audit }) => {
    const group = await setModerator(deps.models, params.cycleId, params.groupId, body.memberId);
    audit.subject = group._id;
    audit.details = { memberId: body.memberId };
    return groupView(group);
  },
});
