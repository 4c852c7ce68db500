/**
 * Drill: FerretDB is stopped, PostgreSQL restarted underneath it, then FerretDB started again,
 * in the middle of a burst of members' confirmations (each one an update whose activity writes
 * MongoDB). The activities fail while the database is away and are retried by Temporal; the
 * cycle completes with every confirmation recorded once and every mail sent once.
 */
import { controlServer } from '../../scripts/stack';
import { checkMail, checkState, expectCycleIntact, playCycle, type Drill, useDrill } from './support';

const schedule = { formationDeadline: 30, submissionDeadline: 37, approvalDeadline: 44, publicReviewOpensAt: 46, publicReviewClosesAt: 50, boardDeadline: 57, assemblyDate: 59 };


let d: Drill;
useDrill({ label: 'database-restart', schedule }, (drill) => (d = drill));

test('FerretDB and PostgreSQL restarted during a burst of confirmations; the cycle completes with nothing lost or doubled', async () => {
  let restarted = false;
  const record = await playCycle(d, {
    hook: async (point) => {
      if (point !== 'formation_decisions' || restarted) return;
      restarted = true;
      setTimeout(() => {
        void (async () => {
          const at = () => new Date().toISOString().slice(11, 23);
          await controlServer(d.stack.handleFile, 'ferretdb', 'stop');
          d.log.push(`${at()} ferretdb stopped`);
          await controlServer(d.stack.handleFile, 'postgres', 'restart');
          d.log.push(`${at()} postgres restarted`);
          await new Promise((r) => setTimeout(r, 2_000));
          await controlServer(d.stack.handleFile, 'ferretdb', 'start');
          d.log.push(`${at()} ferretdb started again`);
        })();
      }, 800);
    },
  });
  expect(restarted).toBe(true);
  const [state, mail] = [await checkState(d), await checkMail(d)];
  expectCycleIntact(state, mail, d, record);
  expect(d.log.some((l) => l.includes('ferretdb started again'))).toBe(true);
});
