import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { countrySchema } from '../../../schemas';
import { createApiKey } from '../../../auth';
import { apiKeySchema, apiKeyView } from './schemas';

/** Creates an API key; its secret is shown in this answer only (only a hash is stored). */
export default defineRoute({
  name: 'keys.create',
  method: 'post',
  path: '/admin/keys',
  summary: 'Create an API key (the token is shown once)',
  tag: 'keys',
  access: { roles: ['staff'] },
  body: z
    .strictObject({
      role: z.enum(['staff', 'board_secretary', 'operator']),
      owner: z.string().trim().min(1).max(100).openapi({ example: 'be-board-secretary' }),
      country: countrySchema.optional(),
    })
    .refine((b) => b.role !== 'board_secretary' || Boolean(b.country), { message: 'a board secretary key needs a country', path: ['country'] })
    .refine((b) => b.role === 'board_secretary' || !b.country, { message: 'only board secretary keys have a country', path: ['country'] })
    .openapi('ApiKeyInput'),
  response: {
    status: 201,
    description: 'The key and its token (`<keyId>.<secret>`), shown once',
    schema: z.object({ key: apiKeySchema, token: z.string() }).openapi('ApiKeyCreated'),
  },
  audit: 'key.create',
  handle: async ({ body, deps, audit }) => {
    const { key, token } = await createApiKey(deps.models, deps.config.LINK_SECRET, body);
    audit.subject = key._id;
    audit.details = { role: key.role, country: key.country, owner: key.owner };
    return { key: apiKeyView(key), token };
  },
});
