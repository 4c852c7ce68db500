/**
 * How many mails a worker process composes and hands to SMTP at once, across all its mail
 * activities. The pooled transport sends a few at a time anyway; without this bound, the
 * hundred group mailings that start together when formation opens each built their own batch
 * of messages (text, HTML, calendars) and queued them in the pool, all held in memory at once.
 */
export type SendSlots = <T>(task: () => Promise<T>) => Promise<T>;

export function createSendSlots(limit: number): SendSlots {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`send slots: a whole number from 1, not ${limit}`);
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    // A freed slot passes straight to the first waiter (first come, first served).
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
