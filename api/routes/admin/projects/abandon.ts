import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { abandonProjectUpdate, projectWorkflowId } from '../../../../workflows/follow-up/contract';
import { updateWorkflow } from '../../../temporal';
import { followUpStatusSchema, projectParams } from './schemas';
import { NotFoundError } from '../../../../domain/errors';

/** Ends a project's follow-up as abandoned, with the reason. */
export default defineRoute({
  name: 'projects.abandon',
  method: 'post',
  path: '/admin/projects/{projectId}/abandon',
  summary: 'Abandon a project',
  tag: 'follow-up',
  access: { roles: ['staff'] },
  params: projectParams,
  body: z.strictObject({ reason: z.string().trim().min(3).max(2000) }).openapi('AbandonInput'),
  response: { status: 200, description: 'The follow-up status', schema: followUpStatusSchema },
  errors: [409],
  audit: 'project.abandon',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const project = await deps.models.Project.findById(params.projectId, { _id: 1, cycleId: 1 }).lean();
    if (!project) throw new NotFoundError('project', params.projectId);
    const workflowId = projectWorkflowId(project._id);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, abandonProjectUpdate, { reason: body.reason, actorId: principal.keyId }, updateId,
    );
    audit.cycleId = project.cycleId;
    audit.workflowId = workflowId;
    audit.subject = project._id;
    audit.details = { reason: body.reason };
    return status;
  },
});
