/**
 * Polls `check` (real time) until it returns a value that is not undefined/false. An error thrown
 * by `check` counts as "not yet" (its message ends the timeout's) unless `retryOn` refuses it.
 * The one polling loop of the scripts, the benchmarks and the tests.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 60_000,
  options: { intervalMs?: number; retryOn?: (err: unknown) => boolean } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      if (options.retryOn && !options.retryOn(err)) throw err;
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
  }
}
