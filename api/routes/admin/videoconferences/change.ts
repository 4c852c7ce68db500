import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { localDateTimeSchema, localizedTextSchema } from '../../../schemas';
import { changeVideoconference } from '../../../usecases/videoconferences';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { convertOne } from '../../../usecases/cycle-dates';
import { joinUrlSchema, vcParams, vcView, videoconferenceSchema } from './schemas';

/** Changes a videoconference (time, length, link, title); its ICS sequence is raised. */
export default defineRoute({
  name: 'videoconferences.change',
  method: 'patch',
  path: '/admin/cycles/{cycleId}/videoconferences/{videoconferenceId}',
  summary: 'Change a videoconference (raises its calendar sequence)',
  tag: 'public review',
  access: { roles: ['staff'] },
  params: vcParams,
  body: z
    .strictObject({
      title: localizedTextSchema.optional(),
      startsAt: localDateTimeSchema.optional(),
      timeZone: z.string().min(1).optional(),
      durationMinutes: z.number().int().min(15).max(480).optional(),
      joinUrl: joinUrlSchema.optional(),
    })
    .refine((b) => Boolean(b.title || b.startsAt || b.durationMinutes || b.joinUrl), { message: 'change at least one of title, startsAt, durationMinutes, joinUrl' })
    .openapi('VideoconferencePatch'),
  response: { status: 200, description: 'The videoconference', schema: videoconferenceSchema },
  errors: [409],
  audit: 'videoconference.change',
  handle: async ({ params, body, deps, audit }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    const startsAt = body.startsAt
      ? new Date(convertOne(body.startsAt, body.timeZone ?? cycle.countries[0].timeZone, 'startsAt', 'body.startsAt'))
      : undefined;
    const vc = await changeVideoconference(deps.models, params.cycleId, params.videoconferenceId, {
      title: body.title, startsAt, durationMinutes: body.durationMinutes, joinUrl: body.joinUrl,
    });
    audit.subject = vc._id;
    audit.details = { sequence: vc.sequence, changed: Object.keys(body) };
    return vcView(vc);
  },
});
