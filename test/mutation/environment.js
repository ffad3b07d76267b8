'use strict';
// Stays JavaScript: StrykerJS's jest environment loads this file with Node's plain require (no transform).
// The jest environment for `npm run test:mutation` (not used by plain `jest`).
//
// The suites build their charts once per `describe` body, outside any test, so StrykerJS sees
// nearly every mutant of lib/ as "static" and would run the whole suite for each (hours on two
// cores). Code run while a test file loads is observed by that file's tests only, so this
// environment moves what a file covered while loading (and in its hooks) to each of the file's
// tests, and records which test files cover which mutant for ./filter.js.
const { TestEnvironment } = require('jest-environment-node');
const coverage = require('./coverage.js');

class MutationEnvironment extends TestEnvironment {
  #testPath;
  #started = Date.now();
  #staticBefore = {};
  #tests = [];

  constructor(config, context) {
    super(config, context);
    this.#testPath = context.testPath;
  }

  /** StrykerJS's coverage object while it measures coverage (its dry run), else undefined. */
  #coverage() {
    const ns = this.global.__stryker__;
    if (!ns) return undefined;
    ns.mutantCoverage ??= { static: {}, perTest: {} };
    return ns;
  }

  async handleTestEvent(event) {
    const ns = this.#coverage();
    if (!ns) return;
    const cov = ns.mutantCoverage;
    if (event.name === 'setup') {
      this.#staticBefore = { ...cov.static };
    } else if (event.name === 'test_done' && ns.currentTestId !== undefined) {
      this.#tests.push(ns.currentTestId);
    } else if (event.name === 'run_finish') {
      const loaded = [];
      for (const [id, count] of Object.entries(cov.static)) {
        const before = this.#staticBefore[id] ?? 0;
        if (count > before) loaded.push([id, count - before]);
        if (before === 0) delete cov.static[id];
        else cov.static[id] = before;
      }
      const mutants = new Set(loaded.map(([id]) => id));
      for (const test of this.#tests) {
        const perTest = (cov.perTest[test] ??= {});
        for (const [id, n] of loaded) perTest[id] = (perTest[id] ?? 0) + n;
        for (const id of Object.keys(perTest)) mutants.add(id);
      }
      coverage.record(this.#testPath, mutants, Date.now() - this.#started);
    }
  }
}

module.exports = MutationEnvironment;
