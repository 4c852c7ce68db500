import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { countrySchema, idSchema, phaseSchema } from '../../../schemas';
import { listWorkflows } from '../../../usecases/ops';
import { opsDeps, workflowSummarySchema } from '../schemas';

/** Cycles, groups, boards, assemblies and projects by phase and status (Temporal visibility). */
export default defineRoute({
  name: 'ops.listWorkflows',
  method: 'get',
  path: '/ops/workflows',
  summary: 'List workflows by kind, cycle, phase and status',
  description: 'Built on the search attributes SipKind, SipCycleId, SipPhase, SipStatus, SipCountry. Newest first. A workflow that continued as new is listed by its newest run (earlier runs: executionStatus=ContinuedAsNew).',
  tag: 'operators',
  access: { roles: ['operator', 'staff'] },
  query: z.strictObject({
    kind: z.enum(['cycle', 'group', 'board', 'assembly', 'project']).optional(),
    cycleId: idSchema.optional(),
    phase: phaseSchema.optional(),
    status: z.string().regex(/^[a-z_]{1,40}$/, 'a status word such as active or completed').optional(),
    country: countrySchema.optional(),
    executionStatus: z.enum(['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'ContinuedAsNew', 'TimedOut']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
  response: {
    status: 200,
    description: 'Matching workflows and the visibility query used',
    schema: z.object({ query: z.string(), items: z.array(workflowSummarySchema) }).openapi('WorkflowList'),
  },
  handle: async ({ query, deps }) => listWorkflows(opsDeps(deps), query),
});
