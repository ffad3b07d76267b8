/**
 * cdktf records the stack that created each of its tokens, for the message of an error that
 * resolving the token raises. `patches/cdktf+0.21.0.patch` (applied by patch-package on `npm ci`)
 * leaves the formatting of that stack to the first read, as V8 does for an error's own stack:
 * an infrastructure synth creates thousands of tokens, and formatting every stack (through the
 * source maps when they are on) was a third of its time, for messages that are never printed.
 */
import { Lazy, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { terraformTestApp } from './harness/infra';

/** Runs `fn` with a counting Error.prepareStackTrace, which V8 calls to format a stack. */
function countingFormats<T>(fn: () => T): { result: T; formats: number } {
  const previous = Error.prepareStackTrace;
  let formats = 0;
  Error.prepareStackTrace = (error, frames) => {
    formats += 1;
    return previous ? previous(error, frames) : `${String(error)}\n${frames.map((f) => `    at ${f}`).join('\n')}`;
  };
  try {
    return { result: fn(), formats };
  } finally {
    Error.prepareStackTrace = previous;
  }
}

function createdHere() {
  return Lazy.anyValue({ produce: () => 'x' });
}

describe("cdktf's token creation stacks", () => {
  it('are not formatted when a token is created', () => {
    const { formats } = countingFormats(() => Array.from({ length: 5 }, createdHere));
    expect(formats).toBe(0);
  });

  it('read as the lines of the stack that created the token, formatted once', () => {
    const token = createdHere();
    const { result: first, formats } = countingFormats(() => [...token.creationStack]);
    expect(formats).toBe(1);
    expect(Array.isArray(token.creationStack)).toBe(true);
    expect(first[0]).toMatch(/^new LazyBase \(\S+\/cdktf\/lib\/tokens\/lazy\.js:\d+:\d+\)$/);
    expect(first.filter((line) => /^createdHere \(\S+\/cdktf-stacks\.test\.ts:\d+:\d+\)$/.test(line))).toHaveLength(1);
    expect(first.every((line) => !line.startsWith('at '))).toBe(true);
    expect(token.creationStack.length).toBe(first.length);
    expect(token.creationStack.join('\n')).toBe(first.join('\n'));
    expect(Object.keys(token.creationStack)).toEqual(first.map((_, i) => String(i)));
    expect(JSON.stringify(token.creationStack)).toBe(JSON.stringify(first));
  });

  it('still name where a token that fails to resolve was created', () => {
    const app = terraformTestApp();
    const stack = new TerraformStack(app, 'tokens');
    new TerraformOutput(stack, 'broken', {
      value: Lazy.anyValue({
        produce: () => {
          throw new Error('no value');
        },
      }),
    });
    expect(() => Testing.synth(stack)).toThrow(
      /^Resolution error: no value\.\nObject creation stack:\n {2}at new LazyBase \(.*\n(?: {2}at .*\n)* {2}at .*\/cdktf-stacks\.test\.ts:\d+:\d+\)/,
    );
  });
});
