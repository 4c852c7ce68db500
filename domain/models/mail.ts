import { Schema } from 'mongoose';

/**
 * Every mail passes this outbox before SMTP. `_id` is a hash of (workflow, purpose, recipient,
 * version): an activity retried after a crash finds the entry and does not send twice.
 * Holds a member id, not an address: the address is read at send time (erasure stays simple).
 *
 * The state machine pending → sending → sent|failed|unknown is written as INSERTS into three
 * collections keyed by the same `_id` (outbox, outbox_claims, outbox_results), never as updates:
 * FerretDB 1.24 scans the collection for every filtered update (about 50 ms at 100,000 entries)
 * but an insert, or its duplicate-key error, costs about 1 ms. The unique `_id` index of
 * outbox_claims is what lets exactly one attempt send; the one of outbox_results keeps one outcome.
 * `outboxStates()` in activities/mail/outbox.ts reads the three back for reports.
 */
export interface OutboxDoc {
  _id: string;
  workflowId: string;
  purpose: string;
  recipientMemberId?: string;
  /** Role mailboxes (staff, board secretary) are not members: `role:<role>[:<country>]`. */
  recipientRole?: string;
  version: string;
  template: string;
  data: Record<string, unknown>;
  /** `pending` (to send) or `skipped` (erased or unsubscribed member): set once, at insert. */
  state: 'pending' | 'skipped';
  skipReason?: 'erased' | 'unsubscribed' | 'no_address';
  /** Message-ID header we set: a resend after an unknown outcome carries the same one. */
  messageId: string;
  createdAt: Date;
}
export const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: String, required: true },
    workflowId: { type: String, required: true },
    purpose: { type: String, required: true },
    recipientMemberId: String,
    recipientRole: String,
    version: { type: String, required: true },
    template: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    state: { type: String, required: true, default: 'pending' },
    skipReason: String,
    messageId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
outboxSchema.index({ workflowId: 1, purpose: 1 });

/**
 * One attempt's claim on an outbox entry ("sending"): inserted right before the SMTP
 * transaction. A second claim fails with 11000. Deleted again only when SMTP surely did not
 * accept the mail (a 4xx reply, a refused connection), so the entry can be retried.
 */
export interface OutboxClaimDoc {
  _id: string; // the outbox id
  workflowId: string;
  purpose: string;
  claimedAt: Date;
  attempt: number;
}
export const outboxClaimSchema = new Schema<OutboxClaimDoc>(
  {
    _id: { type: String, required: true },
    workflowId: { type: String, required: true },
    purpose: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    attempt: { type: Number, required: true },
  },
  { versionKey: false },
);
outboxClaimSchema.index({ workflowId: 1, purpose: 1 });

/**
 * The outcome of an outbox entry, written once: `sent` (SMTP accepted), `failed` (5xx: permanent
 * rejection) or `unknown` (an attempt died during the SMTP transaction: not resent, see
 * activities/mail/outbox.ts for this at-most-once choice).
 */
export interface OutboxResultDoc {
  _id: string; // the outbox id
  workflowId: string;
  purpose: string;
  outcome: 'sent' | 'failed' | 'unknown';
  at: Date;
  /** The SMTP server's reply (`250 2.0.0 Ok: queued as ...`, `550 ...`); never an address. */
  response?: string;
  responseCode?: number;
}
export const outboxResultSchema = new Schema<OutboxResultDoc>(
  {
    _id: { type: String, required: true },
    workflowId: { type: String, required: true },
    purpose: { type: String, required: true },
    outcome: { type: String, required: true },
    at: { type: Date, required: true },
    response: String,
    responseCode: Number,
  },
  { versionKey: false },
);
outboxResultSchema.index({ workflowId: 1, purpose: 1 });
