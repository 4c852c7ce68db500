import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { sleepThirtyDays } from '../fixtures/workflows/sleep-30-days';
import { bundleWorkflows, createTimeSkippingEnv, uniqueTaskQueue } from '../support/temporal';

const DAY_MS = 24 * 60 * 60 * 1000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

test('a workflow sleeping 30 days completes in seconds on the time-skipping server', async () => {
  const taskQueue = uniqueTaskQueue('sleep');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflows(path.join(__dirname, '../fixtures/workflows/sleep-30-days.ts')),
  });

  const started = Date.now();
  const sleptMs = await worker.runUntil(
    env.client.workflow.execute<typeof sleepThirtyDays>('sleepThirtyDays', { taskQueue, workflowId: `sleep-${taskQueue}` }),
  );
  const wallMs = Date.now() - started;

  expect(sleptMs).toBeGreaterThanOrEqual(30 * DAY_MS);
  expect(wallMs).toBeLessThan(10_000);
});
