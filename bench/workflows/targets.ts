/**
 * The benchmarks' own workflows (bundled by bench/worker.ts; never part of the product):
 * - benchUpdateTarget: one update that does nothing but count, the "bare executeUpdate" baseline;
 * - benchGroupStandIn: the group workflow's confirmMembership update (same contract, a validator
 *   that refuses a second confirmation), the click path's target until the real group workflow is
 *   used (`--click-target real`);
 * - benchFanOut: the project's sendBulkMail activity run from a workflow, as the cycle runs it.
 */
import { condition, defineQuery, defineSignal, defineUpdate, proxyActivities, setHandler, ApplicationFailure } from '@temporalio/workflow';
import { confirmMembershipUpdate, type GroupStatusView } from '../../workflows/group/contract';
import type { MailActivities } from '../../activities/mail';
import type { SendBulkMailInput, SendBulkMailResult } from '../../activities/mail/contract';

export const bumpUpdate = defineUpdate<number, [number]>('bump');
export const finishSignal = defineSignal('finish');
export const countQuery = defineQuery<number>('count');

export async function benchUpdateTarget(): Promise<number> {
  let count = 0;
  let finished = false;
  setHandler(bumpUpdate, (n) => {
    count += n;
    return count;
  });
  setHandler(countQuery, () => count);
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
  return count;
}

export async function benchGroupStandIn(input: { groupId: string }): Promise<{ confirmed: number; handled: number }> {
  const confirmed = new Set<string>();
  let handled = 0;
  let finished = false;
  const view = (): GroupStatusView => ({
    groupId: input.groupId,
    status: 'forming',
    phase: 'group_formation',
    moderatorAccepted: false,
    members: confirmed.size,
    submissionVersion: 0,
    approval: { status: 'not_requested' },
  });
  setHandler(
    confirmMembershipUpdate,
    ({ memberId }) => {
      handled++;
      confirmed.add(memberId);
      return view();
    },
    {
      validator: ({ memberId }) => {
        if (confirmed.has(memberId)) throw ApplicationFailure.nonRetryable('already confirmed', 'Conflict');
      },
    },
  );
  setHandler(countQuery, () => handled);
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
  return { confirmed: confirmed.size, handled };
}

export interface FanOutInput {
  mail: SendBulkMailInput;
  heartbeatTimeoutSeconds: number;
}

export async function benchFanOut(input: FanOutInput): Promise<SendBulkMailResult> {
  const { sendBulkMail } = proxyActivities<MailActivities>({
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: `${input.heartbeatTimeoutSeconds} seconds`,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  });
  return sendBulkMail(input.mail);
}
