import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { listCycles } from '../../../../activities/storage/cycle-config';
import { cycleSchema, cycleView } from './schemas';

/** Every cycle stored, newest first (its configuration and projected phase). */
export default defineRoute({
  name: 'cycles.list',
  method: 'get',
  path: '/admin/cycles',
  summary: 'List cycles with their configuration and projected phase',
  tag: 'cycles',
  access: { roles: ['staff', 'operator', 'board_secretary'] },
  response: { status: 200, description: 'Cycles, newest first', schema: z.object({ items: z.array(cycleSchema) }) },
  handle: async ({ deps }) => ({ items: (await listCycles(deps.models)).map(cycleView) }),
});
