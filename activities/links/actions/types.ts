/**
 * One declarative entry per link action: what the POST form may carry (one zod schema), which
 * workflow kind the link must name, and either the workflow update it becomes or the MongoDB
 * write it makes (member input of high volume goes straight to MongoDB, gated by the phase
 * projection).
 */
import type { z } from 'zod';
import type { Models } from '../../../domain/models';
import type { ParsedWorkflowId } from '../../../domain/ids';
import type { LinkAction } from '../../mail/contract';
import type { LinkClaims } from '../token';

interface Common<F> {
  action: LinkAction;
  /**
   * The workflow kind the link's workflowId must have (checked when issuing and when opening);
   * `any` for actions about the member alone (unsubscribe, erasure).
   */
  workflowKind: ParsedWorkflowId['kind'] | 'any';
  /** The POST fields besides `action` (all strings from a form). */
  form: z.ZodType<F>;
}

/** A decision that moves the process: an update on the workflow named by the link. */
export interface WorkflowLinkAction<F = unknown> extends Common<F> {
  kind: 'workflow';
  updateName: string;
  updateArg(claims: LinkClaims, form: F, useId: string): Record<string, unknown>;
}

export interface StoreEnv {
  models: Models;
  secret: string;
  now: Date;
}

/** Why a MongoDB action was not applied; shown as a clear page, nothing changes. */
export type StoreRejection = 'wrong_phase' | 'changed' | 'unknown_subject';

/** MongoDB refusals speak the words of workflow validators (FAILURE_TYPES), so pages have one vocabulary. */
export function storeOutcome(reason: StoreRejection): string {
  return { wrong_phase: 'WrongPhase', changed: 'Changed', unknown_subject: 'UnknownSubject' }[reason];
}

/** Member input written to MongoDB (reactions, RSVPs) or to the member (unsubscribe, erasure). */
export interface StoreLinkAction<F = unknown> extends Common<F> {
  kind: 'store';
  /** Single-use scope of this use, or null when the action is idempotent and may be repeated. */
  scope(claims: LinkClaims, form: F): string | null;
  /**
   * Refusals known before using the link (wrong phase, outdated version, unknown subject): the
   * link is not consumed, so a member who clicked too early can come back. `apply` checks again.
   */
  check(env: StoreEnv, claims: LinkClaims, form: F): Promise<{ ok: true } | { ok: false; reason: StoreRejection }>;
  apply(env: StoreEnv, claims: LinkClaims, form: F): Promise<{ ok: true } | { ok: false; reason: StoreRejection }>;
}

export type LinkActionDef = WorkflowLinkAction<any> | StoreLinkAction<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
