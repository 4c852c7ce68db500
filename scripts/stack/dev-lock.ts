import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isOurProcess } from './processes';

/** <dataDir>/run-dev.json: who runs the stack on this data dir, and the pids of its apps. */
export interface DevLock {
  pid: number;
  startedAt: string;
  apps: Record<string, number>;
}

export const lockFile = (dataDir: string) => path.join(dataDir, 'run-dev.json');

/** The lock of a live `npm start` on this data dir, or undefined (none, or its process is gone). */
export function liveLock(dataDir: string): DevLock | undefined {
  const lock = readLock(dataDir);
  return lock && isOurProcess(lock.pid, 'run-dev') ? lock : undefined;
}

export function readLock(dataDir: string): DevLock | undefined {
  const file = lockFile(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevLock;
  } catch {
    return undefined;
  }
}

export function writeLock(dataDir: string, lock: DevLock): void {
  writeFileSync(lockFile(dataDir), JSON.stringify(lock, null, 2) + '\n');
}

export function removeLock(dataDir: string): void {
  rmSync(lockFile(dataDir), { force: true });
}
