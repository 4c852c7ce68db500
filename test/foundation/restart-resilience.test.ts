import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import mongoose, { type Connection as MongoConnection } from 'mongoose';
import { controlServer, freePorts, readHandle, removeStackData, startStack, stopStack, writeHandle } from '../../scripts/stack';
import { createNoteActivities } from '../fixtures/activities/notes';
import type { timerThenWrite } from '../fixtures/workflows/timer-then-write';
import { bundleWorkflows, quietRuntime, uniqueTaskQueue } from '../support/temporal';

// This file takes servers down: it runs a private PostgreSQL + FerretDB + Temporal (same code as
// the shared stack, its own ports and handle file) so that parallel test files are not disturbed.
jest.setTimeout(90_000);

let handleFile: string;
let mongo: MongoConnection;
let nativeConnection: NativeConnection;
let connection: Connection;

beforeAll(async () => {
  // mkdtemp makes a 0700 dir: as root, the `postgres` user cannot enter it, so this also covers
  // the cluster-outside-the-data-dir fallback (a clone under /root is in the same situation).
  const dataDir = mkdtempSync(path.join(process.env.SIP_TEST_RUN_DIR!, 'restart-'));
  const [postgres, ferretdb, temporal, temporalUi, mailpitSmtp, mailpitHttp] = await freePorts(6);
  const handle = await startStack({
    dataDir,
    ports: { postgres, ferretdb, temporal, temporalUi, mailpitSmtp, mailpitHttp },
    run: { mail: false },
    fastPostgres: true,
  });
  handleFile = path.join(dataDir, 'stack.json');
  writeHandle(handleFile, handle);
  mongo = await mongoose
    .createConnection(`${handle.servers.ferretdb!.mongoUrl}restart`, { serverSelectionTimeoutMS: 5_000 })
    .asPromise();
  quietRuntime();
  nativeConnection = await NativeConnection.connect({ address: handle.servers.temporal!.address });
  connection = await Connection.connect({ address: handle.servers.temporal!.address });
});

afterAll(async () => {
  await mongo?.close();
  await nativeConnection?.close();
  await connection?.close();
  if (handleFile) {
    const handle = readHandle(handleFile);
    await stopStack(handle);
    removeStackData(handle);
  }
});

async function waitForHistoryEvent(client: Client, workflowId: string, event: 'timerStartedEventAttributes'): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    if (history.events?.some((e) => e[event])) return;
    if (Date.now() > deadline) throw new Error(`no ${event} in the history of ${workflowId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a running workflow survives restarts of Temporal and of FerretDB/PostgreSQL, then completes', async () => {
  const taskQueue = uniqueTaskQueue('restart');
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflows(path.join(__dirname, '../fixtures/workflows/timer-then-write.ts')),
    activities: createNoteActivities(mongo),
  });
  const workerRun = worker.run();
  try {
    const client = new Client({ connection });
    const workflowId = `restart-${taskQueue}`;
    const noteId = `note-${taskQueue}`;
    const started = await client.workflow.start<typeof timerThenWrite>('timerThenWrite', {
      taskQueue,
      workflowId,
      args: [{ noteId, delay: '8 seconds' }],
    });
    await waitForHistoryEvent(client, workflowId, 'timerStartedEventAttributes');

    // Temporal down and up again on the same SQLite file: the timer must still be there.
    await controlServer(handleFile, 'temporal', 'restart');
    // The database down and up again underneath FerretDB, then FerretDB itself.
    await controlServer(handleFile, 'ferretdb', 'stop');
    await controlServer(handleFile, 'postgres', 'restart');
    await controlServer(handleFile, 'ferretdb', 'start');

    await expect(started.result()).resolves.toBe(noteId);
    const description = await started.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.runId).toBe(started.firstExecutionRunId); // the same run, not a new one

    const note = await mongo.collection('notes').findOne({ _id: noteId as never });
    expect(note?.text).toBe('written after 8 seconds');
  } finally {
    worker.shutdown();
    await workerRun;
  }
});
