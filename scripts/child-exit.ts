import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with `child`'s exit code (1 when a signal ended it), passing SIGINT and SIGTERM on
 * to it while it runs, so that Ctrl-C stops the child's work and not only this process.
 */
export function exitOf(child: ChildProcess): Promise<number> {
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}
