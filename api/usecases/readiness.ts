import type { AppDeps } from '../deps';

const TIMEOUT_MS = 2000;

async function timed(check: () => Promise<unknown>): Promise<{ ok: boolean; ms: number }> {
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Date.now() - start };
  } catch {
    return { ok: false, ms: Date.now() - start };
  } finally {
    clearTimeout(timer);
  }
}

/** Pings Temporal (health service) and MongoDB (ping), each within 2 seconds. */
export async function checkReadiness(deps: AppDeps) {
  const connection = deps.temporalClient.connection;
  const [temporal, mongodb] = await Promise.all([
    timed(() =>
      connection.withDeadline(Date.now() + TIMEOUT_MS, () =>
        connection.workflowService.getSystemInfo({}),
      ),
    ),
    timed(async () => {
      const db = deps.models.Cycle.db.db;
      if (!db || deps.models.Cycle.db.readyState !== 1) throw new Error('not connected');
      await db.admin().ping();
    }),
  ]);
  return {
    status: temporal.ok && mongodb.ok ? ('ready' as const) : ('unavailable' as const),
    checks: { temporal, mongodb },
  };
}
