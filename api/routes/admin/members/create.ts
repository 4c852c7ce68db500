import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { countrySchema, idSchema, languageSchema } from '../../../schemas';
import { createMember } from '../../../../activities/storage/members';
import { memberSchema, memberView } from './schemas';

/** Registers one member; the address must not be registered yet. */
export default defineRoute({
  name: 'members.create',
  method: 'post',
  path: '/admin/members',
  summary: 'Create one member',
  tag: 'members',
  access: { roles: ['staff'] },
  body: z
    .strictObject({
      id: idSchema.optional().openapi({ description: 'An opaque id; generated when absent. Never a name or an address.' }),
      name: z.string().trim().min(1).max(200),
      email: z.email().max(254),
      language: languageSchema,
      country: countrySchema,
      officeId: idSchema.optional(),
    })
    .openapi('MemberInput'),
  response: { status: 201, description: 'The member', schema: memberSchema },
  errors: [409],
  audit: 'member.create',
  handle: async ({ body, deps, audit }) => {
    const member = await createMember(deps.models, body);
    audit.subject = member._id;
    return memberView(member);
  },
});
