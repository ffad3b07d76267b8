'use strict';
// Stays JavaScript: jest loads its `filter` module with Node's plain require (no transform).
// jest's `filter` for StrykerJS's mutant runs: only the test files that cover the active mutant
// load (jest would otherwise load and build every suite's charts for every mutant). Without an
// active mutant, or one whose files are unknown, every test file runs.
const { testFiles } = require('./coverage.js');

module.exports = async function filter(testPaths) {
  const active = process.env.__STRYKER_ACTIVE_MUTANT__;
  const files = active === undefined ? undefined : testFiles(active);
  const keep = files === undefined ? testPaths : testPaths.filter((p) => files.includes(p));
  return { filtered: keep };
};
