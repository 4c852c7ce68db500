/**
 * The 2019-2020 edition driven through the api alone, on the Temporal dev server with the real
 * workflows: no database or workflow access in this file. Staff act through /admin, board
 * secretaries with their own keys, moderators through the links mailed to them (read from
 * Mailpit, used by HTTP POST on the api's link pages). Ends with the cycle's timeline read back
 * through the operator endpoint and the consolidated document exported.
 */
import { randomUUID } from 'node:crypto';
import { buildEdition2019_2020, type Edition } from '../fixtures/edition-2019-2020';
import { DemoApi, Inbox, compressedSchedule, loadEdition, playSteps } from '../../scripts/demo-2019-2020';
import { call, startApi, uid, type ApiHarness } from './support';
import { startWorker, type TestWorker } from './worker';

jest.setTimeout(360_000);

let h: ApiHarness;
let worker: TestWorker;
const domain = `sc-${randomUUID().slice(0, 8)}.test.smart.example`;

beforeAll(async () => {
  h = await startApi({ taskQueue: uid('scenario') });
  worker = await startWorker(h, domain);
}, 120_000);
let stopKeeper: (() => Promise<void>) | undefined;
afterAll(async () => {
  await stopKeeper?.();
  await worker?.stop();
  await h?.close();
}, 60_000);

const laps: string[] = [];
afterEach(() => {
  console.log(laps.join('\n'));
});

test('the 2019-2020 edition, through the api alone', async () => {
  const t0 = Date.now();
  const lap = (name: string) => laps.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  // Keys: the staff key is the one the CLI creates first; the others are made through the api.
  const mk = async (body: object) => (await call(h, 'post', '/admin/keys', { body })).body.token as string;
  const keys = {
    staff: h.keys.staff,
    BE: await mk({ role: 'board_secretary', owner: 'be-board-secretary', country: 'BE' }),
    FR: await mk({ role: 'board_secretary', owner: 'fr-board-secretary', country: 'FR' }),
    operator: await mk({ role: 'operator', owner: 'on-call-operator' }),
  };
  const cycleId = uid('sip-2019-2020');
  const base = buildEdition2019_2020({ cycleId, emailDomain: domain });
  const end = new Date(Date.now() + Number(process.env.SCENARIO_SECONDS ?? 40) * 1000);
  const edition: Edition = { ...base, ...compressedSchedule(base, end) };
  const api = new DemoApi(h.baseUrl, keys, `scenario:${cycleId}`, (line) => laps.push(`  ${line}`));
  const inbox = new Inbox(process.env.MAILPIT_API_URL!);

  const c = cycleId;
  const byKey = new Map(edition.groups.map((g) => [g.key, g]));
  const get = async (path: string, key: keyof typeof keys = 'staff') => {
    const res = await call(h, 'get', path, { key: keys[key] });
    expect([path, res.status]).toEqual([path, 200]);
    return res.body;
  };
  const refused = async (method: string, path: string, body: unknown, key: keyof typeof keys = 'staff') =>
    (await call(h, method, path, { body, key: keys[key] })).body.error;

  await loadEdition(api, edition);
  lap('loaded');
  expect((await get(`/admin/cycles/${c}/status`)).phase).toBe('preparation');

  const play = playSteps(api, edition, inbox);
  play.startKeepingRoom(); // a slow machine must not let a deadline overtake the play: staff extend dates
  stopKeeper = () => play.stopKeepingRoom();
  await play.formGroups();
  lap('formed');
  // The formation deadline's verdicts: the two small gender-equality groups fell back online.
  const groups = (await get(`/admin/cycles/${c}/groups`, 'operator')).items as { id: string; status: string; fallbackGroupId?: string; statusReason?: string; kind: string }[];
  const online = groups.find((g) => g.kind === 'online')!;
  for (const key of ['ghent', 'liege']) {
    expect(groups.find((g) => g.id === byKey.get(key)!.id)).toMatchObject({
      status: 'fallen_back', fallbackGroupId: online.id, statusReason: expect.stringMatching(/minimum is 5.*online cross-border group/),
    });
  }
  // Workflow validators answer at once: a deadline of a closed phase cannot move; a stale close is refused.
  expect(await refused('post', `/admin/cycles/${c}/deadlines/formationDeadline/extend`, { until: '2040-01-01' })).toEqual({
    code: 'wrong_phase', message: 'formationDeadline belongs to group_formation, which is closed',
  });
  expect(await refused('post', `/admin/cycles/${c}/phases/group_formation/close`, undefined)).toEqual({
    code: 'wrong_phase', message: 'the cycle is in deliberation, not group_formation',
  });

  await play.deliberate();
  lap('deliberated');
  expect((await get(`/admin/cycles/${c}/groups/${online.id}/status`)).members).toBe(15);
  // A submission without context is refused by the group workflow (422), nothing stored.
  expect(await refused('post', `/admin/cycles/${c}/groups/${byKey.get('brussels')!.id}/submission`, { items: [{ title: 'T', text: 'X', context: ' ' }] })).toMatchObject({
    code: 'validation_failed',
  });

  await play.consolidate();
  lap('consolidated');
  // The public review is open: the document is published, boards wait for it to close. The close
  // answered once its projection was written; on FerretDB a concurrent write of the cycle
  // document can still replace it for a moment (an update rewrites the whole document): read
  // again for a few seconds, and say how long it took (CI once read `consolidation` under load).
  let doc = await get(`/admin/cycles/${c}/consolidated`, 'FR');
  for (let waited = 0; doc.phase !== 'public_review' && waited < 20_000; waited += 500) {
    await new Promise((r) => setTimeout(r, 500));
    doc = await get(`/admin/cycles/${c}/consolidated`, 'FR');
    if (doc.phase === 'public_review') console.warn(`the projection showed public_review ${waited + 500} ms after the close answered`);
  }
  expect(doc.phase).toBe('public_review');
  const titles = new Set(doc.recommendations.map((r: { title: string }) => r.title));
  expect(edition.consolidation.filter((p) => !titles.has(p.title)).map((p) => `${p.number} ${p.relation} ${p.title}`)).toEqual([]);
  expect(doc.recommendations).toHaveLength(53);
  const byTitle = new Map((doc.recommendations as { id: string; title: string; countries: string[]; lineage: { relation: string; groupId: string; original?: { title: string } }[] }[]).map((r) => [r.title, r]));
  for (const planned of edition.consolidation) {
    const r = byTitle.get(planned.title)!;
    expect({ title: planned.title, found: Boolean(r) }).toEqual({ title: planned.title, found: true });
    expect(new Set(r.lineage.map((l) => l.relation))).toEqual(new Set([planned.relation]));
    expect(r.lineage).toHaveLength(planned.sources.length);
    expect(r.lineage.every((l) => l.original?.title)).toBe(true);
    expect([...r.countries].sort()).toEqual([...planned.countries].sort());
  }
  const withdrawn = (await get(`/admin/cycles/${c}/consolidated?includeWithdrawn=true`)).recommendations.filter((r: { withdrawn: boolean }) => r.withdrawn);
  expect(withdrawn.length).toBeGreaterThan(0);
  const shared = byTitle.get('Individual support in the first year')!;
  // The boards start with the review (they see their scope) but decide only once it closes.
  const beScope = doc.recommendations.filter((r: { countries: string[] }) => r.countries.includes('BE')).length;
  for (let i = 0; ; i++) {
    const board = (await call(h, 'get', `/admin/cycles/${c}/boards/BE`, { key: keys.BE })).body;
    if (board.status === 'waiting' && board.scope === beScope) break;
    if (i > 100) throw new Error(`the BE board did not load its scope: ${JSON.stringify(board)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await refused('post', `/admin/cycles/${c}/boards/BE/decisions`, {
    recommendationId: shared.id, outcome: 'accept', motivation: { criteria: ['priorities'], text: 'Too early' },
  }, 'BE')).toEqual({ code: 'wrong_phase', message: expect.stringMatching(/public review/) });

  await play.review();
  lap('reviewed');
  await play.decide();
  await play.stopKeepingRoom();
  lap('decided');
  // Validators of the board: no new wording for a reformulation, an unknown recommendation, the other country.
  expect(await refused('post', `/admin/cycles/${c}/boards/FR/decisions`, {
    recommendationId: `${c}:c9999`, outcome: 'accept', motivation: { criteria: ['priorities'], text: 'x' },
  }, 'FR')).toMatchObject({ code: 'unknown_subject' });
  expect(await refused('post', `/admin/cycles/${c}/boards/FR/decisions`, {
    recommendationId: shared.id, outcome: 'reformulate', motivation: { criteria: ['priorities'], text: 'x' },
  }, 'BE')).toEqual({ code: 'forbidden', message: 'this key acts for the BE board only' });
  // Before its date, an assembly takes no result.
  const early = await call(h, 'post', `/admin/cycles/${c}/assemblies/FR/result`, { key: keys.FR, body: { mode: 'en_bloc', votes: { for: 1, against: 0, abstain: 0 } } });
  expect(early.status).toBe(409);
  expect(early.body.error.code).toBe('wrong_phase');

  await play.ratify();
  lap('ratified');
  await play.followUp();
  lap('follow-up');

  // --- The outcome, read back through the api ---------------------------------------------------
  const final = await get(`/admin/cycles/${c}/consolidated`);
  const sharedFinal = final.recommendations.find((r: { id: string }) => r.id === shared.id);
  expect(Object.fromEntries(sharedFinal.decisions.map((d: { country: string; outcome: string }) => [d.country, d.outcome]))).toEqual({ BE: 'accept', FR: 'reformulate' });
  const report = await get(`/admin/cycles/${c}/participation`, 'operator');
  expect(report.groups.total).toBe(18);
  expect(report.groups.byStatus).toEqual({ fallen_back: 2, no_recommendations: 1, closed: 15 });
  expect(report.meetings.total).toBe(edition.meetings.length);
  expect(report.meetings.joint).toBe(2);
  expect(report.recommendations.consolidated).toBe(53);
  for (const country of ['BE', 'FR']) {
    expect(Object.keys(report.recommendations.decisions[country]).sort()).toEqual(['accept', 'postpone', 'reformulate', 'refuse']);
  }
  const projects = await get(`/admin/cycles/${c}/projects`, 'operator');
  expect(projects.items.filter((p: { kind: string }) => p.kind === 'local_initiative')).toHaveLength(1);
  expect(projects.items.filter((p: { kind: string }) => p.kind === 'strategic_plan').length).toBe(play.state.projectIds.length);
  const progressed = await get(`/admin/projects/${play.state.projectIds[0]}`);
  expect(progressed.progress).toEqual([expect.objectContaining({ percent: 10 })]);

  // --- Operators: lists, the timeline with its links, the raw history ---------------------------
  const listed = await get(`/ops/workflows?kind=group&cycleId=${c}`, 'operator');
  expect(listed.items).toHaveLength(18);
  const timeline = await get(`/ops/cycles/${c}/timeline`, 'operator');
  const kinds = (k: string) => timeline.entries.filter((e: { kind: string }) => e.kind === k);
  expect(kinds('phase_entered').filter((e: { workflowId: string }) => e.workflowId === `cycle:${c}`).map((e: { summary: string }) => e.summary)).toEqual(
    ['preparation', 'group_formation', 'deliberation', 'consolidation', 'public_review', 'board_decisions', 'general_assembly', 'follow_up'].map((p) => `phase ${p} entered`),
  );
  expect(kinds('deadline_armed').some((e: { summary: string }) => e.summary.startsWith('formationOpensAt armed'))).toBe(true);
  expect(kinds('decision').some((e: { summary: string; actor?: { label: string } }) => e.summary === 'phase deliberation closed early' && e.actor?.label === 'test-staff (staff)')).toBe(true);
  expect(kinds('decision').some((e: { summary: string; actor?: { label: string } }) => /decisions recorded/.test(e.summary) && e.actor?.label === 'be-board-secretary (board_secretary BE)')).toBe(true);
  expect(kinds('decision').some((e: { summary: string; actor?: { label: string } }) => e.summary.startsWith('moderator approved') && e.actor?.label === 'member')).toBe(true);
  expect(kinds('mail_sent').some((e: { summary: string }) => e.summary.startsWith('approval_request'))).toBe(true);
  expect(kinds('mail_sent').some((e: { summary: string }) => e.summary.startsWith('public_review_invitation'))).toBe(true);
  expect(kinds('child_started').length).toBeGreaterThanOrEqual(18 + 4);
  expect(timeline.workflows.every((w: { webUiUrl: string }) => w.webUiUrl.startsWith(`${h.config.TEMPORAL_UI_URL}/namespaces/default/workflows/`))).toBe(true);
  const history = await call(h, 'get', `/ops/workflows/${encodeURIComponent(`cycle:${c}:board:BE`)}/history`, { key: keys.operator });
  expect(JSON.parse(history.text).events.length).toBeGreaterThan(10);

  // --- The document, exported -------------------------------------------------------------------
  const md = await call(h, 'get', `/admin/cycles/${c}/consolidated/export?format=markdown&lang=fr`, { key: keys.operator });
  expect(md.text.match(/^## \d+\. /gm)).toHaveLength(53);
  expect(md.text).toContain('**Conseil d’administration BE:** acceptée');
  expect(md.text).toContain('Assemblée générale: ratifiée');
  const html = await call(h, 'get', `/admin/cycles/${c}/consolidated/export?format=html&lang=nl`, { key: keys.BE });
  expect(html.text.match(/<article /g)).toHaveLength(53);
  expect(html.text).toContain('Herkomst');
  lap(`checked (${api.requests} requests by the play)`);
});
