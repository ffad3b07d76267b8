#!/usr/bin/env node
// Runs the apps from compiled JavaScript: rebuilds build/ with tsc when a source is newer than
// the last build (so an edit is never synthesized stale), then calls build/apps/synth.js in this
// same process. Used by the npm scripts, cdk8s.yaml and cdktf.json alike.
//
// Usage: node scripts/run.mjs [all|k8s|infra] [--cdk8s-cli|--cdktf-cli]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

if (!existsSync(stamp) || statSync(stamp).mtimeMs < newestSource()) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('build failed (tsc): nothing was synthesized, and dist/ and cdktf.out/ are unchanged\n');
    process.exit(1);
  }
  writeFileSync(stamp, '');
  const now = new Date();
  utimesSync(stamp, now, now);
}

const { main } = createRequire(import.meta.url)(join(root, 'build', 'apps', 'synth.js'));
process.exitCode = main(process.argv.slice(2));
