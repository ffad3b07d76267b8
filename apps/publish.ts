import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes a directory atomically: `write` fills a fresh sibling staging directory, and only when
 * it returns is the staging directory swapped in for `target`. If `write` throws, `target` is
 * left exactly as it was (byte for byte) and the staging directory is removed.
 *
 * The swap is two renames on one file system (target aside, staging in); if the second one
 * fails, the first is undone. Staging sits beside the target, so both renames stay on one
 * file system.
 */
export function publishDirectory(target: string, write: (staging: string) => void): void {
  const abs = path.resolve(target);
  const staging = `${abs}.staging-${process.pid}`;
  const previous = `${abs}.previous-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    write(staging);
    const hadPrevious = fs.existsSync(abs);
    if (hadPrevious) fs.renameSync(abs, previous);
    try {
      fs.renameSync(staging, abs);
    } catch (e) {
      if (hadPrevious) fs.renameSync(previous, abs);
      throw e;
    }
    fs.rmSync(previous, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
