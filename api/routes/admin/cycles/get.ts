import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { cycleParams } from '../../../schemas';
import { cycleSchema, cycleView } from './schemas';

/** One cycle's configuration and projected phase (from MongoDB; the live status is /status). */
export default defineRoute({
  name: 'cycles.get',
  method: 'get',
  path: '/admin/cycles/{cycleId}',
  summary: 'Read a cycle’s configuration and projected phase',
  tag: 'cycles',
  access: { roles: ['staff', 'operator', 'board_secretary'] },
  params: cycleParams,
  response: { status: 200, description: 'The cycle', schema: cycleSchema },
  handle: async ({ params, deps }) => cycleView(await requireCycle(deps.models, params.cycleId)),
});
