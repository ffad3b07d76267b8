// Stays JavaScript: StrykerJS reads its config as JavaScript or JSON only.
// Mutation testing: `npm run test:mutation` (StrykerJS with the jest runner and the TypeScript
// checker). Each surviving mutant either gets a test or a `// Stryker disable next-line <mutator>:
// reason` comment at its line, so the score says how much of the behaviour the tests pin down.
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';

/**
 * Sources no mutant run can test, each with its reason (test/mutation/not-mutated.json; the
 * changed-files run leaves them out too).
 */
const notMutated = JSON.parse(readFileSync(new URL('./test/mutation/not-mutated.json', import.meta.url), 'utf8'));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['lib/**/*.ts', 'apps/**/*.ts', 'infra/**/*.ts', ...Object.keys(notMutated).map((f) => `!${f}`)],
  testRunner: 'jest',
  jest: {
    configFile: 'jest.config.js',
    enableFindRelatedTests: false,
    // Coverage per test file although the suites build their charts outside the tests, and a
    // mutant run loads only the test files that cover its mutant: see test/mutation/.
    // jest's own runner (one module registry per test file, which the coverage per test needs)
    // with swc transpiling the TypeScript, instead of `npm test`'s jest-light-runner and tsx.
    config: {
      // jest's own runner, stopping a mutant's run at the first failing test file, and the
      // most specific test files first (test/mutation/runner.ts, sequencer.js).
      runner: './test/mutation/runner.ts',
      testSequencer: './test/mutation/sequencer.js',
      setupFiles: [],
      setupFilesAfterEnv: ['<rootDir>/test/harness/stack-traces.ts'],
      transform: {
        '^.+\\.ts$': [
          '@swc/jest',
          { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
        ],
      },
      moduleFileExtensions: ['ts', 'js', 'json'],
      // The layout test reads the sources as text, which Stryker rewrites with its mutants; the
      // time-limit test checks npm test's runner, and Stryker runs jest's own; the mutation
      // script's test loads an ES module, which jest's own runner cannot.
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/layout\\.test\\.ts$',
        '<rootDir>/test/timeouts\\.test\\.ts$',
        '<rootDir>/test/mutation-script\\.test\\.ts$',
      ],
      testEnvironment: './test/mutation/environment.js',
      filter: '<rootDir>/test/mutation/filter.js',
    },
  },
  // Run only the tests that cover a mutant.
  coverageAnalysis: 'perTest',
  // Mutants that do not compile are dropped before any test runs.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Two cores: two test runners (the checker shares them).
  concurrency: 2,
  // A rerun after a small change tests only the mutants that the change touches.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Files that no test reads are not copied into the sandbox.
  ignorePatterns: ['/dist', '/cdktf.out', '/build', '/.cache', '/.venv-scan', '/coverage'],
  timeoutMS: 60000,
  thresholds: { high: 90, low: 85, break: null },
};
