// Prints the plain closing line CI reads ("N passed, N failed, N skipped") and
// keeps it in .test-results/summary.json for .ci/run. Above that line it names every
// skipped suite once, grouped by why it was skipped.
const fs = require('node:fs');
const path = require('node:path');

// describeIfAvailable (infrastructure/postgres/src/testing) titles a suite it skips
// "<title> (skipped: <why>)"; a single skipped test may carry its reason the same way.
const SKIPPED_BECAUSE = /^(.*) \(skipped: (.*)\)$/;
const NO_REASON = 'no reason given (it.skip, describe.skip, it.todo, or left out by -t)';

/** why → suite → number of skipped tests */
const skippedSuites = (results) => {
  const byReason = new Map();
  for (const file of results.testResults) {
    for (const test of file.testResults) {
      if (test.status !== 'pending' && test.status !== 'todo') continue;
      const marked = [...test.ancestorTitles, test.title]
        .map((title) => SKIPPED_BECAUSE.exec(title))
        .find(Boolean);
      const reason = marked ? marked[2] : NO_REASON;
      const suite = marked
        ? marked[1]
        : [path.relative(process.cwd(), file.testFilePath), ...test.ancestorTitles].join(' › ');
      const suites = byReason.get(reason) ?? new Map();
      suites.set(suite, (suites.get(suite) ?? 0) + 1);
      byReason.set(reason, suites);
    }
  }
  return byReason;
};

const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;

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

    const lines = [];
    for (const [reason, suites] of skippedSuites(results)) {
      lines.push(`Skipped, ${reason}:`);
      for (const [suite, count] of suites) lines.push(`  - ${suite} (${plural(count, 'test')})`);
    }
    if (lines.length > 0) lines.unshift('');
    lines.push(
      '',
      `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

module.exports = SummaryReporter;
