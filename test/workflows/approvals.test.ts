/**
 * Reminders go only to groups that have not answered; a moderator asks for a change and staff ask
 * again; silence at the approval deadline escalates (policy `escalate`): staff are alerted and
 * the public review does not open until they settle it.
 */
import { buildEdition2019_2020 } from '../fixtures/edition-2019-2020';
import { cycleWorkflowId, groupWorkflowId } from '../../domain/ids';
import { FAILURE_TYPES } from '../../domain/errors';
import {
  cancelCycleUpdate, closePhaseEarlyUpdate, cycleStatusQuery, requestApprovalsUpdate,
} from '../../workflows/cycle/contract';
import {
  acceptModeratorRoleUpdate, approveConsolidationUpdate, confirmMembershipUpdate, groupStatusQuery,
  requestConsolidationChangeUpdate, resolveApprovalUpdate, submitRecommendationsUpdate,
} from '../../workflows/group/contract';
import { createConsolidated, rewordConsolidated } from '../../activities/storage/consolidation';
import { eventually, rejection, useWorkflowHarness } from './helpers/harness';
import { seedEdition } from './helpers/seed';
import { recordHistory } from './helpers/histories';
import { mailLog } from './helpers/mail-log';

const h = useWorkflowHarness('approvals');
const DAY = 86_400_000;
const STAFF = 'key-staff-approvals';

test('when groups answer at different times, then only the silent ones are reminded, escalated, and block the review', async () => {
  const { env, models, taskQueue, domain } = h();
  const edition = buildEdition2019_2020({ cycleId: 'approvals-1', emailDomain: domain });
  const editionRef = { cycleId: edition.cycleId, emailDomain: domain };
  const t0 = await h().now();
  const at = (days: number) => new Date(t0 + days * DAY).toISOString();
  const deadlines = {
    formationOpensAt: at(1), formationDeadline: at(5), submissionDeadline: at(40), approvalDeadline: at(60),
    publicReviewOpensAt: at(62), publicReviewClosesAt: at(70),
  };
  const countries = edition.countries.map((c) => ({ ...c, boardDeadline: at(80), assemblyDate: at(90) }));
  const keys = ['brussels', 'antwerp', 'charleroi'];
  await seedEdition(models, edition, { deadlines, countries, groupKeys: keys, policies: { silenceAtApprovalDeadline: 'escalate' } });
  const [brussels, antwerp, charleroi] = keys.map((k) => edition.groups.find((g) => g.key === k)!);
  const email = (memberId: string) => edition.members.find((m) => m.id === memberId)!.email;
  const group = (g: { id: string }) => env.client.workflow.getHandle(groupWorkflowId(edition.cycleId, g.id));

  const cycle = await env.client.workflow.start('cycleWorkflow', { workflowId: cycleWorkflowId(edition.cycleId), taskQueue, args: [{ cycleId: edition.cycleId }] });
  await h().advanceTo(Date.parse(deadlines.formationOpensAt) + 60_000);
  await eventually(async () => (await cycle.query(cycleStatusQuery)).groups.open === 3, 'groups started');
  for (const g of [brussels, antwerp, charleroi]) {
    await eventually(async () => (await group(g).query(groupStatusQuery)).status === 'forming', 'group loaded');
    await group(g).executeUpdate(acceptModeratorRoleUpdate, { args: [{ memberId: g.moderatorId }] });
    for (const m of g.memberIds) await group(g).executeUpdate(confirmMembershipUpdate, { args: [{ memberId: m, actorId: m }] });
  }
  await h().advanceTo(Date.parse(deadlines.formationDeadline) + 60_000);
  await eventually(async () => (await cycle.query(cycleStatusQuery)).phase === 'deliberation', 'deliberation');

  // Brussels submits early, Antwerp between the two reminders, Charleroi after both.
  const submit = (g: typeof brussels) =>
    eventually(async () => (await group(g).query(groupStatusQuery)).status === 'active', 'active').then(() =>
      group(g).executeUpdate(submitRecommendationsUpdate, { args: [{ items: edition.submissions[g.key].slice(0, 2), actorId: STAFF }] }));
  await h().advanceTo(t0 + 20 * DAY);
  await submit(brussels);
  await h().advanceTo(t0 + 27 * DAY); // after the 14-day reminder (day 26)
  await submit(antwerp);
  await h().advanceTo(t0 + 38 * DAY); // after the 3-day reminder (day 37)
  await submit(charleroi);
  const reminders = async () => (await mailLog(models, h().mailpit, domain)).filter((m) => m.template === 'submission_reminder');
  const submissionReminders = await eventually(async () => ((await reminders()).length >= 3 ? reminders() : undefined), 'submission reminders');
  expect(submissionReminders.map((m) => m.to).sort()).toEqual([email(antwerp.moderatorId), email(charleroi.moderatorId), email(charleroi.moderatorId)].sort());

  // Consolidation: every original taken over verbatim; approvals asked.
  await h().advanceTo(Date.parse(deadlines.submissionDeadline) + 60_000);
  await eventually(async () => (await models.Cycle.findById(edition.cycleId).lean())?.projection.phase === 'consolidation', 'consolidation');
  const originals = (await models.Recommendation.find({ cycleId: edition.cycleId }).lean()).sort((a, b) => (a._id < b._id ? -1 : 1));
  let op = 0;
  const docs = [];
  for (const o of originals) docs.push(await createConsolidated(models, { cycleId: edition.cycleId, actorId: STAFF, opId: `a-${++op}`, fromRecommendationIds: [o._id] }));
  expect(docs.every((d) => d.countries.join() === 'BE')).toBe(true);
  await cycle.executeUpdate(requestApprovalsUpdate, { args: [{ actorId: STAFF }] });
  for (const g of [brussels, antwerp, charleroi]) {
    await eventually(async () => (await group(g).query(groupStatusQuery)).approval.status === 'pending', 'pending');
  }
  await group(brussels).executeUpdate(approveConsolidationUpdate, { args: [{ memberId: brussels.moderatorId, version: 1 }] });
  // Antwerp's moderator asks for a change: staff are told, rework the wording and ask again.
  await group(antwerp).executeUpdate(requestConsolidationChangeUpdate, { args: [{ memberId: antwerp.moderatorId, version: 1, comment: 'The booking tool must cover every office.' }] });
  expect((await models.Group.findById(antwerp.id).lean())?.approval).toMatchObject({ status: 'change_requested', version: 1, comment: 'The booking tool must cover every office.' });
  expect((await rejection(group(antwerp).executeUpdate(approveConsolidationUpdate, { args: [{ memberId: antwerp.moderatorId, version: 1 }] }))).type).toBe(FAILURE_TYPES.CONFLICT);
  const antwerpDoc = docs.find((d) => d.groupIds.includes(antwerp.id))!;
  await rewordConsolidated(models, { cycleId: edition.cycleId, actorId: STAFF, opId: 'a-reword', id: antwerpDoc._id, wording: { text: `${antwerpDoc.text} In every office.` } });
  const v2 = await cycle.executeUpdate(requestApprovalsUpdate, { args: [{ actorId: STAFF }] });
  expect(v2.version).toBe(2);
  for (const g of [brussels, antwerp]) {
    await eventually(async () => (await group(g).query(groupStatusQuery)).approval.version === 2, 'v2 pending');
    await group(g).executeUpdate(approveConsolidationUpdate, { args: [{ memberId: g.moderatorId, version: 2 }] });
  }

  // Charleroi stays silent: reminded twice, then escalated at the deadline.
  await h().advanceTo(Date.parse(deadlines.approvalDeadline) + 60_000);
  await eventually(async () => (await models.Group.findById(charleroi.id).lean())?.approval.status === 'escalated', 'escalated');
  const approvalReminders = (await mailLog(models, h().mailpit, domain)).filter((m) => m.template === 'approval_reminder');
  expect(approvalReminders.map((m) => m.to)).toEqual([email(charleroi.moderatorId), email(charleroi.moderatorId)]);

  // The public review date passes: the cycle stays in consolidation, blocked, and says why.
  await h().advanceTo(Date.parse(deadlines.publicReviewOpensAt) + 2 * 60_000);
  await eventually(async () => (await cycle.query(cycleStatusQuery)).blockedOn === 'approvals_escalated:1', 'blocked');
  expect((await models.Cycle.findById(edition.cycleId).lean())?.projection).toMatchObject({ phase: 'consolidation', blockedOn: 'approvals_escalated:1' });
  expect((await rejection(cycle.executeUpdate(closePhaseEarlyUpdate, { args: [{ phase: 'consolidation', actorId: STAFF }] }))).type).toBe(FAILURE_TYPES.CONFLICT);
  const alerts = async () => (await mailLog(models, h().mailpit, domain)).filter((m) => m.template === 'staff_alert').map((m) => `${m.to} ${m.purpose}`).sort();
  await eventually(async () => ((await alerts()).length >= 3 ? true : undefined), 'staff alerts');
  expect(await alerts()).toEqual([
    `${h().staffAddress} approval_escalated`,
    `${h().staffAddress} change_requested`,
    `${h().staffAddress} public_review_blocked:approvals_escalated`,
  ]);

  // Staff settle it: the review opens at once.
  await group(charleroi).executeUpdate(resolveApprovalUpdate, { args: [{ resolution: 'approved', actorId: STAFF, note: 'Agreed with the moderator by phone.' }] });
  await eventually(async () => (await models.Cycle.findById(edition.cycleId).lean())?.projection.phase === 'public_review', 'public review opened');
  const projection = (await models.Cycle.findById(edition.cycleId).lean())!.projection;
  expect(projection.blockedOn).toBeUndefined();
  expect((await models.Group.findById(charleroi.id).lean())?.approval).toMatchObject({ status: 'approved', resolution: 'approved' });
  expect(await models.Audit.countDocuments({ cycleId: edition.cycleId, action: 'group.approval_escalated' })).toBe(1);

  await recordHistory(group(charleroi), 'edge-group-escalated-resolved', 'silent moderator escalated, settled by staff', editionRef);
  await recordHistory(group(antwerp), 'edge-group-change-requested', 'moderator asked a change, approved v2', editionRef);
  await cycle.executeUpdate(cancelCycleUpdate, { args: [{ reason: 'end of the approvals test', actorId: STAFF }] });
  await recordHistory(cycle, 'edge-cycle-blocked-then-review', 'cycle blocked by an escalation, opened, then cancelled', editionRef);
}, 180_000);
