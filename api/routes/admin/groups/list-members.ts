import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { listMemberships } from '../../../../activities/storage/cycle-config';
import { groupParams } from './schemas';

/** A group's members (ids and roles). */
export default defineRoute({
  name: 'groups.listMembers',
  method: 'get',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/members',
  summary: 'List a group’s members',
  tag: 'groups',
  access: { roles: ['staff'] },
  params: groupParams,
  response: {
    status: 200,
    description: 'Memberships',
    schema: z.object({
      items: z.array(
        z.object({
          memberId: z.string(),
          role: z.enum(['member', 'moderator']),
          confirmed: z.boolean(),
          movedFromGroupId: z.string().optional(),
        }),
      ),
    }),
  },
  handle: async ({ params, deps }) => ({
    items: (await listMemberships(deps.models, params.cycleId, params.groupId)).map((m) => ({
      memberId: m.memberId,
      role: m.role,
      confirmed: Boolean(m.confirmedAt),
      ...(m.movedFromGroupId ? { movedFromGroupId: m.movedFromGroupId } : {}),
    })),
  }),
});
