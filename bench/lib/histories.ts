/** Workflow history sizes (events and encoded bytes), every run of a continued-as-new chain. */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export interface HistorySize {
  workflowId: string;
  runId?: string;
  type: string;
  events: number;
  bytes: number;
}

/** The sizes of each run of a workflow id, newest first (follows continuedExecutionRunId back). */
export async function historySizes(client: Client, workflowId: string, maxRuns = 20): Promise<HistorySize[]> {
  const out: HistorySize[] = [];
  let runId: string | undefined;
  for (let i = 0; i < maxRuns; i++) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    out.push({
      workflowId,
      runId,
      type: started?.workflowType?.name ?? 'unknown',
      events: history.events?.length ?? 0,
      bytes: temporal.api.history.v1.History.encode(history).finish().length,
    });
    const previous = started?.continuedExecutionRunId;
    if (!previous) break;
    runId = previous;
  }
  return out;
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
