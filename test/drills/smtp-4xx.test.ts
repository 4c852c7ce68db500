/**
 * Drill: Mailpit (the drill's own, chaos enabled) answers 421 to most recipients during the
 * groups' welcome mails and again during the public-review invitation. The mail activities retry
 * (inside the attempt, then Temporal's activity retries); the cycle completes and every member has
 * exactly the mails the outbox records, none doubled, none lost, none failed.
 */
import { activityRetries, checkMail, checkState, expectCycleIntact, playCycle, type Drill, useDrill } from './support';

const schedule = { formationDeadline: 22, submissionDeadline: 29, approvalDeadline: 36, publicReviewOpensAt: 38, publicReviewClosesAt: 46, boardDeadline: 54, assemblyDate: 56 };


let d: Drill;
useDrill({ label: 'smtp-4xx', schedule }, (drill) => (d = drill));

test('bursts of SMTP 421 replies; every mail is sent once and the cycle completes', async () => {
  const burst = async (ms: number) => {
    await d.mailpit.setChaos({ Recipient: { ErrorCode: 421, Probability: 70 } });
    d.log.push(`${new Date().toISOString().slice(11, 23)} chaos on (421, 70 %)`);
    setTimeout(() => {
      void d.mailpit.disableChaos().then(() => d.log.push(`${new Date().toISOString().slice(11, 23)} chaos off`));
    }, ms);
  };
  // The welcome mails leave when the groups start: the burst is on before the cycle starts.
  await burst(9_000);
  let reviewBurst = false;
  const record = await playCycle(d, {
    hook: async (point) => {
      if (point === 'approvals' && !reviewBurst) {
        reviewBurst = true;
        // The public-review invitation goes out when the review opens, a few seconds from now.
        setTimeout(() => void burst(6_000), 9_000);
      }
    },
  });
  const [state, mail] = [await checkState(d), await checkMail(d)];
  expectCycleIntact(state, mail, d, record);
  expect(d.log.filter((l) => l.includes('chaos on'))).toHaveLength(2);
  expect(mail.sent).toBe(mail.entries);
  // The 421s were real: mail activities failed and Temporal ran them again.
  const ids = [d.cycle().workflowId, ...d.edition.groups.map((g) => d.group(g.groupId).workflowId)];
  expect(await activityRetries(d, ids)).toBeGreaterThan(0);
});
