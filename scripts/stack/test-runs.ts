import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from './processes';
import { readHandle, removeStackData, stopStack } from './stack';

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
    // Test files' private stacks (a handle in a subdir) first, then the shared one.
    for (const sub of subdirs(dir)) {
      const privateHandle = path.join(dir, sub, 'stack.json');
      if (existsSync(privateHandle)) await stopStack(readHandle(privateHandle)).catch(() => undefined);
    }
    await stopStack(handle);
    rmSync(path.join(dir, runningMarker), { force: true });
  }
}

/** Deletes finished runs except the newest `keep` (their logs help after a failure). */
export function pruneFinishedRuns(baseDir: string, keep: number): void {
  if (!existsSync(baseDir)) return;
  const finished = readdirSync(baseDir)
    .filter((run) => !existsSync(path.join(baseDir, run, runningMarker)))
    .sort(); // names start with a timestamp
  for (const run of finished.slice(0, Math.max(0, finished.length - keep))) {
    const dir = path.join(baseDir, run);
    // Private stacks of test files (one level down) may hold a cluster outside the run dir.
    const handles = [path.join(dir, 'stack.json'), ...subdirs(dir).map((sub) => path.join(dir, sub, 'stack.json'))];
    for (const file of handles.filter((f) => existsSync(f))) {
      try {
        removeStackData(readHandle(file));
      } catch {
        // A half-written handle: the rmSync below still removes the run dir.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}
