/**
 * The outbox: every mail is an entry keyed by (workflow, purpose, recipient, version) before it
 * reaches SMTP, and its state moves pending → sending → sent | failed | unknown by inserts only
 * (domain/models/mail.ts explains why: inserts are cheap on FerretDB at any size).
 *
 * Delivery guarantee, per entry:
 * - A mail whose SMTP transaction surely failed (4xx reply, refused connection, timeout before
 *   the reply) releases its claim and is sent again later: at least once, with the same
 *   Message-ID and the same link (the link id derives from the entry).
 * - An attempt that died DURING the SMTP transaction (worker killed after the server may have
 *   accepted) leaves a claim without an outcome. SMTP cannot say whether it accepted a message;
 *   when the relay has an API that can (MAIL_DELIVERY_LOOKUP_URL, delivery-lookup.ts), the claim
 *   past its lease is settled by asking it: found → `sent`, not found → released and sent again
 *   (exactly once). Without one we choose at most once: the entry is recorded as `unknown`, not
 *   resent, and counted as failed so the workflow alerts staff. Sending twice is the worse
 *   failure here (a member would see two invitations, or doubt which link counts).
 * - While the lease runs (the attempt may still be alive), a retry waits: it throws a retryable
 *   failure and Temporal's activity retry comes back later.
 */
import { createHash } from 'node:crypto';
import type { Models, OutboxDoc, OutboxResultDoc } from '../../domain/models';
import type { Recipient } from './contract';
import { SMTP_TRANSACTION_BOUND_MS } from './transport';
import type { DeliveryLookup } from './delivery-lookup';

/** A claim older than this has no live attempt behind it any more. */
export const CLAIM_LEASE_MS = SMTP_TRANSACTION_BOUND_MS + 40_000;

const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

/** `member:<id>` or `role:<role>[:<country>]`: ids only, never an address. */
export function recipientKey(recipient: Recipient): string {
  if ('memberId' in recipient) return `member:${recipient.memberId}`;
  return `role:${recipient.role}${recipient.country ? `:${recipient.country}` : ''}`;
}

/** The outbox id: a hash of what makes a mail the same mail. */
export function outboxIdFor(parts: { workflowId: string; purpose: string; recipientKey: string; version: string }): string {
  return createHash('sha256')
    .update(JSON.stringify([parts.workflowId, parts.purpose, parts.recipientKey, parts.version]))
    .digest('hex');
}

/** Our Message-ID for an entry: the same on every attempt, so a receiving system can tell a resend. */
export function messageIdFor(outboxId: string, mailFrom: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'smart-in-progress.invalid';
  return `<${outboxId.slice(0, 40)}.sip@${domain}>`;
}

/** Takes the entry for this attempt; `taken` when an earlier attempt claimed it. */
export async function claimEntry(models: Models, entry: Pick<OutboxDoc, '_id' | 'workflowId' | 'purpose'>, attempt: number, at: Date): Promise<'claimed' | 'taken'> {
  try {
    await models.OutboxClaim.create({ _id: entry._id, workflowId: entry.workflowId, purpose: entry.purpose, claimedAt: at, attempt });
    return 'claimed';
  } catch (err) {
    if (isDuplicateKey(err)) return 'taken';
    throw err;
  }
}

/** Gives the entry back after SMTP surely did not accept it (rare: a scan on FerretDB, fine). */
export async function releaseClaim(models: Models, outboxId: string): Promise<void> {
  await models.OutboxClaim.deleteOne({ _id: outboxId });
}

/**
 * Records the outcome once. `sent` is the truth when SMTP accepted: it replaces an `unknown` that
 * a retry wrote while this attempt was still in its SMTP transaction.
 */
export async function recordOutcome(models: Models, doc: OutboxResultDoc): Promise<void> {
  try {
    await models.OutboxResult.create(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    if (doc.outcome === 'sent') {
      await models.OutboxResult.updateOne({ _id: doc._id, outcome: 'unknown' }, { $set: { outcome: 'sent', at: doc.at, response: doc.response } });
    }
  }
}

export type TakenState =
  | { state: 'sent' }
  | { state: 'failed'; error: string }
  /** Claimed by an attempt that may still be in its SMTP transaction: come back later. */
  | { state: 'in_progress' }
  /** The relay never accepted it and the dead attempt's claim is gone: claim it and send. */
  | { state: 'released' };

/**
 * What to do with an entry an earlier attempt claimed (the retry path only: two lookups by `_id`).
 * A claim past its lease without an outcome is recorded as `unknown` (at most once, see above).
 */
export async function resolveTaken(
  models: Models,
  entry: Pick<OutboxDoc, '_id' | 'workflowId' | 'purpose'>,
  at: Date,
  relay?: { lookup: DeliveryLookup; messageId: string },
): Promise<TakenState> {
  const result = await models.OutboxResult.findOne({ _id: entry._id }).lean<OutboxResultDoc>();
  if (result) return result.outcome === 'sent' ? { state: 'sent' } : { state: 'failed', error: result.outcome === 'unknown' ? 'outcome_unknown' : (result.response ?? 'rejected') };
  const claim = await models.OutboxClaim.findOne({ _id: entry._id }).lean();
  if (!claim) return { state: 'in_progress' }; // released a moment ago: the next attempt claims it
  if (at.getTime() - new Date(claim.claimedAt).getTime() < CLAIM_LEASE_MS) return { state: 'in_progress' };
  if (relay) {
    // A relay that cannot answer now leaves the entry claimed: the activity comes back later.
    const accepted = await relay.lookup(relay.messageId).catch(() => undefined);
    if (accepted === undefined) return { state: 'in_progress' };
    if (accepted) {
      await recordOutcome(models, { _id: entry._id, workflowId: entry.workflowId, purpose: entry.purpose, outcome: 'sent', at, response: 'found at the relay after a lost attempt' });
      return { state: 'sent' };
    }
    await releaseClaim(models, entry._id);
    return { state: 'released' };
  }
  await recordOutcome(models, { _id: entry._id, workflowId: entry.workflowId, purpose: entry.purpose, outcome: 'unknown', at });
  const final = await models.OutboxResult.findOne({ _id: entry._id }).lean<OutboxResultDoc>();
  return final?.outcome === 'sent' ? { state: 'sent' } : { state: 'failed', error: 'outcome_unknown' };
}

export type EntryState = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped';

/**
 * The state of every entry of one mailing (a workflow's purpose), for reports and tests: three
 * equality queries (pushed down to PostgreSQL), joined in memory.
 */
export async function outboxStates(models: Models, workflowId: string, purpose: string): Promise<Map<string, { entry: OutboxDoc; state: EntryState; result?: OutboxResultDoc }>> {
  const [entries, claims, results] = await Promise.all([
    models.Outbox.find({ workflowId, purpose }).lean<OutboxDoc[]>(),
    models.OutboxClaim.find({ workflowId, purpose }, { _id: 1 }).lean<{ _id: string }[]>(),
    models.OutboxResult.find({ workflowId, purpose }).lean<OutboxResultDoc[]>(),
  ]);
  const claimed = new Set(claims.map((c) => c._id));
  const byId = new Map(results.map((r) => [r._id, r]));
  const states = new Map<string, { entry: OutboxDoc; state: EntryState; result?: OutboxResultDoc }>();
  for (const entry of entries) {
    const result = byId.get(entry._id);
    const state: EntryState = result ? result.outcome : entry.state === 'skipped' ? 'skipped' : claimed.has(entry._id) ? 'sending' : 'pending';
    states.set(entry._id, { entry, state, result });
  }
  return states;
}
