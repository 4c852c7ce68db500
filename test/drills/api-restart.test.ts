/**
 * Drill: members confirm by clicking the link in their invitation mail (read from Mailpit), 16 at
 * a time, through the real API process (api/main.ts); in the middle of the burst the API is
 * SIGKILLed and started again. A member whose click got no answer clicks again (as people do).
 * Clicks consumed but not delivered when the API died are finished by the link reconciler (the
 * API process runs it); every confirmation reaches its group workflow exactly once, and the cycle
 * completes with nothing lost or doubled.
 */
import { openLink } from '../../activities/links/token';
import { keepAliveAgent, postForm, type HttpAnswer } from '../../bench/lib/http';
import { checkMail, checkState, eventually, expectCycleIntact, playCycle, type Drill, useDrill } from './support';

const schedule = { formationDeadline: 45, submissionDeadline: 52, approvalDeadline: 59, publicReviewOpensAt: 61, publicReviewClosesAt: 65, boardDeadline: 72, assemblyDate: 74 };


let d: Drill;
useDrill({ label: 'api-restart', withApi: true, schedule }, (drill) => (d = drill));

/** The confirmation link of every invited member, from the invitation mails in Mailpit. */
async function invitationLinks(): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  const total = (await d.mailpit.list({ limit: 1 })).total;
  const page = await d.mailpit.list({ limit: total });
  for (const summary of page.messages) {
    const message = await d.mailpit.message(summary.ID);
    for (const [, token] of message.Text.matchAll(/\/l\/([A-Za-z0-9_-]{40,})/g)) {
      const opened = openLink(d.secret, token);
      if (opened.ok && opened.claims.actions.includes('confirm_membership')) links.set(opened.claims.memberId, token);
    }
  }
  return links;
}

test('the API is SIGKILLed and restarted during a burst of link clicks; every confirmation is recorded once', async () => {
  const at = () => new Date().toISOString().slice(11, 23);
  const answers: Record<string, number> = {};
  let restarts = 0;
  const record = await playCycle(d, {
    confirm: async (groups) => {
      const links = await invitationLinks();
      const members = groups.flatMap((g) => g.memberIds.filter((m) => m !== g.moderatorMemberId));
      expect(members.every((m) => links.has(m))).toBe(true);
      const agent = keepAliveAgent(16);
      let done = 0;
      let next = 0;
      const killAfter = Math.floor(members.length / 3);
      let restarting: Promise<void> | undefined;
      const click = async (memberId: string): Promise<HttpAnswer> => {
        for (let attempt = 0; ; attempt++) {
          try {
            await restarting;
            const answer = await postForm(d.api!.url, `/l/${links.get(memberId)}`, { action: 'confirm_membership' }, agent, 10_000);
            if (answer.status !== 503) return answer;
          } catch {
            // Connection refused or reset: the member clicks again a moment later.
          }
          if (attempt > 100) throw new Error(`no answer for ${memberId}`);
          await new Promise((r) => setTimeout(r, 300));
        }
      };
      await Promise.all(Array.from({ length: 16 }, async () => {
        for (;;) {
          const i = next++;
          if (i >= members.length) return;
          const answer = await click(members[i]);
          answers[answer.status] = (answers[answer.status] ?? 0) + 1;
          if (++done === killAfter && restarts === 0) {
            restarts++;
            restarting = (async () => {
              const how = await d.api!.kill();
              d.log.push(`${at()} api killed (${how}) after ${done} answers`);
              await d.startApi(d.api!.port);
            })();
          }
        }
      }));
      agent.destroy();
      d.log.push(`${at()} answers ${JSON.stringify(answers)}`);
      // Clicks consumed while the API died are delivered by the reconciler of the new process.
      await eventually(async () => {
        const confirmed = await d.models.Membership.countDocuments({ cycleId: d.edition.cycleId, confirmedAt: { $exists: true } });
        return confirmed >= members.length;
      }, 'every clicked confirmation recorded', 30_000).catch(async (err) => {
        const recent = await d.models.LinkRecent.find({}).lean();
        const tally: Record<string, number> = {};
        for (const r of recent) tally[`${r.state}${r.outcome ? `:${r.outcome}` : ''}${r.lastError ? `:${r.lastError.slice(0, 60)}` : ''}`] = (tally[`${r.state}${r.outcome ? `:${r.outcome}` : ''}${r.lastError ? `:${r.lastError.slice(0, 60)}` : ''}`] ?? 0) + 1;
        const confirmed = await d.models.Membership.countDocuments({ cycleId: d.edition.cycleId, confirmedAt: { $exists: true } });
        const stuck = recent.filter((r) => r.state === 'consumed').length;
        throw new Error(`${(err as Error).message}: ${confirmed} of ${members.length} confirmed; link_recent ${JSON.stringify(tally)}, link_uses ${await d.models.LinkUse.countDocuments()}; ${stuck} uses consumed but never delivered (is the link reconciler running in api/main.ts?)`);
      });
      return members.length;
    },
  });
  expect(restarts).toBe(1);
  expect(Object.keys(answers).every((s) => s === '200' || s === '202')).toBe(true);
  const [state, mail] = [await checkState(d), await checkMail(d)];
  expectCycleIntact(state, mail, d, record);
  // One use per link: link_uses holds one lock per member who clicked.
  expect(await d.models.LinkUse.countDocuments()).toBe(record.confirmations);
  // Every use settled: a click answered 202 ("received, will be recorded") or cut off by the crash
  // is finished by the reconciler (api/main.ts must run startLinkReconciler, see
  // docs/README-mail-links.md); otherwise a second click keeps saying "will be recorded" and a
  // use consumed just before the crash never reaches its workflow.
  const unsettled = await d.models.LinkRecent.find({ state: 'consumed' }, { _id: 1, consumedAt: 1, attempts: 1 }).lean();
  expect({ unsettledUses: unsettled.length, hint: unsettled.length ? 'is startLinkReconciler running in api/main.ts?' : '' }).toEqual({ unsettledUses: 0, hint: '' });
});
