import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { idSchema } from '../../../schemas';
import { setAttendance } from '../../../../activities/storage/meetings';
import { meetingSchema, meetingView } from './schemas';

/** Replaces a meeting's attendance list (lists often arrive after the meeting). */
export default defineRoute({
  name: 'meetings.setAttendance',
  method: 'put',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/meetings/{meetingId}/attendance',
  summary: 'Replace a meeting’s attendance',
  tag: 'meetings',
  access: { roles: ['staff'] },
  params: z.strictObject({ cycleId: idSchema, groupId: idSchema, meetingId: idSchema }),
  body: z
    .strictObject({
      attendeeMemberIds: z.array(idSchema).max(500),
      guestCount: z.number().int().min(0).max(1000).default(0),
    })
    .openapi('AttendanceInput'),
  response: { status: 200, description: 'The meeting', schema: meetingSchema },
  errors: [409],
  audit: 'meeting.set_attendance',
  handle: async ({ params, body, deps, audit }) => {
    const meeting = await setAttendance(deps.models, params.cycleId, params.groupId, params.meetingId, body);
    audit.subject = meeting._id;
    audit.details = { attendance: meeting.attendeeMemberIds.length + meeting.guestCount };
    return meetingView(meeting);
  },
});
