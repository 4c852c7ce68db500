/**
 * Drill: the Temporal dev server is stopped in the middle of the consolidation phase and started
 * again on its database file six seconds later. Staff's and moderators' updates sent meanwhile are
 * retried with the same update ids; the worker reconnects; timers armed before the stop fire
 * after it. The cycle completes with nothing lost or doubled.
 */
import { controlServer } from '../../scripts/stack';
import { checkMail, checkState, expectCycleIntact, playCycle, type Drill, useDrill } from './support';

// Consolidation lasts long enough to hold the outage and the approvals after it.
const schedule = { approvalDeadline: 36, publicReviewOpensAt: 38, publicReviewClosesAt: 42, boardDeadline: 50, assemblyDate: 52 };

let d: Drill;
useDrill({ label: 'temporal-restart', schedule }, (drill) => (d = drill));

test('Temporal stopped and restarted on its database file mid-phase; the cycle completes with nothing lost or doubled', async () => {
  let restarted = false;
  const record = await playCycle(d, {
    hook: async (point) => {
      if (point !== 'approvals' || restarted) return;
      restarted = true;
      await controlServer(d.stack.handleFile, 'temporal', 'stop');
      d.log.push(`${new Date().toISOString().slice(11, 23)} temporal stopped`);
      // Staff ask for approvals while the server is down: the call is retried until it answers.
      setTimeout(() => {
        void controlServer(d.stack.handleFile, 'temporal', 'start').then(() => d.log.push(`${new Date().toISOString().slice(11, 23)} temporal started again`));
      }, 6_000);
    },
  });
  expect(restarted).toBe(true);
  const [state, mail] = [await checkState(d), await checkMail(d)];
  expectCycleIntact(state, mail, d, record);
  // The same run went on (no reset, no new run of the cycle).
  expect((await d.cycle().describe()).runId).toBe(record.cycleRunId);
  expect(d.log.some((l) => l.includes('temporal started again'))).toBe(true);
});
