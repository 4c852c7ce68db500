/** Unsubscribe (RFC 8058 one-click too) and erasure: idempotent, so not single use. */
import { z } from 'zod';
import { eraseMember, unsubscribeMember } from '../../storage/erasure';
import type { StoreLinkAction } from './types';

export const unsubscribe: StoreLinkAction<object> = {
  action: 'unsubscribe',
  kind: 'store',
  workflowKind: 'any',
  // A one-click POST carries `List-Unsubscribe=One-Click` and nothing we need.
  form: z.object({}).passthrough(),
  scope: () => null,
  check: async () => ({ ok: true }),
  async apply({ models, now }, claims) {
    await unsubscribeMember(models, claims.memberId, now);
    return { ok: true };
  },
};

export const eraseData: StoreLinkAction<{ confirm: 'yes' }> = {
  action: 'erase_data',
  kind: 'store',
  workflowKind: 'any',
  form: z.object({ confirm: z.literal('yes') }),
  scope: () => null,
  check: async () => ({ ok: true }),
  async apply({ models, secret, now }, claims) {
    await eraseMember(models, secret, claims.memberId, { actorId: claims.memberId, actorKind: 'member', at: now });
    return { ok: true };
  },
};
