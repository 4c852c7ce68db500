/**
 * Bad inputs on every route of the registry, table-driven, with the exact status and error body
 * (kept in the snapshot next to this file, so a change of any answer shows in review):
 * a missing field (empty body), a wrong type (a string instead of an object), a malformed path
 * id, an unknown query field. Unknown ids, wrong phases and validator answers are tested per
 * resource in the other files; wrong roles for every route in authorization.test.ts.
 */
import type { RouteDef } from '../../api/registry';
import { call, startApi, type ApiHarness } from './support';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h?.close();
});

const SAMPLE: Record<string, string> = {
  cycleId: 'c-1', groupId: 'g-1', themeId: 't-1', memberId: 'm-1', meetingId: 'mt-1', videoconferenceId: 'vc-1',
  projectId: 'p-1', keyId: 'k_0123456789abcdef', country: 'BE', deadline: 'submissionDeadline', phase: 'deliberation',
  date: 'boardDeadline', workflowId: encodeURIComponent('cycle:c-1'), recommendationId: encodeURIComponent('c-1:c1'),
};
const path = (route: RouteDef, override: Record<string, string> = {}) =>
  route.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => override[name] ?? SAMPLE[name]);
const strip = (res: { status: number; body: { requestId?: string } }) => {
  const { requestId, ...rest } = res.body;
  expect(requestId).toEqual(expect.any(String));
  return { status: res.status, ...rest };
};

const routes = (filter: (r: RouteDef) => boolean) => () => (h.app.locals.registry.routes as RouteDef[]).filter(filter);

test('when a body is empty, then every route with a body answers 400 naming each missing field', async () => {
  const answers: Record<string, unknown> = {};
  for (const route of routes((r) => Boolean(r.body) && r.bodyType !== 'text/csv')()) {
    answers[route.name] = strip(await call(h, route.method, path(route), { body: {} }));
  }
  // Bodies whose fields are all optional (a PATCH, a brief's lists) accept {} and reach the unknown cycle: 404.
  const notBadRequest = Object.entries(answers).filter(([, a]) => (a as { status: number }).status !== 400).map(([name]) => name);
  expect(notBadRequest).toEqual(['cycles.configure', 'themes.setBrief']);
  expect(answers).toMatchSnapshot();
});

test('when a body is an array instead of an object, then every route with a body answers 400 on `body`', async () => {
  for (const route of routes((r) => Boolean(r.body) && r.bodyType !== 'text/csv')()) {
    const res = await call(h, route.method, path(route), { body: [1] });
    expect([route.name, strip(res)]).toEqual([route.name, {
      status: 400,
      error: { code: 'validation_failed', message: 'the request is invalid', fields: [{ path: 'body', message: 'Invalid input: expected object, received array' }] },
    }]);
  }
});

test('when a path id is malformed, then every route with ids answers 400 naming the parameter', async () => {
  const answers: Record<string, unknown> = {};
  for (const route of routes((r) => Boolean(r.params))()) {
    const name = Object.keys(route.params!.shape)[0];
    answers[route.name] = strip(await call(h, route.method, path(route, { [name]: encodeURIComponent('bad id!') }), {
      key: route.access === 'public' ? null : 'staff',
      ...(route.method !== 'get' ? { body: {} } : {}),
    }));
  }
  for (const [name, answer] of Object.entries(answers)) expect([name, (answer as { status: number }).status]).toEqual([name, 400]);
  expect(answers).toMatchSnapshot();
});

test('when a query has an unknown field, then every route with a query answers 400 naming it', async () => {
  for (const route of routes((r) => Boolean(r.query) && r.method === 'get')()) {
    const res = await call(h, 'get', `${path(route)}?surprise=1`, { key: 'staff' });
    expect([route.name, res.status]).toEqual([route.name, 400]);
    expect(res.body.error.fields).toContainEqual({ path: 'query.surprise', message: 'unknown field' });
  }
});
