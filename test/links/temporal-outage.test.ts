/**
 * Temporal stopped between the click and the update: the click is kept (consumed, not delivered,
 * "received, will be recorded"), and the reconciler loop of the api process delivers it exactly
 * once when Temporal is back, with the same update id. A private Temporal dev server (its own
 * SQLite file, so state survives the restart) keeps parallel test files undisturbed.
 */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { controlServer, freePorts, readHandle, removeStackData, startStack, writeHandle, stopStack } from '../../scripts/stack';
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { groupWorkflowId } from '../../domain/ids';
import { reconcileLinks, startLinkReconciler } from '../../activities/links/reconciler';
import { consumeLink } from '../../activities/links/store';
import { openLink, updateIdFor, useIdFor } from '../../activities/links/token';
import { linkKeys } from '../../activities/links/keys';
import { useTestDatabase } from '../support/mongo';
import { quietRuntime } from '../support/temporal';
import { fixtureStateQuery } from '../fixtures/workflows/link-targets';
import { get, heading, post, SECRET, startFixtureWorker, startLinkApp, token, type FixtureWorker, type LinkApp } from './helpers';
import { memoryLogger } from './seed';

jest.setTimeout(90_000);

const db = useTestDatabase();
let models: Models;
let handleFile: string;
let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
let worker: FixtureWorker;
let app: LinkApp;

beforeAll(async () => {
  models = createModels(db().connection);
  await syncIndexes(models);
  const dataDir = mkdtempSync(path.join(process.env.SIP_TEST_RUN_DIR!, 'links-outage-'));
  const [postgres, ferretdb, temporal, temporalUi, mailpitSmtp, mailpitHttp] = await freePorts(6);
  const handle = await startStack({
    dataDir,
    ports: { postgres, ferretdb, temporal, temporalUi, mailpitSmtp, mailpitHttp },
    run: { mongo: false, mail: false, temporal: true },
  });
  handleFile = path.join(dataDir, 'stack.json');
  writeHandle(handleFile, handle);
  quietRuntime();
  const address = handle.servers.temporal!.address;
  connection = await Connection.connect({ address });
  nativeConnection = await NativeConnection.connect({ address });
  client = new Client({ connection });
  worker = await startFixtureWorker({ nativeConnection });
  app = await startLinkApp({ models, temporalClient: client, deliveryTimeoutMs: 1500 });
});

afterAll(async () => {
  await app?.close();
  await worker?.stop().catch(() => undefined);
  await nativeConnection?.close();
  await connection?.close();
  if (handleFile) {
    const handle = readHandle(handleFile);
    await stopStack(handle);
    removeStackData(handle);
  }
});

async function startGroup() {
  const s = randomUUID().slice(0, 8);
  const groupId = `g${s}`;
  const workflowId = groupWorkflowId(`c${s}`, groupId);
  const member = `m${s}`;
  const handle = await client.workflow.start('linkGroupFixture', {
    taskQueue: worker.taskQueue,
    workflowId,
    args: [{ groupId, moderatorMemberId: `mod${s}`, memberIds: [member], phase: 'group_formation' }],
  });
  return { workflowId, groupId, member, handle };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('when Temporal is down at the click, then the member reads "received", and the reconciler delivers once when Temporal is back', async () => {
  const g = await startGroup();
  const t = token({ actions: ['confirm_membership'], workflowId: g.workflowId, subjectId: g.groupId, memberId: g.member });
  const url = `${app.url}/l/${t}`;
  expect(heading((await get(url)).body)).toBe('Confirm your participation');

  await controlServer(handleFile, 'temporal', 'stop');
  const click = await post(url, { action: 'confirm_membership' });
  expect([click.status, heading(click.body)]).toEqual([202, 'Received']);
  expect(click.body).toContain('will be recorded in a moment');
  // A double click or a second tab while Temporal is down: the same "received".
  expect((await post(url, { action: 'confirm_membership' })).status).toBe(202);
  expect((await get(url)).status).toBe(202);

  const opened = openLink(SECRET, t);
  if (!opened.ok) throw new Error('token does not open');
  const useId = useIdFor(linkKeys(SECRET), opened.claims.linkId, '');
  expect(await models.LinkUse.countDocuments({ _id: useId })).toBe(1);
  expect(await models.LinkRecent.findOne({ _id: useId }).lean()).toMatchObject({
    state: 'consumed', updateName: 'confirmMembership', updateId: updateIdFor(useId), workflowId: g.workflowId,
  });

  // The api process's loop; `now` one minute ahead makes every entry due on every pass.
  const logger = memoryLogger();
  const loop = startLinkReconciler(
    { models, temporalClient: client, config: { LINK_SECRET: SECRET }, logger, deliveryTimeoutMs: 1500, now: () => new Date(Date.now() + 60_000) },
    { intervalMs: 300 },
  );
  try {
    const down = await loop.runOnce();
    expect(down).toMatchObject({ delivered: 0, pending: 1 });
    await controlServer(handleFile, 'temporal', 'start');
    const state = await until('the confirmation to reach the workflow', async () => {
      const s = await g.handle.query(fixtureStateQuery);
      return s.confirmed.length > 0 ? s : undefined;
    });
    expect(state.confirmed).toEqual([g.member]);
    await until('the journal to say delivered', async () =>
      (await models.LinkRecent.findOne({ _id: useId }).lean())?.state === 'delivered' ? true : undefined,
    );
  } finally {
    await loop.stop();
  }
  // More passes, a forced one, and the member clicking again: still one transition.
  await reconcileLinks({ models, temporalClient: client, config: { LINK_SECRET: SECRET }, logger, deliveryTimeoutMs: 1500 }, { force: true });
  const again = await post(url, { action: 'confirm_membership' });
  expect([again.status, heading(again.body)]).toEqual([200, 'Already recorded']);
  expect((await g.handle.query(fixtureStateQuery)).handled).toEqual({ confirmMembership: 1 });
  expect(logger.lines.some((l) => l.msg === 'link decision redelivered')).toBe(true);
});

test('when the api dies between using the link and delivering it, then the reconciler delivers it, and a delivery already made is not repeated', async () => {
  const g = await startGroup();
  const t = token({ actions: ['confirm_membership'], workflowId: g.workflowId, subjectId: g.groupId, memberId: g.member });
  const opened = openLink(SECRET, t);
  if (!opened.ok) throw new Error('token does not open');
  const useId = useIdFor(linkKeys(SECRET), opened.claims.linkId, '');
  const delivery = { workflowId: g.workflowId, updateName: 'confirmMembership', updateArg: { memberId: g.member, actorId: g.member }, updateId: updateIdFor(useId) };
  // What the click did before dying: the journal entry and the lock, no update.
  await consumeLink(models, SECRET, { claims: opened.claims, scope: '', action: 'confirm_membership', ...delivery, now: new Date() });
  // ...and, for the other half, an update that did reach the workflow before the crash.
  await client.workflow.getHandle(g.workflowId).executeUpdate('confirmMembership', { args: [delivery.updateArg], updateId: delivery.updateId });

  const result = await reconcileLinks({ models, temporalClient: client, config: { LINK_SECRET: SECRET }, logger: memoryLogger() }, { force: true });
  expect(result.delivered).toBeGreaterThanOrEqual(1);
  expect((await models.LinkRecent.findOne({ _id: useId }).lean())?.state).toBe('delivered');
  // The same update id returned the first result: the handler ran once.
  expect((await g.handle.query(fixtureStateQuery)).handled).toEqual({ confirmMembership: 1 });
});
