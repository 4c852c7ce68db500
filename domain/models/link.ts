import { Schema } from 'mongoose';

/**
 * Emailed links are stateless sealed tokens (activities/links/token.ts): opening one needs no
 * lookup. What is stored is only what single use, delivery and revocation need, keyed by keyed
 * hashes (HMAC with LINK_SECRET) of the link id, never the token itself.
 *
 * FerretDB 1.24 plans every filter as a sequential scan, but enforces unique indexes on insert:
 * an insert (or a duplicate-key 11000) costs about 1 ms at 100,000 documents where a findOne by
 * `_id` costs about 50 ms. So the click path only INSERTS into the big collection (`link_uses`)
 * and reads only small ones (`link_recent`, one counter; `link_revocations` is held in memory,
 * activities/links/revocations.ts). bench/link-lookup.ts measures it.
 */

/**
 * The permanent single-use lock: one document per (link, scope) ever used. `_id` is the use id
 * (HMAC of link id and scope); the unique `_id` index makes a second use fail with 11000.
 * Written once, never updated on the click path. A sweep deletes locks of expired links.
 */
export interface LinkUseDoc {
  _id: string;
  usedAt: Date;
  /** `YYYY-MM` of the link's expiry: the sweep deletes whole past months by equality (no scan filter). */
  expiresMonth: string;
}
export const linkUseSchema = new Schema<LinkUseDoc>(
  {
    _id: { type: String, required: true },
    usedAt: { type: Date, required: true },
    expiresMonth: { type: String, required: true },
  },
  { versionKey: false },
);

/**
 * The delivery journal of recent uses (small: in-flight, undelivered, and the last minutes' uses).
 * Inserted before the lock, so a crash between the two leaves a trace the reconciler finishes.
 * Answers a double click or a second tab ("already recorded") and drives the reconciler while
 * Temporal is unreachable. Swept a few minutes after delivery.
 */
export interface LinkRecentDoc {
  _id: string; // the use id
  state: 'consumed' | 'delivered' | 'rejected';
  action: string;
  /**
   * What the reconciler needs to finish the use: for a workflow action the update (name, argument,
   * id); for a MongoDB action the form. Ids and the member's own form input only; removed once settled.
   */
  workflowId?: string;
  subjectId?: string;
  memberId?: string;
  version?: string;
  updateName?: string;
  updateArg?: Record<string, unknown>;
  updateId?: string;
  /** Rejections: the workflow's failure type (WrongPhase, Conflict, ...), or `closed`. */
  outcome?: string;
  expiresMonth: string;
  consumedAt: Date;
  settledAt?: Date;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
}
export const linkRecentSchema = new Schema<LinkRecentDoc>(
  {
    _id: { type: String, required: true },
    state: { type: String, required: true },
    action: { type: String, required: true },
    workflowId: String,
    subjectId: String,
    memberId: String,
    version: String,
    updateName: String,
    updateArg: Schema.Types.Mixed,
    updateId: String,
    outcome: String,
    expiresMonth: { type: String, required: true },
    consumedAt: { type: Date, required: true },
    settledAt: Date,
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastError: String,
  },
  { versionKey: false },
);
linkRecentSchema.index({ state: 1 });

/**
 * A revocation: of one link (`link:<hash>`), of every link of a member (`member:<hash>`, written
 * by erasure), of a subject (`subject:<hash(workflow, subject)>`) or of a subject for one member.
 * Scope revocations apply to links issued before `revokedAt`, so a fresh invitation works again.
 */
export interface LinkRevocationDoc {
  _id: string;
  kind: 'link' | 'member' | 'subject' | 'subject_member';
  revokedAt: Date;
  reason: string;
  revokedBy: string;
}
export const linkRevocationSchema = new Schema<LinkRevocationDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    revokedAt: { type: Date, required: true },
    reason: { type: String, required: true },
    revokedBy: { type: String, required: true },
  },
  { versionKey: false },
);
