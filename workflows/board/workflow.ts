/**
 * One country's board review (`cycle:<cycleId>:board:<country>`), child of the cycle. Started
 * when the public review opens (secretaries see the scope), opened by the cycle when the review
 * closes; decides every recommendation of its country by the board deadline, reminded before it.
 * Late: staff are alerted and the board stays open until the assembly date, when what is still
 * undecided becomes `no_decision`. Continues as new when its history grows long.
 */
import {
  allHandlersFinished, condition, continueAsNew, currentUpdateInfo, isCancellation, proxyActivities,
  setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { BoardDecision, BoardStatus } from '../../domain/types';
import { FAILURE_TYPES } from '../../domain/errors';
import {
  boardDatesSignal, boardOpenSignal, boardStatusQuery, MAX_DECISIONS_PER_BATCH, recordDecisionsUpdate,
  recordDecisionUpdate, type BoardInput, type BoardResult, type BoardStatusView,
} from './contract';
import { checkDecision, normalizeDecision } from './rules';
import { waitUntilDeadline } from '../shared/deadlines';
import { reject, setSearchAttributes, STORAGE_RETRY, waitFor, msUntil } from '../shared/messages';

const storage = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: STORAGE_RETRY });
const mail = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', retry: { ...STORAGE_RETRY, maximumInterval: '5 minutes' } });

/** Continue as new well before Temporal's limits (a decision costs about ten events). */
const MAX_HISTORY_EVENTS = 3000;

class BoardState {
  status: BoardStatus;
  open: boolean;
  scope = new Set<string>();
  /** Recommendation id → revision of its latest decision. */
  decided = new Map<string, number>();
  remindersSent: Set<string>;
  datesVersion = 0;
  loaded = false;

  constructor(public input: BoardInput) {
    this.open = input.open;
    this.status = input.carried?.status ?? (input.open ? 'deciding' : 'waiting');
    this.remindersSent = new Set(input.carried?.remindersSent ?? []);
    if (input.carried) {
      this.scope = new Set(input.carried.scope);
      this.decided = new Map(Object.entries(input.carried.decided));
      this.loaded = true;
    }
  }

  get undecided(): string[] {
    return [...this.scope].filter((id) => !this.decided.has(id)).sort();
  }

  view(): BoardStatusView {
    return {
      cycleId: this.input.cycleId,
      country: this.input.country,
      status: this.status,
      decided: this.decided.size,
      undecided: this.scope.size - this.decided.size,
      scope: this.scope.size,
      boardDeadline: this.input.boardDeadline,
      assemblyDate: this.input.assemblyDate,
    };
  }

  checkOpen(): void {
    if (!this.loaded) reject(FAILURE_TYPES.WRONG_PHASE, 'the board is starting; try again in a moment');
    if (this.status === 'waiting') reject(FAILURE_TYPES.WRONG_PHASE, 'the public review is still open: the board decides once it closes');
    if (this.status !== 'deciding' && this.status !== 'late') reject(FAILURE_TYPES.WRONG_PHASE, `the board review is ${this.status}`);
  }

  result(): BoardResult {
    return { country: this.input.country, status: this.status, decided: this.decided.size, undecided: this.scope.size - this.decided.size };
  }
}

function shouldContinueAsNew(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS;
}

export async function boardWorkflow(input: BoardInput): Promise<BoardResult> {
  const s = new BoardState(input);
  const { cycleId, country } = input;
  const workflowId = workflowInfo().workflowId;

  setHandler(boardStatusQuery, () => s.view());
  setHandler(boardOpenSignal, () => {
    s.open = true;
  });
  setHandler(boardDatesSignal, ({ boardDeadline, assemblyDate }) => {
    s.input = { ...s.input, boardDeadline, assemblyDate };
    s.datesVersion += 1;
  });

  const store = async (decisions: BoardDecision[]): Promise<BoardStatusView> => {
    // Revisions are counted here (the workflow is the only writer of its country's decisions),
    // so a retried activity stores the same revision, and a later one is an audited revision.
    const withRevision = decisions.map((d) => {
      const revision = (s.decided.get(d.recommendationId) ?? 0) + 1;
      s.decided.set(d.recommendationId, revision);
      return { ...normalizeDecision(d), revision };
    });
    await storage.storeDecisions({
      cycleId, country, decisions: withRevision, decidedAt: new Date().toISOString(),
      auditId: `${workflowId}:update:${currentUpdateInfo()?.id ?? 'unknown'}`,
    });
    return s.view();
  };
  setHandler(recordDecisionUpdate, (d) => store([d]), {
    validator: (d) => {
      s.checkOpen();
      checkDecision(d, s.scope, Date.now());
    },
  });
  setHandler(recordDecisionsUpdate, ({ decisions }) => store(decisions), {
    validator: (arg) => {
      s.checkOpen();
      const decisions = arg?.decisions;
      if (!Array.isArray(decisions) || decisions.length === 0) reject(FAILURE_TYPES.INVALID_DECISION, 'at least one decision');
      if (decisions.length > MAX_DECISIONS_PER_BATCH) reject(FAILURE_TYPES.INVALID_DECISION, `at most ${MAX_DECISIONS_PER_BATCH} decisions per batch`);
      const ids = new Set<string>();
      for (const d of decisions) {
        checkDecision(d, s.scope, Date.now());
        if (ids.has(d.recommendationId)) reject(FAILURE_TYPES.INVALID_DECISION, `recommendation ${d.recommendationId} appears twice in the batch`);
        ids.add(d.recommendationId);
      }
    },
  });

  try {
    if (!s.loaded) {
      const scope = await storage.loadBoardScope({ cycleId, country });
      s.scope = new Set(scope.recommendationIds);
      s.loaded = true;
    }
    setSearchAttributes({ kind: 'board', cycleId, country, status: s.status });

    if (s.status === 'waiting') {
      await condition(() => s.open);
      s.status = 'deciding';
      setSearchAttributes({ status: s.status });
    }
    while (s.status === 'deciding' || s.status === 'late') {
      if (s.status === 'late' && Date.now() < Date.parse(s.input.boardDeadline)) {
        s.status = 'deciding'; // staff moved the board deadline into the future again
        setSearchAttributes({ status: s.status });
      }
      const interrupt = () => shouldContinueAsNew() || (s.status === 'late' && s.undecided.length === 0);
      if (s.status === 'deciding') {
        const reached = await waitUntilDeadline({
          deadline: () => s.input.boardDeadline,
          version: () => s.datesVersion,
          interrupt,
          reminders: {
            offsetsDays: input.reminderOffsetsDays,
            deadline: () => s.input.boardDeadline,
            handled: s.remindersSent,
            send: async (offsetDays, deadline) => {
              const undecided = s.undecided.length;
              if (undecided === 0) return;
              await mail.sendMail({
                workflowId, purpose: `board_reminder:${offsetDays}d`, version: deadline, template: 'board_reminder',
                recipient: { role: 'board_secretary', country }, data: { country, undecided, deadline },
              });
            },
          },
        });
        if (reached === 'interrupted') break;
        if (s.undecided.length === 0) {
          s.status = 'completed';
          break;
        }
        s.status = 'late';
        setSearchAttributes({ status: 'late' });
        await mail.sendMail({
          workflowId, purpose: 'board_late', version: s.input.boardDeadline, template: 'staff_alert',
          recipient: { role: 'staff' }, data: { kind: 'board_late', country, undecided: s.undecided.length },
        });
        continue;
      }
      // Late: wait for the missing decisions until the assembly date.
      const dates = s.datesVersion;
      const woke = await waitFor(() => interrupt() || s.datesVersion !== dates, msUntil(s.input.assemblyDate));
      if (woke && s.undecided.length === 0) {
        s.status = 'completed';
        break;
      }
      if (woke) {
        if (shouldContinueAsNew()) break;
        continue;
      }
      const undecided = s.undecided;
      await storage.markNoDecision({ cycleId, country, recommendationIds: undecided });
      s.status = 'closed_with_undecided';
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    setSearchAttributes({ status: 'cancelled' });
    await condition(allHandlersFinished);
    return s.result();
  }

  if (s.status === 'deciding' || s.status === 'late') {
    // Long history: the same board goes on in a new run with what it knows.
    await condition(allHandlersFinished);
    await continueAsNew<typeof boardWorkflow>({
      ...s.input,
      open: true,
      carried: { scope: [...s.scope], decided: Object.fromEntries(s.decided), status: s.status, remindersSent: [...s.remindersSent] },
    });
  }
  setSearchAttributes({ status: s.status });
  await condition(allHandlersFinished);
  return s.result();
}
