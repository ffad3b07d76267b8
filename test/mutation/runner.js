'use strict';
// Stays JavaScript: jest loads its `runner` module with Node's plain require (no transform).
// jest's test runner for StrykerJS's mutant runs: jest's own, one test file at a time, stopping
// at the first test file with a failing test. That test killed the mutant, and the files after it
// could only confirm it (jest offers no bail to programmatic runs, which StrykerJS uses). The dry
// run, and any run without an active mutant, runs every file.
const TestRunner = require('jest-runner').default;
const { recordKill } = require('./coverage.js');

class StopAtFirstFailure extends TestRunner {
  async runTests(tests, watcher, options) {
    const active = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (!options.serial || active === undefined) return super.runTests(tests, watcher, options);
    let failed = false;
    const unsubscribe = [
      this.on('test-file-success', ([test, result]) => {
        if (result.testExecError) failed = true;
        else if (result.numFailingTests > 0) {
          failed = true;
          recordKill(active, test.path);
        }
      }),
      this.on('test-file-failure', () => {
        failed = true;
      }),
    ];
    try {
      for (const test of tests) {
        if (failed) break;
        await super.runTests([test], watcher, options);
      }
    } finally {
      for (const off of unsubscribe) off();
    }
  }
}

module.exports = StopAtFirstFailure;
