// Rebuilds build/ with tsc when a source under lib/, apps/ or infra/ (or a tsconfig or
// package.json) is newer than the last build, so an edit is never run stale. Shared by
// scripts/run.mjs (synth) and scripts/run-verify.mjs (verify).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'build', '.stamp');

/** The newest modification time of the sources tsc compiles into build/. */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) visit(p);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const dir of ['lib', 'apps', 'infra']) visit(join(root, dir));
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package.json'])
    newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

/** Builds when stale; returns false (after tsc printed its errors) when the build failed. */
export function buildIfStale() {
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource()) return true;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) return false;
  writeFileSync(stamp, '');
  const now = new Date();
  utimesSync(stamp, now, now);
  return true;
}
