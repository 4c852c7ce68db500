import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { idSchema } from '../../../schemas';
import { createInitiative } from '../../../../activities/storage/initiatives';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { projectWorkflowId, type FollowUpInput } from '../../../../workflows/follow-up/contract';
import { WORKFLOW_TYPES } from '../../../temporal';
import { groupParams } from '../groups/schemas';
import { projectSchema, projectView } from './schemas';

const SipKind = defineSearchAttributeKey('SipKind', SearchAttributeType.KEYWORD);
const SipCycleId = defineSearchAttributeKey('SipCycleId', SearchAttributeType.KEYWORD);
const SipStatus = defineSearchAttributeKey('SipStatus', SearchAttributeType.KEYWORD);
const SipCountry = defineSearchAttributeKey('SipCountry', SearchAttributeType.KEYWORD);

/**
 * Records a local initiative of a group and starts its follow-up workflow (progress requests to
 * its owner). If the workflow cannot start, the initiative is removed again.
 */
export default defineRoute({
  name: 'initiatives.create',
  method: 'post',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/initiatives',
  summary: 'Record a group’s local initiative',
  tag: 'follow-up',
  access: { roles: ['staff'] },
  params: groupParams,
  body: z
    .strictObject({
      id: idSchema.optional(),
      title: z.string().trim().min(1).max(200),
      description: z.string().trim().max(4000).default(''),
      ownerMemberId: idSchema.optional(),
    })
    .openapi('InitiativeInput'),
  response: { status: 201, description: 'The initiative', schema: projectSchema },
  errors: [409],
  audit: 'initiative.create',
  handle: async ({ params, body, deps, audit }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    const project = await createInitiative(deps.models, { ...body, cycleId: params.cycleId, groupId: params.groupId });
    const workflowId = projectWorkflowId(project._id);
    const input: FollowUpInput = {
      projectId: project._id,
      kind: 'local_initiative',
      progressRequestEveryDays: cycle.policies.progressRequestEveryDays,
    };
    try {
      await deps.temporalClient.workflow.start(WORKFLOW_TYPES.followUp, {
        workflowId,
        taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: SipKind, value: 'project' },
          { key: SipCycleId, value: params.cycleId },
          { key: SipStatus, value: 'active' },
          { key: SipCountry, value: project.country },
        ],
      });
    } catch (err) {
      await deps.models.Project.deleteOne({ _id: project._id });
      throw err;
    }
    audit.workflowId = workflowId;
    audit.subject = project._id;
    return projectView(project);
  },
});
