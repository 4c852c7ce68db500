import { z } from '../../../zod';
import { defineRoute, RawReply } from '../../../registry';
import { rawHistory } from '../../../usecases/ops';
import { opsDeps, workflowIdSchema } from '../schemas';

/** The raw Temporal history of a workflow as JSON (the same form `temporal workflow show -o json` gives). */
export default defineRoute({
  name: 'ops.workflowHistory',
  method: 'get',
  path: '/ops/workflows/{workflowId}/history',
  summary: 'Raw history of one workflow (JSON)',
  tag: 'operators',
  access: { roles: ['operator', 'staff'] },
  params: z.strictObject({ workflowId: workflowIdSchema }),
  response: {
    status: 200,
    description: 'Temporal history JSON: `{ events: [...] }`',
    schema: z.object({ events: z.array(z.record(z.string(), z.unknown())) }).openapi('RawHistory'),
  },
  handle: async ({ params, deps }) => new RawReply('application/json; charset=utf-8', await rawHistory(opsDeps(deps), params.workflowId)),
});
