/**
 * The audit trail of api writes: one event per successful write, actor = the API key id. The
 * event id comes from the Idempotency-Key when there is one, so a retried request is one event.
 */
import { randomUUID } from 'node:crypto';
import type { Models } from '../domain/models';
import type { Actor } from '../domain/types';

export interface AuditEntry {
  action: string;
  actor: Actor;
  cycleId?: string;
  workflowId?: string;
  subject?: string;
  details?: Record<string, unknown>;
  /** Stable id for retried operations; a random one otherwise. */
  eventId?: string;
}

/** Records one audit event; a second write with the same event id is ignored. */
export async function recordAudit(models: Models, entry: AuditEntry, at = new Date()): Promise<void> {
  try {
    await models.Audit.create({
      _id: entry.eventId ?? `api:${randomUUID()}`,
      at,
      actor: entry.actor,
      action: entry.action,
      cycleId: entry.cycleId,
      workflowId: entry.workflowId,
      subject: entry.subject,
      details: entry.details,
    });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
}
