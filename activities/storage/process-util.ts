/**
 * Helpers of the process-side storage activities (the ones workflows call): the audit trail with
 * deterministic ids, the activity's notion of "now", product failures for activities.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AuditDoc, ConsolidatedDoc, Models } from '../../domain/models';
import { FAILURE_TYPES, type FailureType } from '../../domain/errors';
import type { Actor } from '../../domain/types';

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * Server time when this attempt was scheduled: workflow time under a time-skipping test server,
 * about the wall clock in production. Outside an activity, the wall clock.
 */
export function activityNow(): Date {
  const info = currentContext()?.info;
  const ms = info?.currentAttemptScheduledTimestampMs;
  return typeof ms === 'number' && ms > 0 ? new Date(ms) : new Date();
}

/** An id for the audit event of this activity execution: stable across its retries. */
export function activityAuditId(suffix: string): string {
  const info = currentContext()?.info;
  const run = info?.workflowExecution;
  if (!info || !run) return `direct:${suffix}:${Date.now()}`;
  return `${run.workflowId}:${run.runId}:${info.activityId}:${suffix}`;
}

/** The workflow that runs this activity (for the audit trail). */
export function activityWorkflowId(): string | undefined {
  return currentContext()?.info.workflowExecution?.workflowId;
}

/** MongoDB duplicate-key error (a retried insert). */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number }[] };
  return e?.code === 11000 || (Array.isArray(e?.writeErrors) && e.writeErrors.every((w) => w.code === 11000));
}

/** Writes an audit event once: a retried write with the same id is a no-op. */
export async function audit(
  models: Models,
  event: { _id: string; actor: Actor; action: string; cycleId?: string; workflowId?: string; subject?: string; details?: Record<string, unknown>; at?: Date },
): Promise<void> {
  const doc: AuditDoc = {
    _id: event._id,
    at: event.at ?? activityNow(),
    actor: event.actor,
    action: event.action,
    cycleId: event.cycleId,
    workflowId: event.workflowId ?? activityWorkflowId(),
    subject: event.subject,
    details: event.details,
  };
  try {
    await models.Audit.create(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** A product failure raised by an activity: final (not retried), surfaced as the update's failure. */
export function fail(type: FailureType, message: string): never {
  throw ApplicationFailure.nonRetryable(message, type);
}

export { FAILURE_TYPES };

/** The system actor of a workflow (timers, policies). */
export const systemActor = (workflowId: string | undefined): Actor => ({ kind: 'system', id: workflowId ?? 'system' });

/**
 * Rewrites parts of a consolidated recommendation with compare-and-set on `docVersion` (two
 * boards may write the same shared recommendation at once). `mutate` returns the fields to set,
 * or null when nothing needs to change (a retried write).
 */
export async function casConsolidated(
  models: Models,
  id: string,
  mutate: (doc: ConsolidatedDoc) => Partial<Pick<ConsolidatedDoc, 'decisions' | 'assembly' | 'finalStatus' | 'postponeTo'>> | null,
): Promise<ConsolidatedDoc> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const doc = await models.Consolidated.findOne({ _id: id }).lean<ConsolidatedDoc>();
    if (!doc) fail(FAILURE_TYPES.UNKNOWN_SUBJECT, `recommendation ${id} does not exist`);
    const set = mutate(doc);
    if (!set) return doc;
    const version = doc.docVersion ?? 0;
    const filter = doc.docVersion === undefined ? { _id: id, docVersion: { $exists: false } } : { _id: id, docVersion: version };
    const res = await models.Consolidated.updateOne(filter, { $set: { ...set, docVersion: version + 1 } });
    if (res.modifiedCount === 1) return { ...doc, ...set, docVersion: version + 1 };
  }
  throw new Error(`recommendation ${id}: too many concurrent writes`);
}
