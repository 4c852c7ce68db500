/**
 * What is stored about uses of links, and the click path's writes: an insert into the big
 * `link_uses` (cheap on FerretDB, whose unique index answers a duplicate at once), an insert into
 * and an update of the small `link_recent`. Revocations: revocations.ts.
 */
import type { Models, LinkRecentDoc, LinkUseDoc } from '../../domain/models';
import { linkKeys } from './keys';
import { monthOf, useIdFor, type LinkClaims } from './token';

/** How long a settled use stays in `link_recent`: a second click within it reads "already recorded". */
export const RECENT_WINDOW_MS = 15 * 60_000;

export const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

/** The recent use with this id, if it is still in the window (small collection). */
export function findRecent(models: Models, useId: string): Promise<LinkRecentDoc | null> {
  return models.LinkRecent.findOne({ _id: useId }).lean<LinkRecentDoc>().exec();
}

export interface ConsumeInput {
  claims: LinkClaims;
  scope: string;
  action: string;
  /** The update to deliver (workflow actions), or the form to apply (MongoDB actions). */
  updateName?: string;
  updateArg: Record<string, unknown>;
  updateId?: string;
  now: Date;
}

export type ConsumeResult =
  | { kind: 'first'; useId: string }
  /** Used before: `recent` is the earlier use while it is in the window, else null (neutral answer). */
  | { kind: 'repeat'; useId: string; recent: LinkRecentDoc | null };

/**
 * Uses a link once, atomically. First the journal entry in `link_recent` (its unique `_id` turns
 * a concurrent second click into a duplicate), then the permanent lock in `link_uses` (a use
 * older than the window is a duplicate there). A crash between the two leaves a journal entry that
 * the reconciler finishes; the update id makes that harmless even for an old use.
 */
export async function consumeLink(models: Models, secret: string, input: ConsumeInput): Promise<ConsumeResult> {
  const useId = useIdFor(linkKeys(secret), input.claims.linkId, input.scope);
  const expiresMonth = monthOf(input.claims.expiresAt);
  const journal: LinkRecentDoc = {
    _id: useId,
    state: 'consumed',
    action: input.action,
    workflowId: input.claims.workflowId,
    subjectId: input.claims.subjectId,
    memberId: input.claims.memberId,
    version: input.claims.version,
    ...(input.updateName !== undefined ? { updateName: input.updateName, updateId: input.updateId } : {}),
    updateArg: input.updateArg,
    expiresMonth,
    consumedAt: input.now,
    attempts: 0,
    // The click itself delivers; the reconciler steps in only if that did not finish.
    nextAttemptAt: new Date(input.now.getTime() + 30_000),
  };
  // The driver's inserts, not mongoose's `create`: the documents are complete here, and hydrating
  // and validating them costs the click path a tenth of a millisecond each for nothing.
  try {
    await models.LinkRecent.collection.insertOne(journal as never);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return { kind: 'repeat', useId, recent: await findRecent(models, useId) };
  }
  try {
    await models.LinkUse.collection.insertOne({ _id: useId, usedAt: input.now, expiresMonth } satisfies LinkUseDoc as never);
  } catch (err) {
    await models.LinkRecent.deleteOne({ _id: useId, state: 'consumed' });
    if (!isDuplicateKey(err)) throw err;
    return { kind: 'repeat', useId, recent: null };
  }
  return { kind: 'first', useId };
}

/** Records how a use ended: delivered (or applied), or rejected with the workflow's reason. */
export async function settleUse(
  models: Models,
  useId: string,
  state: 'delivered' | 'rejected',
  now: Date,
  outcome?: string,
): Promise<void> {
  await models.LinkRecent.updateOne(
    { _id: useId },
    { $set: { state, settledAt: now, ...(outcome ? { outcome } : {}) }, $unset: { updateArg: 1, lastError: 1 } },
  );
}

/**
 * Gives a use back after the workflow refused it: the validator changed nothing and Temporal keeps
 * no trace of a rejected update, so the link may be tried again (a click while the group was
 * still starting); it is refused again for as long as the reason holds. Lock first: a crash in
 * between leaves a journal entry that the reconciler delivers (and is refused) again.
 */
export async function releaseUse(models: Models, useId: string): Promise<void> {
  await models.LinkUse.deleteOne({ _id: useId });
  await models.LinkRecent.deleteOne({ _id: useId });
}

/** Temporal did not answer: the reconciler tries again after `retryAt`. */
export async function deferUse(models: Models, useId: string, attempts: number, retryAt: Date, error: string): Promise<void> {
  await models.LinkRecent.updateOne(
    { _id: useId, state: 'consumed' },
    { $set: { attempts, nextAttemptAt: retryAt, lastError: error.slice(0, 300) } },
  );
}
