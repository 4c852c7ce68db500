import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { workflowTimeline } from '../../../usecases/ops';
import { webUiLink } from '../../../temporal';
import { opsDeps, queryBoolean, timelineEntrySchema, workflowIdSchema } from '../schemas';

/** A readable timeline of one workflow: phases, deadlines, decisions with actors, mails. */
export default defineRoute({
  name: 'ops.workflowTimeline',
  method: 'get',
  path: '/ops/workflows/{workflowId}/timeline',
  summary: 'Readable timeline of one workflow',
  tag: 'operators',
  access: { roles: ['operator', 'staff'] },
  params: z.strictObject({ workflowId: workflowIdSchema }),
  query: z.strictObject({ verbose: queryBoolean.optional() }),
  response: {
    status: 200,
    description: 'Entries in history order',
    schema: z.object({ workflowId: z.string(), webUiUrl: z.string(), entries: z.array(timelineEntrySchema) }).openapi('WorkflowTimeline'),
  },
  handle: async ({ params, query, deps }) => ({
    workflowId: params.workflowId,
    webUiUrl: webUiLink(deps.config.TEMPORAL_UI_URL, deps.config.TEMPORAL_NAMESPACE, params.workflowId),
    entries: await workflowTimeline(opsDeps(deps), params.workflowId, { verbose: query.verbose }),
  }),
});
