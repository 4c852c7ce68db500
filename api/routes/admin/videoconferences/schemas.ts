import { z } from '../../../zod';
import type { VideoconferenceDoc } from '../../../../domain/models';
import { idSchema, instantSchema } from '../../../schemas';

export const vcParams = z.strictObject({ cycleId: idSchema, videoconferenceId: idSchema });

export const joinUrlSchema = z
  .url({ protocol: /^https$/, error: 'an https:// URL' })
  .max(500)
  .openapi({ example: 'https://meet.example.org/smart-review-1' });

export const videoconferenceSchema = z
  .object({
    id: z.string(),
    cycleId: z.string(),
    uid: z.string(),
    sequence: z.number(),
    title: z.object({ nl: z.string().optional(), fr: z.string().optional(), en: z.string().optional() }),
    startsAt: instantSchema,
    durationMinutes: z.number(),
    joinUrl: z.string(),
    cancelled: z.boolean(),
    rsvp: z.object({ yes: z.number(), no: z.number(), maybe: z.number() }).optional(),
  })
  .openapi('Videoconference');

export function vcView(vc: VideoconferenceDoc, rsvp?: { yes: number; no: number; maybe: number }): z.input<typeof videoconferenceSchema> {
  return {
    id: vc._id,
    cycleId: vc.cycleId,
    uid: vc.uid,
    sequence: vc.sequence ?? 0,
    title: Object.fromEntries(Object.entries(vc.title ?? {}).filter(([, v]) => typeof v === 'string')),
    startsAt: new Date(vc.startsAt).toISOString(),
    durationMinutes: vc.durationMinutes,
    joinUrl: vc.joinUrl,
    cancelled: Boolean(vc.cancelled),
    ...(rsvp ? { rsvp } : {}),
  };
}
