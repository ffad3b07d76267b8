/**
 * A jest setup file (setupFilesAfterEnv) for jest's own runner, which StrykerJS uses (`npm test`
 * runs jest-light-runner, where Node.js maps stack traces itself: test/harness/libraries.ts).
 * jest maps every stack trace through source maps (source-map-support), which made stack traces
 * a sixth of the suite's time:
 *
 * - cdktf records a complete stack (no depth limit) for each token and attribute reference it
 *   creates, for its own error messages, and formats it at once. Stacks captured on plain objects
 *   (`Error.captureStackTrace(record)`, how cdktf and constructs record them) keep V8's own,
 *   unmapped format.
 * - `toThrow` reads each thrown error's stack, and mapping a frame in a library file parses that
 *   file's whole source map (cdktf ships one inline in every file). Frames in node_modules stay as
 *   they are (jest leaves them out of its reports anyway); frames in the project's own files,
 *   which failures point at, are still mapped.
 */
const mapped = Error.prepareStackTrace;
if (mapped) {
  const asIs = (frame: NodeJS.CallSite) => ({ isNative: () => true, toString: () => String(frame) });
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) =>
    Object.prototype.toString.call(error) === '[object Error]'
      ? mapped(
          error as Error,
          frames.map((f) => ((f.getFileName() ?? '').includes('/node_modules/') ? asIs(f) : f)) as NodeJS.CallSite[],
        )
      : `${String(error)}${frames.map((f) => `\n    at ${String(f)}`).join('')}`;
}
