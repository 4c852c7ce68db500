// Prints one last line `tests: N passed, N failed` that CI reads. A test file that could not run
// at all (syntax error, failing beforeAll, crash) counts as one failure: it must not read as green.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const brokenFiles = results.testResults.filter(
      (file) => file.testExecError && file.numFailingTests === 0,
    ).length;
    const failed = results.numFailedTests + brokenFiles;
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${failed} failed\n`);
  }
}

module.exports = SummaryReporter;
