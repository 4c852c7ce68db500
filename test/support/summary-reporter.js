// Prints one last line `tests: N passed, N failed` that CI reads. A test file that could not run
// at all (syntax error, failing beforeAll, crash) counts as one failure: it must not read as green.
/* eslint-disable @typescript-eslint/no-require-imports -- jest loads reporters as plain CommonJS */
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const brokenFiles = results.testResults.filter(
      (file) => file.testExecError && file.numFailingTests === 0,
    ).length;
    const failed = results.numFailedTests + brokenFiles;
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${failed} failed\n`);
    // Tells scripts/test.sh that the line was printed (it prints one itself when jest died early).
    if (process.env.SIP_TEST_RUN_DIR) {
      fs.writeFileSync(path.join(process.env.SIP_TEST_RUN_DIR, 'summary'), `${failed}\n`);
    }
  }
}

module.exports = SummaryReporter;
