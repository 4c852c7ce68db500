/**
 * What the Temporal core logged about slow workflow tasks in a worker's log: tasks over its
 * 5-second warning, by workflow type, and tasks the server had already timed out ("Expired
 * workflow task": their work is redone). At the whole size these showed that the approvals wait on
 * the one workflow thread's queue (docs/README-bench.md, session 6).
 */
export interface WorkflowTaskStalls {
  /** Tasks over 5 s, by workflow type. */
  slowByType: Record<string, number>;
  slow: number;
  /** Durations of the slow tasks, ms (p50, p90, max); undefined when none. */
  slowMs?: { p50: number; p90: number; max: number };
  expired: number;
}

const ANSI = /\u001b\[[0-9;]*m/g;

export function workflowTaskStalls(log: string): WorkflowTaskStalls {
  const slowByType: Record<string, number> = {};
  const durations: number[] = [];
  let expired = 0;
  for (const raw of log.split('\n')) {
    if (!raw.includes('temporalio_sdk_core')) continue;
    const line = raw.replace(ANSI, '');
    if (line.includes('Expired workflow task')) {
      expired += 1;
      continue;
    }
    if (!line.includes('Workflow task duration exceeded')) continue;
    const type = /workflow_type=(\S+)/.exec(line)?.[1] ?? 'unknown';
    slowByType[type] = (slowByType[type] ?? 0) + 1;
    const ms = /workflow_task_duration=(\d+)/.exec(line)?.[1];
    if (ms) durations.push(Number(ms));
  }
  durations.sort((a, b) => a - b);
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))];
  return {
    slowByType,
    slow: Object.values(slowByType).reduce((a, b) => a + b, 0),
    slowMs: durations.length > 0 ? { p50: at(0.5), p90: at(0.9), max: durations[durations.length - 1] } : undefined,
    expired,
  };
}
