import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { countrySchema, idSchema } from '../../../schemas';
import { createOffice } from '../../../../activities/storage/reference';

export const officeSchema = z.object({ id: z.string(), city: z.string(), country: z.string() }).openapi('Office');

/** Adds a local office (shared by every cycle). */
export default defineRoute({
  name: 'offices.create',
  method: 'post',
  path: '/admin/offices',
  summary: 'Create an office',
  tag: 'reference',
  access: { roles: ['staff'] },
  body: z.strictObject({ id: idSchema, city: z.string().trim().min(1).max(100), country: countrySchema }).openapi('OfficeInput'),
  response: { status: 201, description: 'The office', schema: officeSchema },
  errors: [409],
  audit: 'office.create',
  handle: async ({ body, deps, audit }) => {
    const office = await createOffice(deps.models, body);
    audit.subject = office._id;
    return { id: office._id, city: office.city, country: office.country };
  },
});
