import { createHash } from 'node:crypto';
import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { projectWorkflowId, reportProgressUpdate } from '../../../../workflows/follow-up/contract';
import { updateWorkflow } from '../../../temporal';
import { followUpStatusSchema, projectParams } from './schemas';
import { NotFoundError } from '../../../../domain/errors';

/** Reports a project's progress (staff on behalf of its owner); `done` ends the follow-up. */
export default defineRoute({
  name: 'projects.reportProgress',
  method: 'post',
  path: '/admin/projects/{projectId}/progress',
  summary: 'Report a project’s progress',
  tag: 'follow-up',
  access: { roles: ['staff'] },
  params: projectParams,
  body: z
    .strictObject({
      percent: z.number().int().min(0).max(100),
      note: z.string().trim().min(1).max(4000),
      done: z.boolean().default(false),
    })
    .openapi('ProgressInput'),
  response: { status: 200, description: 'The follow-up status', schema: followUpStatusSchema },
  errors: [409],
  audit: 'project.report_progress',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const project = await deps.models.Project.findById(params.projectId, { _id: 1, cycleId: 1 }).lean();
    if (!project) throw new NotFoundError('project', params.projectId);
    const workflowId = projectWorkflowId(project._id);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, reportProgressUpdate,
      // The report id is stable across retries (from the Idempotency-Key), in the form the workflow accepts.
      { reportId: `r_${createHash('sha256').update(updateId).digest('hex').slice(0, 32)}`, percent: body.percent, note: body.note, done: body.done, reportedBy: principal.keyId },
      updateId,
    );
    audit.cycleId = project.cycleId;
    audit.workflowId = workflowId;
    audit.subject = project._id;
    audit.details = { percent: body.percent, done: body.done };
    return status;
  },
});
