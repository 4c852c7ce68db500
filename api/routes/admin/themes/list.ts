import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams } from '../../../schemas';
import { listThemes } from '../../../../activities/storage/reference';
import { themeSchema, themeView } from './schemas';

/** A cycle's themes with their briefs. */
export default defineRoute({
  name: 'themes.list',
  method: 'get',
  path: '/admin/cycles/{cycleId}/themes',
  summary: 'List a cycle’s themes and briefs',
  tag: 'reference',
  access: { roles: ['staff', 'operator', 'board_secretary'] },
  params: cycleParams,
  response: { status: 200, description: 'Themes', schema: z.object({ items: z.array(themeSchema) }) },
  handle: async ({ params, deps }) => ({ items: (await listThemes(deps.models, params.cycleId)).map(themeView) }),
});
