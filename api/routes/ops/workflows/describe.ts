import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { describeWorkflow } from '../../../usecases/ops';
import { opsDeps, workflowIdSchema, workflowSummarySchema } from '../schemas';

/** One workflow: execution status, pending activities and children, live status query. */
export default defineRoute({
  name: 'ops.describeWorkflow',
  method: 'get',
  path: '/ops/workflows/{workflowId}',
  summary: 'Describe one workflow',
  tag: 'operators',
  access: { roles: ['operator', 'staff'] },
  params: z.strictObject({ workflowId: workflowIdSchema }),
  response: {
    status: 200,
    description: 'The workflow',
    schema: workflowSummarySchema
      .extend({
        kind: z.string(),
        parentWorkflowId: z.string().optional(),
        pendingActivities: z.array(
          z.object({ activityType: z.string(), attempt: z.number(), state: z.string(), lastFailure: z.string().optional() }),
        ),
        pendingChildren: z.array(z.object({ workflowId: z.string(), type: z.string() })),
        live: z.unknown().optional(),
      })
      .openapi('WorkflowDescription'),
  },
  handle: async ({ params, deps }) => describeWorkflow(opsDeps(deps), params.workflowId),
});
