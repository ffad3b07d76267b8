// Stays JavaScript: jest 29 reads a TypeScript config only through ts-node, which the project does not install.
/**
 * Tests are transpiled by swc (no type checking; `npm run typecheck` does that), which keeps
 * a full run fast. ts-jest was not used: its releases lag TypeScript's (it requires < 7).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: ['<rootDir>/test/harness/stack-traces.ts'],
  // Large provider bindings load once per worker; two workers match the two cores here.
  maxWorkers: 2,
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
