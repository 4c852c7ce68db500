import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { apiKeySchema, apiKeyView } from './schemas';

/** Every API key (never their secrets or hashes). */
export default defineRoute({
  name: 'keys.list',
  method: 'get',
  path: '/admin/keys',
  summary: 'List API keys',
  tag: 'keys',
  access: { roles: ['staff'] },
  response: { status: 200, description: 'Keys', schema: z.object({ items: z.array(apiKeySchema) }) },
  handle: async ({ deps }) => ({
    items: (await deps.models.ApiKey.find({}).sort({ createdAt: 1 }).lean()).map(apiKeyView),
  }),
});
