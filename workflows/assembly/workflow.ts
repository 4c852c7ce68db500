/**
 * One country's general assembly (`cycle:<cycleId>:assembly:<country>`), child of the cycle,
 * started when the country's board has finished. At the assembly date it waits for the result
 * (en bloc or per recommendation); the result turns ratified decisions into strategic-plan
 * projects, whose follow-up workflows it starts with parent close policy ABANDON (they outlive
 * the cycle), in batches, continuing as new between batches when there are many.
 */
import {
  allHandlersFinished, condition, continueAsNew, currentUpdateInfo, isCancellation, ParentClosePolicy,
  proxyActivities, setHandler, startChild, workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../../activities';
import { projectWorkflowId } from '../../domain/ids';
import type { AssemblyStatus } from '../../domain/types';
import { FAILURE_TYPES } from '../../domain/errors';
import {
  assemblyDateSignal, assemblyStatusQuery, recordAssemblyResultUpdate,
  type AssemblyInput, type AssemblyResult, type AssemblyStatusView,
} from './contract';
import { checkAssemblyResult } from './rules';
import { followUpWorkflow } from '../follow-up/workflow';
import { waitUntilDeadline } from '../shared/deadlines';
import { reject, searchAttributePairs, setSearchAttributes, STORAGE_RETRY } from '../shared/messages';

const storage = proxyActivities<Activities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '2 minutes', retry: STORAGE_RETRY });
const mail = proxyActivities<Activities>({ startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: { ...STORAGE_RETRY, maximumInterval: '5 minutes' } });

/** Follow-up workflows started per run; more continue in the next run (bounded history). */
const PROJECTS_PER_RUN = 500;
const PARALLEL_STARTS = 50;

export async function assemblyWorkflow(input: AssemblyInput): Promise<AssemblyResult> {
  const { cycleId, country } = input;
  const workflowId = workflowInfo().workflowId;
  let assemblyDate = input.assemblyDate;
  let datesVersion = 0;
  let status: AssemblyStatus = input.carried ? 'ratified' : 'waiting_for_date';
  let scope = new Set<string>();
  let applying = false;
  let result: AssemblyResult | undefined = input.carried?.result;

  const view = (): AssemblyStatusView => ({
    cycleId, country, assemblyDate, status,
    ratified: result?.ratified ?? 0, projectIds: result?.projectIds ?? [], backlog: result?.backlog ?? 0,
  });
  setHandler(assemblyStatusQuery, view);
  setHandler(assemblyDateSignal, ({ assemblyDate: date }) => {
    assemblyDate = date;
    datesVersion += 1;
  });
  setHandler(
    recordAssemblyResultUpdate,
    async (r) => {
      applying = true;
      const applied = await storage.applyAssemblyResult({
        cycleId, country, date: assemblyDate, result: r, auditId: `${workflowId}:update:${currentUpdateInfo()?.id ?? 'unknown'}`,
      });
      status = 'ratified';
      result = { country, status, ratified: applied.ratified, projectIds: applied.projectIds, backlog: applied.backlog };
      return view();
    },
    {
      validator: (r) => {
        if (status === 'waiting_for_date') reject(FAILURE_TYPES.WRONG_PHASE, `the ${country} assembly meets on ${assemblyDate}`);
        if (status === 'ratified' || applying) reject(FAILURE_TYPES.CONFLICT, `the ${country} assembly's result is already recorded`);
        checkAssemblyResult(r, scope);
      },
    },
  );

  try {
    if (!input.carried) {
      setSearchAttributes({ kind: 'assembly', cycleId, country, status });
      await waitUntilDeadline({ deadline: () => assemblyDate, version: () => datesVersion, interrupt: () => false });
      scope = new Set((await storage.loadAssemblyScope({ cycleId, country })).recommendationIds);
      status = 'awaiting_result';
      setSearchAttributes({ status });
      await condition(() => result !== undefined);
      setSearchAttributes({ status: 'ratified' });
      await mail.sendBulkMail({
        workflowId, purpose: 'assembly_outcome', version: '1', template: 'assembly_outcome',
        audience: { kind: 'cycle_members', cycleId, countries: [country] },
        data: { cycleId, country, ratified: result!.ratified },
      });
    }
    const toStart = input.carried?.projectIdsToStart ?? result!.projectIds;
    const now = toStart.slice(0, PROJECTS_PER_RUN);
    for (let i = 0; i < now.length; i += PARALLEL_STARTS) {
      await Promise.all(now.slice(i, i + PARALLEL_STARTS).map((projectId) => startFollowUp(projectId, input.progressRequestEveryDays, cycleId, country)));
    }
    if (toStart.length > now.length) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof assemblyWorkflow>({ ...input, assemblyDate, carried: { result: result!, projectIdsToStart: toStart.slice(now.length) } });
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    setSearchAttributes({ status: 'cancelled' });
  }
  await condition(allHandlersFinished);
  return result ?? { country, status, ratified: 0, projectIds: [], backlog: 0 };
}

async function startFollowUp(projectId: string, everyDays: number, cycleId: string, country: string): Promise<void> {
  try {
    await startChild(followUpWorkflow, {
      workflowId: projectWorkflowId(projectId),
      args: [{ projectId, kind: 'strategic_plan', progressRequestEveryDays: everyDays }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: searchAttributePairs({ kind: 'project', cycleId, country, status: 'active' }),
    });
  } catch (err) {
    // Started by an earlier run of this assembly: the same project, nothing to do.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
