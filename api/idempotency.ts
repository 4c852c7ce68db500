/**
 * Idempotency-Key on writes: the first request with a key stores its response; a retry with the
 * same key and the same request gets the stored response back without acting again; the same key
 * with another request is refused (422). A failed request releases its key (nothing was stored, so
 * acting again is safe). FerretDB has no TTL index: `sweepIdempotency` deletes expired records.
 */
import { createHash } from 'node:crypto';
import type { Models } from '../domain/models';
import { ConflictError, ValidationError } from '../domain/errors';
import { IdempotencyKeyReusedError } from './errors';

const KEY = /^[\x21-\x7e]{1,200}$/;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim older than this whose request never finished (a crash) may be taken over. */
const ABANDONED_AFTER_MS = 2 * 60 * 1000;

export type IdempotencyOutcome =
  | { kind: 'fresh'; recordId: string }
  | { kind: 'replay'; status: number; body: unknown };

/** Hash of what makes two requests "the same": method, path and body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n`)
    .update(typeof body === 'string' ? body : JSON.stringify(body ?? null))
    .digest('hex');
}

/** Checks the header value; throws ValidationError for an unusable key. */
export function parseIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!KEY.test(value)) {
    throw new ValidationError('invalid Idempotency-Key header', [
      { path: 'headers.idempotency-key', message: '1 to 200 visible ASCII characters' },
    ]);
  }
  return value;
}

/** Claims the key for this request, or returns the stored response of the first one. */
export async function beginIdempotent(
  models: Models,
  keyId: string,
  key: string,
  hash: string,
  now = new Date(),
): Promise<IdempotencyOutcome> {
  const recordId = `${keyId}:${key}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await models.Idempotency.create({
        _id: recordId,
        requestHash: hash,
        state: 'in_progress',
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      });
      return { kind: 'fresh', recordId };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    const existing = await models.Idempotency.findById(recordId).lean();
    if (!existing) continue; // released between our insert and read: try once more
    if (existing.expiresAt < now) {
      await models.Idempotency.deleteOne({ _id: recordId, expiresAt: existing.expiresAt });
      continue;
    }
    if (existing.requestHash !== hash) throw new IdempotencyKeyReusedError();
    if (existing.state === 'in_progress' && existing.createdAt.getTime() < now.getTime() - ABANDONED_AFTER_MS) {
      // The process that claimed it died mid-request: take the key over (the action is idempotent).
      await models.Idempotency.deleteOne({ _id: recordId, state: 'in_progress', createdAt: existing.createdAt });
      continue;
    }
    if (existing.state === 'in_progress') {
      throw new ConflictError('a request with this Idempotency-Key is still in progress; retry shortly');
    }
    return { kind: 'replay', status: existing.status ?? 200, body: existing.body };
  }
  throw new ConflictError('a request with this Idempotency-Key is still in progress; retry shortly');
}

/** Stores the response of the first request, for its retries. */
export async function completeIdempotent(models: Models, recordId: string, status: number, body: unknown): Promise<void> {
  await models.Idempotency.updateOne(
    { _id: recordId },
    // JSON round trip: what the client saw, and no Dates or undefined inside Mixed.
    { $set: { state: 'done', status, body: body === undefined ? null : JSON.parse(JSON.stringify(body)) } },
  );
}

/** Releases the key after a failed request, so a retry acts. */
export async function releaseIdempotent(models: Models, recordId: string): Promise<void> {
  await models.Idempotency.deleteOne({ _id: recordId, state: 'in_progress' });
}

/** Deletes expired records; api/main.ts runs it periodically (no TTL index on FerretDB). */
export async function sweepIdempotency(models: Models, now = new Date()): Promise<number> {
  const result = await models.Idempotency.deleteMany({ expiresAt: { $lt: now } });
  return result.deletedCount ?? 0;
}
