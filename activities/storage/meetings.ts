/**
 * Meetings of working groups and who attended, in person or online (attendance drops online, so
 * the mode is recorded per meeting). A joint meeting of two groups on one theme is stored once, on
 * the group that records it, naming the other groups; reports count it for each.
 */
import { randomBytes } from 'node:crypto';
import type { MeetingDoc, Models } from '../../domain/models';
import type { MeetingMode, Phase } from '../../domain/types';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../../domain/errors';
import { assertPhase, requireCycle, requireGroup } from './cycle-config';

export interface MeetingInput {
  id?: string;
  cycleId: string;
  groupId: string;
  startsAt: Date;
  mode: MeetingMode;
  jointWithGroupIds: string[];
  /** The office hosting the meeting when it is not the group's own (a specific meeting elsewhere). */
  officeId?: string;
  attendeeMemberIds: string[];
  guestCount: number;
  notes?: string;
}

const MEETING_PHASES: Phase[] = ['group_formation', 'deliberation', 'consolidation'];

async function checkAttendees(
  models: Models,
  groupIds: string[],
  attendeeMemberIds: string[],
  path: string,
): Promise<void> {
  if (attendeeMemberIds.length === 0) return;
  const memberships = await models.Membership.find(
    { groupId: { $in: groupIds }, memberId: { $in: attendeeMemberIds } },
    { memberId: 1 },
  ).lean();
  const known = new Set(memberships.map((m) => m.memberId));
  const problems: FieldProblem[] = [];
  attendeeMemberIds.forEach((id, i) => {
    if (!known.has(id)) problems.push({ path: `${path}.${i}`, message: `member ${id} is not in ${groupIds.join(' or ')}` });
  });
  if (problems.length) throw new ValidationError('some attendees are not members of the meeting groups', problems);
}

/** Records a meeting with its attendance; joint groups must be of the same cycle and theme. */
export async function recordMeeting(models: Models, input: MeetingInput, recordedBy: string): Promise<MeetingDoc> {
  const cycle = await requireCycle(models, input.cycleId);
  assertPhase(cycle, MEETING_PHASES, 'recording a meeting');
  const group = await requireGroup(models, input.cycleId, input.groupId);
  const joint = [...new Set(input.jointWithGroupIds)].filter((id) => id !== input.groupId);
  if (joint.length) {
    const others = await models.Group.find({ _id: { $in: joint }, cycleId: input.cycleId }).lean();
    for (const id of joint) {
      const other = others.find((g) => g._id === id);
      if (!other) throw new NotFoundError('group', id);
      if (other.themeId !== group.themeId) {
        throw new ValidationError('joint meetings are between groups on the same theme', [
          { path: 'body.jointWithGroupIds', message: `group ${id} works on another theme` },
        ]);
      }
    }
  }
  if (input.officeId && !(await models.Office.findById(input.officeId, { _id: 1 }).lean())) {
    throw new NotFoundError('office', input.officeId);
  }
  const attendees = [...new Set(input.attendeeMemberIds)];
  await checkAttendees(models, [input.groupId, ...joint], attendees, 'body.attendeeMemberIds');
  try {
    const doc = await models.Meeting.create({
      _id: input.id ?? `mt_${randomBytes(8).toString('hex')}`,
      cycleId: input.cycleId,
      groupId: input.groupId,
      startsAt: input.startsAt,
      mode: input.mode,
      jointWithGroupIds: joint,
      ...(input.officeId ? { officeId: input.officeId } : {}),
      attendeeMemberIds: attendees,
      guestCount: input.guestCount,
      notes: input.notes,
      recordedBy,
    });
    return doc.toObject();
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new ConflictError(`meeting ${input.id} already exists`);
    throw err;
  }
}

/** Replaces a meeting's attendance (people arrive late; lists come in after the meeting). */
export async function setAttendance(
  models: Models,
  cycleId: string,
  groupId: string,
  meetingId: string,
  attendance: { attendeeMemberIds: string[]; guestCount: number },
): Promise<MeetingDoc> {
  const cycle = await requireCycle(models, cycleId);
  assertPhase(cycle, MEETING_PHASES, 'changing attendance');
  const meeting = await models.Meeting.findOne({ _id: meetingId, cycleId, groupId }).lean();
  if (!meeting) throw new NotFoundError('meeting', meetingId);
  const attendees = [...new Set(attendance.attendeeMemberIds)];
  await checkAttendees(models, [groupId, ...meeting.jointWithGroupIds], attendees, 'body.attendeeMemberIds');
  const doc = await models.Meeting.findOneAndUpdate(
    { _id: meetingId },
    { $set: { attendeeMemberIds: attendees, guestCount: attendance.guestCount } },
    { returnDocument: 'after', lean: true },
  );
  if (!doc) throw new NotFoundError('meeting', meetingId);
  return doc;
}

/** A group's meetings, its joint meetings hosted by other groups included, by date. */
export async function listMeetings(models: Models, cycleId: string, groupId: string): Promise<MeetingDoc[]> {
  await requireGroup(models, cycleId, groupId);
  return models.Meeting.find({ cycleId, $or: [{ groupId }, { jointWithGroupIds: groupId }] })
    .sort({ startsAt: 1 })
    .lean();
}
