import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams } from '../../../schemas';
import { listProjects } from '../../../../activities/storage/initiatives';
import { projectSchema, projectView } from './schemas';

/** Projects that came out of a cycle: strategic-plan projects and local initiatives. */
export default defineRoute({
  name: 'projects.list',
  method: 'get',
  path: '/admin/cycles/{cycleId}/projects',
  summary: 'List a cycle’s projects and local initiatives',
  tag: 'follow-up',
  access: { roles: ['staff', 'operator', 'board_secretary'] },
  params: cycleParams,
  query: z.strictObject({ kind: z.enum(['strategic_plan', 'local_initiative']).optional() }),
  response: { status: 200, description: 'Projects', schema: z.object({ items: z.array(projectSchema) }) },
  handle: async ({ params, query, deps }) => ({
    items: (await listProjects(deps.models, params.cycleId, query.kind)).map(projectView),
  }),
});
