import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { countrySchema, cycleParams, idSchema } from '../../../schemas';
import { createTheme } from '../../../../activities/storage/reference';
import { briefSchema, localizedTextSchema, themeSchema, themeView } from './schemas';

/** Adds a theme (with its framing brief) to a cycle's country, before deliberation. */
export default defineRoute({
  name: 'themes.create',
  method: 'post',
  path: '/admin/cycles/{cycleId}/themes',
  summary: 'Add a theme with its framing brief',
  tag: 'reference',
  access: { roles: ['staff'] },
  params: cycleParams,
  body: z
    .strictObject({
      id: idSchema,
      country: countrySchema,
      code: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and -'),
      title: localizedTextSchema,
      brief: briefSchema.optional(),
    })
    .openapi('ThemeInput'),
  response: { status: 201, description: 'The theme', schema: themeSchema },
  errors: [409],
  audit: 'theme.create',
  handle: async ({ params, body, deps, audit }) => {
    const theme = await createTheme(deps.models, { ...body, cycleId: params.cycleId });
    audit.subject = theme._id;
    return themeView(theme);
  },
});
