/**
 * The time limits of `npm test` (test/harness/timeouts.ts): jest-light-runner records a test's
 * limit but never enforces it. StrykerJS runs jest's own runner, which enforces limits itself,
 * so stryker.config.mjs leaves this file out.
 */
import { getState } from 'jest-circus';
import { withTimeLimit } from './harness/timeouts';

describe('time limits (test/harness/timeouts.ts)', () => {
  let hookRan = false;
  beforeAll(() => {
    hookRan = true;
  });

  it('fail a test that never settles, naming it and the limit', async () => {
    const started = Date.now();
    const run = withTimeLimit(() => new Promise(() => undefined), 50, 'the test "x"')();
    await expect(run).rejects.toThrow('the test "x" exceeded its time limit of 50 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('pass on what the test returns or throws within the limit, callback tests included', async () => {
    await expect(withTimeLimit(async () => 'done', 1_000, 't')()).resolves.toBe('done');
    await expect(withTimeLimit(() => Promise.reject(new Error('boom')), 1_000, 't')()).rejects.toThrow('boom');
    const callback = (done: unknown) => setTimeout(() => (done as (e?: Error) => void)(new Error('late')), 10);
    await expect(withTimeLimit(callback as (...a: unknown[]) => unknown, 1_000, 't')()).rejects.toThrow('late');
  });

  it('wrap every test and hook this file declares', () => {
    const entries: { fn: { name: string } }[] = [];
    const walk = (block: any): void => {
      entries.push(...block.hooks);
      for (const child of block.children) {
        if (child.type === 'describeBlock') walk(child);
        else entries.push(child);
      }
    };
    walk(getState().rootDescribeBlock);
    expect(hookRan).toBe(true);
    // Three tests and the beforeAll hook of this file.
    expect(entries.length).toBe(4);
    expect(entries.filter((e) => e.fn.name !== 'timeLimited')).toEqual([]);
  });
});
