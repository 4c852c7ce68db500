import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { idSchema, localDateTimeSchema } from '../../../schemas';
import { recordMeeting } from '../../../../activities/storage/meetings';
import { requireCycle, requireGroup } from '../../../../activities/storage/cycle-config';
import { isZone, toInstant } from '../../../usecases/cycle-dates';
import { ValidationError } from '../../../../domain/errors';
import { groupParams } from '../groups/schemas';
import { meetingSchema, meetingView } from './schemas';

/** The time zone a group meets in: its office's country, else its theme's country. */
export async function groupTimeZone(
  models: Parameters<typeof requireCycle>[0],
  cycleId: string,
  groupId: string,
): Promise<string> {
  const [cycle, group] = await Promise.all([requireCycle(models, cycleId), requireGroup(models, cycleId, groupId)]);
  const office = group.officeId ? await models.Office.findById(group.officeId).lean() : null;
  const country = office?.country ?? (await models.Theme.findById(group.themeId).lean())?.country;
  return cycle.countries.find((c) => c.country === country)?.timeZone ?? cycle.countries[0].timeZone;
}

/** Records a meeting with its mode and attendance; joint meetings name the other groups. */
export default defineRoute({
  name: 'meetings.record',
  method: 'post',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/meetings',
  summary: 'Record a group meeting and its attendance',
  description: '`startsAt` is read in the group’s country time zone. Attendees must be members of this group or of the joint groups; people present who are not members are counted in `guestCount`.',
  tag: 'meetings',
  access: { roles: ['staff'] },
  params: groupParams,
  body: z
    .strictObject({
      id: idSchema.optional(),
      startsAt: localDateTimeSchema,
      mode: z.enum(['in_person', 'online']),
      jointWithGroupIds: z.array(idSchema).max(10).default([]),
      officeId: idSchema.optional().openapi({ description: 'The hosting office, when the meeting is held at another office than the group’s.' }),
      attendeeMemberIds: z.array(idSchema).max(500).default([]),
      guestCount: z.number().int().min(0).max(1000).default(0),
      notes: z.string().max(5000).optional(),
    })
    .openapi('MeetingInput'),
  response: { status: 201, description: 'The meeting', schema: meetingSchema },
  errors: [409],
  audit: 'meeting.record',
  handle: async ({ params, body, deps, principal, audit }) => {
    const zone = await groupTimeZone(deps.models, params.cycleId, params.groupId);
    const startsAt = isZone(zone) ? toInstant(body.startsAt, zone, 'startsAt') : undefined;
    if (!startsAt) throw new ValidationError('not a valid date', [{ path: 'body.startsAt', message: 'not a valid date' }]);
    const meeting = await recordMeeting(
      deps.models,
      { ...body, cycleId: params.cycleId, groupId: params.groupId, startsAt: new Date(startsAt) },
      principal.keyId,
    );
    audit.subject = meeting._id;
    audit.details = { groupId: params.groupId, mode: meeting.mode, attendance: meeting.attendeeMemberIds.length + meeting.guestCount };
    return meetingView(meeting);
  },
});
