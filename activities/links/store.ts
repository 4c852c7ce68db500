/**
 * What is stored about links, and the only MongoDB operations of the click path: an insert into
 * the big `link_uses` (cheap on FerretDB, whose unique index answers a duplicate at once) and
 * reads of the small `link_recent` and `link_revocations` collections.
 */
import type { Models, LinkRecentDoc, LinkRevocationDoc } from '../../domain/models';
import { linkKeys, storedHash, type LinkKeys } from './keys';
import { monthOf, useIdFor, type LinkClaims } from './token';

/** How long a settled use stays in `link_recent`: a second click within it reads "already recorded". */
export const RECENT_WINDOW_MS = 15 * 60_000;

export const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

/** The stored ids of the revocations that could apply to these claims. */
function revocationKeys(keys: LinkKeys, claims: Pick<LinkClaims, 'linkId' | 'memberId' | 'workflowId' | 'subjectId'>) {
  return {
    link: storedHash(keys, 'revoke-link', claims.linkId),
    member: storedHash(keys, 'revoke-member', claims.memberId),
    subject: storedHash(keys, 'revoke-subject', claims.workflowId, claims.subjectId),
    subject_member: storedHash(keys, 'revoke-subject-member', claims.workflowId, claims.subjectId, claims.memberId),
  } as const;
}

/**
 * True when the link, its member (erasure) or its subject was revoked. Four lookups by `_id` on a
 * small collection, in parallel (a `$in` would not be pushed down to PostgreSQL by FerretDB).
 */
export async function isRevoked(models: Models, secret: string, claims: LinkClaims): Promise<boolean> {
  const ids = revocationKeys(linkKeys(secret), claims);
  const found = await Promise.all(
    Object.values(ids).map((id) => models.LinkRevocation.findOne({ _id: id }, { kind: 1, revokedAt: 1 }).lean()),
  );
  return found.some(
    (doc) => doc !== null && (doc.kind === 'link' || claims.issuedAt <= new Date(doc.revokedAt).getTime()),
  );
}

async function insertRevocation(models: Models, doc: LinkRevocationDoc): Promise<void> {
  try {
    await models.LinkRevocation.create(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Revoked before: a scope revocation moves forward to cover the links issued since.
    if (doc.kind !== 'link') await models.LinkRevocation.updateOne({ _id: doc._id }, { $set: { revokedAt: doc.revokedAt } });
  }
}

export interface RevokeBy {
  reason: string;
  /** Actor id (API key id, member id, `system`), never a name. */
  revokedBy: string;
  at?: Date;
}

/** Revokes one link for good. */
export async function revokeLink(models: Models, secret: string, linkId: string, by: RevokeBy): Promise<void> {
  const _id = storedHash(linkKeys(secret), 'revoke-link', linkId);
  await insertRevocation(models, { _id, kind: 'link', revokedAt: by.at ?? new Date(), reason: by.reason, revokedBy: by.revokedBy });
}

/** Revokes every link issued to a member until now (erasure). */
export async function revokeMemberLinks(models: Models, secret: string, memberId: string, by: RevokeBy): Promise<void> {
  const _id = storedHash(linkKeys(secret), 'revoke-member', memberId);
  await insertRevocation(models, { _id, kind: 'member', revokedAt: by.at ?? new Date(), reason: by.reason, revokedBy: by.revokedBy });
}

/**
 * Revokes every link issued until now for a subject of a workflow (e.g. a group's approval after
 * staff replaced the moderator), or only those of one member. Links issued later work.
 */
export async function revokeSubjectLinks(
  models: Models,
  secret: string,
  scope: { workflowId: string; subjectId: string; memberId?: string },
  by: RevokeBy,
): Promise<void> {
  const keys = linkKeys(secret);
  const doc = scope.memberId
    ? { _id: storedHash(keys, 'revoke-subject-member', scope.workflowId, scope.subjectId, scope.memberId), kind: 'subject_member' as const }
    : { _id: storedHash(keys, 'revoke-subject', scope.workflowId, scope.subjectId), kind: 'subject' as const };
  await insertRevocation(models, { ...doc, revokedAt: by.at ?? new Date(), reason: by.reason, revokedBy: by.revokedBy });
}

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
  try {
    await models.LinkRecent.create({
      _id: useId,
      state: 'consumed',
      action: input.action,
      workflowId: input.claims.workflowId,
      subjectId: input.claims.subjectId,
      memberId: input.claims.memberId,
      version: input.claims.version,
      updateName: input.updateName,
      updateArg: input.updateArg,
      updateId: input.updateId,
      expiresMonth,
      consumedAt: input.now,
      attempts: 0,
      // The click itself delivers; the reconciler steps in only if that did not finish.
      nextAttemptAt: new Date(input.now.getTime() + 30_000),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return { kind: 'repeat', useId, recent: await findRecent(models, useId) };
  }
  try {
    await models.LinkUse.create({ _id: useId, usedAt: input.now, expiresMonth });
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
