/**
 * The public review's videoconferences as staff schedule them. `uid` is stable and `sequence` is
 * raised at every change or cancellation, so the calendar invitations the mail module sends
 * (ICS with UID and SEQUENCE) replace the earlier ones in members' calendars.
 */
import { randomBytes } from 'node:crypto';
import type { Models, VideoconferenceDoc } from '../../domain/models';
import type { LocalizedText, Phase } from '../../domain/types';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { assertPhase, requireCycle } from '../../activities/storage/cycle-config';

const PHASES: Phase[] = ['consolidation', 'public_review'];

export interface VideoconferenceInput {
  id?: string;
  title: LocalizedText;
  startsAt: Date;
  durationMinutes: number;
  joinUrl: string;
}

/** Schedules a videoconference of the public review (during consolidation or the review). */
export async function scheduleVideoconference(models: Models, cycleId: string, input: VideoconferenceInput): Promise<VideoconferenceDoc> {
  const cycle = await requireCycle(models, cycleId);
  assertPhase(cycle, PHASES, 'scheduling a videoconference');
  const id = input.id ?? `vc_${randomBytes(6).toString('hex')}`;
  try {
    const doc = await models.Videoconference.create({
      _id: id,
      cycleId,
      uid: `${cycleId}.${id}@smart-in-progress`,
      sequence: 0,
      title: input.title,
      startsAt: input.startsAt,
      durationMinutes: input.durationMinutes,
      joinUrl: input.joinUrl,
      cancelled: false,
    });
    return doc.toObject();
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new ConflictError(`videoconference ${id} already exists`);
    throw err;
  }
}

/** Changes a videoconference and raises its sequence; a cancelled one cannot change. */
export async function changeVideoconference(
  models: Models,
  cycleId: string,
  id: string,
  patch: Partial<Omit<VideoconferenceInput, 'id'>>,
): Promise<VideoconferenceDoc> {
  const cycle = await requireCycle(models, cycleId);
  assertPhase(cycle, PHASES, 'changing a videoconference');
  const set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) set[k] = v;
  const doc = await models.Videoconference.findOneAndUpdate(
    { _id: id, cycleId, cancelled: false },
    { $set: set, $inc: { sequence: 1 } },
    { returnDocument: 'after', lean: true },
  );
  if (doc) return doc;
  const existing = await models.Videoconference.findOne({ _id: id, cycleId }).lean();
  if (!existing) throw new NotFoundError('videoconference', id);
  throw new ConflictError(`videoconference ${id} is cancelled`);
}

/** Cancels a videoconference (sequence raised: the cancellation replaces the invitation). */
export async function cancelVideoconference(models: Models, cycleId: string, id: string): Promise<VideoconferenceDoc> {
  const cycle = await requireCycle(models, cycleId);
  assertPhase(cycle, PHASES, 'cancelling a videoconference');
  const doc = await models.Videoconference.findOneAndUpdate(
    { _id: id, cycleId, cancelled: false },
    { $set: { cancelled: true }, $inc: { sequence: 1 } },
    { returnDocument: 'after', lean: true },
  );
  if (doc) return doc;
  const existing = await models.Videoconference.findOne({ _id: id, cycleId }).lean();
  if (!existing) throw new NotFoundError('videoconference', id);
  return existing; // already cancelled: idempotent
}

/** A cycle's videoconferences, by date, with RSVP counts. */
export async function listVideoconferences(models: Models, cycleId: string) {
  await requireCycle(models, cycleId);
  const [items, rsvps] = await Promise.all([
    models.Videoconference.find({ cycleId }).sort({ startsAt: 1 }).lean(),
    models.Rsvp.aggregate<{ _id: { vc: string; answer: string }; n: number }>([
      { $match: { cycleId } },
      { $group: { _id: { vc: '$videoconferenceId', answer: '$answer' }, n: { $sum: 1 } } },
    ]),
  ]);
  return items.map((vc) => ({
    vc,
    rsvp: {
      yes: rsvps.find((r) => r._id.vc === vc._id && r._id.answer === 'yes')?.n ?? 0,
      no: rsvps.find((r) => r._id.vc === vc._id && r._id.answer === 'no')?.n ?? 0,
      maybe: rsvps.find((r) => r._id.vc === vc._id && r._id.answer === 'maybe')?.n ?? 0,
    },
  }));
}
