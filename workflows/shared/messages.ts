/**
 * Small helpers every workflow file uses: search-attribute keys, rejections with the product's
 * failure types, activity failures turned into update failures, and deadline arithmetic.
 * Workflow-safe: imports only @temporalio/workflow, @temporalio/common and domain constants.
 */
import { ActivityFailure, ApplicationFailure, condition, upsertSearchAttributes } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType, type RetryPolicy } from '@temporalio/common';
import { FAILURE_TYPES, type FailureType } from '../../domain/errors';

export const SA = {
  kind: defineSearchAttributeKey('SipKind', SearchAttributeType.KEYWORD),
  cycleId: defineSearchAttributeKey('SipCycleId', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('SipPhase', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('SipStatus', SearchAttributeType.KEYWORD),
  country: defineSearchAttributeKey('SipCountry', SearchAttributeType.KEYWORD),
} as const;

type SaValues = Partial<Record<keyof typeof SA, string>>;

/** Upserts our keyword search attributes (ids and enum words only). */
export function setSearchAttributes(values: SaValues): void {
  const pairs = (Object.entries(values) as [keyof typeof SA, string | undefined][])
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ({ key: SA[name], value: value as string }));
  if (pairs.length > 0) upsertSearchAttributes(pairs);
}

/** Initial search attributes for a child or a continued run. */
export function searchAttributePairs(values: SaValues) {
  return (Object.entries(values) as [keyof typeof SA, string | undefined][])
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ({ key: SA[name], value: value as string }));
}

/** Rejects a human decision: validators and handlers throw this; the api maps `type` to HTTP. */
export function reject(type: FailureType, message: string): never {
  throw ApplicationFailure.nonRetryable(message, type);
}

const PRODUCT_TYPES = new Set<string>(Object.values(FAILURE_TYPES));

/**
 * Runs an activity from an update handler: a product failure raised by the activity (an unknown
 * member, a wrong moderator) becomes the update's own failure, with the same type, so the caller
 * sees `UnknownSubject` rather than a wrapped ActivityFailure.
 */
export async function asUpdateFailure<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && PRODUCT_TYPES.has(err.cause.type ?? '')) {
      throw ApplicationFailure.nonRetryable(err.cause.message, err.cause.type);
    }
    throw err;
  }
}

/** Storage activities: short, retried until MongoDB answers; product failures are final. */
export const STORAGE_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: [...PRODUCT_TYPES, 'InvalidMailRequest'],
};

export const DAY_MS = 86_400_000;

/** Milliseconds from workflow time until `iso` (0 when passed). */
export function msUntil(iso: string): number {
  return Math.max(0, Date.parse(iso) - Date.now());
}

/** True when `iso` parses as a date. */
export function isInstant(iso: unknown): iso is string {
  return typeof iso === 'string' && iso.length <= 40 && !Number.isNaN(Date.parse(iso));
}

/**
 * Waits until `done()` holds or `ms` passed; true when `done()` became true. A zero wait does not
 * create a timer (a timer of 0 ms is not allowed), it only looks at `done()`.
 */
export async function waitFor(done: () => boolean, ms: number): Promise<boolean> {
  if (done()) return true;
  if (ms <= 0) return false;
  return condition(done, ms);
}

/** Trimmed non-empty string of at most `max` characters. */
export function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= max;
}

/** Short non-empty identifier (actor ids, report ids). */
export function isActorId(value: unknown): value is string {
  // No '@': an actor is a key id or a member id, never an e-mail address.
  return typeof value === 'string' && /^[A-Za-z0-9_:.-]{1,100}$/.test(value);
}
