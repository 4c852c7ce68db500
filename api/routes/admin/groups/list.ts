import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams } from '../../../schemas';
import { listGroups } from '../../../../activities/storage/cycle-config';
import { groupSchema, groupView } from './schemas';

/** A cycle's groups with status, moderator and member count. */
export default defineRoute({
  name: 'groups.list',
  method: 'get',
  path: '/admin/cycles/{cycleId}/groups',
  summary: 'List a cycle’s groups',
  tag: 'groups',
  access: { roles: ['staff', 'operator'] },
  params: cycleParams,
  response: { status: 200, description: 'Groups', schema: z.object({ items: z.array(groupSchema) }) },
  handle: async ({ params, deps }) => ({ items: (await listGroups(deps.models, params.cycleId)).map(groupView) }),
});
