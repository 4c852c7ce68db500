/**
 * When Temporal or MongoDB cannot be reached, the api answers 503 `unavailable` naming the
 * dependency, and /ready says which one is down; /health stays up.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import mongoose from 'mongoose';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createApiKey } from '../../api/auth';
import { loadConfig } from '../../config';
import { createModels } from '../../domain/models';
import { connectTestDatabase, type TestDatabase } from '../support/mongo';
import { errorBody } from './support';
import { temporalConnectionOptions } from '../../api/temporal';

/** A port nobody listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function listen(app: ReturnType<typeof createApp>): Promise<{ server: Server; url: string }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('temporal unreachable', () => {
  let db: TestDatabase;
  let server: Server;
  let url: string;
  let token: string;
  let connection: Connection;
  beforeAll(async () => {
    db = await connectTestDatabase();
    const models = createModels(db.connection);
    const config = loadConfig({ ...process.env, MONGODB_URI: db.uri, TEMPORAL_ADDRESS: `127.0.0.1:${await deadPort()}` });
    connection = Connection.lazy(temporalConnectionOptions(config.TEMPORAL_ADDRESS));
    const temporalClient = new Client({ connection });
    ({ server, url } = await listen(createApp({ config, models, temporalClient, logger: pino({ level: 'silent' }) })));
    token = (await createApiKey(models, config.LINK_SECRET, { role: 'staff', owner: 'test' })).token;
    await models.Cycle.create({
      _id: 'c-unavailable', label: 'c-unavailable', countries: [{ country: 'BE', timeZone: 'Europe/Brussels', languages: ['nl'], boardDeadline: '2031-01-01T00:00:00Z', assemblyDate: '2031-02-01T00:00:00Z' }],
      deadlines: {}, policies: { minGroupSize: 5, undersizedGroup: 'cancel', silenceAtApprovalDeadline: 'escalate', reminderOffsetsDays: [], progressRequestEveryDays: 30 },
      status: 'running', projection: { phase: 'deliberation', deadlines: {}, consolidationVersion: 0, seq: 1 }, createdBy: 'test',
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await db?.drop();
  });

  test('when a route needs Temporal, then 503 names it; /ready is 503 and /health 200', async () => {
    const started = Date.now();
    const res = await fetch(`${url}/admin/cycles/c-unavailable/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual(errorBody('unavailable', 'temporal is unreachable; try again later', undefined, { dependency: 'temporal' }));
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', checks: { temporal: { ok: false }, mongodb: { ok: true } } });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

describe('mongodb unreachable', () => {
  let server: Server;
  let url: string;
  let mongo: mongoose.Connection;
  beforeAll(async () => {
    const config = loadConfig({ ...process.env, MONGODB_URI: `mongodb://127.0.0.1:${await deadPort()}/none` });
    mongo = mongoose.createConnection(config.MONGODB_URI, { serverSelectionTimeoutMS: 500, bufferCommands: false });
    mongo.on('error', () => undefined);
    const models = createModels(mongo);
    const temporalClient = new Client({ connection: Connection.lazy({ address: config.TEMPORAL_ADDRESS }) });
    ({ server, url } = await listen(createApp({ config, models, temporalClient, logger: pino({ level: 'silent' }) })));
  });
  afterAll(async () => {
    server?.close();
    await mongo?.close().catch(() => undefined);
  });

  test('when a route needs MongoDB, then 503 names it (the key check already needs it); /ready says mongodb', async () => {
    const res = await fetch(`${url}/admin/cycles`, { headers: { authorization: `Bearer k_0123456789abcdef.${'A'.repeat(43)}` } });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual(errorBody('unavailable', 'mongodb is unreachable; try again later', undefined, { dependency: 'mongodb' }));
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', checks: { mongodb: { ok: false }, temporal: { ok: true } } });
  });
});
