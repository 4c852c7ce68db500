import { Schema } from 'mongoose';

/**
 * Every mail passes this outbox before SMTP. `_id` is a hash of (workflow, purpose, recipient,
 * version): an activity retried after a crash finds the entry and does not send twice.
 * Holds a member id, not an address: the address is read at send time (erasure stays simple).
 */
export interface OutboxDoc {
  _id: string;
  workflowId: string;
  purpose: string;
  recipientMemberId?: string;
  /** Staff and board addresses are role mailboxes, not members. */
  recipientAddress?: string;
  version: string;
  template: string;
  data: Record<string, unknown>;
  state: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  lastError?: string;
  smtpMessageId?: string;
  /** Message-ID header we set, so a resend after an unknown outcome is detectable. */
  messageId: string;
  createdAt: Date;
  sentAt?: Date;
}
export const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: String, required: true },
    workflowId: { type: String, required: true },
    purpose: { type: String, required: true },
    recipientMemberId: String,
    recipientAddress: String,
    version: { type: String, required: true },
    template: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    state: { type: String, required: true, default: 'pending' },
    attempts: { type: Number, default: 0 },
    lastError: String,
    smtpMessageId: String,
    messageId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    sentAt: Date,
  },
  { versionKey: false },
);
outboxSchema.index({ workflowId: 1, purpose: 1 });
outboxSchema.index({ state: 1 });
