/**
 * Public review: members RSVP to videoconferences and react to recommendations. High volume, so
 * MongoDB only (never the workflow), accepted only while the cycle's phase projection says
 * `public_review`. `_id` per member and subject: answering again replaces the earlier answer.
 */
import { z } from 'zod';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import type { Models } from '../../../domain/models';
import { parseWorkflowId } from '../../../domain/ids';
import { isDuplicateKey } from '../store';
import type { LinkClaims } from '../token';
import type { StoreLinkAction, StoreRejection } from './types';

type Check = { ok: true } | { ok: false; reason: StoreRejection };

async function reviewOpen(models: Models, claims: LinkClaims): Promise<{ cycleId: string; version: number } | StoreRejection> {
  const parsed = parseWorkflowId(claims.workflowId);
  if (parsed?.kind !== 'cycle') return 'unknown_subject';
  const cycle = await models.Cycle.findOne({ _id: parsed.cycleId }, { projection: 1 }).lean();
  if (!cycle) return 'unknown_subject';
  if (cycle.projection.phase !== 'public_review') return 'wrong_phase';
  return { cycleId: parsed.cycleId, version: cycle.projection.consolidationVersion };
}

/** The cycle, if the link's version is the published one and the recommendation is in it. */
async function reactionTarget(models: Models, claims: LinkClaims, recommendationId: string): Promise<{ cycleId: string } | StoreRejection> {
  const open = await reviewOpen(models, claims);
  if (typeof open === 'string') return open;
  // The link was issued for the published version: a republished document needs the new mail.
  if (claims.version !== String(open.version)) return 'changed';
  const rec = await models.Consolidated.findOne({ _id: recommendationId }, { cycleId: 1, withdrawn: 1 }).lean();
  if (!rec || rec.cycleId !== open.cycleId || rec.withdrawn) return 'unknown_subject';
  return open;
}

async function rsvpTarget(models: Models, claims: LinkClaims, videoconferenceId: string) {
  const open = await reviewOpen(models, claims);
  if (typeof open === 'string') return open;
  const vc = await models.Videoconference.findOne({ _id: videoconferenceId }).lean();
  if (!vc || vc.cycleId !== open.cycleId) return 'unknown_subject' as const;
  const linkForThisOne = claims.subjectId === vc._id;
  if (!linkForThisOne && claims.subjectId !== open.cycleId) return 'unknown_subject' as const;
  if (vc.cancelled || (linkForThisOne && claims.version !== String(vc.sequence))) return 'changed' as const;
  return { open, vc };
}

/** Insert first (1 ms on FerretDB at any size); replace only when the member answered before. */
async function upsertById<T extends { _id: string }>(model: Model<T>, doc: T): Promise<void> {
  try {
    await model.create(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const { _id, ...rest } = doc;
    await model.updateOne({ _id } as QueryFilter<T>, { $set: rest } as UpdateQuery<T>).exec();
  }
}

export const react: StoreLinkAction<{ recommendationId: string; stance: 'support' | 'oppose' | 'neutral'; comment: string }> = {
  action: 'react',
  kind: 'store',
  workflowKind: 'cycle',
  form: z.object({
    recommendationId: z.string().regex(/^[A-Za-z0-9_:-]{1,100}$/),
    stance: z.enum(['support', 'oppose', 'neutral']),
    comment: z.string().trim().max(2000).default(''),
  }),
  scope: (_claims, form) => `react:${form.recommendationId}`,
  async check({ models }, claims, form): Promise<Check> {
    const open = await reactionTarget(models, claims, form.recommendationId);
    return typeof open === 'string' ? { ok: false, reason: open } : { ok: true };
  },
  async apply({ models, now }, claims, form): Promise<Check> {
    const open = await reactionTarget(models, claims, form.recommendationId);
    if (typeof open === 'string') return { ok: false, reason: open };
    await upsertById(models.Reaction, {
      _id: `${form.recommendationId}:${claims.memberId}`,
      cycleId: open.cycleId,
      recommendationId: form.recommendationId,
      memberId: claims.memberId,
      stance: form.stance,
      ...(form.comment ? { comment: form.comment } : {}),
      at: now,
    });
    return { ok: true };
  },
};

/**
 * The link of a videoconference_update mail names the videoconference and its SEQUENCE (an RSVP to
 * an outdated time is refused); the public-review link names the cycle and allows each of its
 * videoconferences once.
 */
export const rsvp: StoreLinkAction<{ videoconferenceId: string; answer: 'yes' | 'no' | 'maybe' }> = {
  action: 'rsvp',
  kind: 'store',
  workflowKind: 'cycle',
  form: z.object({
    videoconferenceId: z.string().regex(/^[A-Za-z0-9_:-]{1,100}$/),
    answer: z.enum(['yes', 'no', 'maybe']),
  }),
  scope: (_claims, form) => `rsvp:${form.videoconferenceId}`,
  async check({ models }, claims, form): Promise<Check> {
    const target = await rsvpTarget(models, claims, form.videoconferenceId);
    return typeof target === 'string' ? { ok: false, reason: target } : { ok: true };
  },
  async apply({ models, now }, claims, form): Promise<Check> {
    const target = await rsvpTarget(models, claims, form.videoconferenceId);
    if (typeof target === 'string') return { ok: false, reason: target };
    const { open, vc } = target;
    await upsertById(models.Rsvp, {
      _id: `${vc._id}:${claims.memberId}`,
      cycleId: open.cycleId,
      videoconferenceId: vc._id,
      memberId: claims.memberId,
      answer: form.answer,
      at: now,
    });
    return { ok: true };
  },
};
