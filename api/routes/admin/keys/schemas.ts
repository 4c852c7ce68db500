import { z } from '../../../zod';
import type { ApiKeyDoc } from '../../../../domain/models';
import { instantSchema } from '../../../schemas';

export const apiKeySchema = z
  .object({
    id: z.string(),
    role: z.enum(['staff', 'board_secretary', 'operator']),
    country: z.string().optional(),
    owner: z.string(),
    createdAt: instantSchema,
    revokedAt: instantSchema.optional(),
  })
  .openapi('ApiKey');

export function apiKeyView(k: ApiKeyDoc): z.input<typeof apiKeySchema> {
  return {
    id: k._id,
    role: k.role,
    ...(k.country ? { country: k.country } : {}),
    owner: k.owner,
    createdAt: new Date(k.createdAt).toISOString(),
    ...(k.revokedAt ? { revokedAt: new Date(k.revokedAt).toISOString() } : {}),
  };
}
