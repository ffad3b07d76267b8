#!/usr/bin/env node
// Runs the apps from compiled JavaScript: rebuilds build/ with tsc when a source is newer than
// the last build (so an edit is never synthesized stale), then calls build/apps/synth.js in this
// same process. Used by the npm scripts, cdk8s.yaml and cdktf.json alike.
//
// Usage: node scripts/run.mjs [all|k8s|infra] [--cdk8s-cli|--cdktf-cli]
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildIfStale, root } from './build-fresh.mjs';

if (!buildIfStale()) {
  process.stderr.write('build failed (tsc): nothing was synthesized, and dist/ and cdktf.out/ are unchanged\n');
  process.exit(1);
}

const { main } = createRequire(import.meta.url)(join(root, 'build', 'apps', 'synth.js'));
process.exitCode = main(process.argv.slice(2));
