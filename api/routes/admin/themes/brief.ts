import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { idSchema } from '../../../schemas';
import { setThemeBrief } from '../../../../activities/storage/reference';
import { briefSchema, themeSchema, themeView } from './schemas';

/** Replaces a theme's framing brief (until deliberation ends). */
export default defineRoute({
  name: 'themes.setBrief',
  method: 'put',
  path: '/admin/cycles/{cycleId}/themes/{themeId}/brief',
  summary: 'Replace a theme’s framing brief',
  tag: 'reference',
  access: { roles: ['staff'] },
  params: z.strictObject({ cycleId: idSchema, themeId: idSchema }),
  body: briefSchema,
  response: { status: 200, description: 'The theme', schema: themeSchema },
  errors: [409],
  audit: 'theme.set_brief',
  handle: async ({ params, body, deps, audit }) => {
    const theme = await setThemeBrief(deps.models, params.cycleId, params.themeId, body);
    audit.subject = theme._id;
    return themeView(theme);
  },
});
