/**
 * The operator command line against the real servers: the first staff key is created from the
 * terminal (printed once, only its hash stored) and works against the api; keys are listed and
 * revoked; cycles are listed through visibility with readable tables.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { call, startApi, type ApiHarness } from './support';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
let h: ApiHarness;

beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h?.close();
});

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, MONGODB_URI: h.db.uri, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

test('when the first staff key is created from the CLI, then its token (printed once) works and can be revoked', async () => {
  const created = await cli('keys', 'create', '--role', 'staff', '--owner', 'cooperative-life-team');
  expect(created.code).toBe(0);
  const token = /^\s+(k_[a-f0-9]{16}\.[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
  expect(token).toBeDefined();
  expect(created.stdout).toContain('cooperative-life-team');
  expect((await call(h, 'get', '/admin/keys', { key: token })).status).toBe(200);

  const listed = await cli('keys', 'list');
  const keyId = token!.split('.')[0];
  expect(listed.stdout).toContain(keyId);
  expect(listed.stdout).not.toContain(token!.split('.')[1]);

  const revoked = await cli('keys', 'revoke', keyId);
  expect(revoked.stdout).toContain(`revoked ${keyId}`);
  expect((await call(h, 'get', '/admin/keys', { key: token })).status).toBe(401);
  expect(await h.models.Audit.countDocuments({ action: { $in: ['key.create', 'key.revoke'] }, 'actor.id': 'cli' })).toBe(2);
}, 120_000);

test('when a board secretary key lacks its country, then the CLI says so and exits 1', async () => {
  const res = await cli('keys', 'create', '--role', 'board_secretary', '--owner', 'x');
  expect(res.code).toBe(1);
  expect(res.stderr).toContain('a board secretary key needs --country');
}, 60_000);

test('when cycles are listed, then a table of the visibility query comes out', async () => {
  const res = await cli('cycles', 'list', '--phase', 'deliberation');
  expect(res.code).toBe(0);
  expect(res.stdout).toContain("query: SipKind='cycle' AND SipPhase='deliberation' AND ExecutionStatus != 'ContinuedAsNew'");
  expect(res.stdout).toMatch(/workflow id\s+│ status/);
}, 60_000);

test('when the demo script runs against the api, then the 2019-2020 edition is loaded and started through HTTP only', async () => {
  const cycleId = `demo-${Date.now().toString(36)}`;
  const env = { ...process.env, SIP_API_KEY: h.keys.staff, SIP_API_URL: h.baseUrl };
  let out: { stdout: string; stderr: string };
  try {
    out = await run(process.execPath, ['--import', 'tsx', 'scripts/demo-2019-2020.ts', '--cycle', cycleId], { cwd: root, env, timeout: 90_000 });
  } catch (err) {
    throw new Error(`demo failed: ${(err as { stderr: string }).stderr}`);
  }
  expect(out.stdout).toContain('demo: members: 127 created');
  expect(out.stdout).toContain('demo: started: ');
  const cycle = await call(h, 'get', `/admin/cycles/${cycleId}`, { key: 'operator' });
  expect(cycle.body.countries.map((c: { country: string }) => c.country)).toEqual(['BE', 'FR']);
  expect((await call(h, 'get', `/admin/cycles/${cycleId}/groups`, { key: 'operator' })).body.items).toHaveLength(17);
  await h.temporal.workflow.getHandle(`cycle:${cycleId}`).terminate('test over');
  // Run again: every step replays its first answer (same Idempotency-Keys); nothing is done twice.
  const members = async () => (await call(h, 'get', '/admin/members?limit=1')).body.total;
  const before = await members();
  const again = await run(process.execPath, ['--import', 'tsx', 'scripts/demo-2019-2020.ts', '--cycle', cycleId], { cwd: root, env, timeout: 90_000 });
  expect(again.stdout).toContain('exists already');
  expect(again.stdout).toContain('demo: members: 127 created, 0 already there'); // the first answer, replayed
  expect(await members()).toBe(before);
  expect((await call(h, 'get', `/admin/cycles/${cycleId}/groups`, { key: 'operator' })).body.items).toHaveLength(17);
}, 180_000);
