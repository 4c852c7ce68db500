import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from './processes';
import { readHandle, stopStack } from './stack';

/**
 * Test runs live in .test-data/<run>/ with a stack.json handle and a `running` marker that the
 * jest global teardown removes. A run whose marker is still there but whose owner process (jest)
 * is dead was interrupted (Ctrl-C, kill): its servers are stopped here, by pid.
 */
export const runningMarker = 'running';

export async function stopStaleRuns(baseDir: string, log: (line: string) => void = () => undefined): Promise<void> {
  if (!existsSync(baseDir)) return;
  for (const run of readdirSync(baseDir)) {
    const dir = path.join(baseDir, run);
    const handleFile = path.join(dir, 'stack.json');
    if (!existsSync(path.join(dir, runningMarker)) || !existsSync(handleFile)) continue;
    const handle = readHandle(handleFile);
    if (isAlive(handle.ownerPid) && handle.ownerPid !== process.pid) continue; // another run in progress
    log(`stopping the servers of interrupted test run ${run}`);
    await stopStack(handle);
    rmSync(path.join(dir, runningMarker), { force: true });
  }
}

/** Deletes finished runs except the newest `keep` (their logs help after a failure). */
export function pruneFinishedRuns(baseDir: string, keep: number): void {
  if (!existsSync(baseDir)) return;
  const finished = readdirSync(baseDir)
    .filter((run) => !existsSync(path.join(baseDir, run, runningMarker)))
    .sort(); // names start with an ISO-like timestamp
  for (const run of finished.slice(0, Math.max(0, finished.length - keep))) {
    const dir = path.join(baseDir, run);
    const handleFile = path.join(dir, 'stack.json');
    // A cluster kept outside the run dir (root + unreachable dir, see clusterDirFor) goes too.
    const cluster = existsSync(handleFile) ? readHandle(handleFile).servers.postgres?.clusterDir : undefined;
    if (cluster && !cluster.startsWith(dir + path.sep)) rmSync(cluster, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
