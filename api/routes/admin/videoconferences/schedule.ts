import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams, idSchema, localDateTimeSchema, localizedTextSchema } from '../../../schemas';
import { scheduleVideoconference } from '../../../usecases/videoconferences';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { convertOne } from '../../../usecases/cycle-dates';
import { joinUrlSchema, vcView, videoconferenceSchema } from './schemas';

/** Schedules one videoconference of the public review series (open to every member). */
export default defineRoute({
  name: 'videoconferences.schedule',
  method: 'post',
  path: '/admin/cycles/{cycleId}/videoconferences',
  summary: 'Schedule a public-review videoconference',
  description: 'During consolidation or the public review. `startsAt` is read in `timeZone` (default: the first country’s) and must be in the future. The public review invitation carries every videoconference scheduled by then, with its calendar invite.',
  tag: 'public review',
  access: { roles: ['staff'] },
  params: cycleParams,
  body: z
    .strictObject({
      id: idSchema.optional(),
      title: localizedTextSchema,
      startsAt: localDateTimeSchema,
      timeZone: z.string().min(1).optional(),
      durationMinutes: z.number().int().min(15).max(480),
      joinUrl: joinUrlSchema,
    })
    .openapi('VideoconferenceInput'),
  response: { status: 201, description: 'The videoconference', schema: videoconferenceSchema },
  errors: [409],
  audit: 'videoconference.schedule',
  handle: async ({ params, body, deps, audit }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    const startsAt = convertOne(body.startsAt, body.timeZone ?? cycle.countries[0].timeZone, 'startsAt', 'body.startsAt');
    const vc = await scheduleVideoconference(deps.models, params.cycleId, { ...body, startsAt: new Date(startsAt) });
    audit.subject = vc._id;
    audit.details = { startsAt, sequence: vc.sequence };
    return vcView(vc);
  },
});
