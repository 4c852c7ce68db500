/**
 * Delivers a used link's decision to its workflow as an update whose id is derived from the use:
 * Temporal answers a repeated update id with the first result, so the click, a retry and the
 * reconciler can all deliver and the workflow sees the decision once.
 */
import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';

export interface Delivery {
  workflowId: string;
  updateName: string;
  updateArg: Record<string, unknown>;
  updateId: string;
}

export type DeliveryResult =
  | { kind: 'delivered' }
  /** The workflow refused (its validator's failure type) or no longer runs (`closed`): no change. */
  | { kind: 'rejected'; outcome: string }
  /** Temporal did not answer in time: deliver again later with the same update id. */
  | { kind: 'unavailable'; error: string };

/** How long a click waits for Temporal before answering "received, will be recorded". */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5_000;

/** Runs the update once and classifies the outcome; never throws. */
export async function deliverUpdate(
  client: Client,
  delivery: Delivery,
  timeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS,
): Promise<DeliveryResult> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(delivery.workflowId).executeUpdate(delivery.updateName, {
        args: [delivery.updateArg],
        updateId: delivery.updateId,
      }),
    );
    return { kind: 'delivered' };
  } catch (err) {
    return classify(err);
  }
}

function classify(err: unknown): DeliveryResult {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    const type = cause instanceof ApplicationFailure ? cause.type : undefined;
    return { kind: 'rejected', outcome: type || 'Rejected' };
  }
  if (err instanceof WorkflowNotFoundError) return { kind: 'rejected', outcome: 'closed' };
  // Unreachable server, deadline, "update was aborted" (workflow busy, worker down): retry later.
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { kind: 'unavailable', error: message.slice(0, 300) };
}
