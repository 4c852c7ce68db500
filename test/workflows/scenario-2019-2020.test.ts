/**
 * The 2019-2020 edition end to end, under time skipping, against FerretDB and Mailpit: BE and FR,
 * seven themes, 17 office groups, gender equality falling back to one online cross-border group,
 * Nantes and Lyon meeting jointly, the sharing-economy group submitting nothing, 57 originals
 * consolidated into 53 recommendations with lineage, both boards using all four outcomes (the
 * shared "individual support" decided differently in BE and FR), ratification by both assemblies,
 * projects followed up after the cycle.
 */
import type { WorkflowHandle } from '@temporalio/client';
import {
  buildEdition2019_2020, shiftSchedule, type FixtureGroup, type PlannedConsolidated,
} from '../fixtures/edition-2019-2020';
import { assemblyWorkflowId, boardWorkflowId, cycleWorkflowId, groupWorkflowId, projectWorkflowId } from '../../domain/ids';
import { FAILURE_TYPES } from '../../domain/errors';
import type { ConsolidatedDoc } from '../../domain/models';
import type { BoardDecision, Phase } from '../../domain/types';
import { cycleStatusQuery, requestApprovalsUpdate, type CycleResult } from '../../workflows/cycle/contract';
import {
  acceptModeratorRoleUpdate, approveConsolidationUpdate, confirmMembershipUpdate, groupStatusQuery,
  requestConsolidationChangeUpdate, submitRecommendationsUpdate,
} from '../../workflows/group/contract';
import { boardStatusQuery, recordDecisionsUpdate, recordDecisionUpdate } from '../../workflows/board/contract';
import { assemblyStatusQuery, recordAssemblyResultUpdate } from '../../workflows/assembly/contract';
import { followUpStatusQuery, reportProgressUpdate } from '../../workflows/follow-up/contract';
import {
  createConsolidated, mergeConsolidated, rewordConsolidated, splitConsolidated, withdrawConsolidated,
} from '../../activities/storage/consolidation';
import { eventually, rejection, useWorkflowHarness } from './helpers/harness';
import { seedEdition } from './helpers/seed';
import { recordHistory, seenSizes } from './helpers/histories';
import { countByTemplate, mailLog } from './helpers/mail-log';

const h = useWorkflowHarness('scenario-2019-2020');
const DAY = 86_400_000;
const MINUTE = 60_000;
const STAFF = 'key-cooperative-life';

test('the 2019-2020 edition runs from group formation to adopted projects', async () => {
  const t = Date.now();
  const { env, models, taskQueue, domain } = h();
  const timings: Record<string, number> = {};
  const lap = (name: string) => {
    timings[name] = Date.now() - t;
  };
  const edition = buildEdition2019_2020({ emailDomain: domain });
  const editionRef = { cycleId: edition.cycleId, emailDomain: domain };
  const cycleId = edition.cycleId;
  const t0 = await h().now();
  const { deadlines, countries, decisions: plannedDecisions } = shiftSchedule(edition, new Date(t0 + DAY));
  const country = (c: string) => countries.find((x) => x.country === c)!;
  await seedEdition(models, edition, { deadlines, countries });

  const cycle = await env.client.workflow.start('cycleWorkflow', { workflowId: cycleWorkflowId(cycleId), taskQueue, args: [{ cycleId }] });
  const group = (g: FixtureGroup | string): WorkflowHandle =>
    env.client.workflow.getHandle(groupWorkflowId(cycleId, typeof g === 'string' ? g : g.id));
  const byKey = new Map(edition.groups.map((g) => [g.key, g]));
  let phaseNo = 0;
  const phaseReached = async (phase: Phase) => {
    await eventually(async () => (await cycle.query(cycleStatusQuery)).phase === phase, `phase ${phase}`, 60_000);
    await eventually(async () => (await models.Cycle.findById(cycleId).lean())?.projection.phase === phase, `projection ${phase}`);
    phaseNo += 1;
    await recordHistory(cycle, `scenario-cycle-${phaseNo}-${phase}`, `cycle on entering ${phase}`, editionRef);
    lap(phase);
  };

  // --- Group formation: members confirm, moderators accept ----------------------------------
  await h().advanceTo(Date.parse(deadlines.formationOpensAt) + MINUTE);
  await phaseReached('group_formation');
  await eventually(async () => (await cycle.query(cycleStatusQuery)).groups.open === 17, '17 groups started');
  await Promise.all(edition.groups.map(async (g) => {
    await eventually(async () => (await group(g).query(groupStatusQuery)).status === 'forming', `${g.key} loaded`);
    await group(g).executeUpdate(acceptModeratorRoleUpdate, { args: [{ memberId: g.moderatorId }] });
    for (const m of g.memberIds.filter((id) => !g.unconfirmedIds.includes(id))) {
      await group(g).executeUpdate(confirmMembershipUpdate, { args: [{ memberId: m, actorId: m }] });
    }
  }));
  // Someone else cannot take the moderator role; a stranger cannot confirm.
  const brussels = byKey.get('brussels')!;
  expect((await rejection(group(brussels).executeUpdate(acceptModeratorRoleUpdate, { args: [{ memberId: brussels.memberIds[0] }] }))).type).toBe(FAILURE_TYPES.NOT_ALLOWED);
  expect((await rejection(group(brussels).executeUpdate(confirmMembershipUpdate, { args: [{ memberId: byKey.get('lille')!.moderatorId, actorId: STAFF }] }))).type).toBe(FAILURE_TYPES.UNKNOWN_SUBJECT);
  // Submitting now is too early.
  expect((await rejection(group(brussels).executeUpdate(submitRecommendationsUpdate, { args: [{ items: edition.submissions.brussels, actorId: STAFF }] }))).type).toBe(FAILURE_TYPES.WRONG_PHASE);

  // --- Formation deadline: gender equality falls back to one online cross-border group -------
  await h().advanceTo(Date.parse(deadlines.formationDeadline) + MINUTE);
  await phaseReached('deliberation');
  const genderTheme = edition.themes.find((t) => t.code === 'gender')!;
  const onlineId = `${genderTheme.id}-online`;
  for (const key of ['ghent', 'liege']) {
    const g = byKey.get(key)!;
    await eventually(async () => (await models.Group.findById(g.id).lean())?.status === 'fallen_back', `${key} fell back`);
    const doc = (await models.Group.findById(g.id).lean())!;
    expect(doc.fallbackGroupId).toBe(onlineId);
    expect(doc.statusReason).toMatch(/minimum is 5.*online cross-border group/);
    expect(doc.formation?.verdict).toBe('fallen_back');
  }
  expect((await models.Theme.findById(genderTheme.id).lean())?.onlineGroupId).toBe(onlineId);
  const online = await eventually(async () => {
    const v = await group(onlineId).query(groupStatusQuery).catch(() => undefined);
    return v && v.status === 'active' ? v : undefined;
  }, 'online group active');
  expect(online.members).toBe(5); // 3 from Ghent, 2 from Liège
  // Cross-border participants from all over Belgium and from France join the online sessions.
  await models.Membership.insertMany(edition.onlineJoinerIds.map((m) => ({ _id: `${onlineId}:${m}`, cycleId, groupId: onlineId, memberId: m, role: 'member' })));
  for (const m of edition.onlineJoinerIds) {
    await group(onlineId).executeUpdate(confirmMembershipUpdate, { args: [{ memberId: m, actorId: STAFF }] });
  }
  expect((await group(onlineId).query(groupStatusQuery)).members).toBe(15);
  for (const g of edition.groups.filter((x) => x.expectedFormation === 'keep')) {
    await eventually(async () => (await models.Group.findById(g.id).lean())?.status === 'active', `${g.key} active`);
  }

  // Meetings, attendance in person then online, Nantes and Lyon jointly, specific meetings.
  const confirmedOf = async (groupId: string) =>
    (await models.Membership.find({ groupId }).lean()).filter((m) => m.confirmedAt).map((m) => m.memberId).sort();
  const idOfKey = (key: string) => (key === 'gender-online' ? onlineId : byKey.get(key)!.id);
  const meetings = [];
  for (const [i, m] of edition.meetings.entries()) {
    const groupId = idOfKey(m.groupKey);
    const attendees = (await confirmedOf(groupId)).slice(0, m.attendees);
    meetings.push({
      _id: `${cycleId}-meeting-${i + 1}`, cycleId, groupId, startsAt: new Date(Date.parse(deadlines.formationDeadline) + m.dayOffset * DAY),
      mode: m.mode, jointWithGroupIds: m.jointWithGroupKeys.map(idOfKey), attendeeMemberIds: attendees, guestCount: m.guestCount,
      ...(m.atOfficeId ? { officeId: m.atOfficeId } : {}), ...(m.notes ? { notes: m.notes } : {}), recordedBy: STAFF,
    });
  }
  await models.Meeting.insertMany(meetings);

  // --- Submissions (Brussels twice: a draft, then its final list); Marseille none -------------
  await h().advanceTo(Date.parse(deadlines.submissionDeadline) - 20 * DAY);
  await group(brussels).executeUpdate(submitRecommendationsUpdate, { args: [{ items: edition.submissions.brussels.slice(0, 2), actorId: STAFF }] });
  const badItem = { title: 'No context', text: 'A recommendation without its context.', context: ' ' };
  expect((await rejection(group(brussels).executeUpdate(submitRecommendationsUpdate, { args: [{ items: [badItem], actorId: STAFF }] }))).type).toBe(FAILURE_TYPES.INVALID_DECISION);
  const versions = new Map<string, number>();
  await Promise.all(Object.entries(edition.submissions).map(async ([key, items]) => {
    const view = await group(idOfKey(key)).executeUpdate(submitRecommendationsUpdate, { args: [{ items, actorId: STAFF }] });
    versions.set(key, view.submissionVersion);
  }));
  expect(versions.get('brussels')).toBe(2);
  expect(await models.Recommendation.countDocuments({ cycleId, superseded: false })).toBe(57);
  expect(await models.Recommendation.countDocuments({ cycleId, superseded: true })).toBe(2);

  await h().advanceTo(Date.parse(deadlines.submissionDeadline) + MINUTE);
  await phaseReached('consolidation');
  const marseille = byKey.get('marseille')!;
  await eventually(async () => (await models.Group.findById(marseille.id).lean())?.status === 'no_recommendations', 'marseille: no recommendations');
  expect((await models.Group.findById(marseille.id).lean())?.statusReason).toBe('nothing submitted by the submission deadline');
  await recordHistory(group(marseille), 'scenario-group-marseille-no-recommendations', 'group that submitted nothing', editionRef);
  await recordHistory(group(byKey.get('ghent')!), 'scenario-group-ghent-fallen-back', 'group that fell back', editionRef);

  // --- Consolidation: 57 originals → 53 recommendations, every one with its lineage -----------
  const originalId = (key: string, position: number) => `${idOfKey(key)}:v${versions.get(key)}:${position}`;
  let op = 0;
  const staffOp = () => ({ cycleId, actorId: STAFF, opId: `op-${++op}` });
  const verbatim = async (key: string, position: number, countries: string[]) => {
    const original = edition.submissions[key][position - 1];
    return createConsolidated(models, { ...staffOp(), fromRecommendationIds: [originalId(key, position)], wording: { ...original, countries } });
  };
  const splitDone = new Set<string>();
  for (const planned of edition.consolidation) {
    if (planned.relation === 'verbatim') {
      await verbatim(planned.sources[0].groupKey, planned.sources[0].position, planned.countries);
    } else if (planned.relation === 'reworded') {
      const doc = await verbatim(planned.sources[0].groupKey, planned.sources[0].position, planned.countries);
      await rewordConsolidated(models, { ...staffOp(), id: doc._id, wording: { title: planned.title, text: planned.text } });
    } else if (planned.relation === 'merged') {
      const parts = [];
      for (const s of planned.sources) parts.push(await verbatim(s.groupKey, s.position, planned.countries));
      await mergeConsolidated(models, { ...staffOp(), ids: parts.map((p) => p._id), wording: { title: planned.title, text: planned.text, context: planned.context, countries: planned.countries } });
    } else {
      const source = planned.sources[0];
      const k = `${source.groupKey}:${source.position}`;
      if (splitDone.has(k)) continue;
      splitDone.add(k);
      const parts = edition.consolidation.filter((c) => c.relation === 'split' && c.sources[0].groupKey === source.groupKey && c.sources[0].position === source.position);
      const doc = await verbatim(source.groupKey, source.position, planned.countries);
      await splitConsolidated(models, { ...staffOp(), id: doc._id, parts: parts.map((p) => ({ title: p.title, text: p.text, countries: p.countries })) });
    }
  }
  // A duplicate taken over by mistake is withdrawn again, with its reason.
  const duplicate = await verbatim('lille', 1, ['FR']);
  await withdrawConsolidated(models, { ...staffOp(), id: duplicate._id, reason: 'duplicate of an existing recommendation' });
  // A retried operation creates nothing twice.
  const retried = await createConsolidated(models, { cycleId, actorId: STAFF, opId: 'op-1', fromRecommendationIds: [originalId('brussels', 1)] });
  expect(retried.number).toBe(1);

  const active = async () => (await models.Consolidated.find({ cycleId }).lean<ConsolidatedDoc[]>()).filter((d) => !d.withdrawn);
  const document = await active();
  expect(document).toHaveLength(53);
  const byTitle = new Map(document.map((d) => [d.title, d]));
  for (const planned of edition.consolidation) {
    const doc = byTitle.get(planned.title);
    expect({ title: planned.title, found: Boolean(doc) }).toEqual({ title: planned.title, found: true });
    expect(doc!.lineage.map((l) => l.recommendationId).sort()).toEqual(planned.sources.map((s) => originalId(s.groupKey, s.position)).sort());
    expect(new Set(doc!.lineage.map((l) => l.relation))).toEqual(new Set([planned.relation]));
    expect([...doc!.countries].sort()).toEqual([...planned.countries].sort());
  }
  lap('consolidated');

  // Approvals: Rennes asks for a change; staff reword and ask again; Toulouse stays silent.
  const v1 = await cycle.executeUpdate(requestApprovalsUpdate, { args: [{ actorId: STAFF }] });
  expect(v1).toEqual({ version: 1, groupsAsked: 15 });
  const submitting = [...edition.groups.filter((g) => edition.submissions[g.key]).map((g) => g.id), onlineId];
  const waitPending = (version: number) => Promise.all(submitting.map((id) =>
    eventually(async () => {
      const v = await group(id).query(groupStatusQuery);
      return v.approval.status === 'pending' && v.approval.version === version;
    }, `${id} asked to approve v${version}`)));
  await waitPending(1);
  const rennes = byKey.get('rennes')!;
  await group(rennes).executeUpdate(requestConsolidationChangeUpdate, { args: [{ memberId: rennes.moderatorId, version: 1, comment: 'Our recommendation is about values, not only onboarding: please say so.' }] });
  const rennesDoc = document.find((d) => d.groupIds.includes(rennes.id) && d.lineage.length === 1)!;
  const rennesReworded = await rewordConsolidated(models, { ...staffOp(), id: rennesDoc._id, wording: { text: `${rennesDoc.text} Cooperative values come first.` } });
  expect(rennesReworded.revision).toBe(rennesDoc.revision + 1);
  const v2 = await cycle.executeUpdate(requestApprovalsUpdate, { args: [{ actorId: STAFF }] });
  expect(v2.version).toBe(2);
  await waitPending(2);
  const toulouse = byKey.get('toulouse')!;
  const onlineModerator = (await models.Group.findById(onlineId).lean())!.moderatorMemberId!;
  expect(onlineModerator).toBe(byKey.get('ghent')!.moderatorId);
  expect((await rejection(group(rennes).executeUpdate(approveConsolidationUpdate, { args: [{ memberId: rennes.moderatorId, version: 1 }] }))).type).toBe(FAILURE_TYPES.CONFLICT);
  expect((await rejection(group(rennes).executeUpdate(approveConsolidationUpdate, { args: [{ memberId: rennes.memberIds[0], version: 2 }] }))).type).toBe(FAILURE_TYPES.NOT_ALLOWED);
  await Promise.all(submitting.filter((id) => id !== toulouse.id).map(async (id) => {
    const moderatorId = id === onlineId ? onlineModerator : edition.groups.find((g) => g.id === id)!.moderatorId;
    await group(id).executeUpdate(approveConsolidationUpdate, { args: [{ memberId: moderatorId, version: 2 }] });
  }));
  await models.Videoconference.insertMany([1, 2, 3].map((n) => ({
    _id: `${cycleId}-vc-${n}`, cycleId, uid: `${cycleId}-vc-${n}@smart.coop`, sequence: 0,
    title: { nl: `Voorstelling van de aanbevelingen ${n}`, fr: `Présentation des recommandations ${n}` },
    startsAt: new Date(Date.parse(deadlines.publicReviewOpensAt) + n * 5 * DAY), durationMinutes: 90,
    joinUrl: `https://meet.example/sip-${n}`, cancelled: false,
  })));

  await h().advanceTo(Date.parse(deadlines.approvalDeadline) + MINUTE);
  await eventually(async () => (await models.Group.findById(toulouse.id).lean())?.approval.status === 'tacitly_approved', 'toulouse tacitly approved');
  await recordHistory(group(rennes), 'scenario-group-rennes-approvals', 'group that asked a change, then approved v2', editionRef);

  // --- Public review ---------------------------------------------------------------------------
  await h().advanceTo(Date.parse(deadlines.publicReviewOpensAt) + MINUTE);
  await phaseReached('public_review');
  expect((await models.Cycle.findById(cycleId).lean())?.projection.publishedAt).toBeTruthy();
  for (const id of submitting) {
    await eventually(async () => (await models.Group.findById(id).lean())?.status === 'closed', `${id} closed`);
  }
  await recordHistory(group(brussels), 'scenario-group-brussels-closed', 'group from formation to approval', editionRef);
  await recordHistory(group(onlineId), 'scenario-group-gender-online-closed', 'online cross-border group', editionRef);
  const boards = { BE: env.client.workflow.getHandle(boardWorkflowId(cycleId, 'BE')), FR: env.client.workflow.getHandle(boardWorkflowId(cycleId, 'FR')) };
  const scope = { BE: document.filter((d) => d.countries.includes('BE')), FR: document.filter((d) => d.countries.includes('FR')) };
  await eventually(async () => (await boards.BE.query(boardStatusQuery)).scope === scope.BE.length, 'BE board scope');
  expect((await boards.FR.query(boardStatusQuery)).scope).toBe(scope.FR.length);
  const decisionsFor = (c: 'BE' | 'FR'): BoardDecision[] =>
    plannedDecisions[c].map((d) => {
      const planned = edition.consolidation.find((p) => p.number === d.number) as PlannedConsolidated;
      return {
        recommendationId: byTitle.get(planned.title)!._id, outcome: d.outcome, motivation: { criteria: d.criteria, text: d.motivation },
        ...(d.newWording ? { newWording: d.newWording } : {}), ...(d.postponeTo ? { postponeTo: d.postponeTo } : {}), decidedBy: `key-board-${c.toLowerCase()}`,
      };
    });
  // Too early: the public review is still open.
  expect((await rejection(boards.BE.executeUpdate(recordDecisionsUpdate, { args: [{ decisions: decisionsFor('BE') }] }))).type).toBe(FAILURE_TYPES.WRONG_PHASE);
  // Members react (high volume: straight to MongoDB, never the workflow).
  await models.Reaction.insertMany(edition.members.slice(0, 30).map((m, i) => ({
    _id: `${document[i % 53]._id}:${m.id}`, cycleId, recommendationId: document[i % 53]._id, memberId: m.id,
    stance: i % 3 === 0 ? 'oppose' : 'support', at: new Date(Date.parse(deadlines.publicReviewOpensAt) + DAY),
  })));

  // --- Boards ----------------------------------------------------------------------------------
  await h().advanceTo(Date.parse(deadlines.publicReviewClosesAt) + MINUTE);
  await phaseReached('board_decisions');
  await eventually(async () => (await boards.FR.query(boardStatusQuery)).status === 'deciding', 'FR board open');
  await eventually(async () => (await boards.BE.query(boardStatusQuery)).status === 'deciding', 'BE board open');
  const be = await boards.BE.executeUpdate(recordDecisionsUpdate, { args: [{ decisions: decisionsFor('BE') }] });
  expect(be).toMatchObject({ decided: scope.BE.length, undecided: 0 });
  const fr = await boards.FR.executeUpdate(recordDecisionsUpdate, { args: [{ decisions: decisionsFor('FR') }] });
  expect(fr).toMatchObject({ decided: scope.FR.length, undecided: 0 });
  // A revision before the deadline is allowed and audited.
  const revised = decisionsFor('BE').find((d) => d.outcome === 'refuse')!;
  await boards.BE.executeUpdate(recordDecisionUpdate, { args: [{ ...revised, motivation: { criteria: ['means_of_implementation'], text: 'Revised: no means this year.' } }] });
  const revisedDoc = (await models.Consolidated.findById(revised.recommendationId).lean())!;
  expect(revisedDoc.decisions.find((d) => d.country === 'BE')).toMatchObject({ revision: 2, outcome: 'refuse', motivation: { criteria: ['means_of_implementation'] } });
  expect(await models.Audit.countDocuments({ cycleId, action: 'board.decisions_revised' })).toBe(1);

  await h().advanceTo(Date.parse(country('BE').boardDeadline) + MINUTE);
  await phaseReached('general_assembly');
  await recordHistory(boards.BE, 'scenario-board-BE', 'BE board, all four outcomes, one revision', editionRef);
  await recordHistory(boards.FR, 'scenario-board-FR', 'FR board, all four outcomes', editionRef);

  // --- Assemblies: BE en bloc, FR per recommendation (one not ratified) -------------------------
  const assemblies = { BE: env.client.workflow.getHandle(assemblyWorkflowId(cycleId, 'BE')), FR: env.client.workflow.getHandle(assemblyWorkflowId(cycleId, 'FR')) };
  const beAssembly = edition.assemblies.find((a) => a.country === 'BE')!;
  const frAssembly = edition.assemblies.find((a) => a.country === 'FR')!;
  expect((await rejection(assemblies.BE.executeUpdate(recordAssemblyResultUpdate, { args: [{ mode: 'en_bloc', votes: beAssembly.enBlocVote!, nextThemes: beAssembly.nextThemes, actorId: STAFF }] }))).type)
    .toBe(FAILURE_TYPES.WRONG_PHASE);
  await h().advanceTo(Date.parse(country('BE').assemblyDate) + MINUTE);
  await eventually(async () => (await assemblies.BE.query(assemblyStatusQuery)).status === 'awaiting_result', 'BE assembly met');
  await assemblies.BE.executeUpdate(recordAssemblyResultUpdate, { args: [{ mode: 'en_bloc', votes: beAssembly.enBlocVote!, nextThemes: beAssembly.nextThemes, actorId: STAFF }] });
  await h().advanceTo(Date.parse(country('FR').assemblyDate) + MINUTE);
  await eventually(async () => (await assemblies.FR.query(assemblyStatusQuery)).status === 'awaiting_result', 'FR assembly met');
  const frItems = scope.FR.map((d) => ({ recommendationId: d._id, votes: frAssembly.votes!(edition.consolidation.find((p) => p.title === d.title)!.number) }));
  expect((await rejection(assemblies.FR.executeUpdate(recordAssemblyResultUpdate, { args: [{ mode: 'per_recommendation', items: [...frItems, { recommendationId: 'nope', votes: { for: 1, against: 0, abstain: 0 } }], nextThemes: [], actorId: STAFF }] }))).type)
    .toBe(FAILURE_TYPES.UNKNOWN_SUBJECT);
  expect((await rejection(assemblies.FR.executeUpdate(recordAssemblyResultUpdate, { args: [{ mode: 'per_recommendation', items: frItems.map((i, n) => (n === 0 ? { ...i, votes: { for: -1, against: 0, abstain: 0 } } : i)), nextThemes: [], actorId: STAFF }] }))).type)
    .toBe(FAILURE_TYPES.INVALID_DECISION);
  await assemblies.FR.executeUpdate(recordAssemblyResultUpdate, { args: [{ mode: 'per_recommendation', items: frItems, nextThemes: frAssembly.nextThemes, actorId: STAFF }] });

  // Polled with the clock locked (result() would let the server skip time to the projects' timers).
  await eventually(async () => (await cycle.describe()).status.name === 'COMPLETED', 'cycle completed', 60_000);
  const result = (await h().result(cycle)) as CycleResult;
  expect(result).toMatchObject({ outcome: 'completed', phase: 'follow_up' });
  phaseNo += 1;
  await recordHistory(cycle, `scenario-cycle-${phaseNo}-follow_up`, 'cycle completed', editionRef);
  await recordHistory(assemblies.BE, 'scenario-assembly-BE', 'BE assembly en bloc', editionRef);
  await recordHistory(assemblies.FR, 'scenario-assembly-FR', 'FR assembly per recommendation', editionRef);
  lap('completed');

  // --- The final state of every recommendation --------------------------------------------------
  const final = await active();
  const expected = (c: 'BE' | 'FR', doc: ConsolidatedDoc): string => {
    const planned = edition.consolidation.find((p) => p.title === doc.title)!;
    const decision = plannedDecisions[c].find((d) => d.number === planned.number)!;
    const ratified = c === 'BE' ? true : frAssembly.votes!(planned.number).for > frAssembly.votes!(planned.number).against;
    if (!ratified) return 'not_ratified';
    return { accept: 'adopted', reformulate: 'adopted_reformulated', postpone: 'postponed', refuse: 'refused' }[decision.outcome];
  };
  const statusCount: Record<string, number> = {};
  for (const doc of final) {
    for (const c of doc.countries as ('BE' | 'FR')[]) {
      const status = doc.finalStatus.find((f) => f.country === c)?.status;
      expect({ rec: doc.title, country: c, status }).toEqual({ rec: doc.title, country: c, status: expected(c, doc) });
      statusCount[`${c}:${status}`] = (statusCount[`${c}:${status}`] ?? 0) + 1;
      expect(doc.decisions.find((d) => d.country === c)?.motivation.criteria.length).toBeGreaterThan(0);
      expect(doc.assembly.find((a) => a.country === c)).toBeTruthy();
    }
  }
  for (const c of ['BE', 'FR']) {
    const outcomes = new Set(final.flatMap((d) => d.decisions.filter((x) => x.country === c).map((x) => x.outcome)));
    expect([...outcomes].sort()).toEqual(['accept', 'postpone', 'reformulate', 'refuse']);
  }
  const shared = byTitle.get('Individual support in the first year')!;
  const sharedNow = final.find((d) => d._id === shared._id)!;
  expect(sharedNow.decisions.map((d) => [d.country, d.outcome]).sort()).toEqual([['BE', 'accept'], ['FR', 'reformulate']]);
  expect(sharedNow.finalStatus.map((f) => [f.country, f.status]).sort()).toEqual([['BE', 'adopted'], ['FR', 'adopted_reformulated']]);

  // Projects: one per adopted recommendation and country, followed up after the cycle.
  const adopted = final.flatMap((d) => d.finalStatus.filter((f) => f.status.startsWith('adopted')).map((f) => f.projectId));
  const projects = await models.Project.find({ cycleId, kind: 'strategic_plan' }).lean();
  expect(projects.map((p) => p._id).sort()).toEqual(adopted.sort());
  const reformulatedFr = projects.find((p) => p.recommendationId === shared._id && p.country === 'FR')!;
  expect(reformulatedFr.title).toBe('Individual support in the first year (FR wording)');
  for (const p of projects) {
    const d = await env.client.workflow.getHandle(projectWorkflowId(p._id)).describe();
    expect(d.status.name).toBe('RUNNING');
  }
  // Backlog: postponed, and not ratified, carried into the next cycle.
  const backlog = await models.Backlog.find({ fromCycleId: cycleId }).lean();
  const backlogExpected = Object.entries(statusCount).filter(([k]) => k.endsWith(':postponed') || k.endsWith(':not_ratified')).reduce((a, [, n]) => a + n, 0);
  expect(backlog).toHaveLength(backlogExpected);
  expect(backlog.some((b) => b.reason === 'not_ratified' && b.country === 'FR')).toBe(true);
  expect(backlog.filter((b) => b.reason === 'postponed').some((b) => b.postponedUntil && b.postponedUntil !== 'next_cycle')).toBe(true);
  const cycleDoc = (await models.Cycle.findById(cycleId).lean())!;
  expect(cycleDoc.status).toBe('completed');
  // The themes for the next cycle, as each country's assembly recorded them (one document each).
  expect((await models.Assembly.find({ cycleId }).lean()).flatMap((a) => a.nextThemes)).toHaveLength(3);
  const report = cycleDoc.participationReport as { groups: { total: number }; meetings: { byMode: Record<string, number>; joint: number }; recommendations: { consolidated: number } };
  expect(report.groups.total).toBe(18);
  const byMode: Record<string, number> = {};
  for (const m of edition.meetings) byMode[m.mode] = (byMode[m.mode] ?? 0) + 1;
  expect(report.meetings.byMode).toEqual(byMode);
  expect(report.meetings.joint).toBe(2);
  expect(report.recommendations.consolidated).toBe(53);

  // --- Follow-up: the first progress requests, one project done ---------------------------------
  const firstProject = env.client.workflow.getHandle(projectWorkflowId(projects[0]._id));
  await h().advanceTo((await h().now()) + edition.policies.progressRequestEveryDays * DAY + 2 * MINUTE);
  await eventually(async () => (await firstProject.query(followUpStatusQuery)).requestsSent === 1, 'first progress request');
  await firstProject.executeUpdate(reportProgressUpdate, { args: [{ reportId: 'report-1', percent: 100, note: 'Delivered.', done: true, reportedBy: STAFF }] });
  await eventually(async () => (await firstProject.describe()).status.name === 'COMPLETED', 'project done');
  expect(await h().result(firstProject)).toMatchObject({ status: 'done', lastPercent: 100, requestsSent: 1 });
  await recordHistory(firstProject, 'scenario-project-done', 'strategic-plan project followed up until done', editionRef);

  // --- The mail, read from Mailpit --------------------------------------------------------------
  const mails = await eventually(async () => {
    const log = await mailLog(models, h().mailpit, domain);
    return log.filter((m) => m.template === 'progress_request').length >= projects.length ? log : undefined;
  }, 'progress requests delivered', 30_000);
  const counts = countByTemplate(mails);
  const groupMembers = edition.groups.reduce((n, g) => n + 1 + g.memberIds.length, 0);
  expect(counts.group_invitation).toBe(groupMembers);
  expect(counts.moderator_invitation).toBe(17 + 0); // the online group's moderator had accepted in Ghent already
  expect(counts.group_fallen_back).toBe(6); // everyone signed up in Ghent (3) and Liège (3)
  expect(counts.submission_reminder).toBe(2); // 14 and 3 days before: only Marseille's moderator
  expect(mails.filter((m) => m.template === 'submission_reminder').every((m) => m.to === edition.members.find((x) => x.id === marseille.moderatorId)!.email)).toBe(true);
  expect(counts.approval_request).toBe(30); // 15 groups, versions 1 and 2
  expect(counts.approval_reminder).toBe(2); // Toulouse only
  expect(counts.public_review_invitation).toBe(edition.members.length);
  expect(mails.filter((m) => m.template === 'public_review_invitation').every((m) => m.attachments === 3)).toBe(true);
  expect(counts.assembly_outcome).toBe(edition.members.length);
  expect(mails.filter((m) => m.template === 'staff_alert').map((m) => m.purpose)).toEqual(['change_requested']);
  expect(counts.progress_request).toBe(projects.length);
  expect(counts.unknown ?? 0).toBe(0);

  lap('checked');
  console.log(JSON.stringify({ timings, mails: counts, historySizes: seenSizes, statusCount }, null, 1));
}, 600_000);
