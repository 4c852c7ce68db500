/**
 * Content the api writes during a running cycle, gated by the phase the cycle workflow projects
 * to MongoDB: meetings and attendance, the consolidated document (create, merge, split, reword,
 * withdraw, with lineage) and its exports, videoconferences, local initiatives. The projection and
 * the submitted originals are written here as the workflows' activities would (this file tests
 * the routes; the scenario test drives the workflows themselves).
 */
import { call, cycleBody, daysFromNow, errorBody, startApi, uid, type ApiHarness } from './support';
import type { Phase } from '../../domain/types';

let h: ApiHarness;
const c = uid('cyc');
const ids = {
  officeA: uid('off-nantes'),
  officeB: uid('off-lyon'),
  officeHost: uid('off-host'),
  theme: uid('th-launch'),
  otherTheme: uid('th-coop'),
  groupA: uid('grp-nantes'),
  groupB: uid('grp-lyon'),
  groupC: uid('grp-lille'),
};
const members = Array.from({ length: 6 }, (_, i) => uid(`m${i}`));

async function setPhase(phase: Phase, status: 'running' | 'draft' = 'running'): Promise<void> {
  await h.models.Cycle.updateOne({ _id: c }, { $set: { status, 'projection.phase': phase }, $inc: { 'projection.seq': 1 } });
}

beforeAll(async () => {
  h = await startApi({ taskQueue: uid('tq') });
  for (const [id, city] of [[ids.officeA, 'Nantes'], [ids.officeB, 'Lyon'], [ids.officeHost, 'Montpellier']]) {
    await call(h, 'post', '/admin/offices', { body: { id, city: `${city}-${id}`, country: 'FR' } });
  }
  await call(h, 'post', '/admin/cycles', { body: cycleBody(c) });
  await call(h, 'post', `/admin/cycles/${c}/themes`, { body: { id: ids.theme, country: 'FR', code: 'launch', title: { fr: 'Lancer mon activité', nl: 'Mijn activiteit lanceren' } } });
  await call(h, 'post', `/admin/cycles/${c}/themes`, { body: { id: ids.otherTheme, country: 'FR', code: 'coop', title: { fr: 'Exister en coopérative' } } });
  for (const [id, office, theme] of [[ids.groupA, ids.officeA, ids.theme], [ids.groupB, ids.officeB, ids.theme], [ids.groupC, ids.officeA, ids.otherTheme]]) {
    expect((await call(h, 'post', `/admin/cycles/${c}/groups`, { body: { id, themeId: theme, kind: 'office', officeId: office } })).status).toBe(201);
  }
  for (const [i, id] of members.entries()) {
    await call(h, 'post', '/admin/members', { body: { id, name: `Member ${i}`, email: `${id}@test.smart.example`, language: 'fr', country: 'FR' } });
  }
  await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupA}/members`, { body: { memberIds: members.slice(0, 3) } });
  await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupB}/members`, { body: { memberIds: members.slice(3, 6) } });
  // What the group workflows store when groups submit (the originals, kept for lineage).
  const now = new Date();
  const original = (groupId: string, n: number, title: string) => ({
    _id: `${groupId}:v1:${n}`, cycleId: c, groupId, submissionVersion: 1, position: n, title, text: `${title}: the text.`,
    context: `${title}: the context.`, superseded: false, submittedAt: now,
  });
  await h.models.Recommendation.insertMany([
    original(ids.groupA, 1, 'Shared accounting help'),
    original(ids.groupA, 2, 'Peer mentoring <script>alert(1)</script>'),
    original(ids.groupB, 1, 'Accounting help in every office'),
    original(ids.groupB, 2, 'Clear cost of services'),
  ]);
});
afterAll(async () => {
  await h?.close();
});

describe('meetings during deliberation', () => {
  test('when a joint online meeting is recorded, then both groups list it and attendance counts', async () => {
    await setPhase('deliberation');
    const res = await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupA}/meetings`, {
      body: {
        startsAt: '2030-03-20T19:00', mode: 'online', jointWithGroupIds: [ids.groupB],
        attendeeMemberIds: [members[0], members[1], members[4]], guestCount: 1, notes: 'Joint videoconference',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      groupId: ids.groupA, startsAt: '2030-03-20T18:00:00.000Z', mode: 'online', jointWithGroupIds: [ids.groupB], attendance: 4,
    });
    const listed = await call(h, 'get', `/admin/cycles/${c}/groups/${ids.groupB}/meetings`, { key: 'operator' });
    expect(listed.body.items.map((m: { id: string }) => m.id)).toEqual([res.body.id]);
    const inPerson = await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupA}/meetings`, {
      body: { id: uid('mt'), startsAt: '2030-01-10T18:30', mode: 'in_person', attendeeMemberIds: [members[0]], officeId: ids.officeHost },
    });
    expect(inPerson.status).toBe(201);
    expect(inPerson.body.officeId).toBe(ids.officeHost);
    const attendance = await call(h, 'put', `/admin/cycles/${c}/groups/${ids.groupA}/meetings/${inPerson.body.id}/attendance`, {
      body: { attendeeMemberIds: members.slice(0, 3), guestCount: 2 },
    });
    expect(attendance.body.attendance).toBe(5);
    const report = await call(h, 'get', `/admin/cycles/${c}/participation`, { key: 'operator' });
    expect(report.body.meetings).toEqual({
      total: 2, byMode: { online: 1, in_person: 1 }, joint: 1, distinctParticipants: 4,
      attendance: {
        in_person: { meetings: 1, attendees: 3, guests: 2, averagePerMeeting: 5 },
        online: { meetings: 1, attendees: 3, guests: 1, averagePerMeeting: 4 },
      },
    });
  });

  test.each([
    ['missing field', { mode: 'online' }, 400, 'validation_failed', [{ path: 'body.startsAt', message: 'required' }]],
    ['wrong type', { startsAt: '2030-01-01T10:00', mode: 'hybrid', guestCount: 'two' }, 400, 'validation_failed', [
      { path: 'body.mode', message: 'Invalid option: expected one of "in_person"|"online"' },
      { path: 'body.guestCount', message: 'Invalid input: expected number, received string' },
    ]],
  ])('when a meeting has a %s, then 400', async (_, body, status, code, fields) => {
    const res = await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupA}/meetings`, { body });
    expect(res.status).toBe(status);
    expect(res.body).toEqual(errorBody(code, 'the request is invalid', fields));
  });

  test('when an attendee is not in the groups, or the joint group is on another theme, then 400 names it', async () => {
    const outsider = await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupA}/meetings`, {
      body: { startsAt: '2030-01-10T18:30', mode: 'in_person', attendeeMemberIds: [members[0], members[5]] },
    });
    expect(outsider.status).toBe(400);
    expect(outsider.body.error.fields).toEqual([{ path: 'body.attendeeMemberIds.1', message: `member ${members[5]} is not in ${ids.groupA}` }]);
    const otherTheme = await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupA}/meetings`, {
      body: { startsAt: '2030-01-10T18:30', mode: 'online', jointWithGroupIds: [ids.groupC] },
    });
    expect(otherTheme.body.error.fields).toEqual([{ path: 'body.jointWithGroupIds', message: `group ${ids.groupC} works on another theme` }]);
    const unknown = await call(h, 'get', `/admin/cycles/${c}/groups/nope-404/meetings`);
    expect(unknown.status).toBe(404);
  });

  test('when a meeting is recorded with the same Idempotency-Key twice, then one meeting exists', async () => {
    const key = uid('idem');
    const body = { startsAt: '2030-02-01T18:00', mode: 'in_person', attendeeMemberIds: [members[3]] };
    const first = await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupB}/meetings`, { body, idempotencyKey: key });
    const again = await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupB}/meetings`, { body, idempotencyKey: key });
    expect(again.body).toEqual(first.body);
    expect(await h.models.Meeting.countDocuments({ _id: first.body.id })).toBe(1);
  });
});

describe('the consolidated document', () => {
  const made: Record<string, string> = {};

  test('when consolidation has not started, then edits are refused with 409 wrong_phase', async () => {
    await setPhase('deliberation');
    const res = await call(h, 'post', `/admin/cycles/${c}/consolidated`, { body: { fromRecommendationIds: [`${ids.groupA}:v1:1`] } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(errorBody('wrong_phase', `the consolidated document can be edited during consolidation; cycle ${c} is in deliberation`, undefined, { phase: 'deliberation' }));
    expect(await h.models.Consolidated.countDocuments({ cycleId: c })).toBe(0);
  });

  test('when originals are taken over, merged, split, reworded and withdrawn, then lineage follows every step', async () => {
    await setPhase('consolidation');
    const a1 = await call(h, 'post', `/admin/cycles/${c}/consolidated`, { body: { fromRecommendationIds: [`${ids.groupA}:v1:1`] } });
    expect(a1.status).toBe(201);
    expect(a1.body).toMatchObject({ number: 1, title: 'Shared accounting help', countries: ['FR'], lineage: [{ recommendationId: `${ids.groupA}:v1:1`, groupId: ids.groupA, relation: 'verbatim' }] });
    const b1 = await call(h, 'post', `/admin/cycles/${c}/consolidated`, { body: { fromRecommendationIds: [`${ids.groupB}:v1:1`] } });
    const merged = await call(h, 'post', `/admin/cycles/${c}/consolidated/merge`, {
      body: { ids: [a1.body.id, b1.body.id], wording: { title: 'Accounting help for every member', text: 'One accounting help desk per office, shared online.' } },
    });
    expect(merged.status).toBe(201);
    expect(merged.body.lineage).toEqual([
      { recommendationId: `${ids.groupA}:v1:1`, groupId: ids.groupA, relation: 'merged' },
      { recommendationId: `${ids.groupB}:v1:1`, groupId: ids.groupB, relation: 'merged' },
    ]);
    made.merged = merged.body.id;
    const withdrawnSource = await call(h, 'get', `/admin/cycles/${c}/consolidated?includeWithdrawn=true`);
    expect(withdrawnSource.body.recommendations.find((r: { id: string }) => r.id === a1.body.id).withdrawn).toBe(true);

    const b2 = await call(h, 'post', `/admin/cycles/${c}/consolidated`, { body: { fromRecommendationIds: [`${ids.groupB}:v1:2`], wording: { title: 'Clear cost of services', text: 'Publish the cost of each shared service.', countries: ['BE', 'FR'] } } });
    expect(b2.body.countries).toEqual(['BE', 'FR']);
    const split = await call(h, 'post', `/admin/cycles/${c}/consolidated/${b2.body.id}/split`, {
      body: { parts: [{ title: 'Cost of services: BE', text: 'Publish it in Belgium.', countries: ['BE'] }, { title: 'Cost of services: FR', text: 'Publish it in France.', countries: ['FR'] }] },
    });
    expect(split.status).toBe(201);
    expect(split.body.items.map((d: { lineage: { relation: string }[] }) => d.lineage[0].relation)).toEqual(['split', 'split']);
    made.splitFR = split.body.items[1].id;

    const a2 = await call(h, 'post', `/admin/cycles/${c}/consolidated`, { body: { fromRecommendationIds: [`${ids.groupA}:v1:2`] } });
    const reworded = await call(h, 'patch', `/admin/cycles/${c}/consolidated/${a2.body.id}`, { body: { text: 'Pair every new member with a mentor.' } });
    expect(reworded.status).toBe(200);
    expect(reworded.body).toMatchObject({ revision: 2, lineage: [{ relation: 'reworded' }] });
    made.reworded = a2.body.id;

    const extra = await call(h, 'post', `/admin/cycles/${c}/consolidated`, { body: { fromRecommendationIds: [`${ids.groupB}:v1:1`], wording: { title: 'Duplicate', text: 'To withdraw' } } });
    const withdrawn = await call(h, 'post', `/admin/cycles/${c}/consolidated/${extra.body.id}/withdraw`, { body: { reason: 'Duplicate of the merged one' } });
    expect(withdrawn.body).toMatchObject({ withdrawn: true, withdrawnReason: 'Duplicate of the merged one' });

    const doc = await call(h, 'get', `/admin/cycles/${c}/consolidated`, { key: 'secretaryFR' });
    expect(doc.body.recommendations.map((r: { id: string }) => r.id)).toEqual([made.merged, ...split.body.items.map((d: { id: string }) => d.id), made.reworded]);
    const merged2 = doc.body.recommendations[0];
    expect(merged2.lineage[1]).toMatchObject({ office: `Lyon-${ids.officeB}`, theme: { fr: 'Lancer mon activité' }, original: { title: 'Accounting help in every office' } });
  });

  test.each([
    ['missing field', 'merge', { ids: ['x:c1', 'x:c2'] }, [{ path: 'body.wording', message: 'required' }]],
    ['wrong type', 'merge', { ids: 'x:c1', wording: { title: 'T', text: 'X' } }, [{ path: 'body.ids', message: 'Invalid input: expected array, received string' }]],
    ['too few ids', 'merge', { ids: ['x:c1'], wording: { title: 'T', text: 'X' } }, [{ path: 'body.ids', message: 'Too small: expected array to have >=2 items' }]],
  ])('when a merge has a %s, then 400', async (_, action, body, fields) => {
    const res = await call(h, 'post', `/admin/cycles/${c}/consolidated/${action}`, { body });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual(fields);
  });

  test('when an id is unknown, then 404 names it; a bad id form is 400', async () => {
    const original = await call(h, 'post', `/admin/cycles/${c}/consolidated`, { body: { fromRecommendationIds: [`${ids.groupA}:v1:9`] } });
    expect(original.status).toBe(404);
    expect(original.body).toEqual(errorBody('not_found', `recommendation ${ids.groupA}:v1:9 does not exist`, undefined, { entity: 'recommendation', id: `${ids.groupA}:v1:9` }));
    const reword = await call(h, 'patch', `/admin/cycles/${c}/consolidated/${c}:c999`, { body: { title: 'x' } });
    expect(reword.status).toBe(404);
    expect(reword.body.error).toMatchObject({ code: 'not_found', entity: 'consolidated recommendation', id: `${c}:c999` });
    const bad = await call(h, 'patch', `/admin/cycles/${c}/consolidated/not-an-id`, { body: { title: 'x' } });
    expect(bad.body.error.fields).toEqual([{ path: 'params.recommendationId', message: 'a consolidated recommendation id, e.g. sip-2019-2020:c12' }]);
  });

  test('when a merge is retried with the same Idempotency-Key, then the first result comes back and nothing is merged twice', async () => {
    const x = await call(h, 'post', `/admin/cycles/${c}/consolidated`, { body: { fromRecommendationIds: [`${ids.groupA}:v1:1`], wording: { title: 'X', text: 'x' } } });
    const y = await call(h, 'post', `/admin/cycles/${c}/consolidated`, { body: { fromRecommendationIds: [`${ids.groupB}:v1:1`], wording: { title: 'Y', text: 'y' } } });
    const key = uid('idem');
    const body = { ids: [x.body.id, y.body.id], wording: { title: 'X and Y', text: 'both' } };
    const first = await call(h, 'post', `/admin/cycles/${c}/consolidated/merge`, { body, idempotencyKey: key });
    const again = await call(h, 'post', `/admin/cycles/${c}/consolidated/merge`, { body, idempotencyKey: key });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await h.models.Consolidated.countDocuments({ cycleId: c, title: 'X and Y' })).toBe(1);
    // Without the key, the sources have left the document: a second merge is a conflict.
    const conflict = await call(h, 'post', `/admin/cycles/${c}/consolidated/merge`, { body });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual(errorBody('conflict', 'a recommendation to merge has already left the document'));
    await call(h, 'post', `/admin/cycles/${c}/consolidated/${first.body.id}/withdraw`, { body: { reason: 'test only' } });
  });

  test('when the document is exported, then Markdown and HTML in nl and fr show lineage and decisions, with user text escaped', async () => {
    // A decision as the board workflow stores it.
    await h.models.Consolidated.updateOne({ _id: made.splitFR }, {
      $push: { decisions: { country: 'FR', outcome: 'postpone', motivation: { criteria: ['priorities'], text: 'Next year.' }, postponeTo: { kind: 'next_cycle' }, decidedBy: h.keyIds.secretaryFR, decidedAt: new Date(), revision: 1 } },
    });
    const mdFr = await call(h, 'get', `/admin/cycles/${c}/consolidated/export?format=markdown&lang=fr`, { key: 'operator' });
    expect(mdFr.status).toBe(200);
    expect(mdFr.text).toContain('# Smart in Progress : recommandations consolidées');
    expect(mdFr.text).toContain('### Origine');
    expect(mdFr.text).toContain('fusionnée');
    expect(mdFr.text).toContain('**Conseil d’administration FR:** reportée (Reportée à la prochaine édition)');
    expect(mdFr.text).toContain('Peer mentoring \\<script\\>alert(1)\\</script\\>');
    const htmlNl = await call(h, 'get', `/admin/cycles/${c}/consolidated/export?format=html&lang=nl`, { key: 'secretaryBE' });
    expect(htmlNl.headers.get('content-type')).toContain('text/html');
    expect(htmlNl.text).toContain('<html lang="nl">');
    expect(htmlNl.text).toContain('Herkomst');
    expect(htmlNl.text).toContain('uitgesteld');
    expect(htmlNl.text).toContain('Peer mentoring &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(htmlNl.text).not.toContain('<script>');
    expect(htmlNl.text).not.toMatch(/(src|href)="https?:/);
  });

  test('when consolidation is over, then edits are refused again', async () => {
    await setPhase('public_review');
    const res = await call(h, 'patch', `/admin/cycles/${c}/consolidated/${made.reworded}`, { body: { title: 'Too late' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('wrong_phase');
  });
});

describe('videoconferences', () => {
  test('when one is scheduled, changed and cancelled, then its ICS sequence rises each time and its UID stays', async () => {
    await setPhase('public_review');
    const res = await call(h, 'post', `/admin/cycles/${c}/videoconferences`, {
      body: { title: { fr: 'Revue publique 1', nl: 'Publieke bespreking 1' }, startsAt: daysFromNow(20), durationMinutes: 90, joinUrl: 'https://meet.example.org/r1' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sequence: 0, cancelled: false, durationMinutes: 90 });
    const changed = await call(h, 'patch', `/admin/cycles/${c}/videoconferences/${res.body.id}`, { body: { durationMinutes: 120 } });
    expect(changed.body).toMatchObject({ sequence: 1, uid: res.body.uid, durationMinutes: 120 });
    const cancelled = await call(h, 'post', `/admin/cycles/${c}/videoconferences/${res.body.id}/cancel`);
    expect(cancelled.body).toMatchObject({ sequence: 2, uid: res.body.uid, cancelled: true });
    const again = await call(h, 'post', `/admin/cycles/${c}/videoconferences/${res.body.id}/cancel`);
    expect(again.body.sequence).toBe(2);
    const change = await call(h, 'patch', `/admin/cycles/${c}/videoconferences/${res.body.id}`, { body: { durationMinutes: 60 } });
    expect(change.status).toBe(409);
    expect(change.body).toEqual(errorBody('conflict', `videoconference ${res.body.id} is cancelled`));
    const list = await call(h, 'get', `/admin/cycles/${c}/videoconferences`, { key: 'operator' });
    expect(list.body.items[0]).toMatchObject({ id: res.body.id, rsvp: { yes: 0, no: 0, maybe: 0 } });
  });

  test('when the time is in the past, a field is missing or the id unknown, then 400 / 404', async () => {
    const past = await call(h, 'post', `/admin/cycles/${c}/videoconferences`, {
      body: { title: { fr: 'x' }, startsAt: '2020-05-10T19:00', durationMinutes: 60, joinUrl: 'https://meet.example.org/x' },
    });
    expect(past.body.error.fields).toEqual([{ path: 'body.startsAt', message: '2020-05-10T17:00:00.000Z is in the past' }]);
    const missing = await call(h, 'post', `/admin/cycles/${c}/videoconferences`, { body: { title: { fr: 'x' }, startsAt: daysFromNow(3), joinUrl: 'https://meet.example.org/x' } });
    expect(missing.body.error.fields).toEqual([{ path: 'body.durationMinutes', message: 'required' }]);
    const unknown = await call(h, 'patch', `/admin/cycles/${c}/videoconferences/nope-404`, { body: { durationMinutes: 60 } });
    expect(unknown.body).toEqual(errorBody('not_found', 'videoconference nope-404 does not exist', undefined, { entity: 'videoconference', id: 'nope-404' }));
  });
});

describe('local initiatives', () => {
  test('when a group records a local initiative, then it is a project with its follow-up workflow', async () => {
    const res = await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupA}/initiatives`, {
      body: { title: 'Monthly members’ breakfast', description: 'Nantes office, first Friday', ownerMemberId: members[0] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'local_initiative', groupId: ids.groupA, officeId: ids.officeA, country: 'FR', status: 'active' });
    const handle = h.temporal.workflow.getHandle(`project:${res.body.id}`);
    expect((await handle.describe()).type).toBe('followUpWorkflow');
    await handle.terminate('test done');
    const list = await call(h, 'get', `/admin/cycles/${c}/projects?kind=local_initiative`, { key: 'operator' });
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([res.body.id]);
    const one = await call(h, 'get', `/admin/projects/${res.body.id}`, { key: 'secretaryFR' });
    expect(one.body.title).toBe('Monthly members’ breakfast');
  });

  test('when the owner is unknown or the title missing, then 404 / 400 and nothing is started', async () => {
    const owner = await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupA}/initiatives`, { body: { title: 'x', ownerMemberId: 'nope-404' } });
    expect(owner.body).toEqual(errorBody('not_found', 'member nope-404 does not exist', undefined, { entity: 'member', id: 'nope-404' }));
    const title = await call(h, 'post', `/admin/cycles/${c}/groups/${ids.groupA}/initiatives`, { body: { description: 'x' } });
    expect(title.body.error.fields).toEqual([{ path: 'body.title', message: 'required' }]);
    expect(await h.models.Project.countDocuments({ cycleId: c })).toBe(1);
  });
});
