import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { countrySchema, idSchema } from '../../../schemas';
import { listMembers } from '../../../../activities/storage/members';
import { memberSchema, memberView } from './schemas';

/** Members by office or country, paged (personal data: staff only). */
export default defineRoute({
  name: 'members.list',
  method: 'get',
  path: '/admin/members',
  summary: 'List members',
  tag: 'members',
  access: { roles: ['staff'] },
  query: z.strictObject({
    officeId: idSchema.optional(),
    country: countrySchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  }),
  response: {
    status: 200,
    description: 'A page of members',
    schema: z.object({ total: z.number(), items: z.array(memberSchema) }),
  },
  handle: async ({ query, deps }) => {
    const page = await listMembers(deps.models, query);
    return { total: page.total, items: page.items.map(memberView) };
  },
});
