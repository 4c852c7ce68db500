/**
 * The worker process as `npm start` and the image run it: with no WORKFLOW_BUNDLE_PATH it builds
 * its workflow bundle in a child process under DATA_DIR/bundles (reused by the next start),
 * runs workflows and activities of its task queue, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { cycleWorkflowId } from '../../domain/ids';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../../worker/node-flags';
import { connectTestDatabase, type TestDatabase } from '../support/mongo';
import { uniqueTaskQueue } from '../support/temporal';

jest.setTimeout(180_000);
const root = path.resolve(__dirname, '../..');
let db: TestDatabase;
let connection: Connection;

beforeAll(async () => {
  db = await connectTestDatabase();
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
});
afterAll(async () => {
  await connection?.close();
  await db?.drop();
});

function startWorker(dataDir: string, taskQueue: string) {
  let out = '';
  const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, '--import', 'tsx', 'worker/main.ts'], {
    cwd: root,
    env: { ...WORKER_PROCESS_ENV, ...process.env, MONGODB_URI: db.uri, DATA_DIR: dataDir, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'info', WORKFLOW_BUNDLE_PATH: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const running = async () => {
    const deadline = Date.now() + 150_000;
    while (!out.includes('worker running')) {
      if (Date.now() > deadline) throw new Error(`the worker did not start:\n${out}`);
      if (child.exitCode !== null) throw new Error(`the worker exited ${child.exitCode}:\n${out}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  return { child, exited, running, output: () => out };
}

test('when the worker starts without a bundle, then it bundles in a child process, runs the workflows, reuses the bundle and stops on SIGTERM', async () => {
  const dataDir = mkdtempSync(path.join(process.env.SIP_TEST_RUN_DIR ?? path.join(root, '.test-data'), 'worker-'));
  const taskQueue = uniqueTaskQueue('worker-process');
  const first = startWorker(dataDir, taskQueue);
  await first.running();
  const bundles = readdirSync(path.join(dataDir, 'bundles')).filter((f) => f.endsWith('.js'));
  expect(bundles).toEqual([expect.stringMatching(/^workflows-[0-9a-f]{16}\.js$/)]);

  // A cycle that does not exist: the workflow runs, its first activity reads MongoDB and refuses.
  const client = new Client({ connection });
  const handle = await client.workflow.start('cycleWorkflow', { taskQueue, workflowId: cycleWorkflowId(`missing-${Date.now()}`), args: [{ cycleId: 'missing' }] });
  const failure = await handle.result().then(() => undefined, (err: unknown) => err);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(JSON.stringify((failure as WorkflowFailedError).cause?.cause ?? (failure as WorkflowFailedError).cause)).toContain('cycle missing does not exist');

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(first.output()).toContain('worker stopped');

  const second = startWorker(dataDir, taskQueue);
  await second.running();
  expect(readdirSync(path.join(dataDir, 'bundles')).filter((f) => f.endsWith('.js'))).toEqual(bundles);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
});
