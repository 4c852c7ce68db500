/**
 * Content routes that do not need a running workflow: offices, cycles (create, configure, read),
 * themes and briefs, members (one and CSV), groups and moderators before the start, keys,
 * erasure, and the phase checks of meetings and videoconferences. For each: the happy path, a
 * missing field, a wrong type, an unknown id and a replayed Idempotency-Key, with exact answers.
 * Wrong roles are covered for every route by authorization.test.ts.
 */
import { call, cycleBody, daysFromNow, errorBody, startApi, uid, type ApiHarness } from './support';
import { sweepIdempotency } from '../../api/idempotency';

let h: ApiHarness;
const ctx = {
  cycleId: uid('cyc'),
  officeBE: uid('off-be'),
  officeFR: uid('off-fr'),
  themeBE: uid('th-be'),
  themeFR: uid('th-fr'),
  group: uid('grp'),
  member1: uid('m1'),
  member2: uid('m2'),
};

beforeAll(async () => {
  h = await startApi();
  for (const [id, country] of [[ctx.officeBE, 'BE'], [ctx.officeFR, 'FR']] as const) {
    expect((await call(h, 'post', '/admin/offices', { body: { id, city: `${id}-city`, country } })).status).toBe(201);
  }
  expect((await call(h, 'post', '/admin/cycles', { body: cycleBody(ctx.cycleId) })).status).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

describe('offices', () => {
  test('when an office is created, then it is listed; the same id again conflicts', async () => {
    const id = uid('off');
    const res = await call(h, 'post', '/admin/offices', { body: { id, city: 'Namur', country: 'BE' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id, city: 'Namur', country: 'BE' });
    const list = await call(h, 'get', '/admin/offices?country=BE');
    expect(list.body.items).toContainEqual({ id, city: 'Namur', country: 'BE' });
    const again = await call(h, 'post', '/admin/offices', { body: { id, city: 'Elsewhere', country: 'BE' } });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(errorBody('conflict', `office ${id} or Elsewhere (BE) already exists`));
  });

  test.each([
    ['missing field', { city: 'X', country: 'BE' }, [{ path: 'body.id', message: 'required' }]],
    ['wrong type', { id: 'x1', city: 42, country: 'BE' }, [{ path: 'body.city', message: 'Invalid input: expected string, received number' }]],
    ['bad country and unknown field', { id: 'x2', city: 'X', country: 'be', extra: 1 }, [
      { path: 'body.country', message: 'an ISO 3166-1 alpha-2 code in upper case, e.g. BE' },
      { path: 'body.extra', message: 'unknown field' },
    ]],
  ])('when the body has a %s, then 400 names each field', async (_, body, fields) => {
    const res = await call(h, 'post', '/admin/offices', { body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorBody('validation_failed', 'the request is invalid', fields));
  });

  test('when the body is not JSON, then 400 says so', async () => {
    const res = await fetch(`${h.baseUrl}/admin/offices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keys.staff}`, 'content-type': 'application/json' },
      body: '{"id": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(errorBody('validation_failed', 'the request body is not valid JSON', [{ path: 'body', message: 'not valid JSON' }]));
  });

  test('when a create is retried with the same Idempotency-Key, then the first answer comes back and nothing is written twice', async () => {
    const id = uid('off');
    const key = uid('idem');
    const body = { id, city: `${id}-c`, country: 'FR' };
    const first = await call(h, 'post', '/admin/offices', { body, idempotencyKey: key });
    const second = await call(h, 'post', '/admin/offices', { body, idempotencyKey: key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await h.models.Office.countDocuments({ _id: id })).toBe(1);
    expect(await h.models.Audit.countDocuments({ action: 'office.create', subject: id })).toBe(1);
    const reused = await call(h, 'post', '/admin/offices', { body: { ...body, city: 'Other' }, idempotencyKey: key });
    expect(reused.status).toBe(422);
    expect(reused.body).toEqual(errorBody('idempotency_key_reused', 'this Idempotency-Key was already used for a different request'));
  });

  test('when a request is refused, then its Idempotency-Key is released and nothing is stored', async () => {
    const key = uid('idem');
    const bad = await call(h, 'post', '/admin/offices', { body: { id: 'bad id!', city: 'X', country: 'BE' }, idempotencyKey: key });
    expect(bad.status).toBe(400);
    const id = uid('off');
    const good = await call(h, 'post', '/admin/offices', { body: { id, city: `${id}-c`, country: 'BE' }, idempotencyKey: key });
    expect(good.status).toBe(201);
  });

  test('when an Idempotency-Key record expires, then the sweep deletes it and the key acts again (no TTL on FerretDB)', async () => {
    const key = uid('idem');
    const first = await call(h, 'post', '/admin/offices', { body: { id: uid('off'), city: uid('c'), country: 'BE' }, idempotencyKey: key });
    expect(first.status).toBe(201);
    const recordId = `${h.keyIds.staff}:${key}`;
    await h.models.Idempotency.updateOne({ _id: recordId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await sweepIdempotency(h.models)).toBeGreaterThanOrEqual(1);
    expect(await h.models.Idempotency.countDocuments({ _id: recordId })).toBe(0);
    const other = await call(h, 'post', '/admin/offices', { body: { id: uid('off'), city: uid('c'), country: 'FR' }, idempotencyKey: key });
    expect(other.status).toBe(201);
  });

  test('when a request with a key is still in progress, then a retry is 409; a claim left by a crash is taken over', async () => {
    const key = uid('idem');
    const body = { id: uid('off'), city: uid('c'), country: 'BE' };
    const { requestHash } = await import('../../api/idempotency');
    const claim = { _id: `${h.keyIds.staff}:${key}`, requestHash: requestHash('POST', '/admin/offices', body), state: 'in_progress' as const, expiresAt: new Date(Date.now() + 86_400_000) };
    await h.models.Idempotency.create({ ...claim, createdAt: new Date() });
    const busy = await call(h, 'post', '/admin/offices', { body, idempotencyKey: key });
    expect(busy.status).toBe(409);
    expect(busy.body).toEqual(errorBody('conflict', 'a request with this Idempotency-Key is still in progress; retry shortly'));
    await h.models.Idempotency.updateOne({ _id: claim._id }, { $set: { createdAt: new Date(Date.now() - 10 * 60_000) } });
    const taken = await call(h, 'post', '/admin/offices', { body, idempotencyKey: key });
    expect(taken.status).toBe(201);
  });

  test('when the Idempotency-Key is not printable ASCII, then 400 names the header', async () => {
    const res = await call(h, 'post', '/admin/offices', { body: { id: uid('o'), city: 'Y', country: 'BE' }, headers: { 'idempotency-key': ' '.repeat(3) } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([{ path: 'headers.idempotency-key', message: '1 to 200 visible ASCII characters' }]);
  });

  test('when a write succeeds, then the audit trail records the key id as actor and its owner', async () => {
    const id = uid('off');
    await call(h, 'post', '/admin/offices', { body: { id, city: `${id}-c`, country: 'BE' } });
    const audit = await h.models.Audit.findOne({ action: 'office.create', subject: id }).lean();
    expect(audit?.actor).toEqual({ kind: 'staff', id: h.keyIds.staff });
    expect(audit?.details).toMatchObject({ keyOwner: 'test-staff' });
  });
});

describe('cycles', () => {
  test('when a cycle is created with local dates, then they are stored as instants in each zone', async () => {
    const id = uid('cyc');
    const body = cycleBody(id, {
      dates: {
        formationOpensAt: '2031-09-16',
        formationDeadline: '2031-10-31',
        submissionDeadline: '2032-03-31T18:00',
        approvalDeadline: '2032-04-24',
        publicReviewOpensAt: '2032-05-04T09:00',
        publicReviewClosesAt: '2032-05-29',
      },
      countries: [
        { country: 'BE', timeZone: 'Europe/Brussels', languages: ['nl', 'fr'], boardDeadline: '2032-06-12', assemblyDate: '2032-06-19T10:00' },
        { country: 'FR', timeZone: 'Europe/Paris', languages: ['fr'], boardDeadline: '2032-06-12T23:00+02:00', assemblyDate: '2032-06-26T10:00' },
      ],
    });
    const res = await call(h, 'post', '/admin/cycles', { body });
    expect(res.status).toBe(201);
    expect(res.body.deadlines).toEqual({
      formationOpensAt: '2031-09-15T22:00:00.000Z', // start of day, Brussels summer time
      formationDeadline: '2031-10-31T22:59:59.999Z', // end of day, winter time
      submissionDeadline: '2032-03-31T16:00:00.000Z',
      approvalDeadline: '2032-04-24T21:59:59.999Z',
      publicReviewOpensAt: '2032-05-04T07:00:00.000Z',
      publicReviewClosesAt: '2032-05-29T21:59:59.999Z',
    });
    expect(res.body.countries[1]).toMatchObject({ boardDeadline: '2032-06-12T21:00:00.000Z', assemblyDate: '2032-06-26T08:00:00.000Z' });
    expect(res.body).toMatchObject({ id, status: 'draft', projection: { phase: 'preparation', consolidationVersion: 0 } });
    expect(res.body.policies).toEqual({
      minGroupSize: 5, undersizedGroup: 'online_fallback', silenceAtApprovalDeadline: 'tacit_approval', reminderOffsetsDays: [14, 3], progressRequestEveryDays: 90,
    });
    const read = await call(h, 'get', `/admin/cycles/${id}`, { key: 'operator' });
    expect(read.body).toEqual(res.body);
  });

  test('when dates are in the past or out of order, then 400 names each date', async () => {
    const body = cycleBody(uid('cyc'));
    body.dates.formationOpensAt = '2020-01-01';
    body.dates.approvalDeadline = body.dates.formationDeadline;
    (body.countries[0] as { assemblyDate: string }).assemblyDate = daysFromNow(215);
    const res = await call(h, 'post', '/admin/cycles', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields).toEqual([
      { path: 'body.dates.formationOpensAt', message: '2019-12-31T23:00:00.000Z is in the past' },
      { path: 'body.dates.approvalDeadline', message: expect.stringMatching(/^must be after submissionDeadline/) },
      { path: 'body.countries.0.assemblyDate', message: expect.stringMatching(/^must be after boardDeadline/) },
    ]);
    expect(await h.models.Cycle.countDocuments({ _id: body.id })).toBe(0);
  });

  type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a cycle body mutated per case
  test.each([
    ['missing field', (b: Body) => { delete b.dates; }, [{ path: 'body.dates', message: 'required' }]],
    ['wrong type', (b: Body) => { b.policies = { minGroupSize: 'five' }; }, [{ path: 'body.policies.minGroupSize', message: 'Invalid input: expected number, received string' }]],
    ['unknown time zone', (b: Body) => { b.countries[1].timeZone = 'Europe/Atlantis'; }, [{ path: 'body.countries.1.timeZone', message: 'unknown IANA time zone Europe/Atlantis' }]],
    ['country twice', (b: Body) => { b.countries[1].country = 'BE'; }, [{ path: 'body.countries.1.country', message: 'BE appears twice' }]],
    ['bad date form', (b: Body) => { b.dates.submissionDeadline = '31/03/2030'; }, [{ path: 'body.dates.submissionDeadline', message: 'a date (2020-03-31), a local date-time (2020-03-31T18:00) or an instant with offset' }]],
  ])('when the cycle has a %s, then 400 names it', async (_, change, fields) => {
    const body = cycleBody(uid('cyc'));
    change(body);
    const res = await call(h, 'post', '/admin/cycles', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual(fields);
  });

  test('when the same id or label is used again, then 409', async () => {
    const res = await call(h, 'post', '/admin/cycles', { body: cycleBody(ctx.cycleId) });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(errorBody('conflict', `a cycle with id ${ctx.cycleId} or label label ${ctx.cycleId} already exists`));
  });

  test('when a draft is configured, then its policies and dates change; an unknown cycle is 404', async () => {
    const id = uid('cyc');
    await call(h, 'post', '/admin/cycles', { body: cycleBody(id) });
    const res = await call(h, 'patch', `/admin/cycles/${id}`, { body: { policies: { minGroupSize: 4, undersizedGroup: 'cancel' } } });
    expect(res.status).toBe(200);
    expect(res.body.policies).toMatchObject({ minGroupSize: 4, undersizedGroup: 'cancel', silenceAtApprovalDeadline: 'tacit_approval' });
    const onlyDates = await call(h, 'patch', `/admin/cycles/${id}`, { body: { dates: cycleBody(id).dates } });
    expect(onlyDates.status).toBe(400);
    expect(onlyDates.body.error.fields).toEqual([{ path: 'body.countries', message: 'required when changing dates or countries' }]);
    const missing = await call(h, 'patch', '/admin/cycles/nope-404', { body: { label: 'x' } });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(errorBody('not_found', 'cycle nope-404 does not exist', undefined, { entity: 'cycle', id: 'nope-404' }));
  });

  test('when cycles are listed, then the new ones are there; status of a draft is 409 (not running)', async () => {
    const list = await call(h, 'get', '/admin/cycles', { key: 'secretaryFR' });
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(ctx.cycleId);
    const status = await call(h, 'get', `/admin/cycles/${ctx.cycleId}/status`);
    expect(status.status).toBe(409);
    expect(status.body).toEqual(errorBody('wrong_phase', `workflow cycle:${ctx.cycleId} is not running (not started yet, or already finished)`, undefined, { workflowId: `cycle:${ctx.cycleId}` }));
  });

  test('when a cycle without themes is started, then 409 names the countries without theme', async () => {
    const id = uid('cyc');
    await call(h, 'post', '/admin/cycles', { body: cycleBody(id) });
    const res = await call(h, 'post', `/admin/cycles/${id}/start`);
    expect(res.status).toBe(409);
    expect(res.body).toEqual(errorBody('conflict', 'no theme yet for BE, FR'));
  });
});

describe('themes and briefs', () => {
  test('when themes are added with briefs, then they are listed; the brief can be replaced', async () => {
    const brief = { ongoingProjects: ['Smart Academy'], legalConstraints: ['Social security status'], financialConstraints: [] };
    const be = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/themes`, {
      body: { id: ctx.themeBE, country: 'BE', code: 'gender', title: { nl: 'Gendergelijkheid', fr: 'Égalité de genre' }, brief },
    });
    expect(be.status).toBe(201);
    expect(be.body).toEqual({
      id: ctx.themeBE, cycleId: ctx.cycleId, country: 'BE', code: 'gender',
      title: { nl: 'Gendergelijkheid', fr: 'Égalité de genre' }, brief,
    });
    const fr = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/themes`, {
      body: { id: ctx.themeFR, country: 'FR', code: 'launch', title: { fr: 'Lancer mon activité' } },
    });
    expect(fr.status).toBe(201);
    expect(fr.body.brief).toEqual({ ongoingProjects: [], legalConstraints: [], financialConstraints: [] });
    const put = await call(h, 'put', `/admin/cycles/${ctx.cycleId}/themes/${ctx.themeFR}/brief`, {
      body: { ongoingProjects: ['Workshops'], legalConstraints: ['CAE status'], financialConstraints: ['10 % contribution'], notes: 'Ask early' },
    });
    expect(put.status).toBe(200);
    expect(put.body.brief.notes).toBe('Ask early');
    const list = await call(h, 'get', `/admin/cycles/${ctx.cycleId}/themes`, { key: 'operator' });
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([ctx.themeBE, ctx.themeFR]);
  });

  test.each([
    ['missing field', { id: 't-x', country: 'BE', code: 'x' }, 400, [{ path: 'body.title', message: 'required' }]],
    ['wrong type', { id: 't-x', country: 'BE', code: 'x', title: 'Gender' }, 400, [{ path: 'body.title', message: 'Invalid input: expected object, received string' }]],
    ['empty title', { id: 't-x', country: 'BE', code: 'x', title: {} }, 400, [{ path: 'body.title', message: 'at least one of nl, fr, en' }]],
  ])('when the theme has a %s, then %s', async (_, body, status, fields) => {
    const res = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/themes`, { body });
    expect(res.status).toBe(status);
    expect(res.body.error.fields).toEqual(fields);
  });

  test('when the cycle or the theme is unknown, then 404; a country outside the cycle, 409', async () => {
    const noCycle = await call(h, 'post', '/admin/cycles/nope-404/themes', { body: { id: 't-y', country: 'BE', code: 'y', title: { nl: 'Y' } } });
    expect(noCycle.body).toEqual(errorBody('not_found', 'cycle nope-404 does not exist', undefined, { entity: 'cycle', id: 'nope-404' }));
    const noTheme = await call(h, 'put', `/admin/cycles/${ctx.cycleId}/themes/nope-404/brief`, { body: { ongoingProjects: [] } });
    expect(noTheme.status).toBe(404);
    expect(noTheme.body).toEqual(errorBody('not_found', 'theme nope-404 does not exist', undefined, { entity: 'theme', id: 'nope-404' }));
    const lu = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/themes`, { body: { id: 't-lu', country: 'LU', code: 'y', title: { fr: 'Y' } } });
    expect(lu.status).toBe(409);
    expect(lu.body).toEqual(errorBody('conflict', `cycle ${ctx.cycleId} does not include country LU`));
  });
});

describe('members', () => {
  test('when a member is created, then it can be read; the same address again conflicts (any case)', async () => {
    const res = await call(h, 'post', '/admin/members', {
      body: { id: ctx.member1, name: 'Anouk Verbeke', email: `${ctx.member1}@test.smart.example`, language: 'nl', country: 'BE', officeId: ctx.officeBE },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: ctx.member1, name: 'Anouk Verbeke', email: `${ctx.member1}@test.smart.example`, language: 'nl', country: 'BE',
      officeId: ctx.officeBE, erased: false, unsubscribed: false,
    });
    expect((await call(h, 'get', `/admin/members/${ctx.member1}`)).body).toEqual(res.body);
    const dup = await call(h, 'post', '/admin/members', {
      body: { name: 'Someone', email: `${ctx.member1.toUpperCase()}@TEST.smart.example`, language: 'fr', country: 'BE' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual(errorBody('conflict', 'a member with this id or email address already exists'));
    await call(h, 'post', '/admin/members', {
      body: { id: ctx.member2, name: 'Amélie Dubois', email: `${ctx.member2}@test.smart.example`, language: 'fr', country: 'BE', officeId: ctx.officeBE },
    });
  });

  test.each([
    ['missing field', { name: 'A', language: 'nl', country: 'BE' }, 400, 'validation_failed', [{ path: 'body.email', message: 'required' }]],
    ['wrong type', { name: 'A', email: 'not-an-address', language: 'de', country: 'BE' }, 400, 'validation_failed', [
      { path: 'body.email', message: 'Invalid email address' },
      { path: 'body.language', message: 'Invalid option: expected one of "nl"|"fr"|"en"' },
    ]],
  ])('when a member has a %s, then 400', async (_, body, status, code, fields) => {
    const res = await call(h, 'post', '/admin/members', { body });
    expect(res.status).toBe(status);
    expect(res.body).toEqual(errorBody(code, 'the request is invalid', fields));
  });

  test('when the office is unknown or in another country, then 404 / 400', async () => {
    const unknown = await call(h, 'post', '/admin/members', { body: { name: 'A', email: `${uid('a')}@test.smart.example`, language: 'fr', country: 'FR', officeId: 'nope-404' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(errorBody('not_found', 'office nope-404 does not exist', undefined, { entity: 'office', id: 'nope-404' }));
    const other = await call(h, 'post', '/admin/members', { body: { name: 'A', email: `${uid('a')}@test.smart.example`, language: 'fr', country: 'FR', officeId: ctx.officeBE } });
    expect(other.status).toBe(400);
    expect(other.body.error.fields).toEqual([{ path: 'body.officeId', message: `office ${ctx.officeBE} is in BE, not FR` }]);
  });

  test('when an unknown member is read, then 404', async () => {
    const res = await call(h, 'get', '/admin/members/nope-404');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(errorBody('not_found', 'member nope-404 does not exist', undefined, { entity: 'member', id: 'nope-404' }));
  });

  test('when a CSV is imported, then every row is created; sent again, they count as existing', async () => {
    const domain = `${uid('csv')}.test.smart.example`;
    const officeCity = `${ctx.officeFR}-city`;
    const csv = [
      'name;email;language;country;office',
      `Agathe Bernard;agathe@${domain};fr;FR;${officeCity}`,
      `"Bastien Morel";bastien@${domain};fr;FR;${ctx.officeFR}`,
      `Lotte Peeters;lotte@${domain};nl;BE;`,
    ].join('\r\n');
    const first = await call(h, 'post', '/admin/members/import', { raw: csv });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ rows: 3, created: 3, existing: 0 });
    const again = await call(h, 'post', '/admin/members/import', { raw: csv });
    expect(again.body).toEqual({ rows: 3, created: 0, existing: 3 });
    const page = await call(h, 'get', `/admin/members?officeId=${ctx.officeFR}`);
    expect(page.body.items.map((m: { name: string }) => m.name).sort()).toEqual(['Agathe Bernard', 'Bastien Morel']);
  });

  test('when CSV rows are wrong, then 400 lists each bad row by line and nothing is imported', async () => {
    const domain = `${uid('csv')}.test.smart.example`;
    const csv = [
      'name,email,language,country,office',
      `Good One,good@${domain},fr,BE,`,
      `,noname@${domain},fr,BE,`,
      `Bad Mail,not-an-address,fr,BE,`,
      `Bad Lang,lang@${domain},de,BE,`,
      `Dup,good@${domain},fr,BE,`,
      `No Office,office@${domain},fr,BE,Atlantis`,
    ].join('\n');
    const res = await call(h, 'post', '/admin/members/import', { raw: csv });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorBody('validation_failed', '5 row(s) are wrong; nothing was imported', [
      { path: 'rows.3.name', message: 'required' },
      { path: 'rows.4.email', message: 'not an email address' },
      { path: 'rows.5.language', message: 'one of nl, fr, en' },
      { path: 'rows.6.email', message: 'same address as line 2' },
      { path: 'rows.7.office', message: 'unknown office Atlantis' },
    ]));
    expect(await h.models.Member.countDocuments({ email: `good@${domain}` })).toBe(0);
  });

  test('when the CSV header or shape is wrong, then 400 says what', async () => {
    const header = await call(h, 'post', '/admin/members/import', { raw: 'name,mail,language\nA,a@b.example,fr\n' });
    expect(header.body.error.fields).toEqual([
      { path: 'columns.email', message: 'missing column' },
      { path: 'columns.country', message: 'missing column' },
      { path: 'columns.mail', message: 'unknown column (expected name, email, language, country, office, id)' },
    ]);
    const shape = await call(h, 'post', '/admin/members/import', { raw: 'name,email,language,country\nA,a@b.example,fr\n' });
    expect(shape.body.error.fields).toEqual([{ path: 'rows.2', message: 'this row has a different number of columns than the header' }]);
    const json = await call(h, 'post', '/admin/members/import', { body: { csv: 'x' } });
    expect(json.status).toBe(400);
    expect(json.body.error.fields).toEqual([{ path: 'body', message: 'send the CSV with Content-Type: text/csv' }]);
  });

  test('when a member is erased, then their data is blank and erasing again changes nothing', async () => {
    const id = uid('m');
    await call(h, 'post', '/admin/members', { body: { id, name: 'To Erase', email: `${id}@test.smart.example`, language: 'en', country: 'BE' } });
    const res = await call(h, 'post', `/admin/members/${id}/erase`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ memberId: id, erased: true });
    expect((await call(h, 'get', `/admin/members/${id}`)).body).toMatchObject({ name: 'erased member', email: '', erased: true });
    expect((await call(h, 'post', `/admin/members/${id}/erase`)).body).toEqual({ memberId: id, erased: false });
    const unknown = await call(h, 'post', '/admin/members/nope-404/erase');
    expect(unknown.body).toEqual(errorBody('not_found', 'member nope-404 does not exist', undefined, { entity: 'member', id: 'nope-404' }));
  });
});

describe('groups before the start', () => {
  test('when a group is added with a moderator and members, then it is listed with its count', async () => {
    const res = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/groups`, {
      body: { id: ctx.group, themeId: ctx.themeBE, kind: 'office', officeId: ctx.officeBE },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: ctx.group, cycleId: ctx.cycleId, themeId: ctx.themeBE, kind: 'office', officeId: ctx.officeBE,
      moderatorAccepted: false, status: 'forming', submissionVersion: 0, approval: { status: 'not_requested' }, memberCount: 0,
    });
    const mod = await call(h, 'put', `/admin/cycles/${ctx.cycleId}/groups/${ctx.group}/moderator`, { body: { memberId: ctx.member1 } });
    expect(mod.status).toBe(200);
    expect(mod.body.moderatorMemberId).toBe(ctx.member1);
    const add = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/groups/${ctx.group}/members`, { body: { memberIds: [ctx.member2, ctx.member1] } });
    expect(add.body).toEqual({ added: 1, already: 1 });
    const members = await call(h, 'get', `/admin/cycles/${ctx.cycleId}/groups/${ctx.group}/members`);
    expect(members.body.items).toEqual([
      { memberId: ctx.member1, role: 'moderator', confirmed: false },
      { memberId: ctx.member2, role: 'member', confirmed: false },
    ].sort((a, b) => `${ctx.group}:${a.memberId}`.localeCompare(`${ctx.group}:${b.memberId}`)));
    const list = await call(h, 'get', `/admin/cycles/${ctx.cycleId}/groups`, { key: 'operator' });
    expect(list.body.items.find((g: { id: string }) => g.id === ctx.group).memberCount).toBe(2);
  });

  test.each([
    ['missing field', { id: 'g-x', kind: 'office', officeId: 'x' }, [{ path: 'body.themeId', message: 'required' }]],
    ['wrong type', { id: 'g-x', themeId: 'x', kind: 'hybrid' }, [{ path: 'body.kind', message: 'Invalid option: expected one of "office"|"online"' }]],
    ['office group without office', { id: 'g-x', themeId: 'x', kind: 'office' }, [{ path: 'body.officeId', message: 'an office group needs officeId' }]],
  ])('when a group has a %s, then 400', async (_, body, fields) => {
    const res = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/groups`, { body });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual(fields);
  });

  test('when the theme, member or group is unknown, then 404 names it', async () => {
    const theme = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/groups`, { body: { id: uid('g'), themeId: 'nope-404', kind: 'online' } });
    expect(theme.body).toEqual(errorBody('not_found', 'theme nope-404 does not exist', undefined, { entity: 'theme', id: 'nope-404' }));
    const member = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/groups/${ctx.group}/members`, { body: { memberIds: ['nope-404'] } });
    expect(member.body).toEqual(errorBody('not_found', 'member nope-404 does not exist', undefined, { entity: 'member', id: 'nope-404' }));
    const group = await call(h, 'put', `/admin/cycles/${ctx.cycleId}/groups/nope-404/moderator`, { body: { memberId: ctx.member1 } });
    expect(group.body).toEqual(errorBody('not_found', 'group nope-404 does not exist', undefined, { entity: 'group', id: 'nope-404' }));
  });

  test('when a meeting is recorded before formation, then 409 wrong_phase and nothing is stored', async () => {
    const res = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/groups/${ctx.group}/meetings`, {
      body: { startsAt: '2030-01-10T19:00', mode: 'in_person', attendeeMemberIds: [ctx.member1] },
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(errorBody('wrong_phase', `recording a meeting is possible during group_formation, deliberation, consolidation; cycle ${ctx.cycleId} is in preparation`, undefined, { phase: 'preparation' }));
    expect(await h.models.Meeting.countDocuments({ groupId: ctx.group })).toBe(0);
  });

  test('when a videoconference is scheduled before consolidation, then 409 wrong_phase', async () => {
    const res = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/videoconferences`, {
      body: { title: { fr: 'Revue publique 1' }, startsAt: daysFromNow(30), durationMinutes: 90, joinUrl: 'https://meet.example.org/r1' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('wrong_phase');
    const bad = await call(h, 'post', `/admin/cycles/${ctx.cycleId}/videoconferences`, {
      body: { title: { fr: 'x' }, startsAt: daysFromNow(30), durationMinutes: 90, joinUrl: 'http://insecure.example.org' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([{ path: 'body.joinUrl', message: 'an https:// URL' }]);
  });
});

describe('reads with nothing yet', () => {
  test('when the document, participation and projects are read for a fresh cycle, then they are empty', async () => {
    const doc = await call(h, 'get', `/admin/cycles/${ctx.cycleId}/consolidated`, { key: 'secretaryBE' });
    expect(doc.body).toEqual({ cycleId: ctx.cycleId, label: `label ${ctx.cycleId}`, phase: 'preparation', version: 0, recommendations: [] });
    const md = await call(h, 'get', `/admin/cycles/${ctx.cycleId}/consolidated/export?format=markdown&lang=fr`);
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(md.text).toContain('Pas encore de recommandations.');
    const badFormat = await call(h, 'get', `/admin/cycles/${ctx.cycleId}/consolidated/export?format=pdf&lang=de`);
    expect(badFormat.body.error.fields).toEqual([
      { path: 'query.format', message: 'Invalid option: expected one of "markdown"|"html"' },
      { path: 'query.lang', message: 'Invalid option: expected one of "nl"|"fr"' },
    ]);
    const report = await call(h, 'get', `/admin/cycles/${ctx.cycleId}/participation`, { key: 'operator' });
    expect(report.body.groups.total).toBe(1);
    expect(report.body.meetings.total).toBe(0);
    const projects = await call(h, 'get', `/admin/cycles/${ctx.cycleId}/projects?kind=local_initiative`);
    expect(projects.body).toEqual({ items: [] });
  });
});

describe('keys', () => {
  test('when a board secretary key is created, then its token works once and only its hash is stored', async () => {
    const res = await call(h, 'post', '/admin/keys', { body: { role: 'board_secretary', owner: 'be-secretary', country: 'BE' } });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^k_[a-f0-9]{16}\.[A-Za-z0-9_-]{43}$/);
    const stored = await h.models.ApiKey.findById(res.body.key.id).lean();
    expect(JSON.stringify(stored)).not.toContain(res.body.token.split('.')[1]);
    expect((await call(h, 'get', '/admin/cycles', { key: res.body.token })).status).toBe(200);
    const list = await call(h, 'get', '/admin/keys');
    expect(list.body.items).toContainEqual(res.body.key);
    expect(JSON.stringify(list.body)).not.toMatch(/hash/);
  });

  test.each([
    ['missing field', { role: 'operator' }, [{ path: 'body.owner', message: 'required' }]],
    ['wrong type', { role: 'admin', owner: 'x' }, [{ path: 'body.role', message: 'Invalid option: expected one of "staff"|"board_secretary"|"operator"' }]],
    ['secretary without country', { role: 'board_secretary', owner: 'x' }, [{ path: 'body.country', message: 'a board secretary key needs a country' }]],
  ])('when a key has a %s, then 400', async (_, body, fields) => {
    const res = await call(h, 'post', '/admin/keys', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual(fields);
  });

  test('when an unknown key is revoked, then 404; a malformed id, 400', async () => {
    expect((await call(h, 'post', '/admin/keys/k_ffffffffffffffff/revoke')).body).toEqual(errorBody('not_found', 'API key k_ffffffffffffffff does not exist', undefined, { entity: 'API key', id: 'k_ffffffffffffffff' }));
    expect((await call(h, 'post', '/admin/keys/nope/revoke')).status).toBe(400);
  });
});

describe('unknown paths and request ids', () => {
  test('when a path is unknown, then 404 in the same error shape; the request id comes back', async () => {
    const res = await call(h, 'get', '/admin/nothing-here', { headers: { 'x-request-id': 'req-123' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'no route for GET /admin/nothing-here' }, requestId: 'req-123' });
    expect(res.headers.get('x-request-id')).toBe('req-123');
    const generated = await call(h, 'get', '/health', { key: null, headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
