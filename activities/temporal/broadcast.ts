/**
 * Messages from the cycle to its group workflows, sent from an activity with the Temporal client:
 * the cycle's history holds one activity per broadcast instead of one event per group (a
 * thousand groups times eight phases would otherwise fill it). The activity heartbeats how far
 * it got and resumes there after a retry; the messages themselves are idempotent (a phase
 * carries the cycle's sequence number, a group ignores one it has seen).
 *
 * Each message is an update that returns once its group applied it, PARALLEL at a time: with
 * signals, a broadcast to 1,000 groups woke them all within seconds, and a worker whose cache
 * holds 150 of them replayed each from its history, 40 at a time on two cores, until tasks
 * outlived their 10 s timeout and were redone (the whole-size benchmark never left group
 * formation). A group that does not apply its update in time gets the signal instead.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Models } from '../../domain/models';
import { groupWorkflowId } from '../../domain/ids';
import type { CycleDeadlines, Phase } from '../../domain/types';
import {
  approvalRequestedSignal, cycleMessageUpdate, cyclePhaseSignal, formationVerdictSignal, type CycleMessage,
} from '../../workflows/group/contract';
import type { FormationVerdict } from '../storage/groups';

export type BroadcastAction =
  | { kind: 'phase'; seq: number; phase: Phase; deadlines: CycleDeadlines }
  | { kind: 'approval_requested'; version: number }
  | { kind: 'formation_verdicts'; verdicts: FormationVerdict[] }
  | { kind: 'cancel'; reason: string };

export interface BroadcastInput {
  cycleId: string;
  action: BroadcastAction;
}

export interface BroadcastResult {
  targets: number;
  delivered: number;
  /** Group workflows that had already ended (or never started): nothing to tell them. */
  gone: number;
  /** Delivered by signal because the group did not apply the update within the wait. */
  signalled?: number;
}

type Delivery = 'applied' | 'signalled' | 'gone';

const OPEN_STATUSES = new Set(['forming', 'active', 'submitted']);
/** Groups told at once: with each call waiting for its group, what the workers replay at a time. */
const PARALLEL = 16;
/** How long one group may take to apply a message before the broadcast signals it instead. */
const UPDATE_WAIT_MS = 30_000;

function context(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

export interface TemporalActivityDeps {
  models: Models;
  client: Client;
  /** Tests shorten it to see the fallback. */
  updateWaitMs?: number;
}

export function createTemporalActivities(deps: TemporalActivityDeps) {
  const updateWaitMs = deps.updateWaitMs ?? UPDATE_WAIT_MS;
  /** The group ids a broadcast goes to, in a stable order (the resume cursor is an index). */
  async function targets(input: BroadcastInput): Promise<string[]> {
    const { action, cycleId } = input;
    if (action.kind === 'formation_verdicts') return action.verdicts.map((v) => v.groupId).sort();
    const groups = await deps.models.Group.find({ cycleId }, { status: 1 }).lean();
    if (action.kind === 'approval_requested') {
      const docs = await deps.models.Consolidated.find({ cycleId }, { groupIds: 1, withdrawn: 1 }).lean();
      const concerned = new Set(docs.filter((d) => !d.withdrawn).flatMap((d) => d.groupIds));
      return groups.filter((g) => concerned.has(g._id) && g.status === 'submitted').map((g) => g._id).sort();
    }
    return groups.filter((g) => OPEN_STATUSES.has(g.status)).map((g) => g._id).sort();
  }

  /** The message a group receives for this broadcast (a verdict is the group's own). */
  function messageFor(groupId: string, action: Exclude<BroadcastAction, { kind: 'cancel' }>): { message: CycleMessage; updateId: string } {
    switch (action.kind) {
      case 'phase':
        return { message: { kind: 'phase', seq: action.seq, phase: action.phase, deadlines: action.deadlines }, updateId: `cycle-phase:${action.seq}` };
      case 'approval_requested':
        return { message: { kind: 'approval_requested', version: action.version }, updateId: `approval-requested:${action.version}` };
      case 'formation_verdicts': {
        const v = action.verdicts.find((x) => x.groupId === groupId)!;
        return { message: { kind: 'formation_verdict', verdict: v.verdict, fallbackGroupId: v.fallbackGroupId, reason: v.reason }, updateId: 'formation-verdict' };
      }
    }
  }

  async function signal(handle: WorkflowHandle, m: CycleMessage): Promise<void> {
    switch (m.kind) {
      case 'phase':
        return handle.signal(cyclePhaseSignal, { seq: m.seq, phase: m.phase, deadlines: m.deadlines });
      case 'approval_requested':
        return handle.signal(approvalRequestedSignal, { version: m.version });
      case 'formation_verdict':
        return handle.signal(formationVerdictSignal, { verdict: m.verdict, fallbackGroupId: m.fallbackGroupId, reason: m.reason });
    }
  }

  async function deliver(cycleId: string, groupId: string, action: BroadcastAction): Promise<Delivery> {
    const handle = deps.client.workflow.getHandle(groupWorkflowId(cycleId, groupId));
    try {
      if (action.kind === 'cancel') {
        await handle.cancel();
        return 'applied';
      }
      const { message, updateId } = messageFor(groupId, action);
      try {
        // Waiting for the group to apply it is what paces the broadcast (see the module comment).
        await deps.client.withDeadline(Date.now() + updateWaitMs, () =>
          handle.executeUpdate(cycleMessageUpdate, { args: [message], updateId }),
        );
        return 'applied';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw err;
        // A slow or failing group must not hold up the others: the signal is durable at once,
        // and the group ignores whichever copy arrives second.
        await signal(handle, message);
        return 'signalled';
      }
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'gone';
      throw err;
    }
  }

  return {
    /** Sends one message to many group workflows; heartbeats its progress and resumes after a retry. */
    async broadcastToGroups(input: BroadcastInput): Promise<BroadcastResult> {
      const ctx = context();
      const all = await targets(input);
      // Resume after the last group handled (ids are sorted; the list may have changed since).
      const resumed = ctx?.info.heartbeatDetails as { cursor: string; delivered: number; gone: number; signalled?: number } | undefined;
      const ids = resumed ? all.filter((id) => id > resumed.cursor) : all;
      let delivered = resumed?.delivered ?? 0;
      let gone = resumed?.gone ?? 0;
      let signalled = resumed?.signalled ?? 0;
      for (let next = 0; next < ids.length; next += PARALLEL) {
        const batch = ids.slice(next, next + PARALLEL);
        const outcomes = await Promise.all(batch.map((id) => deliver(input.cycleId, id, input.action)));
        delivered += outcomes.filter((o) => o !== 'gone').length;
        gone += outcomes.filter((o) => o === 'gone').length;
        signalled += outcomes.filter((o) => o === 'signalled').length;
        ctx?.heartbeat({ cursor: batch[batch.length - 1], delivered, gone, signalled });
      }
      return { targets: all.length, delivered, gone, signalled };
    },
  };
}
