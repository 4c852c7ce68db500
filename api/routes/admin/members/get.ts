import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { idSchema } from '../../../schemas';
import { requireMember } from '../../../../activities/storage/members';
import { memberSchema, memberView } from './schemas';

/** One member (personal data: staff only). */
export default defineRoute({
  name: 'members.get',
  method: 'get',
  path: '/admin/members/{memberId}',
  summary: 'Read one member',
  tag: 'members',
  access: { roles: ['staff'] },
  params: z.strictObject({ memberId: idSchema }),
  response: { status: 200, description: 'The member', schema: memberSchema },
  handle: async ({ params, deps }) => memberView(await requireMember(deps.models, params.memberId)),
});
