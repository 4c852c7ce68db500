import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { countrySchema } from '../../../schemas';
import { listOffices } from '../../../../activities/storage/reference';
import { officeSchema } from './create';

/** Offices, by country then city. */
export default defineRoute({
  name: 'offices.list',
  method: 'get',
  path: '/admin/offices',
  summary: 'List offices',
  tag: 'reference',
  access: { roles: ['staff', 'operator'] },
  query: z.strictObject({ country: countrySchema.optional() }),
  response: { status: 200, description: 'Offices', schema: z.object({ items: z.array(officeSchema) }) },
  handle: async ({ query, deps }) => ({
    items: (await listOffices(deps.models, query.country)).map((o) => ({ id: o._id, city: o.city, country: o.country })),
  }),
});
