/**
 * Every history recorded by the workflow tests (test/fixtures/histories, RECORD_HISTORIES=1)
 * replays with today's workflow code: a change that would break the runs in flight (a cycle
 * lives ten months, a project years) fails here. See workflows/index.ts for patched().
 */
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../support/temporal';
import { historyFromRecord, loadHistories } from '../workflows/helpers/histories';

const histories = loadHistories();

test('when the recorded histories are replayed with the current workflow code, then none diverges', async () => {
  expect(histories.length).toBeGreaterThanOrEqual(20);
  // Every kind of workflow is covered.
  expect([...new Set(histories.map((h) => h.workflowType))].sort()).toEqual(
    ['assemblyWorkflow', 'boardWorkflow', 'cycleWorkflow', 'followUpWorkflow', 'groupWorkflow'],
  );
  const bundle = await bundleWorkflows(require.resolve('../../workflows'));
  const results = Worker.runReplayHistories(
    { workflowBundle: bundle, replayName: 'recorded-fixtures' },
    histories.map((h) => ({ workflowId: h.workflowId, history: historyFromRecord(h.history) })),
  );
  const outcomes: string[] = [];
  for await (const r of results) outcomes.push(r.error ? `${r.workflowId}: ${r.error.message}` : 'ok');
  expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
  expect(outcomes).toHaveLength(histories.length);
}, 120_000);
