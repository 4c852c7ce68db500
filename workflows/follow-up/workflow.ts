/**
 * Follow-up of one project (`project:<projectId>`): a strategic-plan project (ratified
 * recommendation) or a local initiative. Outlives its cycle. Every `progressRequestEveryDays` it
 * asks the owner (a member, or the staff mailbox) for progress, until a report says done or staff
 * abandon it. Continues as new every few requests, so its history stays small over the years.
 */
import {
  allHandlersFinished, condition, continueAsNew, currentUpdateInfo, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { ProjectStatus } from '../../domain/types';
import { FAILURE_TYPES } from '../../domain/errors';
import {
  abandonProjectUpdate, followUpStatusQuery, reportProgressUpdate, type FollowUpInput, type FollowUpStatusView,
} from './contract';
import { DAY_MS, isActorId, isText, reject, setSearchAttributes, STORAGE_RETRY, waitFor } from '../shared/messages';

const storage = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: STORAGE_RETRY });
const mail = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', retry: { ...STORAGE_RETRY, maximumInterval: '5 minutes' } });

/** Progress requests per run before continuing as new. */
const REQUESTS_PER_RUN = 12;

export async function followUpWorkflow(input: FollowUpInput): Promise<FollowUpStatusView> {
  const { projectId } = input;
  const workflowId = workflowInfo().workflowId;
  let status: ProjectStatus = 'active';
  let lastPercent = 0;
  let requestsSent = input.requestsSent ?? 0;
  let nextRequestAt: string | undefined;
  let loaded = false;

  const view = (): FollowUpStatusView => ({ projectId, status, lastPercent, requestsSent, ...(nextRequestAt ? { nextRequestAt } : {}) });
  const checkActive = () => {
    if (!loaded) reject(FAILURE_TYPES.WRONG_PHASE, 'the project follow-up is starting; try again in a moment');
    if (status !== 'active') reject(FAILURE_TYPES.CONFLICT, `the project is ${status}`);
  };
  setHandler(followUpStatusQuery, view);
  setHandler(
    reportProgressUpdate,
    async (r) => {
      lastPercent = r.percent;
      if (r.done) status = 'done';
      await storage.recordProgress({ projectId, reportId: r.reportId, percent: r.percent, note: r.note.trim(), done: r.done, reportedBy: r.reportedBy });
      if (r.done) setSearchAttributes({ status: 'done' });
      return view();
    },
    {
      validator: (r) => {
        checkActive();
        if (typeof r?.percent !== 'number' || !Number.isInteger(r.percent) || r.percent < 0 || r.percent > 100) {
          reject(FAILURE_TYPES.INVALID_DECISION, 'percent is a whole number from 0 to 100');
        }
        if (typeof r.note !== 'string' || r.note.length > 4000) reject(FAILURE_TYPES.INVALID_DECISION, 'note: at most 4000 characters');
        if (typeof r.reportId !== 'string' || !/^[A-Za-z0-9_:.-]{1,100}$/.test(r.reportId)) reject(FAILURE_TYPES.INVALID_DECISION, 'reportId is required');
        if (!isActorId(r.reportedBy)) reject(FAILURE_TYPES.INVALID_DECISION, 'reportedBy (a member or key id) is required');
        if (typeof r.done !== 'boolean') reject(FAILURE_TYPES.INVALID_DECISION, 'done is true or false');
      },
    },
  );
  setHandler(
    abandonProjectUpdate,
    async ({ reason, actorId }) => {
      status = 'abandoned';
      await storage.abandonProject({ projectId, reason: reason.trim(), actorId, auditId: `${workflowId}:update:${currentUpdateInfo()?.id ?? 'unknown'}` });
      setSearchAttributes({ status: 'abandoned' });
      return view();
    },
    {
      validator: (a) => {
        checkActive();
        if (!isText(a?.reason, 2000)) reject(FAILURE_TYPES.INVALID_DECISION, 'a reason is required');
        if (!isActorId(a.actorId)) reject(FAILURE_TYPES.INVALID_DECISION, 'actorId is required');
      },
    },
  );

  const project = await storage.loadProject({ projectId });
  status = project.status;
  lastPercent = project.lastPercent;
  loaded = true;
  setSearchAttributes({ kind: 'project', cycleId: project.cycleId, country: project.country, status });

  let inThisRun = 0;
  while (status === 'active') {
    const due = Date.now() + input.progressRequestEveryDays * DAY_MS;
    nextRequestAt = new Date(due).toISOString();
    const ended = await waitFor(() => status !== 'active', due - Date.now());
    if (ended) break;
    requestsSent += 1;
    inThisRun += 1;
    const version = String(requestsSent);
    await mail.sendMail({
      workflowId, purpose: 'progress_request', version, template: 'progress_request',
      recipient: project.ownerMemberId ? { memberId: project.ownerMemberId } : { role: 'staff' },
      data: { projectId, request: requestsSent },
      ...(project.ownerMemberId
        ? {
            link: {
              actions: ['report_progress'], workflowId, subjectId: projectId, version,
              expiresAt: new Date(Date.now() + input.progressRequestEveryDays * DAY_MS).toISOString(),
            },
          }
        : {}),
    });
    if (status === 'active' && (inThisRun >= REQUESTS_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof followUpWorkflow>({ ...input, requestsSent });
    }
  }
  nextRequestAt = undefined;
  await condition(allHandlersFinished);
  return view();
}
