/**
 * One error vocabulary for the whole product. Workflows reject human decisions with an
 * ApplicationFailure whose `type` is one of FAILURE_TYPES (the contract across the Temporal
 * boundary); the api maps each code to one HTTP status in one place (api/errors.ts).
 * No Node imports here: workflow code uses the constants.
 */

export const FAILURE_TYPES = {
  /** The process is not in a phase (or state) that allows this decision: HTTP 409. */
  WRONG_PHASE: 'WrongPhase',
  /** The decision already happened, or conflicts with one that did: HTTP 409. */
  CONFLICT: 'Conflict',
  /** The decision's content is invalid (missing motivation, bad wording, date in the past): HTTP 422. */
  INVALID_DECISION: 'InvalidDecision',
  /** The decision names something the workflow does not know (recommendation, group, member): HTTP 422. */
  UNKNOWN_SUBJECT: 'UnknownSubject',
  /** The actor may not take this decision here (not this group's moderator): HTTP 403. */
  NOT_ALLOWED: 'NotAllowed',
} as const;
export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];

export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'wrong_phase'
  | 'invalid_decision'
  | 'unknown_subject'
  | 'idempotency_key_reused'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface FieldProblem {
  /** Where the problem is, e.g. `body.countries.0.timeZone`. */
  path: string;
  message: string;
}

/** Base of every error the product raises on purpose; `code` is the machine-readable contract. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fields?: FieldProblem[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Thrown when a request, a CSV row or an activity input does not match its schema. */
export class ValidationError extends DomainError {
  constructor(message: string, fields: FieldProblem[]) {
    super('validation_failed', message, { fields });
  }
}

/** Thrown when an id names nothing stored. */
export class NotFoundError extends DomainError {
  constructor(readonly entity: string, readonly id: string) {
    super('not_found', `${entity} ${id} does not exist`, { entity, id });
  }
}

/** Thrown when a write would contradict stored state (duplicate key, wrong status). */
export class ConflictError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details);
  }
}

/** Thrown when the phase projection says the cycle does not accept this input now. */
export class WrongPhaseError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('wrong_phase', message, details);
  }
}

/** Thrown when Temporal or MongoDB cannot be reached; the caller may retry later. */
export class UnavailableError extends DomainError {
  constructor(readonly dependency: 'temporal' | 'mongodb' | 'smtp', message?: string) {
    super('unavailable', message ?? `${dependency} is unreachable; try again later`, { dependency });
  }
}

/** Maps a workflow ApplicationFailure type to the product's error code. */
export function codeForFailureType(type: string | undefined | null): ErrorCode | undefined {
  switch (type) {
    case FAILURE_TYPES.WRONG_PHASE:
      return 'wrong_phase';
    case FAILURE_TYPES.CONFLICT:
      return 'conflict';
    case FAILURE_TYPES.INVALID_DECISION:
      return 'invalid_decision';
    case FAILURE_TYPES.UNKNOWN_SUBJECT:
      return 'unknown_subject';
    case FAILURE_TYPES.NOT_ALLOWED:
      return 'forbidden';
    default:
      return undefined;
  }
}
