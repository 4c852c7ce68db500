import { workflowTaskStalls } from '../../bench/lib/worker-log';

// Lines as the Temporal core writes them in the worker's log (colours included), from the
// whole-size run of session 6.
const E = '\u001b';
const slow = (type: string, ms: number) =>
  `${E}[2m2026-11-28T16:19:47.727999Z${E}[0m ${E}[33m WARN${E}[0m ${E}[2mtemporalio_sdk_core::worker::workflow::managed_run${E}[0m${E}[2m:${E}[0m [TMPRL1104] 284d8da6-5856-48c4-afa1-5c5fe9eb47da:195:1 Workflow task duration exceeded 5 seconds. workflow_type=${type} event_id=195 attempt=1 workflow_task_duration=${ms} workflow_history_size=0 payload_download_count=0`;
const expired = `${E}[2m2026-11-28T16:07:33.325577Z${E}[0m ${E}[33m WARN${E}[0m ${E}[2mtemporalio_sdk_core::worker::workflow${E}[0m${E}[2m:${E}[0m Task not found when completing ${E}[3merror${E}[0m${E}[2m=${E}[0mcode: 'Some requested entity was not found', message: "Expired workflow task: expectedHistorySize=150, actualHistorySize=154" run_id="6785de5f"`;

test('when the worker log has slow and expired workflow tasks, then they are counted by type with the slow ones\' durations', () => {
  const log = [
    '{"level":30,"msg":"worker running"}',
    slow('groupWorkflow', 7936),
    slow('groupWorkflow', 12000),
    slow('cycleWorkflow', 5200),
    expired,
    expired,
    'Workflow task duration exceeded 5 seconds (a line of our own, not the core\'s)',
  ].join('\n');
  expect(workflowTaskStalls(log)).toEqual({
    slowByType: { groupWorkflow: 2, cycleWorkflow: 1 },
    slow: 3,
    slowMs: { p50: 7936, p90: 12000, max: 12000 },
    expired: 2,
  });
});

test('when the worker log has none, then nothing is counted', () => {
  expect(workflowTaskStalls('{"msg":"worker running"}\n')).toEqual({ slowByType: {}, slow: 0, slowMs: undefined, expired: 0 });
});
