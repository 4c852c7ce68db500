/**
 * The cycle's broadcast to its groups: each message is an update that returns once the group
 * applied it (what paces a broadcast to a thousand groups), a group that does not apply it in
 * time gets the signal instead, a retried broadcast changes nothing, and a group workflow that
 * has ended counts as gone.
 */
import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { buildEdition2019_2020 } from '../fixtures/edition-2019-2020';
import { groupWorkflowId } from '../../domain/ids';
import { createTemporalActivities } from '../../activities/temporal/broadcast';
import { groupStatusQuery, type GroupInput } from '../../workflows/group/contract';
import { uniqueTaskQueue } from '../support/temporal';
import { eventually, useWorkflowHarness } from './helpers/harness';
import { seedEdition } from './helpers/seed';

const h = useWorkflowHarness('broadcast');
const DAY = 86_400_000;
const EventType = temporal.api.enums.v1.EventType;

async function events(handle: WorkflowHandle) {
  const history = await handle.fetchHistory();
  return history.events ?? [];
}

test('when the cycle broadcasts a phase, then live groups apply it as an update, a stalled one gets the signal, an ended one is gone', async () => {
  const { env, models, taskQueue, domain } = h();
  const edition = buildEdition2019_2020({ cycleId: 'broadcast-1', emailDomain: domain });
  const t0 = await h().now();
  const at = (days: number) => new Date(t0 + days * DAY).toISOString();
  const deadlines = {
    formationOpensAt: at(-1), formationDeadline: at(5), submissionDeadline: at(40), approvalDeadline: at(60),
    publicReviewOpensAt: at(62), publicReviewClosesAt: at(70),
  };
  const countries = edition.countries.map((c) => ({ ...c, boardDeadline: at(80), assemblyDate: at(90) }));
  const keys = ['brussels', 'antwerp', 'charleroi'];
  await seedEdition(models, edition, { deadlines, countries, groupKeys: keys });
  const [brussels, antwerp, charleroi] = keys.map((k) => edition.groups.find((g) => g.key === k)!);
  const start = (groupId: string, queue: string) =>
    env.client.workflow.start('groupWorkflow', {
      taskQueue: queue,
      workflowId: groupWorkflowId(edition.cycleId, groupId),
      args: [{ cycleId: edition.cycleId, groupId, kind: 'office', phase: 'group_formation', seq: 1, silencePolicy: 'tacit_approval', deadlines } satisfies GroupInput],
    });
  const live = await start(brussels.id, taskQueue);
  const ended = await start(antwerp.id, taskQueue);
  // No worker polls this queue: the group cannot apply anything until one does.
  const stalled = await start(charleroi.id, uniqueTaskQueue('broadcast-nobody'));
  for (const g of [live, ended]) await eventually(async () => (await g.query(groupStatusQuery)).status === 'forming', 'group loaded');
  await ended.terminate('the test ends this group');

  const broadcast = createTemporalActivities({ models, client: env.client, updateWaitMs: 2_000 }).broadcastToGroups;
  const action = { kind: 'phase' as const, seq: 2, phase: 'deliberation' as const, deadlines };
  const first = await broadcast({ cycleId: edition.cycleId, action });
  expect(first).toEqual({ targets: 3, delivered: 2, gone: 1, signalled: 1 });
  expect((await live.query(groupStatusQuery)).phase).toBe('deliberation');

  const accepted = (await events(live)).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  expect(accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)).toEqual(['cycleMessage']);
  expect((await events(live)).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).toBe(false);
  const signals = (await events(stalled)).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  expect(signals.map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)).toEqual(['cyclePhase']);

  // A retried broadcast (same update id) is not applied a second time by the live group.
  const again = await broadcast({ cycleId: edition.cycleId, action });
  expect(again).toMatchObject({ targets: 3, gone: 1 });
  const acceptedAfter = (await events(live)).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  expect(acceptedAfter).toHaveLength(1);
  expect((await live.query(groupStatusQuery)).phase).toBe('deliberation');
  await Promise.all([live, stalled].map((g) => g.terminate('test over')));
});
