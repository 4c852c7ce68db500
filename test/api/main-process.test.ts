/**
 * The api process as `npm start` runs it: listens on API_HOST:API_PORT, answers /ready, stops
 * cleanly on SIGTERM; a port in use is named.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { connectTestDatabase, type TestDatabase } from '../support/mongo';

jest.setTimeout(60_000);
const root = path.resolve(__dirname, '../..');
let db: TestDatabase;

beforeAll(async () => {
  db = await connectTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function startApiProcess(port: number): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: root,
    env: { ...process.env, MONGODB_URI: db.uri, API_HOST: '127.0.0.1', API_PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

test('when the api process starts, then it is ready; SIGTERM stops it cleanly', async () => {
  const port = await freePort();
  const api = startApiProcess(port);
  const deadline = Date.now() + 40_000;
  let ready = 0;
  while (Date.now() < deadline) {
    ready = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.status, () => 0);
    if (ready === 200) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(ready).toBe(200);
  const first = JSON.parse(api.output().split('\n').find((l) => l.includes('api listening'))!);
  expect(first).toMatchObject({ level: 30, service: 'api', msg: 'api listening', docs: `http://127.0.0.1:${port}/docs` });
  api.child.kill('SIGTERM');
  expect(await api.exited).toBe(0);
  expect(api.output()).toContain('api stopped');
});

test('when the port is in use, then the process says which and exits 1', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as AddressInfo;
  const api = startApiProcess(port);
  expect(await api.exited).toBe(1);
  expect(api.output()).toContain(`port ${port} on 127.0.0.1 is in use (API_PORT)`);
  await new Promise<void>((resolve) => blocker.close(() => resolve()));
});
