import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { requireGroup } from '../../../../activities/storage/cycle-config';
import {
  SUBMISSION_LIMITS, groupWorkflowId, submitRecommendationsUpdate,
} from '../../../../workflows/group/contract';
import { updateWorkflow } from '../../../temporal';
import { groupParams, groupStatusSchema } from './schemas';

const item = z.strictObject({
  title: z.string().trim().min(1).max(SUBMISSION_LIMITS.titleMax),
  text: z.string().trim().min(1).max(SUBMISSION_LIMITS.textMax),
  context: z.string().trim().min(1).max(SUBMISSION_LIMITS.contextMax),
});

/** Records a group's list of recommendations (replaces an earlier one until the deadline). */
export default defineRoute({
  name: 'groups.submit',
  method: 'post',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/submission',
  summary: 'Submit a group’s recommendations (on behalf of its moderator)',
  description: 'During deliberation. Each recommendation carries a title, a text and its context (how it fits ongoing projects).',
  tag: 'groups',
  access: { roles: ['staff'] },
  params: groupParams,
  body: z.strictObject({ items: z.array(item).min(1).max(SUBMISSION_LIMITS.maxItems) }).openapi('SubmissionInput'),
  response: { status: 200, description: 'The group status', schema: groupStatusSchema },
  errors: [409],
  audit: 'group.submit',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    await requireGroup(deps.models, params.cycleId, params.groupId);
    const workflowId = groupWorkflowId(params.cycleId, params.groupId);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, submitRecommendationsUpdate, { items: body.items, actorId: principal.keyId }, updateId,
    );
    audit.workflowId = workflowId;
    audit.subject = params.groupId;
    audit.details = { items: body.items.length };
    return status;
  },
});
