/**
 * Runs `fn` with Node's source maps off, and restores them. For code that builds or synthesizes
 * Terraform stacks: cdktf records a whole stack trace for each token it creates, and with maps on
 * (test/harness/libraries.ts turns them on for the tests' own TypeScript) Node maps every frame of
 * each through tsx's source maps. That mapping was a tenth of `npm test`'s CPU time, for stacks
 * nobody reads. An error thrown inside `fn` still reports mapped lines: Node formats a stack when
 * it is first read, which for a failing test is after `fn` has returned.
 */
export function withoutSourceMaps<T>(fn: () => T): T {
  const previous = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    return fn();
  } finally {
    process.setSourceMapsEnabled(previous);
  }
}
