/**
 * Rebuilds build/ with tsc unless it was built from exactly the current sources under lib/,
 * apps/ and infra/ (and the tsconfigs, package.json and TypeScript version), so an edit is never
 * run stale. Shared by scripts/run.ts (synth) and scripts/run-verify.ts (verify).
 *
 * Freshness is a hash of the sources' paths and contents, not their modification times: a file
 * restored with an old mtime (cp -p, tar, rsync -t), one saved while tsc was running, or one
 * deleted still makes the next run rebuild. The hash is taken before tsc starts and recorded
 * only when tsc succeeds, so a failed compile is rebuilt (and fails again) on every run.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const root = join(__dirname, '..');
const stamp = join(root, 'build', '.stamp');

/** The sources tsc compiles into build/, relative to the root, sorted. */
function sources(): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) visit(p);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(relative(root, p));
    }
  };
  for (const dir of ['lib', 'apps', 'infra']) visit(join(root, dir));
  return out.sort();
}

/** A hash of everything a build depends on. */
export function sourceHash(files: string[] = sources()): string {
  const hash = createHash('sha256');
  const typescript = JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')) as {
    version: string;
  };
  hash.update(`typescript ${typescript.version}\n`);
  for (const f of [...files, 'tsconfig.json', 'tsconfig.build.json', 'package.json']) {
    hash.update(`${f}\n`);
    hash.update(readFileSync(join(root, f)));
    hash.update('\n');
  }
  return hash.digest('hex');
}

/** Whether build/ holds the output of a successful build of exactly these sources. */
function fresh(files: string[], hash: string): boolean {
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== hash) return false;
  return files.every((f) => existsSync(join(root, 'build', f.replace(/\.ts$/, '.js'))));
}

/** Builds when stale; returns false (after tsc printed its errors) when the build failed. */
export function buildIfStale(): boolean {
  const files = sources();
  const hash = sourceHash(files);
  if (fresh(files, hash)) return true;
  // A stamp names a build of other sources from here on, until this build succeeds.
  rmSync(stamp, { force: true });
  // An output removed by hand is not re-emitted by an incremental build that thinks it current.
  if (
    existsSync(join(root, 'build')) &&
    !files.every((f) => existsSync(join(root, 'build', f.replace(/\.ts$/, '.js'))))
  )
    rmSync(join(root, 'build', '.tsbuildinfo'), { force: true });
  const tsc = require.resolve('typescript/bin/tsc');
  // tsc prints its errors on stdout; they go to stderr, which the cdk8s and cdktf CLIs show and
  // where no caller mistakes them for the synth's report.
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0) return false;
  writeFileSync(stamp, `${hash}\n`);
  return true;
}
