/**
 * Drill: the worker is SIGKILLed in the middle of group formation, while members' confirmations
 * are arriving (updates whose handlers run a storage activity), and started again a second later.
 * The workflows replay, the activity that was in flight is retried after its start-to-close
 * timeout (1 minute: storage activities do not heartbeat, so the server learns of the crash only
 * then), the driver's updates are resent with the same update ids. The cycle completes; every
 * confirmation and decision is recorded once; every mail was sent once.
 */
import { checkMail, checkState, DRILL_SCHEDULE, expectCycleIntact, playCycle, unitsFor, type Drill, useDrill } from './support';

// Formation lasts long enough to absorb the activity retried a minute after the crash: the minute
// is real time, whatever the drill's time scale; every later deadline moves by as much.
const shift = unitsFor(66);
const schedule = Object.fromEntries(
  (['formationDeadline', 'submissionDeadline', 'approvalDeadline', 'publicReviewOpensAt', 'publicReviewClosesAt', 'boardDeadline', 'assemblyDate'] as const)
    .map((k) => [k, DRILL_SCHEDULE[k] + shift]),
);


let d: Drill;
useDrill({ label: 'worker-killed', schedule }, (drill) => (d = drill));

test('the worker is SIGKILLed during a burst of confirmations; the cycle completes with nothing lost or doubled', async () => {
  let killed = false;
  const record = await playCycle(d, {
    hook: async (point) => {
      if (point !== 'formation_decisions' || killed) return;
      killed = true;
      // playCycle waited for the groups' welcome mails (a fan-out killed mid-way waits out its
      // 2-minute heartbeat timeout: that is the fan-out benchmark's drill); now the confirmations.
      // Let the burst start, then crash the worker in the middle of it.
      setTimeout(() => {
        void (async () => {
          const how = await d.worker!.kill();
          d.log.push(`worker killed (${how})`);
          await new Promise((r) => setTimeout(r, 1_000));
          await d.startWorker();
        })();
      }, 1_500);
    },
  });
  expect(killed).toBe(true);
  const [state, mail] = [await checkState(d), await checkMail(d)];
  expectCycleIntact(state, mail, d, record);
  expect(d.log.some((l) => l.includes('worker killed'))).toBe(true);
});
