import { rmSync } from 'node:fs';
import path from 'node:path';
import { readHandle, runningMarker, stopStack } from '../../scripts/stack';

/** Stops every server of the run, also after failed tests (jest calls this whenever setup succeeded). */
export default async function globalTeardown(): Promise<void> {
  const handleFile = process.env.SIP_STACK_HANDLE;
  if (!handleFile) return;
  // Re-read: a test file may have restarted a server, which changed its pid in the handle.
  await stopStack(readHandle(handleFile));
  rmSync(path.join(path.dirname(handleFile), runningMarker), { force: true });
}
