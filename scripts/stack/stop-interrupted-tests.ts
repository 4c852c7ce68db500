// Called by scripts/test.sh when jest ended without its global teardown (Ctrl-C, crash):
// stops the servers of test runs whose jest process is gone. Usage: tsx stop-interrupted-tests.ts
import path from 'node:path';
import { repoRoot } from './paths';
import { stopStaleRuns } from './test-runs';

stopStaleRuns(path.join(repoRoot, '.test-data'), (line) => console.error(`test: ${line}`)).catch((error) => {
  console.error(`test: could not stop the servers of an interrupted run: ${error}`);
  process.exit(1);
});
