import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { idSchema } from '../../../schemas';
import { cycleTimeline } from '../../../usecases/ops';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { opsDeps, queryBoolean, timelineEntrySchema } from '../schemas';

/** The whole story of a cycle: its workflow, its children's and the api writes, merged by time. */
export default defineRoute({
  name: 'ops.cycleTimeline',
  method: 'get',
  path: '/ops/cycles/{cycleId}/timeline',
  summary: 'Readable timeline of a cycle (with its groups, boards and assemblies)',
  description: 'Phases entered, deadlines armed / extended / fired, decisions with their actor, mails sent, and the audit trail (api writes and what the workflows stored). `children=false` keeps only the cycle workflow.',
  tag: 'operators',
  access: { roles: ['operator', 'staff'] },
  params: z.strictObject({ cycleId: idSchema }),
  query: z.strictObject({ children: queryBoolean.default(true), verbose: queryBoolean.optional() }),
  response: {
    status: 200,
    description: 'Entries by time',
    schema: z
      .object({
        cycleId: z.string(),
        workflows: z.array(z.object({ workflowId: z.string(), webUiUrl: z.string() })),
        entries: z.array(timelineEntrySchema),
      })
      .openapi('CycleTimeline'),
  },
  handle: async ({ params, query, deps }) => {
    await requireCycle(deps.models, params.cycleId);
    return cycleTimeline(opsDeps(deps), params.cycleId, { children: query.children, verbose: query.verbose });
  },
});
