/**
 * The click path, without HTTP: open a link (GET: read only), use a link (POST: consume once,
 * then deliver to the workflow or write MongoDB). api/routes/links turns the results into pages;
 * tests and the reconciler call these directly.
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Models, LinkRecentDoc } from '../../domain/models';
import { parseWorkflowId } from '../../domain/ids';
import type { LinkAction } from '../mail/contract';
import { LINK_ACTIONS, storeOutcome, type LinkActionDef } from './actions';
import { deliverUpdate, DEFAULT_DELIVERY_TIMEOUT_MS } from './deliver';
import { linkKeys } from './keys';
import { isRevoked } from './revocations';
import { consumeLink, deferUse, findRecent, releaseUse, settleUse } from './store';
import { openLink, updateIdFor, useIdFor, type LinkClaims } from './token';

export interface LinkServiceDeps {
  models: Models;
  temporalClient: Client;
  config: { LINK_SECRET: string };
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How long a click waits for Temporal before answering "received" (default 5 s). */
  deliveryTimeoutMs?: number;
  now?: () => Date;
}

/** Why a link is refused. Logged (with a hash, never the token); the page is the same for all. */
export type InvalidReason = 'malformed' | 'forged' | 'expired' | 'revoked' | 'used' | 'wrong_action' | 'wrong_workflow';

export type InspectResult =
  | { kind: 'invalid'; reason: InvalidReason }
  | { kind: 'valid'; claims: LinkClaims }
  /** Used within the last minutes (second tab): the page says what happened. */
  | { kind: 'used'; claims: LinkClaims; recent: LinkRecentDoc };

export type UseResult =
  | { kind: 'invalid'; reason: InvalidReason }
  | { kind: 'form_error'; claims: LinkClaims; action: LinkAction }
  | { kind: 'recorded'; claims: LinkClaims; action: LinkAction }
  /** Consumed, Temporal unreachable: "received, will be recorded" (the reconciler delivers). */
  | { kind: 'pending'; claims: LinkClaims; action: LinkAction }
  /** A double click or a second tab within the window. */
  | { kind: 'already'; claims: LinkClaims; recent: LinkRecentDoc }
  | { kind: 'rejected'; claims: LinkClaims; action: LinkAction; outcome: string };

/** Form fields as they come from a POST body (urlencoded strings; anything else is ignored). */
export type FormInput = Record<string, unknown>;

const now = (deps: LinkServiceDeps) => (deps.now ? deps.now() : new Date());

function defsOf(claims: LinkClaims): LinkActionDef[] | undefined {
  const kind = parseWorkflowId(claims.workflowId)?.kind;
  const defs = claims.actions.map((a) => LINK_ACTIONS[a]);
  return kind && defs.every((d) => d !== undefined && (d.workflowKind === 'any' || d.workflowKind === kind)) ? defs : undefined;
}

/** Opens and checks a link: sealed, not expired, for a known workflow kind, not revoked. */
async function check(deps: LinkServiceDeps, token: unknown): Promise<{ ok: true; claims: LinkClaims } | { ok: false; reason: InvalidReason }> {
  const opened = openLink(deps.config.LINK_SECRET, token, now(deps).getTime());
  if (!opened.ok) return opened;
  if (!defsOf(opened.claims)) return { ok: false, reason: 'wrong_workflow' };
  if (await isRevoked(deps.models, deps.config.LINK_SECRET, opened.claims)) return { ok: false, reason: 'revoked' };
  return opened;
}

/** The scope of a GET for a sub-page (`?r=` a recommendation, `?vc=` a videoconference), if single use. */
export function scopeForView(claims: LinkClaims, view: { recommendationId?: string; videoconferenceId?: string }): string | null {
  const first = LINK_ACTIONS[claims.actions[0]];
  if (first.kind === 'workflow') return '';
  if (view.recommendationId && claims.actions.includes('react')) return `react:${view.recommendationId}`;
  if (view.videoconferenceId && claims.actions.includes('rsvp')) return `rsvp:${view.videoconferenceId}`;
  return null;
}

/** GET and HEAD: reads only. Scanners and previews can call it as often as they like. */
export async function inspectLink(
  deps: LinkServiceDeps,
  token: unknown,
  view: { recommendationId?: string; videoconferenceId?: string } = {},
): Promise<InspectResult> {
  const checked = await check(deps, token);
  if (!checked.ok) return { kind: 'invalid', reason: checked.reason };
  const scope = scopeForView(checked.claims, view);
  if (scope !== null) {
    const recent = await findRecent(deps.models, useIdFor(linkKeys(deps.config.LINK_SECRET), checked.claims.linkId, scope));
    if (recent) return { kind: 'used', claims: checked.claims, recent };
  }
  return { kind: 'valid', claims: checked.claims };
}

/** The action a POST asks for: the form's `action`, or the link's only (or unsubscribe) action. */
export function chooseAction(claims: LinkClaims, requested: unknown): LinkAction | undefined {
  if (typeof requested === 'string' && requested !== '') {
    return (claims.actions as string[]).includes(requested) ? (requested as LinkAction) : undefined;
  }
  if (claims.actions.length === 1 || claims.actions[0] === 'unsubscribe') return claims.actions[0];
  return undefined;
}

/** Only string fields reach the schemas: `x[$ne]=` or JSON objects are dropped, never interpreted. */
function stringFields(form: FormInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(form ?? {})) {
    if (typeof value === 'string' && key !== 'action') out[key] = value;
  }
  return out;
}

/** POST: uses the link once and delivers the decision. */
export async function useLink(deps: LinkServiceDeps, token: unknown, form: FormInput): Promise<UseResult> {
  const checked = await check(deps, token);
  if (!checked.ok) return { kind: 'invalid', reason: checked.reason };
  const claims = checked.claims;
  // Only a plain string chooses: `action[$ne]=` or a JSON object is refused like a wrong action.
  if (form?.action !== undefined && typeof form.action !== 'string') return { kind: 'invalid', reason: 'wrong_action' };
  const action = chooseAction(claims, form?.action);
  if (!action) {
    // A known link with no choice made (a form posted without its button): ask again.
    if (form?.action === undefined || form?.action === '') return { kind: 'form_error', claims, action: claims.actions[0] };
    return { kind: 'invalid', reason: 'wrong_action' };
  }
  const def = LINK_ACTIONS[action];
  const parsed = def.form.safeParse(stringFields(form));
  if (!parsed.success) return { kind: 'form_error', claims, action };
  const at = now(deps);
  const keys = linkKeys(deps.config.LINK_SECRET);

  if (def.kind === 'store') {
    const scope = def.scope(claims, parsed.data);
    if (scope === null) return applyStore(deps, def, claims, parsed.data, action, at);
    const ready = await def.check({ models: deps.models, secret: deps.config.LINK_SECRET, now: at }, claims, parsed.data);
    if (!ready.ok) return { kind: 'rejected', claims, action, outcome: storeOutcome(ready.reason) };
    const consumed = await consumeLink(deps.models, deps.config.LINK_SECRET, {
      claims, scope, action, updateArg: parsed.data as Record<string, unknown>, now: at,
    });
    if (consumed.kind === 'repeat') return repeat(claims, consumed.recent);
    const result = await applyStore(deps, def, claims, parsed.data, action, at);
    await settleUse(deps.models, consumed.useId, result.kind === 'recorded' ? 'delivered' : 'rejected', at,
      result.kind === 'rejected' ? result.outcome : undefined);
    return result;
  }

  const useId = useIdFor(keys, claims.linkId, '');
  const delivery = {
    workflowId: claims.workflowId,
    updateName: def.updateName,
    updateArg: def.updateArg(claims, parsed.data, useId),
    updateId: updateIdFor(useId),
  };
  const consumed = await consumeLink(deps.models, deps.config.LINK_SECRET, { claims, scope: '', action, ...delivery, now: at });
  if (consumed.kind === 'repeat') return repeat(claims, consumed.recent);
  const delivered = await deliverUpdate(deps.temporalClient, delivery, deps.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS);
  switch (delivered.kind) {
    case 'delivered':
      await settleUse(deps.models, useId, 'delivered', now(deps));
      deps.logger.info({ use: useId.slice(0, 12), action }, 'link decision delivered');
      return { kind: 'recorded', claims, action };
    case 'rejected':
      await releaseUse(deps.models, useId);
      deps.logger.info({ use: useId.slice(0, 12), action, outcome: delivered.outcome }, 'link decision rejected by the workflow');
      return { kind: 'rejected', claims, action, outcome: delivered.outcome };
    case 'unavailable':
      await deferUse(deps.models, useId, 1, new Date(now(deps).getTime() + 2_000), delivered.error);
      deps.logger.warn({ use: useId.slice(0, 12), action, error: delivered.error }, 'link decision not delivered yet; the reconciler will');
      return { kind: 'pending', claims, action };
  }
}

function repeat(claims: LinkClaims, recent: LinkRecentDoc | null): UseResult {
  return recent ? { kind: 'already', claims, recent } : { kind: 'invalid', reason: 'used' };
}

async function applyStore(
  deps: LinkServiceDeps,
  def: Extract<LinkActionDef, { kind: 'store' }>,
  claims: LinkClaims,
  form: unknown,
  action: LinkAction,
  at: Date,
): Promise<UseResult> {
  const result = await def.apply({ models: deps.models, secret: deps.config.LINK_SECRET, now: at }, claims, form);
  if (result.ok) return { kind: 'recorded', claims, action };
  return { kind: 'rejected', claims, action, outcome: storeOutcome(result.reason) };
}
