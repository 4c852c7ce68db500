/**
 * How the api talks to workflows: handles by id, updates with a stable update id (so a retried
 * request is applied once), and "not started" turned into a clear 409.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { Client, ConnectionOptions, WorkflowClient, WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition, QueryDefinition } from '@temporalio/common';
import { WrongPhaseError } from '../domain/errors';
import { cycleWorkflowType } from '../workflows/cycle/contract';
import { followUpWorkflowType } from '../workflows/follow-up/contract';

/** Workflow type names as the worker registers them (declared in the contracts). */
export const WORKFLOW_TYPES = {
  cycle: cycleWorkflowType,
  followUp: followUpWorkflowType,
} as const;

/**
 * Connection options for the api: a few quick retries instead of the SDK's ten (about 20 s), so a
 * request answers 503 within a second or two when Temporal is down.
 */
export function temporalConnectionOptions(address: string): ConnectionOptions {
  return {
    address,
    connectTimeout: 3000,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))],
  };
}

/** The Temporal Web UI page of a workflow. */
export function webUiLink(uiUrl: string, namespace: string, workflowId: string, runId?: string): string {
  const base = `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}

function notRunning(err: unknown, what: string): never {
  if (err instanceof WorkflowNotFoundError) {
    throw new WrongPhaseError(`${what} is not running (not started yet, or already finished)`, { workflowId: err.workflowId });
  }
  throw err;
}

/** Runs an update on a workflow; a workflow that does not run answers 409 wrong_phase. */
export async function updateWorkflow<Ret, Arg>(
  client: Client,
  workflowId: string,
  def: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  updateId: string,
): Promise<Ret> {
  const handle: WorkflowHandle = client.workflow.getHandle(workflowId);
  try {
    return await handle.executeUpdate(def, { args: [arg], updateId });
  } catch (err) {
    notRunning(err, `workflow ${workflowId}`);
  }
}

/** Queries a workflow; one that never started answers 409 wrong_phase. */
export async function queryWorkflow<Ret>(client: Client, workflowId: string, def: QueryDefinition<Ret, []>): Promise<Ret> {
  const handle: WorkflowHandle = client.workflow.getHandle(workflowId);
  try {
    return await handle.query(def);
  } catch (err) {
    notRunning(err, `workflow ${workflowId}`);
  }
}

export type WorkflowHistory = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/**
 * Every run of a workflow id, newest first, following `continuedExecutionRunId` back (at most
 * `maxRuns`: a project followed for years keeps its latest runs). The newest run is fetched
 * without its id; its start event names it (`originalExecutionRunId`, its own id unless reset).
 */
export async function workflowRuns(workflows: WorkflowClient, workflowId: string, maxRuns = 20): Promise<{ runId?: string; history: WorkflowHistory }[]> {
  const runs: { runId?: string; history: WorkflowHistory }[] = [];
  let runId: string | undefined;
  for (let i = 0; i < maxRuns; i++) {
    const history = await workflows.getHandle(workflowId, runId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    runs.push({ runId: runId ?? (started?.originalExecutionRunId || undefined), history });
    runId = started?.continuedExecutionRunId || undefined;
    if (!runId) break;
  }
  return runs;
}
