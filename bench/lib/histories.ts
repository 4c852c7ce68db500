/** Workflow history sizes (events and encoded bytes), every run of a continued-as-new chain. */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { workflowRuns } from '../../api/temporal';

export interface HistorySize {
  workflowId: string;
  runId?: string;
  type: string;
  events: number;
  bytes: number;
}

/** The sizes of each run of a workflow id, newest first. */
export async function historySizes(client: Client, workflowId: string, maxRuns = 20): Promise<HistorySize[]> {
  return (await workflowRuns(client.workflow, workflowId, maxRuns)).map(({ runId, history }) => ({
    workflowId,
    runId,
    type: history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? 'unknown',
    events: history.events?.length ?? 0,
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
  }));
}

export interface LargestByType {
  [type: string]: { workflowId: string; events: number; bytes: number; runs: number; measured: number };
}

/** The largest history (by events; bytes of the largest by bytes) of each workflow type. */
export function largestByType(sizes: HistorySize[][]): LargestByType {
  const out: LargestByType = {};
  for (const runs of sizes) {
    for (const s of runs) {
      const cur = out[s.type];
      if (!cur) {
        out[s.type] = { workflowId: s.workflowId, events: s.events, bytes: s.bytes, runs: runs.length, measured: 1 };
        continue;
      }
      cur.measured++;
      if (s.events > cur.events) Object.assign(cur, { workflowId: s.workflowId, events: s.events, runs: runs.length });
      cur.bytes = Math.max(cur.bytes, s.bytes);
    }
  }
  return out;
}
