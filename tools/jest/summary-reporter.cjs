// Prints the plain closing line CI reads ("N passed, N failed, N skipped") and
// keeps it in .test-results/summary.json for .ci/run.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    const dir = path.join(process.cwd(), '.test-results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
    process.stdout.write(
      `\n${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
