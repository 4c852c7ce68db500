/**
 * Logs are JSON lines (pino) carrying the request id, never an API key or a link token.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createApiKey } from '../../api/auth';
import { temporalConnectionOptions } from '../../api/temporal';
import { loadConfig } from '../../config';
import { createModels } from '../../domain/models';
import { connectTestDatabase, type TestDatabase } from '../support/mongo';

let db: TestDatabase;
let server: Server;
let url: string;
let token: string;
const lines: string[] = [];

beforeAll(async () => {
  db = await connectTestDatabase();
  const models = createModels(db.connection);
  const config = loadConfig({ ...process.env, MONGODB_URI: db.uri });
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const temporalClient = new Client({ connection: Connection.lazy(temporalConnectionOptions(config.TEMPORAL_ADDRESS)) });
  const app = createApp({ config, models, temporalClient, logger });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  token = (await createApiKey(models, config.LINK_SECRET, { role: 'staff', owner: 'log-test' })).token;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.drop();
});

test('when requests are served, then each log line is JSON with the request id, and no key or link token appears', async () => {
  await fetch(`${url}/admin/offices?country=BE`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'req-log-1' } });
  await fetch(`${url}/l/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAsecretlinktoken`);
  await new Promise((r) => setTimeout(r, 50));
  const parsed = lines.map((l) => JSON.parse(l) as { req?: { id: string; url: string }; res?: { statusCode: number }; responseTime?: number });
  const served = parsed.find((l) => l.req?.id === 'req-log-1');
  expect(served).toMatchObject({ req: { id: 'req-log-1', method: 'GET', url: '/admin/offices' }, res: { statusCode: 200 }, responseTime: expect.any(Number) });
  expect(parsed.some((l) => l.req?.url === '[link]')).toBe(true);
  const all = lines.join('\n');
  expect(all).not.toContain(token.split('.')[1]);
  expect(all).not.toContain('secretlinktoken');
  expect(all).not.toMatch(/authorization/i);
});
