import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { apiKeySchema, apiKeyView } from './schemas';
import { NotFoundError } from '../../../../domain/errors';

/** Revokes a key at once; revoking twice keeps the first date. */
export default defineRoute({
  name: 'keys.revoke',
  method: 'post',
  path: '/admin/keys/{keyId}/revoke',
  summary: 'Revoke an API key',
  tag: 'keys',
  access: { roles: ['staff'] },
  params: z.strictObject({ keyId: z.string().regex(/^k_[a-f0-9]{16}$/, 'a key id such as k_0123456789abcdef') }),
  response: { status: 200, description: 'The revoked key', schema: apiKeySchema },
  audit: 'key.revoke',
  handle: async ({ params, deps, audit }) => {
    await deps.models.ApiKey.updateOne({ _id: params.keyId, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
    const key = await deps.models.ApiKey.findById(params.keyId).lean();
    if (!key) throw new NotFoundError('API key', params.keyId);
    audit.subject = key._id;
    return apiKeyView(key);
  },
});
