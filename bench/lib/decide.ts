/**
 * A decision sent as a client that cannot tell a lost answer from a lost request must send it:
 * with a deterministic update id (Temporal answers a repeat with the first outcome), again until
 * it is accepted. A rejection by the workflow is final, except "try again" (a group still
 * starting says so to members too).
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { sleep } from './stats';

export interface DecideOptions {
  /** Give up after this long (ms). */
  patienceMs?: number;
  /** Deadline of one call (ms): an overloaded server's call is abandoned and sent again. */
  callTimeoutMs?: number;
  onRetry?: (tries: number, why: string) => void;
}

export async function decide<R>(
  handle: WorkflowHandle,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  update: UpdateDefinition<any, any> | string,
  arg: unknown,
  updateId: string,
  options: DecideOptions = {},
): Promise<R> {
  const deadline = Date.now() + (options.patienceMs ?? 150_000);
  const callTimeout = options.callTimeoutMs ?? 15_000;
  for (let tries = 1; ; tries++) {
    try {
      const call = () => handle.executeUpdate(update as never, { args: [arg] as never, updateId });
      return (await handle.client.connection.withDeadline(Date.now() + callTimeout, call)) as R;
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause as { type?: string; message?: string } | undefined;
        if (!/try again/i.test(cause?.message ?? '') || Date.now() > deadline) {
          throw new Error(`${updateId} rejected by the workflow: ${cause?.type}: ${cause?.message}`);
        }
        options.onRetry?.(tries, cause?.message ?? '');
        await sleep(300);
        continue;
      }
      if (Date.now() > deadline) throw err;
      options.onRetry?.(tries, (err as Error).message);
      await sleep(500);
    }
  }
}
