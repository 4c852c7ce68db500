/**
 * Reminders the cycle sends before its deadlines: one activity per reminder, whatever the number of
 * groups, so the cycle's history does not grow with them. Only groups that have not answered are
 * reminded (read from MongoDB when the reminder is due); each mail passes the outbox, so a retried
 * activity sends nothing twice.
 */
import { Context } from '@temporalio/activity';
import type { GroupDoc, Models } from '../../domain/models';
import { cycleWorkflowId } from '../../domain/ids';
import type { MailActivities } from '../mail';

export interface GroupRemindersInput {
  cycleId: string;
  kind: 'submission' | 'approval';
  offsetDays: number;
  /** The deadline reminded of (part of the mail's identity: an extension may remind again). */
  deadline: string;
  /** Approval reminders: the consolidation version waiting for approval. */
  version?: number;
}

export interface GroupRemindersResult {
  groups: number;
  sent: number;
  skipped: number;
  failed: number;
}

function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Called outside an activity (a unit test): nothing to report to.
  }
}

/** Groups whose moderator is reminded: no submission yet, or approval of `version` still pending. */
export function groupsToRemind(groups: GroupDoc[], input: GroupRemindersInput): GroupDoc[] {
  return groups
    .filter((g) => g.moderatorMemberId)
    .filter((g) =>
      input.kind === 'submission'
        ? g.status === 'active' || g.status === 'forming'
        : g.status === 'submitted' && g.approval?.status === 'pending' && g.approval.version === input.version,
    )
    .sort((a, b) => (a._id < b._id ? -1 : 1));
}

export function createReminderActivities(models: Models, mail: MailActivities) {
  return {
    /** Reminds the moderators of the groups that have not submitted (or approved) yet. */
    async sendGroupReminders(input: GroupRemindersInput): Promise<GroupRemindersResult> {
      const groups = groupsToRemind(await models.Group.find({ cycleId: input.cycleId }).lean(), input);
      const result: GroupRemindersResult = { groups: groups.length, sent: 0, skipped: 0, failed: 0 };
      for (const [i, group] of groups.entries()) {
        const res = await mail.sendMail({
          workflowId: cycleWorkflowId(input.cycleId),
          purpose: `${input.kind}_reminder:${input.offsetDays}d:${group._id}`,
          version: input.kind === 'approval' ? `${input.version}:${input.deadline}` : input.deadline,
          template: input.kind === 'submission' ? 'submission_reminder' : 'approval_reminder',
          recipient: { memberId: group.moderatorMemberId as string },
          data: { cycleId: input.cycleId, groupId: group._id, deadline: input.deadline, ...(input.version ? { version: input.version } : {}) },
        });
        if (res.state === 'sent' || res.state === 'already_sent') result.sent += 1;
        else if (res.state === 'skipped') result.skipped += 1;
        else result.failed += 1;
        heartbeat({ done: i + 1 });
      }
      return result;
    },
  };
}
