/**
 * Link revocations: of one link, of every link of a member (erasure), of a subject (a moderator
 * replaced) or of a subject for one member. Written by the api and by worker activities; read on
 * every click.
 *
 * A click checks four possible revocations. Four lookups by `_id` are four scans of
 * `link_revocations` on FerretDB 1.24 and four round trips through FerretDB and PostgreSQL, about
 * a fifth of a click's CPU. Instead each process keeps the whole (small) collection in memory and
 * a click reads one counter, `counters/link_revocations`, that every revocation increments after
 * writing: a click that starts after a revocation returned sees the new value and reloads. The
 * snapshot is also reloaded once a minute, which bounds what a writer that died between its two
 * writes (or a writer of an older release, which does not count) can leave unseen.
 */
import type { Models, LinkRevocationDoc } from '../../domain/models';
import { linkKeys, storedHash, type LinkKeys } from './keys';
import type { LinkClaims } from './token';
import { isDuplicateKey } from './store';

/** The counter every revocation increments (`counters` collection). */
export const REVOCATION_COUNTER_ID = 'link_revocations';

/** Longest a process trusts its snapshot without reloading it, whatever the counter says. */
const REVOCATION_SNAPSHOT_MAX_AGE_MS = 60_000;

/** The stored ids of the revocations that could apply to these claims. */
function revocationKeys(keys: LinkKeys, claims: Pick<LinkClaims, 'linkId' | 'memberId' | 'workflowId' | 'subjectId'>) {
  return {
    link: storedHash(keys, 'revoke-link', claims.linkId),
    member: storedHash(keys, 'revoke-member', claims.memberId),
    subject: storedHash(keys, 'revoke-subject', claims.workflowId, claims.subjectId),
    subject_member: storedHash(keys, 'revoke-subject-member', claims.workflowId, claims.subjectId, claims.memberId),
  } as const;
}

type Revoked = Map<string, { kind: LinkRevocationDoc['kind']; revokedAt: number }>;

interface Snapshot {
  /** The counter read before the load began: the load saw every revocation counted up to it. */
  generation: number;
  loadedAt: number;
  revoked: Revoked;
}

interface SnapshotState {
  current?: Snapshot;
  loading?: { generation: number; promise: Promise<Snapshot> };
}

/** One snapshot per connection's models (the api and the worker each have one). */
const snapshots = new WeakMap<Models, SnapshotState>();

async function loadSnapshot(models: Models, generation: number): Promise<Snapshot> {
  const loadedAt = Date.now();
  const docs = await models.LinkRevocation.find({}, { kind: 1, revokedAt: 1 }).lean<Pick<LinkRevocationDoc, '_id' | 'kind' | 'revokedAt'>[]>();
  return { generation, loadedAt, revoked: new Map(docs.map((d) => [d._id, { kind: d.kind, revokedAt: new Date(d.revokedAt).getTime() }])) };
}

/** The revocations as of now: one counter read, a reload when it moved (or the snapshot is old). */
async function currentRevocations(models: Models): Promise<Revoked> {
  let state = snapshots.get(models);
  if (!state) {
    state = {};
    snapshots.set(models, state);
  }
  const counter = await models.Counter.findOne({ _id: REVOCATION_COUNTER_ID }, { value: 1 }).lean();
  const generation = counter?.value ?? 0;
  const current = state.current;
  if (current && current.generation >= generation && Date.now() - current.loadedAt < REVOCATION_SNAPSHOT_MAX_AGE_MS) {
    return current.revoked;
  }
  // Join a load only if it began after this counter value was reached (it then saw everything
  // counted so far); a load begun before it may miss the revocation that moved the counter.
  if (state.loading && state.loading.generation >= generation) return (await state.loading.promise).revoked;
  const promise = loadSnapshot(models, generation);
  const loading = { generation, promise };
  state.loading = loading;
  try {
    const loaded = await promise;
    if (!state.current || loaded.generation >= state.current.generation) state.current = loaded;
    return loaded.revoked;
  } finally {
    if (state.loading === loading) state.loading = undefined;
  }
}

/** True when the link, its member (erasure) or its subject was revoked. */
export async function isRevoked(models: Models, secret: string, claims: LinkClaims): Promise<boolean> {
  const revoked = await currentRevocations(models);
  return Object.values(revocationKeys(linkKeys(secret), claims)).some((id) => {
    const doc = revoked.get(id);
    return doc !== undefined && (doc.kind === 'link' || claims.issuedAt <= doc.revokedAt);
  });
}

/** Writes the revocation, then counts it: readers reload once the count moved. Idempotent. */
async function insertRevocation(models: Models, doc: LinkRevocationDoc): Promise<void> {
  try {
    await models.LinkRevocation.create(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Revoked before: a scope revocation moves forward to cover the links issued since.
    if (doc.kind !== 'link') await models.LinkRevocation.updateOne({ _id: doc._id }, { $set: { revokedAt: doc.revokedAt } });
  }
  await models.Counter.updateOne({ _id: REVOCATION_COUNTER_ID }, { $inc: { value: 1 } }, { upsert: true });
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
