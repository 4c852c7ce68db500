import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { idSchema } from '../../../schemas';
import { requireMember } from '../../../../activities/storage/members';
import { eraseMember } from '../../../../activities/storage/erasure';

/**
 * Erases a member's personal data (right to erasure): name and address blanked, links revoked.
 * Ids stay, so workflows keep replaying and reports show "erased member". Idempotent.
 */
export default defineRoute({
  name: 'members.erase',
  method: 'post',
  path: '/admin/members/{memberId}/erase',
  summary: 'Erase a member’s personal data',
  tag: 'members',
  access: { roles: ['staff'] },
  params: z.strictObject({ memberId: idSchema }),
  response: {
    status: 200,
    description: '`erased` is false when the member was already erased',
    schema: z.object({ memberId: z.string(), erased: z.boolean() }).openapi('ErasureResult'),
  },
  audit: 'member.erase',
  handle: async ({ params, deps, principal, audit }) => {
    await requireMember(deps.models, params.memberId);
    const result = await eraseMember(deps.models, deps.config.LINK_SECRET, params.memberId, {
      actorId: principal.keyId,
      actorKind: 'staff',
    });
    audit.subject = params.memberId;
    return { memberId: params.memberId, erased: result.erased };
  },
});
