/**
 * jest's test runner for StrykerJS's mutant runs (stryker.config.mjs; jest transpiles it with the
 * configuration's swc transform): jest's own, one test file at a time, stopping at the first test
 * file with a failing test. That test killed the mutant, and the files after it could only confirm
 * it (jest offers no bail to programmatic runs, which StrykerJS makes). ./sequencer.js puts the
 * likeliest killer first. A test file that fails to load also ends the run, which StrykerJS then
 * counts as a runtime error, as it would have done with every file run; a mutant killed by an
 * earlier file counts as killed even if a later file would not have loaded. The dry run, and any
 * run without an active mutant, runs every file.
 */
import TestRunner from 'jest-runner';

// ./coverage.js stays JavaScript: jest's filter and sequencer load it with Node's plain require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { recordKill } = require('./coverage.js') as { recordKill(id: string, testPath: string): void };

export default class StopAtFirstFailure extends TestRunner {
  override async runTests(...[tests, watcher, options]: Parameters<TestRunner['runTests']>): Promise<void> {
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
