/**
 * The cycle's clock: extensions re-arm the timer, bad dates are refused with a reason and change
 * nothing, a phase closes early on request, cancellation ends every group.
 */
import { buildEdition2019_2020 } from '../fixtures/edition-2019-2020';
import { cycleWorkflowId, groupWorkflowId } from '../../domain/ids';
import { FAILURE_TYPES } from '../../domain/errors';
import {
  cancelCycleUpdate, closePhaseEarlyUpdate, cycleStatusQuery, extendCountryDateUpdate, extendDeadlineUpdate,
  registerGroupUpdate, type CycleResult,
} from '../../workflows/cycle/contract';
import { groupStatusQuery } from '../../workflows/group/contract';
import { eventually, rejection, useWorkflowHarness } from './helpers/harness';
import { seedEdition } from './helpers/seed';
import { recordHistory } from './helpers/histories';

const h = useWorkflowHarness('cycle-deadlines');
const DAY = 86_400_000;

test('when staff extend, close early and cancel, then timers re-arm, bad dates are refused and groups end', async () => {
  const { env, models, taskQueue } = h();
  const edition = buildEdition2019_2020({ cycleId: 'deadlines-1', emailDomain: h().domain });
  const t0 = await h().now();
  const at = (days: number) => new Date(t0 + days * DAY).toISOString();
  const deadlines = {
    formationOpensAt: at(1), formationDeadline: at(10), submissionDeadline: at(40), approvalDeadline: at(50),
    publicReviewOpensAt: at(55), publicReviewClosesAt: at(70),
  };
  const countries = edition.countries.map((c) => ({ ...c, boardDeadline: at(80), assemblyDate: at(90) }));
  await seedEdition(models, edition, { deadlines, countries, groupKeys: ['brussels', 'lille'] });

  const handle = await env.client.workflow.start('cycleWorkflow', {
    workflowId: cycleWorkflowId(edition.cycleId), taskQueue, args: [{ cycleId: edition.cycleId }],
  });
  await eventually(async () => (await models.Cycle.findById(edition.cycleId).lean())?.projection.seq === 1, 'preparation projected');

  // Extend the opening of formation by two days: the timer re-arms.
  const extended = await handle.executeUpdate(extendDeadlineUpdate, { args: [{ deadline: 'formationOpensAt', until: at(3), actorId: 'key-staff' }] });
  expect(extended.deadlines.formationOpensAt).toBe(at(3));
  await h().advanceTo(t0 + 2 * DAY);
  expect((await handle.query(cycleStatusQuery)).phase).toBe('preparation');
  await h().advanceTo(t0 + 3 * DAY + 60_000);
  await eventually(async () => (await handle.query(cycleStatusQuery)).phase === 'group_formation', 'formation opened at the new date');
  const cycle = await models.Cycle.findById(edition.cycleId).lean();
  expect(cycle?.projection.phase).toBe('group_formation');
  expect(cycle?.projection.deadlines.formationOpensAt).toBe(at(3));
  expect(cycle?.status).toBe('running');
  await eventually(async () => (await handle.query(cycleStatusQuery)).groups.open === 2, 'both groups started');
  // Staff add a group during formation: the cycle starts its workflow at once (twice is harmless).
  const mons = edition.groups.find((g) => g.key === 'mons')!;
  await models.Group.create({ _id: mons.id, cycleId: edition.cycleId, themeId: mons.themeId, kind: 'office', officeId: mons.officeId, moderatorMemberId: mons.moderatorId, status: 'forming', submissionVersion: 0, approval: { status: 'not_requested' } });
  await models.Membership.create({ _id: `${mons.id}:${mons.moderatorId}`, cycleId: edition.cycleId, groupId: mons.id, memberId: mons.moderatorId, role: 'moderator' });
  await handle.executeUpdate(registerGroupUpdate, { args: [{ groupId: mons.id, actorId: 'key-staff' }] });
  const registered = await handle.executeUpdate(registerGroupUpdate, { args: [{ groupId: mons.id, actorId: 'key-staff' }] });
  expect(registered.groups.total).toBe(3);
  await eventually(async () => (await env.client.workflow.getHandle(groupWorkflowId(edition.cycleId, mons.id)).query(groupStatusQuery)).status === 'forming', 'mons group started');

  // Bad dates: each refused with its reason, nothing stored.
  const before = (await models.Cycle.findById(edition.cycleId).lean())!.projection;
  const cases: [Record<string, string>, string][] = [
    [{ deadline: 'formationOpensAt', until: at(20), actorId: 'key-staff' }, FAILURE_TYPES.WRONG_PHASE], // its phase is over
    [{ deadline: 'formationDeadline', until: new Date(t0).toISOString(), actorId: 'key-staff' }, FAILURE_TYPES.INVALID_DECISION], // past
    [{ deadline: 'formationDeadline', until: at(8), actorId: 'key-staff' }, FAILURE_TYPES.INVALID_DECISION], // earlier
    [{ deadline: 'formationDeadline', until: at(45), actorId: 'key-staff' }, FAILURE_TYPES.INVALID_DECISION], // passes the submission deadline
    [{ deadline: 'formationDeadline', until: 'next tuesday', actorId: 'key-staff' }, FAILURE_TYPES.INVALID_DECISION],
    [{ deadline: 'nextYear', until: at(20), actorId: 'key-staff' }, FAILURE_TYPES.UNKNOWN_SUBJECT],
  ];
  for (const [arg, type] of cases) {
    const r = await rejection(handle.executeUpdate(extendDeadlineUpdate, { args: [arg as never] }));
    expect({ arg, type: r.type }).toEqual({ arg, type });
  }
  expect((await rejection(handle.executeUpdate(extendCountryDateUpdate, { args: [{ country: 'DE', date: 'boardDeadline', until: at(85), actorId: 'key-staff' }] }))).type)
    .toBe(FAILURE_TYPES.UNKNOWN_SUBJECT);
  expect((await rejection(handle.executeUpdate(extendCountryDateUpdate, { args: [{ country: 'BE', date: 'boardDeadline', until: at(95), actorId: 'key-staff' }] }))).type)
    .toBe(FAILURE_TYPES.INVALID_DECISION); // would pass the assembly date
  expect((await rejection(handle.executeUpdate(closePhaseEarlyUpdate, { args: [{ phase: 'consolidation', actorId: 'key-staff' }] }))).type)
    .toBe(FAILURE_TYPES.WRONG_PHASE);
  expect((await rejection(handle.executeUpdate(registerGroupUpdate, { args: [{ groupId: 'no-such-group', actorId: 'key-staff' }] }))).type)
    .toBe(FAILURE_TYPES.UNKNOWN_SUBJECT);
  const after = (await models.Cycle.findById(edition.cycleId).lean())!.projection;
  expect(after.deadlines).toEqual(before.deadlines);
  expect(after.seq).toBe(before.seq);

  // A good country extension is accepted and projected.
  const moved = await handle.executeUpdate(extendCountryDateUpdate, { args: [{ country: 'FR', date: 'assemblyDate', until: at(95), actorId: 'key-staff' }] });
  expect(moved.countries.find((c) => c.country === 'FR')?.assemblyDate).toBe(at(95));

  // Close formation early: deliberation starts now, not at day 10.
  const now = await h().now();
  const closed = await handle.executeUpdate(closePhaseEarlyUpdate, { args: [{ phase: 'group_formation', actorId: 'key-staff' }] });
  expect(closed.phase).toBe('deliberation');
  expect(await h().now()).toBeLessThan(now + DAY);
  const audit = await models.Audit.findOne({ cycleId: edition.cycleId, action: 'cycle.phase.deliberation' }).lean();
  expect(audit?.actor).toEqual({ kind: 'staff', id: 'key-staff' });
  expect(audit?.details).toMatchObject({ closedEarly: true });
  // Nobody confirmed: both groups were below the minimum and fell back to their themes' online groups.
  const brussels = edition.groups.find((g) => g.key === 'brussels')!;
  await eventually(async () => (await models.Group.findById(brussels.id).lean())?.status === 'fallen_back', 'brussels fell back');
  expect((await models.Group.findById(brussels.id).lean())?.statusReason).toMatch(/0 confirmed member\(s\).*minimum is 5/);

  await recordHistory(handle, 'edge-cycle-deadlines-deliberation', 'cycle after extension and early close', { cycleId: edition.cycleId, emailDomain: h().domain });

  // Cancel: the cycle ends, its groups end with it.
  const online = await eventually(async () => (await models.Theme.findById(brussels.themeId).lean())?.onlineGroupId, 'online group');
  const cancelled = await handle.executeUpdate(cancelCycleUpdate, { args: [{ reason: 'test of cancellation', actorId: 'key-staff' }] });
  expect(cancelled.cancelled).toBe(true);
  const result = (await h().result(handle)) as CycleResult;
  expect(result).toMatchObject({ outcome: 'cancelled', reason: 'test of cancellation' });
  expect((await models.Cycle.findById(edition.cycleId).lean())?.status).toBe('cancelled');
  await eventually(async () => (await models.Group.findById(online).lean())?.status === 'cancelled', 'online group cancelled');
  const onlineHandle = env.client.workflow.getHandle(groupWorkflowId(edition.cycleId, online));
  // The workflow sets its status once its storage write returned: the query may lag the database.
  await eventually(
    async () => (await onlineHandle.query(groupStatusQuery).catch(() => ({ status: 'cancelled' }))).status === 'cancelled',
    'online group workflow cancelled',
  );
  await recordHistory(handle, 'edge-cycle-deadlines-cancelled', 'cycle cancelled in deliberation', { cycleId: edition.cycleId, emailDomain: h().domain });
}, 120_000);
