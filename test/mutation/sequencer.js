'use strict';
// Stays JavaScript: jest loads its `testSequencer` module with Node's plain require (no transform).
// jest's test order for StrykerJS's mutant runs: first the test file named after the mutant's
// source file (test/zookeeper.test.ts for lib/zookeeper.ts or lib/zookeeper/…), then the file
// that killed the mutant before this one, then the most specific files (those that cover fewest
// mutants, before the suites over every chart), the quicker of two first. ./runner.ts stops a
// run at the first file that fails, so a killed mutant rarely loads more than one test file
// (each load builds cdk8s and cdk8s-plus afresh, about half a second).
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');
const { duration, mutantsCovered, recentKiller, sourceOf } = require('./coverage.js');

const UNKNOWN = Number.MAX_SAFE_INTEGER;

class MostSpecificFirst extends Sequencer {
  sort(tests) {
    const active = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (active === undefined) return super.sort(tests);
    const source = sourceOf(active)?.split(path.sep) ?? [];
    const names = new Set([source[1], source.at(-1)].filter(Boolean).map((n) => path.basename(n, '.ts')));
    const killer = recentKiller(active);
    const first = (t) => (names.has(path.basename(t.path, '.test.ts')) ? 0 : t.path === killer ? 1 : 2);
    const breadth = (t) => mutantsCovered(t.path) ?? UNKNOWN;
    const ms = (t) => duration(t.path) ?? UNKNOWN;
    return [...tests].sort(
      (a, b) => first(a) - first(b) || breadth(a) - breadth(b) || ms(a) - ms(b) || a.path.localeCompare(b.path),
    );
  }
}

module.exports = MostSpecificFirst;
