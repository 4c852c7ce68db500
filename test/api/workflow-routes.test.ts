/**
 * The routes that talk to workflows, on the dev server with the real workflows: start, status,
 * extensions, early close, group registration during formation, confirmations, submissions,
 * approvals, follow-up, cancellation. Each with its happy path and the answers of the workflow
 * validators (409 / 422 with their reason), bad inputs (400), unknown ids (404) and replayed
 * Idempotency-Keys. Dates are months ahead: only staff move the phases here.
 */
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { call, cycleBody, daysFromNow, errorBody, startApi, uid, type ApiHarness } from './support';
import { startWorker, type TestWorker } from './worker';
import { eventually as pollUntil } from '../../scripts/stack/eventually';

jest.setTimeout(60_000);

let h: ApiHarness;
let worker: TestWorker;
const c = uid('wf');
const office = uid('off');
const theme = uid('th');
const g1 = uid('g1');
const g2 = uid('g2');
const members = Array.from({ length: 6 }, (_, i) => uid(`m${i}`));
const domain = `wr-${randomUUID().slice(0, 8)}.test.smart.example`;

/** Polls until `check` holds (workflows start and load asynchronously). */
const eventually = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> =>
  pollUntil(check, what, timeoutMs, { intervalMs: 150 });

/** Retries while the workflow answers "starting" (409 right after it was started). */
async function whenLoaded(method: string, path: string, body?: unknown, idempotencyKey?: string) {
  return eventually(`${path} loaded`, async () => {
    const res = await call(h, method, path, { body, idempotencyKey });
    return res.status === 409 && /starting/.test(res.body.error?.message) ? undefined : res;
  });
}

beforeAll(async () => {
  h = await startApi({ taskQueue: uid('wr') });
  worker = await startWorker(h, domain);
  await call(h, 'post', '/admin/offices', { body: { id: office, city: `City ${office}`, country: 'BE' } });
  expect((await call(h, 'post', '/admin/cycles', { body: cycleBody(c, { countries: [cycleBody(c).countries[0]] }) })).status).toBe(201);
  await call(h, 'post', `/admin/cycles/${c}/themes`, { body: { id: theme, country: 'BE', code: 'activity', title: { nl: 'Activiteit', fr: 'Activité' } } });
  for (const [i, id] of members.entries()) {
    await call(h, 'post', '/admin/members', { body: { id, name: `Member ${i}`, email: `${id}@${domain}`, language: 'fr', country: 'BE', officeId: office } });
  }
  await call(h, 'post', `/admin/cycles/${c}/groups`, { body: { id: g1, themeId: theme, kind: 'office', officeId: office } });
  await call(h, 'put', `/admin/cycles/${c}/groups/${g1}/moderator`, { body: { memberId: members[0] } });
  await call(h, 'post', `/admin/cycles/${c}/groups/${g1}/members`, { body: { memberIds: members.slice(1, 5) } });
}, 120_000);

afterAll(async () => {
  await h?.temporal.workflow.getHandle(`cycle:${c}`).terminate('test over').catch(() => undefined);
  await worker?.stop();
  await h?.close();
}, 60_000);

test('when a cycle is started, then its workflow runs; starting again is 409; a replay returns the first answer', async () => {
  const key = uid('idem');
  const started = await call(h, 'post', `/admin/cycles/${c}/start`, { idempotencyKey: key });
  expect(started.status).toBe(202);
  expect(started.body).toEqual({
    workflowId: `cycle:${c}`, runId: expect.any(String),
    webUiUrl: `${h.config.TEMPORAL_UI_URL}/namespaces/default/workflows/${encodeURIComponent(`cycle:${c}`)}`,
  });
  const replay = await call(h, 'post', `/admin/cycles/${c}/start`, { idempotencyKey: key });
  expect(replay.status).toBe(202);
  expect(replay.body).toEqual(started.body);
  const again = await call(h, 'post', `/admin/cycles/${c}/start`);
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('conflict');
  const unknown = await call(h, 'post', '/admin/cycles/nope-404/start');
  expect(unknown.body).toEqual(errorBody('not_found', 'cycle nope-404 does not exist', undefined, { entity: 'cycle', id: 'nope-404' }));
  const status = await eventually('loaded', async () => {
    const res = await call(h, 'get', `/admin/cycles/${c}/status`, { key: 'operator' });
    return res.body.deadlines?.formationDeadline ? res.body : undefined;
  });
  expect(status).toMatchObject({ cycleId: c, phase: 'preparation', cancelled: false });
});

test('when a deadline is extended, then the workflow takes it; earlier, past, malformed or unknown dates are refused', async () => {
  const ok = await whenLoaded('post', `/admin/cycles/${c}/deadlines/formationDeadline/extend`, { until: daysFromNow(45) });
  expect(ok.status).toBe(200);
  const cycle = await call(h, 'get', `/admin/cycles/${c}`);
  expect(ok.body.deadlines.formationDeadline).toBe(cycle.body.projection.deadlines.formationDeadline);
  const earlier = await call(h, 'post', `/admin/cycles/${c}/deadlines/formationDeadline/extend`, { body: { until: daysFromNow(20) } });
  expect(earlier.status).toBe(422);
  expect(earlier.body).toEqual(errorBody('invalid_decision', /^formationDeadline: an extension moves the date later/));
  const passes = await call(h, 'post', `/admin/cycles/${c}/deadlines/formationDeadline/extend`, { body: { until: daysFromNow(400) } });
  expect(passes.status).toBe(422);
  expect(passes.body.error.message).toMatch(/^formationDeadline would pass submissionDeadline/);
  const past = await call(h, 'post', `/admin/cycles/${c}/deadlines/formationDeadline/extend`, { body: { until: '2020-01-01' } });
  // A date alone is the end of that day for a deadline.
  expect(past.body).toEqual(errorBody('validation_failed', 'the date is in the past', [{ path: 'body.until', message: '2020-01-01T22:59:59.999Z is in the past' }]));
  const missing = await call(h, 'post', `/admin/cycles/${c}/deadlines/formationDeadline/extend`, { body: {} });
  expect(missing.body.error.fields).toEqual([{ path: 'body.until', message: 'required' }]);
  const name = await call(h, 'post', `/admin/cycles/${c}/deadlines/someDeadline/extend`, { body: { until: daysFromNow(50) } });
  expect(name.body.error.fields).toEqual([{ path: 'params.deadline', message: expect.stringMatching(/^Invalid option/) }]);
});

test('when a country date is extended, then it moves; a country outside the cycle is 404', async () => {
  const ok = await call(h, 'post', `/admin/cycles/${c}/countries/BE/assemblyDate/extend`, { body: { until: daysFromNow(260) } });
  expect(ok.status).toBe(200);
  expect(ok.body.countries[0].assemblyDate).toBe(new Date(Date.parse(ok.body.countries[0].assemblyDate)).toISOString());
  const fr = await call(h, 'post', `/admin/cycles/${c}/countries/FR/boardDeadline/extend`, { body: { until: daysFromNow(250) } });
  expect(fr.body).toEqual(errorBody('not_found', 'country FR does not exist', undefined, { entity: 'country', id: 'FR' }));
  const wrongType = await call(h, 'post', `/admin/cycles/${c}/countries/BE/boardDeadline/extend`, { body: { until: 20300101 } });
  expect(wrongType.body.error.fields).toEqual([{ path: 'body.until', message: 'Invalid input: expected string, received number' }]);
});

test('when a phase is closed early, then the next one is projected at once; naming another phase is 409', async () => {
  const wrong = await call(h, 'post', `/admin/cycles/${c}/phases/deliberation/close`);
  expect(wrong.status).toBe(409);
  expect(wrong.body).toEqual(errorBody('wrong_phase', 'the cycle is in preparation, not deliberation'));
  const key = uid('idem');
  const closed = await call(h, 'post', `/admin/cycles/${c}/phases/preparation/close`, { idempotencyKey: key });
  expect(closed.status).toBe(200);
  expect(closed.body.phase).toBe('group_formation');
  expect((await call(h, 'get', `/admin/cycles/${c}`)).body.projection.phase).toBe('group_formation');
  const replay = await call(h, 'post', `/admin/cycles/${c}/phases/preparation/close`, { idempotencyKey: key });
  expect(replay.status).toBe(200);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  const audit = await call(h, 'get', `/ops/cycles/${c}/timeline?children=false`, { key: 'operator' });
  expect(audit.body.entries.filter((e: { summary: string }) => e.summary === 'phase preparation closed early')).toHaveLength(1);
});

test('when a group is added during formation, then the cycle starts its workflow; members confirm', async () => {
  const added = await call(h, 'post', `/admin/cycles/${c}/groups`, { body: { id: g2, themeId: theme, kind: 'office', officeId: office } });
  expect(added.status).toBe(201);
  await eventually('g2 workflow', async () => (await call(h, 'get', `/admin/cycles/${c}/groups/${g2}/status`)).status === 200);
  const confirmed = await whenLoaded('post', `/admin/cycles/${c}/groups/${g1}/members/${members[1]}/confirm`);
  expect(confirmed.status).toBe(200);
  expect(confirmed.body).toMatchObject({ groupId: g1, status: 'forming', members: 1 });
  const stranger = await call(h, 'post', `/admin/cycles/${c}/groups/${g1}/members/${members[5]}/confirm`);
  expect(stranger.status).toBe(422);
  expect(stranger.body).toEqual(errorBody('unknown_subject', `member ${members[5]} is not in group ${g1}`));
  const unknownGroup = await call(h, 'post', `/admin/cycles/${c}/groups/nope-404/members/${members[1]}/confirm`);
  expect(unknownGroup.status).toBe(404);
  for (const m of [members[0], ...members.slice(2, 5)]) await call(h, 'post', `/admin/cycles/${c}/groups/${g1}/members/${m}/confirm`);
  const early = await call(h, 'post', `/admin/cycles/${c}/groups/${g1}/submission`, { body: { items: [{ title: 'T', text: 'X', context: 'C' }] } });
  expect(early.status).toBe(409);
  expect(early.body).toEqual(errorBody('wrong_phase', 'recommendations are submitted during deliberation; the cycle is in group_formation'));
  const approvals = await call(h, 'post', `/admin/cycles/${c}/consolidated/approvals`);
  expect(approvals.body).toEqual(errorBody('wrong_phase', 'approvals are asked during consolidation; the cycle is in group_formation'));
  const resolve = await call(h, 'post', `/admin/cycles/${c}/groups/${g1}/approval/resolve`, { body: { resolution: 'approved', note: 'ok' } });
  expect(resolve.body).toEqual(errorBody('wrong_phase', 'approvals are settled during consolidation; the cycle is in group_formation'));
});

test('when formation closes, then small groups fall back; a group submits once, a replay changes nothing', async () => {
  const closed = await call(h, 'post', `/admin/cycles/${c}/phases/group_formation/close`);
  expect(closed.body.phase).toBe('deliberation');
  const late = await call(h, 'post', `/admin/cycles/${c}/groups`, { body: { id: uid('g3'), themeId: theme, kind: 'office', officeId: office } });
  expect(late.status).toBe(409);
  expect(late.body.error.code).toBe('wrong_phase');
  const groups = (await call(h, 'get', `/admin/cycles/${c}/groups`)).body.items;
  expect(groups.find((g: { id: string }) => g.id === g2)).toMatchObject({ status: 'fallen_back' });
  const key = uid('idem');
  const items = [{ title: 'Accounting help', text: 'One desk per office.', context: 'The platform exists.' }];
  const first = await eventually('g1 active', async () => {
    const res = await call(h, 'post', `/admin/cycles/${c}/groups/${g1}/submission`, { body: { items }, idempotencyKey: key });
    return res.status === 200 ? res : undefined;
  });
  expect(first.body).toMatchObject({ status: 'submitted', submissionVersion: 1 });
  const replay = await call(h, 'post', `/admin/cycles/${c}/groups/${g1}/submission`, { body: { items }, idempotencyKey: key });
  expect(replay.body).toEqual(first.body);
  const originals = await call(h, 'get', `/admin/cycles/${c}/recommendations?groupId=${g1}`, { key: 'operator' });
  expect(originals.body.items.map((r: { id: string; title: string }) => [r.id, r.title])).toEqual([[`${g1}:v1:1`, 'Accounting help']]);
  const noContext = await call(h, 'post', `/admin/cycles/${c}/groups/${g1}/submission`, { body: { items: [{ title: 'T', text: 'X' }] } });
  expect(noContext.body.error.fields).toEqual([{ path: 'body.items.0.context', message: 'required' }]);
  const tooMany = await call(h, 'post', `/admin/cycles/${c}/groups/${g1}/submission`, { body: { items: Array.from({ length: 31 }, () => items[0]) } });
  expect(tooMany.body.error.fields).toEqual([{ path: 'body.items', message: 'Too big: expected array to have <=30 items' }]);
});

test('when a local initiative reports progress, then its follow-up answers; after abandoning, reports are refused', async () => {
  const initiative = await call(h, 'post', `/admin/cycles/${c}/groups/${g1}/initiatives`, { body: { title: 'Members’ breakfast', ownerMemberId: members[0] } });
  expect(initiative.status).toBe(201);
  const id = initiative.body.id;
  const progress = await whenLoaded('post', `/admin/projects/${id}/progress`, { percent: 40, note: 'Two breakfasts held' }, uid('idem'));
  expect(progress.status).toBe(200);
  expect(progress.body).toMatchObject({ projectId: id, status: 'active', lastPercent: 40 });
  expect((await call(h, 'get', `/admin/projects/${id}`)).body.progress).toEqual([expect.objectContaining({ percent: 40, note: 'Two breakfasts held' })]);
  const badPercent = await call(h, 'post', `/admin/projects/${id}/progress`, { body: { percent: 140, note: 'x' } });
  expect(badPercent.body.error.fields).toEqual([{ path: 'body.percent', message: 'Too big: expected number to be <=100' }]);
  const abandoned = await call(h, 'post', `/admin/projects/${id}/abandon`, { body: { reason: 'Nobody to run it' } });
  expect(abandoned.body.status).toBe('abandoned');
  const after = await call(h, 'post', `/admin/projects/${id}/progress`, { body: { percent: 50, note: 'late' } });
  expect(after.status).toBe(409);
  expect(after.body.error.code).toMatch(/conflict|wrong_phase/);
  const unknown = await call(h, 'post', '/admin/projects/nope-404/progress', { body: { percent: 1, note: 'x' } });
  expect(unknown.body).toEqual(errorBody('not_found', 'project nope-404 does not exist', undefined, { entity: 'project', id: 'nope-404' }));
});

test('when boards or assemblies do not run yet, then their routes answer 409', async () => {
  const decision = await call(h, 'post', `/admin/cycles/${c}/boards/BE/decisions`, {
    key: 'secretaryBE', body: { recommendationId: `${c}:c1`, outcome: 'accept', motivation: { criteria: ['priorities'], text: 'ok' } },
  });
  expect(decision.body).toEqual(errorBody('wrong_phase', `workflow cycle:${c}:board:BE is not running (not started yet, or already finished)`, undefined, { workflowId: `cycle:${c}:board:BE` }));
  const assembly = await call(h, 'get', `/admin/cycles/${c}/assemblies/BE`, { key: 'secretaryBE' });
  expect(assembly.status).toBe(409);
  const fr = await call(h, 'get', `/admin/cycles/${c}/boards/FR`);
  expect(fr.body).toEqual(errorBody('not_found', 'board FR does not exist', undefined, { entity: 'board', id: 'FR' }));
});

test('when a cycle is cancelled, then it ends; a reason is required and nothing moves afterwards', async () => {
  const noReason = await call(h, 'post', `/admin/cycles/${c}/cancel`, { body: {} });
  expect(noReason.body.error.fields).toEqual([{ path: 'body.reason', message: 'required' }]);
  const cancelled = await call(h, 'post', `/admin/cycles/${c}/cancel`, { body: { reason: 'Test edition' } });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.cancelled).toBe(true);
  const after = await call(h, 'post', `/admin/cycles/${c}/phases/deliberation/close`);
  expect(after.status).toBe(409);
  expect(after.body.error.code).toBe('wrong_phase');
  const cycle = await eventually('cancelled projection', async () => {
    const res = await call(h, 'get', `/admin/cycles/${c}`, { key: 'operator' });
    return res.body.status === 'cancelled' ? res.body : undefined;
  });
  expect(cycle.status).toBe('cancelled');
  const listed = await call(h, 'get', `/ops/workflows?kind=cycle&cycleId=${c}`, { key: 'operator' });
  expect(listed.body.items[0]).toMatchObject({ workflowId: `cycle:${c}`, searchAttributes: { SipKind: 'cycle', SipCycleId: c } });
  const described = await call(h, 'get', `/ops/workflows/${encodeURIComponent(`cycle:${c}`)}`, { key: 'operator' });
  expect(described.body).toMatchObject({ workflowId: `cycle:${c}`, kind: 'cycle', type: 'cycleWorkflow' });
  const timeline = await call(h, 'get', `/ops/workflows/${encodeURIComponent(`cycle:${c}`)}/timeline`, { key: 'operator' });
  expect(timeline.body.entries.some((e: { summary: string }) => e.summary.startsWith('cycle cancelled: Test edition'))).toBe(true);
  const notOurs = await call(h, 'get', '/ops/workflows/someone-else/history', { key: 'operator' });
  expect(notOurs.body.error.fields).toEqual([{ path: 'params.workflowId', message: 'a workflow id of this project, e.g. cycle:sip-2019-2020 or cycle:sip-2019-2020:board:BE' }]);
  const unknown = await call(h, 'get', `/ops/workflows/${encodeURIComponent('cycle:nope-404')}`, { key: 'operator' });
  expect(unknown.status).toBe(404);
});

test('when an operator uses the command line, then describe, timeline and history show the same cycle', async () => {
  const run = promisify(execFile);
  const cli = async (...args: string[]) =>
    (await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, MONGODB_URI: h.db.uri, LOG_LEVEL: 'silent' },
      timeout: 60_000,
      maxBuffer: 20 * 1024 * 1024,
    })).stdout;
  const described = await cli('cycle', 'describe', c);
  expect(described).toMatch(new RegExp(`│ ${c}\\s+│`));
  expect(described).toContain('cycleWorkflow');
  expect(described).toContain(`Web UI: ${h.config.TEMPORAL_UI_URL}/namespaces/default/workflows/`);
  const timeline = await cli('cycle', 'timeline', c);
  if (process.env.SHOW_CLI) console.log(described, timeline);
  expect(timeline).toContain('phase preparation closed early');
  expect(timeline).toContain('test-staff (staff)');
  expect(timeline).toMatch(/phase_entered\s+│ phase group_formation entered/);
  const history = JSON.parse(await cli('cycle', 'history', c, '--json'));
  expect(history.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
});
