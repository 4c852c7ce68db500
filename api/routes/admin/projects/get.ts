import { defineRoute } from '../../../registry';
import { projectParams, projectSchema, projectView } from './schemas';
import { NotFoundError } from '../../../../domain/errors';

/** One project with its progress reports. */
export default defineRoute({
  name: 'projects.get',
  method: 'get',
  path: '/admin/projects/{projectId}',
  summary: 'Read a project and its progress',
  tag: 'follow-up',
  access: { roles: ['staff', 'operator', 'board_secretary'] },
  params: projectParams,
  response: { status: 200, description: 'The project', schema: projectSchema },
  handle: async ({ params, deps }) => {
    const project = await deps.models.Project.findById(params.projectId).lean();
    if (!project) throw new NotFoundError('project', params.projectId);
    return projectView(project);
  },
});
