import { Schema } from 'mongoose';
import type { Actor } from '../types';

/**
 * The audit trail: who did what, when. `_id` is chosen by the writer from the operation's
 * identity (update id, activity id), so a retried write is one event, not two.
 */
export interface AuditDoc {
  _id: string;
  at: Date;
  actor: Actor;
  action: string;
  cycleId?: string;
  workflowId?: string;
  subject?: string;
  details?: Record<string, unknown>;
}
export const auditSchema = new Schema<AuditDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { kind: { type: String, required: true }, id: { type: String, required: true } },
    action: { type: String, required: true },
    cycleId: String,
    workflowId: String,
    subject: String,
    details: Schema.Types.Mixed,
  },
  { versionKey: false },
);
auditSchema.index({ cycleId: 1, at: 1 });

/**
 * Numbers handed out in sequence (`consolidation:<cycleId>`: the consolidated recommendations).
 * A document of its own rather than a field of the cycle: FerretDB 1.x applies an update by
 * rewriting the whole document it read, so a counter on the cycle could undo a concurrent phase
 * projection (and the projection the counter). Even here two concurrent `$inc` can hand out the
 * same numbers on FerretDB: the unique `_id` of what is numbered catches it and the writer takes
 * new ones (activities/storage/consolidation.ts).
 */
export interface CounterDoc {
  _id: string;
  value: number;
}
export const counterSchema = new Schema<CounterDoc>({ _id: { type: String, required: true }, value: { type: Number, required: true } }, { versionKey: false });

/** An API key: only its hash is stored. Roles: staff, board secretary of one country, operator. */
export interface ApiKeyDoc {
  _id: string; // key id: the public half of the key
  hash: string; // HMAC-SHA256 of the secret half
  role: 'staff' | 'board_secretary' | 'operator';
  country?: string; // board secretaries only
  owner: string; // a label such as "cooperative-life-team", never shown in workflows
  createdAt: Date;
  revokedAt?: Date;
}
export const apiKeySchema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    hash: { type: String, required: true },
    role: { type: String, required: true },
    country: String,
    owner: { type: String, required: true },
    createdAt: { type: Date, required: true },
    revokedAt: Date,
  },
  { versionKey: false },
);

/** A write request already handled, so a retried request with the same key does not act twice. */
export interface IdempotencyDoc {
  _id: string; // `<keyId>:<Idempotency-Key>`
  requestHash: string;
  state: 'in_progress' | 'done';
  status?: number;
  body?: unknown;
  createdAt: Date;
  /** No TTL index on FerretDB: a sweep deletes records past this date. */
  expiresAt: Date;
}
export const idempotencySchema = new Schema<IdempotencyDoc>(
  {
    _id: { type: String, required: true },
    requestHash: { type: String, required: true },
    state: { type: String, required: true },
    status: Number,
    body: Schema.Types.Mixed,
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
