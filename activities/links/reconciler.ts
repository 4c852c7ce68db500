/**
 * Finishes uses that the click could not: decisions consumed while Temporal was unreachable (or
 * while the api crashed between consuming and delivering) are delivered again with the same
 * update id, so the workflow applies each once. Also sweeps the journal and expired locks.
 * The api process runs it in a loop (startLinkReconciler); tests call reconcileLinks() directly.
 */
import type { LinkRecentDoc } from '../../domain/models';
import { LINK_ACTIONS, storeOutcome } from './actions';
import { deliverUpdate, DEFAULT_DELIVERY_TIMEOUT_MS } from './deliver';
import type { LinkServiceDeps } from './service';
import { deferUse, isDuplicateKey, RECENT_WINDOW_MS, releaseUse, settleUse } from './store';
import { monthOf, type LinkClaims } from './token';

export interface ReconcileResult {
  delivered: number;
  rejected: number;
  /** Still waiting (Temporal unreachable, or not due yet). */
  pending: number;
  swept: number;
}

const backoffMs = (attempts: number) => Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);

/**
 * One pass: every due journal entry in state `consumed` is delivered (or re-applied), oldest
 * first; the first "unreachable" ends the pass (no point in waiting out every deadline).
 * `force` ignores the due dates (tests, an operator after an outage).
 */
export async function reconcileLinks(deps: LinkServiceDeps, options: { force?: boolean; limit?: number } = {}): Promise<ReconcileResult> {
  const at = deps.now ? deps.now() : new Date();
  const result: ReconcileResult = { delivered: 0, rejected: 0, pending: 0, swept: 0 };
  // `state` equality is pushed down to PostgreSQL; the journal is small anyway.
  const open = await deps.models.LinkRecent.find({ state: 'consumed' }).lean<LinkRecentDoc[]>();
  const due = open
    .filter((doc) => options.force || new Date(doc.nextAttemptAt).getTime() <= at.getTime())
    .sort((a, b) => new Date(a.consumedAt).getTime() - new Date(b.consumedAt).getTime())
    .slice(0, options.limit ?? 200);
  result.pending = open.length - due.length;
  let reachable = true;
  for (const doc of due) {
    if (!reachable) {
      result.pending++;
      continue;
    }
    // The lock may be missing if the click died between the two inserts: put it in place.
    try {
      await deps.models.LinkUse.create({ _id: doc._id, usedAt: doc.consumedAt, expiresMonth: doc.expiresMonth });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const def = LINK_ACTIONS[doc.action as keyof typeof LINK_ACTIONS];
    if (!def) {
      await settleUse(deps.models, doc._id, 'rejected', at, 'UnknownAction');
      result.rejected++;
      continue;
    }
    if (def.kind === 'store') {
      const claims = claimsOf(doc);
      const applied = await def.apply({ models: deps.models, secret: deps.config.LINK_SECRET, now: at }, claims, doc.updateArg ?? {});
      await settleUse(deps.models, doc._id, applied.ok ? 'delivered' : 'rejected', at, applied.ok ? undefined : storeOutcome(applied.reason));
      if (applied.ok) result.delivered++;
      else result.rejected++;
      continue;
    }
    const delivered = await deliverUpdate(
      deps.temporalClient,
      { workflowId: doc.workflowId!, updateName: doc.updateName!, updateArg: doc.updateArg ?? {}, updateId: doc.updateId! },
      deps.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    );
    if (delivered.kind === 'delivered') {
      await settleUse(deps.models, doc._id, 'delivered', at);
      result.delivered++;
      deps.logger.info({ use: doc._id.slice(0, 12), action: doc.action, attempts: doc.attempts + 1 }, 'link decision redelivered');
    } else if (delivered.kind === 'rejected') {
      // The member was told "received"; the workflow refused: nothing changed, the link is free again.
      await releaseUse(deps.models, doc._id);
      result.rejected++;
      deps.logger.warn({ use: doc._id.slice(0, 12), action: doc.action, outcome: delivered.outcome }, 'redelivered link decision refused by the workflow');
    } else {
      const attempts = doc.attempts + 1;
      await deferUse(deps.models, doc._id, attempts, new Date(at.getTime() + backoffMs(attempts)), delivered.error);
      result.pending++;
      reachable = false;
    }
  }
  result.swept = await sweepJournal(deps, at);
  return result;
}

/** The fields of a journal entry that a MongoDB action needs (it never needs the name). */
function claimsOf(doc: LinkRecentDoc): LinkClaims {
  return {
    linkId: '',
    actions: [doc.action as LinkClaims['actions'][number]],
    workflowId: doc.workflowId ?? '',
    subjectId: doc.subjectId ?? '',
    memberId: doc.memberId ?? '',
    version: doc.version ?? '',
    expiresAt: 0,
    issuedAt: 0,
    language: 'en',
    name: '',
  };
}

/** Settled uses leave the journal after the window ("already recorded" becomes the neutral answer). */
async function sweepJournal(deps: LinkServiceDeps, at: Date): Promise<number> {
  const cutoff = new Date(at.getTime() - RECENT_WINDOW_MS);
  let swept = 0;
  for (const state of ['delivered', 'rejected'] as const) {
    const res = await deps.models.LinkRecent.deleteMany({ state, settledAt: { $lt: cutoff } });
    swept += res.deletedCount ?? 0;
  }
  return swept;
}

/**
 * Deletes the single-use locks of links that expired in an earlier month: an expired link is
 * refused before any lookup, so its lock is no longer needed. Equality on `expiresMonth` (pushed
 * down to PostgreSQL) for each of the `monthsBack` months before the previous one.
 */
export async function sweepExpiredLocks(deps: Pick<LinkServiceDeps, 'models' | 'now'>, monthsBack = 24): Promise<number> {
  const at = deps.now ? deps.now() : new Date();
  let deleted = 0;
  for (let i = 2; i < monthsBack + 2; i++) {
    const month = monthOf(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - i, 15));
    const res = await deps.models.LinkUse.deleteMany({ expiresMonth: month });
    deleted += res.deletedCount ?? 0;
  }
  return deleted;
}

export interface RunningReconciler {
  /** Runs one pass now (and waits for it). */
  runOnce(): Promise<ReconcileResult>;
  stop(): Promise<void>;
}

/** Started by the api process: a pass every `intervalMs` (10 s), expired locks swept daily. */
export function startLinkReconciler(deps: LinkServiceDeps, options: { intervalMs?: number } = {}): RunningReconciler {
  const intervalMs = options.intervalMs ?? 10_000;
  let running: Promise<ReconcileResult> | undefined;
  let lastLockSweep = 0;
  let stopped = false;
  const pass = async (): Promise<ReconcileResult> => {
    const result = await reconcileLinks(deps);
    if (Date.now() - lastLockSweep > 24 * 3600_000) {
      lastLockSweep = Date.now();
      await sweepExpiredLocks(deps);
    }
    return result;
  };
  const runOnce = () => {
    running ??= pass()
      .catch((err) => {
        deps.logger.error({ err }, 'link reconciler pass failed');
        return { delivered: 0, rejected: 0, pending: 0, swept: 0 };
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
