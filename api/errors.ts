/**
 * The one place where errors become HTTP responses. Every failed request gets
 * `{ error: { code, message, fields? }, requestId }`; unexpected errors are logged with their stack
 * and answered with a generic 500 that never carries the raw message.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  ApplicationFailure,
} from '@temporalio/common';
import {
  QueryNotRegisteredError,
  QueryRejectedError,
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client';
import mongoose from 'mongoose';
import {
  DomainError, codeForFailureType, type ErrorCode, type FieldProblem,
} from '../domain/errors';

/** Thrown when the request carries no valid API key. */
export class UnauthenticatedError extends DomainError {
  constructor(message = 'a valid API key is required (Authorization: Bearer <keyId>.<secret>)') {
    super('unauthenticated', message);
  }
}

/** Thrown when the key's role (or country) may not use this route. */
export class ForbiddenError extends DomainError {
  constructor(message = 'this API key may not use this route') {
    super('forbidden', message);
  }
}

/** Thrown when an Idempotency-Key is presented again with a different request. */
export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super('idempotency_key_reused', 'this Idempotency-Key was already used for a different request');
  }
}

/** Thrown when the request body is larger than the route accepts. */
export class PayloadTooLargeError extends DomainError {
  constructor(limit: string) {
    super('validation_failed', `the request body is larger than ${limit}`, {
      fields: [{ path: 'body', message: `larger than ${limit}` }],
    });
  }
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  wrong_phase: 409,
  invalid_decision: 422,
  unknown_subject: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldProblem[]; [key: string]: unknown };
  requestId: string;
}

interface Mapped {
  status: number;
  code: ErrorCode;
  message: string;
  fields?: FieldProblem[];
  extra?: Record<string, unknown>;
  /** Unexpected: log with the stack at error level. */
  unexpected?: boolean;
}

// gRPC status codes that mean "the server is not there (now)".
const GRPC_UNAVAILABLE = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */, 1 /* CANCELLED */]);
const GRPC_NOT_FOUND = 5;

function grpcCode(err: unknown): number | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    if (isGrpcServiceError(current)) return current.code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isMongoUnreachable(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name ?? '';
  if (
    name === 'MongoServerSelectionError' ||
    name === 'MongoNetworkError' ||
    name === 'MongoNetworkTimeoutError' ||
    name === 'MongoNotConnectedError' ||
    name === 'MongoTopologyClosedError' ||
    name === 'MongoPoolClearedError'
  ) {
    return true;
  }
  if (err instanceof mongoose.Error && /buffering timed out|before initial connection/i.test(err.message)) {
    return true;
  }
  return false;
}

/** Turns any thrown value into the status, code and safe message the client may see. */
export function mapError(err: unknown): Mapped {
  if (err instanceof DomainError) {
    const { fields, ...rest } = err.details ?? {};
    // Only the documented context goes out (entity/id, dependency); never nested causes.
    const extra = Object.fromEntries(
      Object.entries(rest).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)),
    );
    return {
      status: STATUS_BY_CODE[err.code],
      code: err.code,
      message: err.message,
      fields: fields as FieldProblem[] | undefined,
      extra: Object.keys(extra).length ? extra : undefined,
    };
  }
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      const code = codeForFailureType(cause.type);
      if (code) return { status: STATUS_BY_CODE[code], code, message: cause.message };
    }
    return { status: 500, code: 'internal', message: 'the workflow failed to apply this request', unexpected: true };
  }
  if (err instanceof WorkflowNotFoundError) {
    return { status: 404, code: 'not_found', message: `workflow ${err.workflowId} does not exist` };
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return { status: 409, code: 'conflict', message: `workflow ${err.workflowId} is already running` };
  }
  if (err instanceof QueryRejectedError) {
    return { status: 409, code: 'conflict', message: 'the workflow is closed and cannot answer this query' };
  }
  if (err instanceof QueryNotRegisteredError) {
    return { status: 409, code: 'conflict', message: 'the workflow does not answer this query' };
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return { status: 503, code: 'unavailable', message: 'temporal did not answer in time; retry with the same Idempotency-Key', extra: { dependency: 'temporal' } };
  }
  const grpc = grpcCode(err);
  if (grpc !== undefined && GRPC_UNAVAILABLE.has(grpc)) {
    return { status: 503, code: 'unavailable', message: 'temporal is unreachable; try again later', extra: { dependency: 'temporal' } };
  }
  if (grpc === GRPC_NOT_FOUND) {
    return { status: 404, code: 'not_found', message: 'the workflow does not exist' };
  }
  if (err instanceof ServiceError && grpc === undefined && /connect|unavailable|deadline/i.test(err.message)) {
    return { status: 503, code: 'unavailable', message: 'temporal is unreachable; try again later', extra: { dependency: 'temporal' } };
  }
  if (isMongoUnreachable(err)) {
    return { status: 503, code: 'unavailable', message: 'mongodb is unreachable; try again later', extra: { dependency: 'mongodb' } };
  }
  if ((err as { code?: number } | undefined)?.code === 11000) {
    return { status: 409, code: 'conflict', message: 'a record with the same key already exists' };
  }
  // body-parser errors carry `type` and a status.
  const bodyError = err as { type?: string; status?: number; limit?: number } | undefined;
  if (bodyError?.type === 'entity.parse.failed') {
    return {
      status: 400, code: 'validation_failed', message: 'the request body is not valid JSON',
      fields: [{ path: 'body', message: 'not valid JSON' }],
    };
  }
  if (bodyError?.type === 'entity.too.large') {
    return {
      status: 413, code: 'validation_failed', message: 'the request body is too large',
      fields: [{ path: 'body', message: `larger than ${bodyError.limit ?? 'the limit'} bytes` }],
    };
  }
  if (bodyError?.type === 'encoding.unsupported' || bodyError?.type === 'charset.unsupported') {
    return {
      status: 415, code: 'validation_failed', message: 'unsupported request body encoding',
      fields: [{ path: 'body', message: 'unsupported encoding' }],
    };
  }
  return { status: 500, code: 'internal', message: 'internal error; the request id identifies it in the logs', unexpected: true };
}

/** Builds the error body; `requestId` ties it to the log line. */
export function errorBody(mapped: Mapped, requestId: string): ErrorBody {
  return {
    error: {
      code: mapped.code,
      message: mapped.message,
      ...(mapped.fields ? { fields: mapped.fields } : {}),
      ...(mapped.extra ?? {}),
    },
    requestId,
  };
}

/** Express error handler: the last middleware of the app. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const mapped = mapError(err);
  const requestId = String(req.id ?? '');
  if (mapped.unexpected) {
    req.log?.error({ err }, 'unexpected error');
  } else if (mapped.status >= 500) {
    req.log?.warn({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, mapped.message);
  }
  if (res.headersSent) return;
  res.status(mapped.status).json(errorBody(mapped, requestId));
};

/** Answers 404 for any path no route matches, in the same error shape. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(
    errorBody({ status: 404, code: 'not_found', message: `no route for ${req.method} ${req.path}` }, String(req.id ?? '')),
  );
};
