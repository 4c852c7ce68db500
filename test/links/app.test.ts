/**
 * The link pages inside the real api app (api/app.ts): its request log never holds a token, its
 * global headers do not loosen the pages' CSP, and unknown paths under /l/ get the link pages'
 * neutral answer rather than the api's JSON 404.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp } from '../../api/app';
import { loadConfig } from '../../config';
import { createModels, type Models } from '../../domain/models';
import { useTestDatabase } from '../support/mongo';
import { connectDevServer, type DevServer } from '../support/temporal';
import { sealLink, randomLinkId } from '../../activities/links/token';
import { get, post } from './helpers';

const db = useTestDatabase();
let models: Models;
let dev: DevServer;
let server: Server;
let baseUrl: string;
const logLines: string[] = [];
const secret = process.env.LINK_SECRET!;

beforeAll(async () => {
  models = createModels(db().connection);
  dev = await connectDevServer();
  const config = loadConfig({ ...process.env, MONGODB_URI: db().uri });
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const app = createApp({ config, models, temporalClient: dev.client, logger });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await dev?.close();
});

const token = () =>
  sealLink(secret, {
    linkId: randomLinkId(), actions: ['confirm_membership'], workflowId: 'cycle:cx:group:gx', subjectId: 'gx', memberId: 'mx',
    version: '1', expiresAt: Date.now() + 86_400_000, issuedAt: Date.now(), language: 'en', name: 'Ann',
  });

test('when links are opened and used through the api app, then its log has the route but never the token', async () => {
  const t = token();
  expect((await get(`${baseUrl}/l/${t}`)).status).toBe(200);
  await post(`${baseUrl}/l/${t}`, { action: 'confirm_membership' }); // no such workflow: 409, logged
  await get(`${baseUrl}/l/${t.slice(0, -3)}?r=x`);
  await new Promise((r) => setTimeout(r, 50));
  const log = logLines.join('');
  expect(log).toContain('"url":"[link]"');
  for (const piece of [t, t.slice(0, 40), t.slice(-40)]) expect(log).not.toContain(piece);
});

test('when the app answers a link, then the page CSP is the strict one, not the api default', async () => {
  const page = await get(`${baseUrl}/l/${token()}`);
  const csp = page.headers.get('content-security-policy')!;
  expect(csp.startsWith("default-src 'none'; style-src 'nonce-")).toBe(true);
  expect(csp).not.toContain('unsafe-inline');
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
});

test('when a path under /l/ is not a link, then the neutral page, not the api JSON error', async () => {
  for (const path of ['/l/', '/l/abc/def', `/l/${'A'.repeat(2000)}`]) {
    const answer = await get(`${baseUrl}${path}`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.body).toContain('This link cannot be used');
  }
  const options = await get(`${baseUrl}/l/${token()}`, { method: 'OPTIONS' });
  expect([options.status, options.headers.get('allow')]).toEqual([204, 'GET, HEAD, POST']);
});
