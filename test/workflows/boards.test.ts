/**
 * Boards and assemblies on their own (started directly, as the cycle would): decisions in the
 * wrong phase, for an unknown recommendation or without motivation are refused and nothing is
 * stored; a late board alerts staff; what stays undecided at the assembly date becomes
 * no_decision; the assembly ratifies per recommendation and feeds projects and the backlog.
 */
import { buildEdition2019_2020 } from '../fixtures/edition-2019-2020';
import { assemblyWorkflowId, boardWorkflowId, projectWorkflowId } from '../../domain/ids';
import { FAILURE_TYPES } from '../../domain/errors';
import type { BoardDecision } from '../../domain/types';
import {
  boardOpenSignal, boardStatusQuery, recordDecisionsUpdate, recordDecisionUpdate, type BoardResult,
} from '../../workflows/board/contract';
import { assemblyStatusQuery, recordAssemblyResultUpdate, type AssemblyResult } from '../../workflows/assembly/contract';
import { abandonProjectUpdate, followUpStatusQuery, reportProgressUpdate } from '../../workflows/follow-up/contract';
import { eventually, rejection, useWorkflowHarness } from './helpers/harness';
import { seedEdition } from './helpers/seed';
import { recordHistory } from './helpers/histories';
import { workflowTimeline } from '../../api/usecases/ops';
import { mailLog } from './helpers/mail-log';

const h = useWorkflowHarness('boards');
const DAY = 86_400_000;

test('when boards decide late or not at all, then staff are alerted, undecided becomes no_decision, and the assembly sorts the rest', async () => {
  const { env, models, taskQueue, domain } = h();
  const edition = buildEdition2019_2020({ cycleId: 'boards-1', emailDomain: domain });
  const editionRef = { cycleId: edition.cycleId, emailDomain: domain };
  const cycleId = edition.cycleId;
  const t0 = await h().now();
  const at = (days: number) => new Date(t0 + days * DAY).toISOString();
  const deadlines = {
    formationOpensAt: at(-200), formationDeadline: at(-180), submissionDeadline: at(-60), approvalDeadline: at(-40),
    publicReviewOpensAt: at(-30), publicReviewClosesAt: at(-1),
  };
  const countries = edition.countries.map((c) => ({ ...c, boardDeadline: at(20), assemblyDate: at(30) }));
  await seedEdition(models, edition, { deadlines, countries, groupKeys: [] });
  await models.Cycle.updateOne({ _id: cycleId }, { $set: { status: 'running', 'projection.phase': 'board_decisions' } });
  const rec = (n: number, recCountries: string[]) => ({
    _id: `${cycleId}:c${n}`, cycleId, number: n, title: `Recommendation ${n}`, text: `Text of recommendation ${n}.`, context: 'Context.',
    countries: recCountries, lineage: [{ recommendationId: `orig-${n}`, groupId: 'g', relation: 'verbatim' }], groupIds: ['g'], updatedBy: 'key-staff',
  });
  await models.Consolidated.insertMany([rec(1, ['BE']), rec(2, ['BE']), rec(3, ['BE']), rec(4, ['BE', 'FR']), rec(5, ['FR'])]);
  const id = (n: number) => `${cycleId}:c${n}`;

  const boardInput = (country: string, open: boolean) => ({
    cycleId, country, boardDeadline: at(20), assemblyDate: at(30), reminderOffsetsDays: [14, 3], open,
  });
  const be = await env.client.workflow.start('boardWorkflow', { workflowId: boardWorkflowId(cycleId, 'BE'), taskQueue, args: [boardInput('BE', false)] });
  const fr = await env.client.workflow.start('boardWorkflow', { workflowId: boardWorkflowId(cycleId, 'FR'), taskQueue, args: [boardInput('FR', true)] });
  await eventually(async () => (await be.query(boardStatusQuery)).scope === 4, 'BE scope');
  expect((await be.query(boardStatusQuery)).status).toBe('waiting');

  const decision = (n: number, patch: Partial<BoardDecision> = {}): BoardDecision => ({
    recommendationId: id(n), outcome: 'accept', motivation: { criteria: ['social_purpose'], text: 'Fits the social purpose.' }, decidedBy: 'key-board-be', ...patch,
  });
  // Wrong phase: the public review is still open.
  expect((await rejection(be.executeUpdate(recordDecisionUpdate, { args: [decision(1)] }))).type).toBe(FAILURE_TYPES.WRONG_PHASE);
  await be.signal(boardOpenSignal);
  await eventually(async () => (await be.query(boardStatusQuery)).status === 'deciding', 'BE open');

  const refused: [string, BoardDecision | { decisions: BoardDecision[] }, string][] = [
    ['FR-only recommendation', decision(5), FAILURE_TYPES.UNKNOWN_SUBJECT],
    ['unknown recommendation', decision(99), FAILURE_TYPES.UNKNOWN_SUBJECT],
    ['no criterion', decision(1, { motivation: { criteria: [], text: 'Because.' } }), FAILURE_TYPES.INVALID_DECISION],
    ['unknown criterion', decision(1, { motivation: { criteria: ['popularity' as never], text: 'Because.' } }), FAILURE_TYPES.INVALID_DECISION],
    ['no motivation text', decision(1, { motivation: { criteria: ['priorities'], text: '   ' } }), FAILURE_TYPES.INVALID_DECISION],
    ['no motivation at all', { ...decision(1), motivation: undefined as never }, FAILURE_TYPES.INVALID_DECISION],
    ['unknown outcome', decision(1, { outcome: 'maybe' as never }), FAILURE_TYPES.INVALID_DECISION],
    ['reformulate without wording', decision(2, { outcome: 'reformulate' }), FAILURE_TYPES.INVALID_DECISION],
    ['postpone without target', decision(3, { outcome: 'postpone' }), FAILURE_TYPES.INVALID_DECISION],
    ['postpone to the past', decision(3, { outcome: 'postpone', postponeTo: { kind: 'date', date: at(-2) } }), FAILURE_TYPES.INVALID_DECISION],
    ['no secretary', decision(1, { decidedBy: '' }), FAILURE_TYPES.INVALID_DECISION],
    ['batch with a bad one', { decisions: [decision(1), decision(99)] }, FAILURE_TYPES.UNKNOWN_SUBJECT],
    ['batch twice the same', { decisions: [decision(1), decision(1)] }, FAILURE_TYPES.INVALID_DECISION],
  ];
  for (const [what, arg, type] of refused) {
    const r = 'decisions' in arg
      ? await rejection(be.executeUpdate(recordDecisionsUpdate, { args: [arg] }))
      : await rejection(be.executeUpdate(recordDecisionUpdate, { args: [arg] }));
    expect({ what, type: r.type }).toEqual({ what, type });
  }
  // Nothing stored: no decision on any recommendation, no audit event, the board counts none.
  expect((await models.Consolidated.find({ cycleId }).lean()).flatMap((d) => d.decisions)).toEqual([]);
  expect(await models.Audit.countDocuments({ cycleId })).toBe(0);
  expect((await be.query(boardStatusQuery)).decided).toBe(0);

  await be.executeUpdate(recordDecisionsUpdate, {
    args: [{ decisions: [decision(1), decision(2, { outcome: 'reformulate', newWording: { title: 'Recommendation 2, reworded', text: 'Shorter.' } })] }],
  });

  // The board deadline passes with two undecided: reminders went before it, staff are alerted.
  await h().advanceTo(t0 + 20 * DAY + 60_000);
  await eventually(async () => (await be.query(boardStatusQuery)).status === 'late', 'BE late');
  await eventually(async () => (await fr.query(boardStatusQuery)).status === 'late', 'FR late');
  const mails = await eventually(async () => {
    const log = await mailLog(models, h().mailpit, domain);
    return log.filter((m) => m.template === 'staff_alert').length >= 2 ? log : undefined;
  }, 'late alerts');
  expect(mails.filter((m) => m.template === 'staff_alert').map((m) => `${m.to} ${m.purpose}`).sort()).toEqual([
    `${h().staffAddress} board_late`, `${h().staffAddress} board_late`,
  ]);
  expect(mails.filter((m) => m.template === 'board_reminder').map((m) => m.to).sort()).toEqual([
    h().boardAddress('BE'), h().boardAddress('BE'), h().boardAddress('FR'), h().boardAddress('FR'),
  ]);

  // FR decides late: its board completes. BE decides one more, then the assembly date comes.
  await fr.executeUpdate(recordDecisionsUpdate, { args: [{ decisions: [decision(4, { outcome: 'refuse', decidedBy: 'key-board-fr' }), decision(5, { decidedBy: 'key-board-fr' })] }] });
  await eventually(async () => (await fr.describe()).status.name === "COMPLETED", "FR completed");
  expect(await h().result(fr)).toEqual<BoardResult>({ country: 'FR', status: 'completed', decided: 2, undecided: 0 });
  await be.executeUpdate(recordDecisionUpdate, { args: [decision(3, { outcome: 'postpone', postponeTo: { kind: 'date', date: at(200) } })] });
  await h().advanceTo(t0 + 30 * DAY + 60_000);
  await eventually(async () => (await be.describe()).status.name === 'COMPLETED', 'BE closed');
  expect(await h().result(be)).toEqual<BoardResult>({ country: 'BE', status: 'closed_with_undecided', decided: 3, undecided: 1 });
  const shared = (await models.Consolidated.findById(id(4)).lean())!;
  expect(shared.finalStatus).toEqual([{ country: 'BE', status: 'no_decision' }]);
  expect(shared.decisions.map((d) => [d.country, d.outcome])).toEqual([['FR', 'refuse']]);
  await recordHistory(be, 'edge-board-BE-closed-with-undecided', 'late board closed at the assembly date', editionRef);
  await recordHistory(fr, 'edge-board-FR-late-then-completed', 'late board completing after its deadline', editionRef);

  // The BE assembly: refused before its date, then per recommendation. (The clock did not run off.)
  expect(await h().now()).toBeLessThan(t0 + 31 * DAY);
  const assembly = await env.client.workflow.start('assemblyWorkflow', {
    workflowId: assemblyWorkflowId(cycleId, 'BE'), taskQueue, args: [{ cycleId, country: 'BE', assemblyDate: at(35), progressRequestEveryDays: 90 }],
  });
  const yes = { for: 40, against: 3, abstain: 2 };
  const no = { for: 10, against: 30, abstain: 5 };
  const items = [{ recommendationId: id(1), votes: yes }, { recommendationId: id(2), votes: no }, { recommendationId: id(3), votes: yes }, { recommendationId: id(4), votes: yes }];
  const result = { mode: 'per_recommendation' as const, items, nextThemes: [{ title: { nl: 'Wonen', fr: 'Se loger' } }], actorId: 'key-staff' };
  await eventually(async () => (await assembly.query(assemblyStatusQuery)).status === 'waiting_for_date', 'assembly waiting');
  expect((await rejection(assembly.executeUpdate(recordAssemblyResultUpdate, { args: [result] }))).type).toBe(FAILURE_TYPES.WRONG_PHASE);
  await h().advanceTo(t0 + 35 * DAY + 60_000);
  await eventually(async () => (await assembly.query(assemblyStatusQuery)).status === 'awaiting_result', 'assembly met');
  expect((await rejection(assembly.executeUpdate(recordAssemblyResultUpdate, { args: [{ ...result, items: items.slice(1) }] }))).type).toBe(FAILURE_TYPES.INVALID_DECISION);
  const view = await assembly.executeUpdate(recordAssemblyResultUpdate, { args: [result] });
  expect(view).toMatchObject({ status: 'ratified', ratified: 2, backlog: 3, projectIds: [`${cycleId}-r1-BE`] });
  expect((await rejection(assembly.executeUpdate(recordAssemblyResultUpdate, { args: [result] }))).type).toBe(FAILURE_TYPES.CONFLICT);
  await eventually(async () => (await assembly.describe()).status.name === 'COMPLETED', 'assembly done');
  expect(await h().result(assembly)).toEqual<AssemblyResult>({ country: 'BE', status: 'ratified', ratified: 2, projectIds: [`${cycleId}-r1-BE`], backlog: 3 });

  const status = async (n: number) => (await models.Consolidated.findById(id(n)).lean())!.finalStatus.find((f) => f.country === 'BE')?.status;
  expect([await status(1), await status(2), await status(3), await status(4)]).toEqual(['adopted', 'not_ratified', 'postponed', 'no_decision']);
  const backlog = (await models.Backlog.find({ fromCycleId: cycleId }).lean()).map((b) => [b.recommendationId, b.reason, b.postponedUntil ?? null]).sort();
  expect(backlog).toEqual([[id(2), 'not_ratified', null], [id(3), 'postponed', at(200)], [id(4), 'no_decision', null]]);
  expect((await env.client.workflow.getHandle(projectWorkflowId(`${cycleId}-r1-BE`)).describe()).status.name).toBe('RUNNING');
  expect((await models.Assembly.findById(`${cycleId}:BE`).lean())?.nextThemes).toEqual([{ title: { nl: 'Wonen', fr: 'Se loger' } }]);
  await recordHistory(assembly, 'edge-assembly-BE-per-recommendation', 'assembly refusing early, then per recommendation', editionRef);
}, 180_000);

test('when a project is followed for weeks, then its owner is asked periodically, the workflow continues as new, and staff may abandon it', async () => {
  const { env, models, taskQueue, domain } = h();
  const edition = buildEdition2019_2020({ cycleId: 'boards-1', emailDomain: domain });
  const owner = edition.members[5];
  const projectId = 'boards-1-initiative-1';
  await models.Project.create({
    _id: projectId, kind: 'local_initiative', cycleId: 'boards-1', country: 'BE', groupId: 'g', title: 'Members meet monthly in Liège',
    description: 'A local cooperative-life committee', ownerMemberId: owner.id, status: 'active', progress: [],
  });
  const handle = await env.client.workflow.start('followUpWorkflow', {
    workflowId: projectWorkflowId(projectId), taskQueue, args: [{ projectId, kind: 'local_initiative', progressRequestEveryDays: 1 }],
  });
  const firstRun = (await handle.describe()).runId;
  await eventually(async () => (await handle.query(followUpStatusQuery)).nextRequestAt, 'project loaded');
  await handle.executeUpdate(reportProgressUpdate, { args: [{ reportId: 'r-1', percent: 20, note: 'First meetup held.', done: false, reportedBy: owner.id }] });
  // A report sent twice (the same link use) is stored once.
  await handle.executeUpdate(reportProgressUpdate, { args: [{ reportId: 'r-1', percent: 20, note: 'First meetup held.', done: false, reportedBy: owner.id }] });
  expect((await models.Project.findById(projectId).lean())?.progress).toHaveLength(1);
  expect((await rejection(handle.executeUpdate(reportProgressUpdate, { args: [{ reportId: 'r-2', percent: 120, note: '', done: false, reportedBy: owner.id }] }))).type).toBe(FAILURE_TYPES.INVALID_DECISION);

  const start = await h().now();
  await h().advanceTo(start + 13 * DAY + 60_000);
  const status = await eventually(async () => {
    const v = await handle.query(followUpStatusQuery);
    return v.requestsSent === 13 ? v : undefined;
  }, '13 requests');
  expect(status).toMatchObject({ status: 'active', lastPercent: 20 });
  expect((await handle.describe()).runId).not.toBe(firstRun); // continued as new after 12 requests
  const asked = await eventually(async () => {
    const log = (await mailLog(models, h().mailpit, domain)).filter((m) => m.template === 'progress_request' && m.to === owner.email);
    return log.length >= 13 ? log : undefined;
  }, 'progress requests in Mailpit');
  expect(asked).toHaveLength(13);

  const abandoned = await handle.executeUpdate(abandonProjectUpdate, { args: [{ reason: 'The committee merged with the Namur one.', actorId: 'key-staff' }] });
  expect(abandoned.status).toBe('abandoned');
  await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 'follow-up ended');
  expect((await models.Project.findById(projectId).lean())?.status).toBe('abandoned');
  expect((await rejection(handle.executeUpdate(abandonProjectUpdate, { args: [{ reason: 'again', actorId: 'key-staff' }] }))).type).not.toBe('accepted');
  // The operators' timeline reads both runs, in order: the report of the first, the abandonment of the second.
  const timeline = await workflowTimeline({ models, temporalClient: h().env.client, uiUrl: 'http://ui.invalid', namespace: 'default' }, handle.workflowId);
  const line = (summary: RegExp) => timeline.find((e) => summary.test(e.summary));
  expect(line(/^progress 20%/)?.runId).toBe(firstRun);
  expect(line(/^continued as new/)?.runId).toBe(firstRun);
  const second = line(/^followUpWorkflow continued in a new run$/);
  expect(second?.runId).toBeDefined();
  expect(second?.runId).not.toBe(firstRun);
  expect(line(/^abandonProject /)?.runId).toBe(second?.runId);
  await recordHistory(handle, 'edge-project-continued-abandoned', 'local initiative followed for 13 days, continued as new, abandoned', { cycleId: 'boards-1', emailDomain: domain });
}, 120_000);
