import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { cycleParams } from '../../../schemas';
import { cycleWorkflowId, requestApprovalsUpdate } from '../../../../workflows/cycle/contract';
import { updateWorkflow } from '../../../temporal';

/** Freezes the document version and asks every moderator concerned to approve their group's wording. */
export default defineRoute({
  name: 'consolidated.requestApprovals',
  method: 'post',
  path: '/admin/cycles/{cycleId}/consolidated/approvals',
  summary: 'Ask moderators to approve the consolidated wording',
  description: 'During consolidation. Each moderator receives a link to approve or ask for a change; edits afterwards need a new request.',
  tag: 'consolidation',
  access: { roles: ['staff'] },
  params: cycleParams,
  response: {
    status: 200,
    description: 'The frozen version and how many groups were asked',
    schema: z.object({ version: z.number(), groupsAsked: z.number() }).openapi('ApprovalsRequested'),
  },
  errors: [409],
  audit: 'consolidation.request_approvals',
  handle: async ({ params, deps, principal, updateId, audit }) => {
    await requireCycle(deps.models, params.cycleId);
    const workflowId = cycleWorkflowId(params.cycleId);
    const result = await updateWorkflow(deps.temporalClient, workflowId, requestApprovalsUpdate, { actorId: principal.keyId }, updateId);
    audit.workflowId = workflowId;
    audit.details = { ...result };
    return result;
  },
});
