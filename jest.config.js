// Stays JavaScript: jest 29 reads a TypeScript config only through ts-node, which the project does not install.
/**
 * `npm test`: jest's CLI, expect and snapshots, with jest-light-runner as the runner. It runs
 * the test files in two worker processes (two cores here) of plain Node.js, without jest's
 * per-file module registry: cdk8s, cdk8s-plus and the schema models load once per worker
 * instead of once per test file, which halves the suite's CPU time. tsx (`setupFiles`) loads the
 * TypeScript without type checking (`npm run typecheck` does that). Child processes, not worker
 * threads, because the synth tests change the working directory.
 *
 * What the test files share in a worker: modules and their state. A test file must therefore not
 * leave global state behind (environment variables, the working directory, patched modules);
 * test/layout.test.ts checks that every change of `process.env` or the working directory is
 * undone in the same file.
 *
 * StrykerJS (`npm run test:mutation`) runs jest's own runner with swc instead (see
 * stryker.config.mjs): it needs jest's environment to record which tests cover each mutant.
 * @type {import('jest').Config}
 */
module.exports = {
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  runner: 'jest-light-runner/child-process',
  setupFiles: ['tsx', '<rootDir>/test/harness/libraries.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/harness/timeouts.ts'],
  maxWorkers: 2,
  // No jest transform: tsx loads the TypeScript. Left at its default, jest-snapshot would load
  // babel-jest in every worker only to build its snapshot-path resolver.
  transform: {},
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
