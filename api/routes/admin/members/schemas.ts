import { z } from '../../../zod';
import type { MemberDoc } from '../../../../domain/models';
import { languageSchema } from '../../../schemas';

export const memberSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    language: languageSchema,
    country: z.string(),
    officeId: z.string().optional(),
    erased: z.boolean(),
    unsubscribed: z.boolean(),
  })
  .openapi('Member');

/** A member as staff see it; an erased member shows no personal data. */
export function memberView(m: MemberDoc): z.input<typeof memberSchema> {
  return {
    id: m._id,
    name: m.erasedAt ? 'erased member' : m.name,
    email: m.erasedAt ? '' : m.email,
    language: m.language,
    country: m.country,
    ...(m.officeId ? { officeId: m.officeId } : {}),
    erased: Boolean(m.erasedAt),
    unsubscribed: Boolean(m.unsubscribedAt),
  };
}
