/**
 * Messages from the cycle to its group workflows, sent from an activity with the Temporal client:
 * the cycle's history holds one activity per broadcast instead of one event per group (a
 * thousand groups times eight phases would otherwise fill it). The activity heartbeats how far
 * it got and resumes there after a retry; the messages themselves are idempotent (a phase
 * signal carries the cycle's sequence number, a group ignores one it has seen).
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { Models } from '../../domain/models';
import { groupWorkflowId } from '../../domain/ids';
import type { CycleDeadlines, Phase } from '../../domain/types';
import {
  approvalRequestedSignal, cyclePhaseSignal, formationVerdictSignal,
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
}

const OPEN_STATUSES = new Set(['forming', 'active', 'submitted']);
const PARALLEL = 16;

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
}

export function createTemporalActivities(deps: TemporalActivityDeps) {
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

  async function deliver(cycleId: string, groupId: string, action: BroadcastAction): Promise<boolean> {
    const handle = deps.client.workflow.getHandle(groupWorkflowId(cycleId, groupId));
    try {
      switch (action.kind) {
        case 'phase':
          await handle.signal(cyclePhaseSignal, { seq: action.seq, phase: action.phase, deadlines: action.deadlines });
          break;
        case 'approval_requested':
          await handle.signal(approvalRequestedSignal, { version: action.version });
          break;
        case 'formation_verdicts': {
          const v = action.verdicts.find((x) => x.groupId === groupId)!;
          await handle.signal(formationVerdictSignal, { verdict: v.verdict, fallbackGroupId: v.fallbackGroupId, reason: v.reason });
          break;
        }
        case 'cancel':
          await handle.cancel();
          break;
      }
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  return {
    /** Sends one message to many group workflows; heartbeats its progress and resumes after a retry. */
    async broadcastToGroups(input: BroadcastInput): Promise<BroadcastResult> {
      const ctx = context();
      const all = await targets(input);
      // Resume after the last group handled (ids are sorted; the list may have changed since).
      const resumed = ctx?.info.heartbeatDetails as { cursor: string; delivered: number; gone: number } | undefined;
      const ids = resumed ? all.filter((id) => id > resumed.cursor) : all;
      let delivered = resumed?.delivered ?? 0;
      let gone = resumed?.gone ?? 0;
      for (let next = 0; next < ids.length; next += PARALLEL) {
        const batch = ids.slice(next, next + PARALLEL);
        const outcomes = await Promise.all(batch.map((id) => deliver(input.cycleId, id, input.action)));
        delivered += outcomes.filter(Boolean).length;
        gone += outcomes.filter((ok) => !ok).length;
        ctx?.heartbeat({ cursor: batch[batch.length - 1], delivered, gone });
      }
      return { targets: all.length, delivered, gone };
    },
  };
}
