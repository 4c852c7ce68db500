/**
 * The authorization matrix: every role (no key, staff, BE and FR board secretaries, operator)
 * against every route of the registry, with the exact status and body when access is refused.
 * Allowed calls carry no valid body, so they stop at validation or at an unknown id: nothing is
 * written.
 */
import { call, startApi, type ApiHarness, type KeyName } from './support';
import type { RouteDef } from '../../api/registry';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h?.close();
});

const SAMPLE: Record<string, string> = {
  cycleId: 'authz-cycle',
  groupId: 'authz-group',
  themeId: 'authz-theme',
  memberId: 'authz-member',
  meetingId: 'authz-meeting',
  videoconferenceId: 'authz-vc',
  projectId: 'authz-project',
  keyId: 'k_0123456789abcdef',
  country: 'BE',
  deadline: 'submissionDeadline',
  phase: 'deliberation',
  date: 'boardDeadline',
  workflowId: encodeURIComponent('cycle:authz-cycle'),
};

function concretePath(route: RouteDef, country = 'BE'): string {
  return route.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => (name === 'country' ? country : SAMPLE[name]));
}

type Who = 'none' | KeyName;
const WHO: Who[] = ['none', 'staff', 'secretaryBE', 'secretaryFR', 'operator'];
const ROLE_OF: Record<KeyName, string> = { staff: 'staff', secretaryBE: 'board_secretary', secretaryFR: 'board_secretary', operator: 'operator' };

function expected(route: RouteDef, who: Who): 'public' | 401 | 403 | 'allowed' {
  if (route.access === 'public') return 'public';
  if (who === 'none') return 401;
  const role = ROLE_OF[who];
  if (!route.access.roles.includes(role as never)) return 403;
  if (role === 'board_secretary' && route.access.country) {
    // Paths name BE: the BE secretary may, the FR secretary may not.
    return who === 'secretaryBE' ? 'allowed' : 403;
  }
  return 'allowed';
}

test('when every role calls every route, then access follows the declared roles and countries', async () => {
  const routes: RouteDef[] = h.app.locals.registry.routes;
  const failures: string[] = [];
  const rows: string[] = [];
  for (const route of routes) {
    const path = concretePath(route);
    const cells: string[] = [];
    for (const who of WHO) {
      const res = await call(h, route.method, path, {
        key: who === 'none' ? null : who,
        ...(route.method !== 'get' ? { body: {} } : {}),
      });
      const want = expected(route, who);
      cells.push(`${who}:${res.status}`);
      const ok =
        want === 401
          ? res.status === 401 && res.body.error?.code === 'unauthenticated'
          : want === 403
            ? res.status === 403 && res.body.error?.code === 'forbidden'
            : ![401, 403].includes(res.status) && res.status < 500;
      if (!ok) failures.push(`${route.method.toUpperCase()} ${path} as ${who}: got ${res.status} ${res.text.slice(0, 200)}, want ${want}`);
    }
    rows.push(`${route.name.padEnd(32)} ${cells.join('  ')}`);
  }
  if (process.env.SHOW_MATRIX) console.log(rows.join('\n'));
  expect(failures).toEqual([]);
});

test('when a board secretary acts on the other country, then the answer is 403 with the reason', async () => {
  const res = await call(h, 'post', '/admin/cycles/authz-cycle/boards/FR/decisions', { key: 'secretaryBE', body: {} });
  expect(res.status).toBe(403);
  expect(res.body).toEqual({
    error: { code: 'forbidden', message: 'this key acts for the BE board only' },
    requestId: expect.any(String),
  });
});

test('when the key is missing, malformed, unknown or revoked, then the answer is 401 with the same shape', async () => {
  const none = await call(h, 'get', '/admin/cycles', { key: null });
  expect(none.status).toBe(401);
  expect(none.body).toEqual({
    error: { code: 'unauthenticated', message: 'a valid API key is required (Authorization: Bearer <keyId>.<secret>)' },
    requestId: expect.any(String),
  });
  const malformed = await call(h, 'get', '/admin/cycles', { key: 'not-a-key' });
  expect(malformed.status).toBe(401);
  expect(malformed.body.error).toEqual({
    code: 'unauthenticated',
    message: 'malformed API key; expected Authorization: Bearer <keyId>.<secret>',
  });
  const [keyId] = h.keys.operator.split('.');
  const wrongSecret = await call(h, 'get', '/admin/cycles', { key: `${keyId}.${'A'.repeat(43)}` });
  expect(wrongSecret.status).toBe(401);
  expect(wrongSecret.body.error).toEqual({ code: 'unauthenticated', message: 'unknown or revoked API key' });
  const unknown = await call(h, 'get', '/admin/cycles', { key: `k_ffffffffffffffff.${'A'.repeat(43)}` });
  expect(unknown.body.error).toEqual({ code: 'unauthenticated', message: 'unknown or revoked API key' });

  const created = await call(h, 'post', '/admin/keys', { body: { role: 'operator', owner: 'to-revoke' } });
  expect(created.status).toBe(201);
  expect((await call(h, 'get', '/admin/cycles', { key: created.body.token })).status).toBe(200);
  const revoked = await call(h, 'post', `/admin/keys/${created.body.key.id}/revoke`);
  expect(revoked.status).toBe(200);
  expect(revoked.body.revokedAt).toEqual(expect.any(String));
  const after = await call(h, 'get', '/admin/cycles', { key: created.body.token });
  expect(after.status).toBe(401);
  expect(after.body.error).toEqual({ code: 'unauthenticated', message: 'unknown or revoked API key' });
});

test('when an operator tries any write, then it is refused before validation (read-only role)', async () => {
  const routes: RouteDef[] = h.app.locals.registry.routes;
  const writes = routes.filter((r) => r.method !== 'get');
  expect(writes.length).toBeGreaterThan(30);
  for (const route of writes) {
    const res = await call(h, route.method, concretePath(route), { key: 'operator', body: {} });
    expect([route.name, res.status]).toEqual([route.name, 403]);
  }
});
