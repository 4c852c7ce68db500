/**
 * How `npm start` launches the worker and the API (scripts/stack/dev-apps.ts): the entry's node
 * flags on the command line, its own environment under the caller's (so a user's value wins),
 * and the worker's entry carrying the settings of worker/node-flags.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appEntries, startApp } from '../../scripts/stack/dev-apps';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../../worker/node-flags';

const root = path.resolve(__dirname, '../..');

test('the worker is started with the flags and environment of worker/node-flags.ts', () => {
  expect(appEntries.find((a) => a.name === 'worker')).toMatchObject({ nodeFlags: WORKER_NODE_FLAGS, env: WORKER_PROCESS_ENV });
});

test('an app process gets its node flags and its own environment, under the values the caller sets', async () => {
  const dir = mkdtempSync(path.join(process.env.SIP_TEST_RUN_DIR ?? path.join(root, '.test-data'), 'dev-apps-'));
  const probe = path.join(dir, 'probe.mjs');
  writeFileSync(probe, 'console.log(JSON.stringify({ arena: process.env.MALLOC_ARENA_MAX, threshold: process.env.MALLOC_MMAP_THRESHOLD_, execArgv: process.execArgv }));\n');
  const { MALLOC_ARENA_MAX: _arena, MALLOC_MMAP_THRESHOLD_: _threshold, ...inherited } = process.env;
  const app = startApp(
    { name: 'probe', file: probe, nodeFlags: ['--max-semi-space-size=8'], env: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } },
    { ...inherited, MALLOC_MMAP_THRESHOLD_: '65536' },
    dir,
  );
  expect(await app.exited).toBe('exited with code 0');
  const line = readFileSync(path.join(dir, 'probe.log'), 'utf8').trim().split('\n').pop()!;
  const seen = JSON.parse(line) as { arena?: string; threshold?: string; execArgv: string[] };
  expect(seen.arena).toBe('2');
  expect(seen.threshold).toBe('65536'); // the caller's value wins over the app's
  expect(seen.execArgv).toEqual(expect.arrayContaining(['--max-semi-space-size=8']));
});
