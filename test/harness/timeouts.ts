/**
 * A jest setup file (`npm test`): every test and hook gets a time limit, as under jest's own
 * runner. jest-light-runner records the limit (`it(name, fn, ms)`) but never enforces it, so a
 * test that awaits something that never happens would hang the suite instead of failing.
 *
 * jest-circus announces each test and hook as it is declared; this handler wraps the one just
 * declared so that it fails after its limit (jest's default, 5 s, when it names none), with a
 * message that names it. Work the test started goes on in the background, as under jest's runner.
 */
import { addEventHandler, getState } from 'jest-circus';

/** jest's default `testTimeout`. */
const DEFAULT_TIMEOUT_MS = 5_000;

type Fn = (this: unknown, ...args: unknown[]) => unknown;
interface Entry {
  fn: Fn;
  timeout?: number;
}

/** `fn` that fails once it has run `ms` milliseconds; `what` names it in the error. */
export function withTimeLimit(fn: Fn, ms: number, what: string): Fn {
  return function timeLimited(this: unknown) {
    const run =
      fn.length >= 1
        ? new Promise<unknown>((resolve, reject) =>
            fn.call(this, (err?: unknown) => (err ? reject(err as Error) : resolve(undefined))),
          )
        : Promise.resolve().then(() => fn.call(this));
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} exceeded its time limit of ${ms} ms (test/harness/timeouts.ts)`)),
        ms,
      );
    });
    return Promise.race([run, limit]).finally(() => clearTimeout(timer));
  };
}

addEventHandler((event) => {
  if (event.name !== 'add_test' && event.name !== 'add_hook') return;
  const block = getState().currentDescribeBlock;
  const list = (event.name === 'add_test' ? block.children : block.hooks) as unknown as Entry[];
  const entry = list[list.length - 1];
  if (!entry || typeof entry.fn !== 'function') return;
  const what = event.name === 'add_test' ? `the test "${event.testName}"` : `a ${event.hookType} hook`;
  entry.fn = withTimeLimit(entry.fn, entry.timeout ?? DEFAULT_TIMEOUT_MS, what);
});
