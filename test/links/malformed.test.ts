/**
 * Links that are not links: each malformed input with its exact answer, and nothing written.
 * Brute force: failed answers are rate-limited per client (429); members' own clicks are not.
 */
import { createModels, type Models } from '../../domain/models';
import { useTestDatabase } from '../support/mongo';
import { connectDevServer, type DevServer } from '../support/temporal';
import { get, post, raw, startLinkApp, token, type Answer, type LinkApp } from './helpers';

const db = useTestDatabase();
let models: Models;
let dev: DevServer;
let app: LinkApp;

beforeAll(async () => {
  models = createModels(db().connection);
  dev = await connectDevServer();
  app = await startLinkApp({ models, temporalClient: dev.client });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await dev?.close();
});

const HEADINGS = ['Deze link kan niet gebruikt worden', 'Ce lien ne peut pas être utilisé', 'This link cannot be used'];
/** The neutral answer: 404 and the same three-language page for every refusal. */
function expectNeutral(a: Answer): void {
  expect(a.status).toBe(404);
  for (const h of HEADINGS) expect(a.body).toContain(`<h1>${h}</h1>`);
  expect(a.headers.get('cache-control')).toBe('no-store');
}

const valid = () => token({ actions: ['confirm_membership'], workflowId: 'cycle:c1:group:g1', subjectId: 'g1', memberId: 'm1' });

describe('malformed links', () => {
  test('when the token is empty, then GET and POST give the neutral 404', async () => {
    expectNeutral(await get(`${app.url}/l/`));
    expectNeutral(await get(`${app.url}/l`));
    expectNeutral(await post(`${app.url}/l/`, { action: 'confirm_membership' }));
  });

  test('when the token is truncated, has one character changed, or an extra segment, then the neutral 404', async () => {
    const t = valid();
    expectNeutral(await get(`${app.url}/l/${t.slice(0, -1)}`));
    expectNeutral(await get(`${app.url}/l/${t.slice(0, 60)}`));
    expectNeutral(await get(`${app.url}/l/${t.slice(0, 30)}X${t.slice(31)}`));
    expectNeutral(await post(`${app.url}/l/${t.slice(0, -2)}`, { action: 'confirm_membership' }));
    expectNeutral(await get(`${app.url}/l/${t}/extra`));
  });

  test('when the token is 10 kB, then the neutral 404; when it is 1 MB, then Node refuses the request line with 431', async () => {
    expectNeutral(await get(`${app.url}/l/${'A'.repeat(10_000)}`));
    const huge = await raw(app.url, { path: `/l/${'A'.repeat(1024 * 1024)}` });
    expect(huge.status).toBe(431);
  });

  test('when the token carries a NUL byte or other encoded bytes, then the neutral 404', async () => {
    const t = valid();
    expectNeutral(await get(`${app.url}/l/${t}%00`));
    expectNeutral(await get(`${app.url}/l/%00${t}`));
    expectNeutral(await get(`${app.url}/l/${t.slice(0, 50)}%0d%0aSet-Cookie:x=1`));
    expectNeutral(await get(`${app.url}/l/..%2f..%2fadmin`));
  });

  test('when operators are smuggled in the query, the form or JSON, then the neutral 404 and nothing is read as an operator', async () => {
    expectNeutral(await get(`${app.url}/l/?token[$ne]=`));
    expectNeutral(await get(`${app.url}/l/?token%5B%24ne%5D=x`));
    expectNeutral(await post(`${app.url}/l/`, { 'token[$ne]': '' }));
    expectNeutral(await post(`${app.url}/l/${'A'.repeat(60)}`, { 'action[$ne]': 'x', 'token[$gt]': '' }));
    const json = (path: string, body: unknown) =>
      get(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expectNeutral(await json('/l/', { token: { $ne: null } }));
    expectNeutral(await json(`/l/${'A'.repeat(60)}`, { $where: 'return true', action: 'confirm_membership' }));
    // A valid link whose action arrives as an operator object is refused too (never a default).
    expectNeutral(await json(`/l/${valid()}`, { action: { $ne: null } }));
    // `action[$ne]=x` is a field with an odd name, not an operator: a link that needs a choice asks again.
    const approval = token({ actions: ['approve_consolidation', 'request_change'], workflowId: 'cycle:c1:group:g1', subjectId: 'g1', memberId: 'm1', version: '2' });
    expect((await post(`${app.url}/l/${approval}`, { 'action[$ne]': 'x' })).status).toBe(422);
  });

  test('when the form body is larger than the page ever sends, then the neutral 404', async () => {
    expectNeutral(await post(`${app.url}/l/${valid()}`, { action: 'confirm_membership', note: 'x'.repeat(20_000) }));
  });

  test('when all that was tried, then nothing was written', async () => {
    expect(await models.LinkUse.countDocuments()).toBe(0);
    expect(await models.LinkRecent.countDocuments()).toBe(0);
    expect(app.logger.lines.some((l) => JSON.stringify(l).includes(valid().slice(0, 20)))).toBe(false);
  });
});

describe('brute force', () => {
  test('when one client sends 31 unknown links within a minute, then the 31st and everything after it get 429, even a valid link', async () => {
    const limited = await startLinkApp({ models, temporalClient: dev.client, rateLimit: 30 });
    try {
      for (let i = 0; i < 30; i++) expectNeutral(await get(`${limited.url}/l/${'A'.repeat(50)}${i}`));
      const blocked = await get(`${limited.url}/l/${'B'.repeat(60)}`);
      expect(blocked.status).toBe(429);
      expect(blocked.body).toContain('<h1>Too many attempts</h1>');
      expect(blocked.body).toContain('<h1>Trop de tentatives</h1>');
      expect(blocked.headers.get('ratelimit-policy')).toContain('q=30; w=60');
      expect((await get(`${limited.url}/l/${valid()}`)).status).toBe(429);
      expect((await post(`${limited.url}/l/${valid()}`, { action: 'confirm_membership' })).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  test('when a member opens their own valid link many times, then they are never rate-limited', async () => {
    const limited = await startLinkApp({ models, temporalClient: dev.client, rateLimit: 5 });
    try {
      const url = `${limited.url}/l/${valid()}`;
      for (let i = 0; i < 12; i++) expect((await get(url)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
