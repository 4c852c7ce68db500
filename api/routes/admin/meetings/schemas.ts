import { z } from '../../../zod';
import type { MeetingDoc } from '../../../../domain/models';
import { instantSchema } from '../../../schemas';

export const meetingSchema = z
  .object({
    id: z.string(),
    cycleId: z.string(),
    groupId: z.string(),
    startsAt: instantSchema,
    mode: z.enum(['in_person', 'online']),
    jointWithGroupIds: z.array(z.string()),
    officeId: z.string().optional(),
    attendeeMemberIds: z.array(z.string()),
    guestCount: z.number(),
    attendance: z.number(),
    notes: z.string().optional(),
  })
  .openapi('Meeting');

export function meetingView(m: MeetingDoc): z.input<typeof meetingSchema> {
  return {
    id: m._id,
    cycleId: m.cycleId,
    groupId: m.groupId,
    startsAt: new Date(m.startsAt).toISOString(),
    mode: m.mode,
    jointWithGroupIds: m.jointWithGroupIds ?? [],
    ...(m.officeId ? { officeId: m.officeId } : {}),
    attendeeMemberIds: m.attendeeMemberIds ?? [],
    guestCount: m.guestCount ?? 0,
    attendance: (m.attendeeMemberIds?.length ?? 0) + (m.guestCount ?? 0),
    ...(m.notes ? { notes: m.notes } : {}),
  };
}
