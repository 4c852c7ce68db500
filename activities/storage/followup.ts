/**
 * Follow-up of projects (strategic plan) and local initiatives: progress reports, done,
 * abandoned. A report carries its own id (link use or request id), so a retried report is
 * stored once.
 */
import type { Models } from '../../domain/models';
import type { ProjectKind, ProjectStatus } from '../../domain/types';
import { activityNow, audit, fail, FAILURE_TYPES } from './process-util';

export interface ProjectSnapshot {
  kind: ProjectKind;
  status: ProjectStatus;
  cycleId: string;
  country: string;
  /** The member who reports progress; none: staff report (the request goes to the staff mailbox). */
  ownerMemberId?: string;
  lastPercent: number;
}

export function createFollowUpStorage(models: Models) {
  return {
    /** What a (continued) follow-up run needs: ids and status only. */
    async loadProject(input: { projectId: string }): Promise<ProjectSnapshot> {
      const project = await models.Project.findOne({ _id: input.projectId }).lean();
      if (!project) fail(FAILURE_TYPES.UNKNOWN_SUBJECT, `project ${input.projectId} does not exist`);
      const last = project.progress[project.progress.length - 1];
      return {
        kind: project.kind,
        status: project.status,
        cycleId: project.cycleId,
        country: project.country,
        ownerMemberId: project.ownerMemberId,
        lastPercent: last?.percent ?? 0,
      };
    },

    /** Stores one progress report (once per reportId); `done` closes the project. */
    async recordProgress(input: {
      projectId: string; reportId: string; percent: number; note: string; done: boolean; reportedBy: string;
    }): Promise<{ stored: boolean; status: ProjectStatus }> {
      const project = await models.Project.findOne({ _id: input.projectId }).lean();
      if (!project) fail(FAILURE_TYPES.UNKNOWN_SUBJECT, `project ${input.projectId} does not exist`);
      const already = project.progress.some((p) => p.reportId === input.reportId);
      const at = activityNow();
      if (!already) {
        await models.Project.updateOne(
          { _id: input.projectId },
          { $push: { progress: { at, percent: input.percent, note: input.note, reportedBy: input.reportedBy, reportId: input.reportId } } },
        );
      }
      if (input.done) await models.Project.updateOne({ _id: input.projectId, status: 'active' }, { $set: { status: 'done' } });
      await audit(models, {
        _id: `project:${input.projectId}:report:${input.reportId}`,
        actor: { kind: input.reportedBy.startsWith('key') ? 'staff' : 'member', id: input.reportedBy },
        action: input.done ? 'project.done' : 'project.progress',
        cycleId: project.cycleId,
        subject: input.projectId,
        details: { percent: input.percent },
        at,
      });
      return { stored: !already, status: input.done ? 'done' : project.status };
    },

    /** Staff abandon a project (with a reason, in the audit trail). */
    async abandonProject(input: { projectId: string; reason: string; actorId: string; auditId: string }): Promise<void> {
      const project = await models.Project.findOne({ _id: input.projectId }, { cycleId: 1 }).lean();
      if (!project) fail(FAILURE_TYPES.UNKNOWN_SUBJECT, `project ${input.projectId} does not exist`);
      await models.Project.updateOne({ _id: input.projectId, status: 'active' }, { $set: { status: 'abandoned' } });
      await audit(models, {
        _id: input.auditId,
        actor: { kind: 'staff', id: input.actorId },
        action: 'project.abandoned',
        cycleId: project.cycleId,
        subject: input.projectId,
        details: { reason: input.reason },
      });
    },
  };
}
