#!/usr/bin/env node
// `npm run verify`: the tutorials' own checks on a live cluster (apps/verify/main.ts). Runs the
// compiled JavaScript, rebuilt first when a source changed, as scripts/run.mjs does for synth:
// one tsc build shared with synth and the package, and no transpiler in the process that holds
// the cluster connection and the Ctrl-C clean-up.
//
// Usage: npm run verify -- [tutorial ...] [--namespace-prefix p] [--keep] [--timeout 10m] [--junit file] [--context name] [--include-shared] [--list]
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildIfStale, root } from './build-fresh.mjs';

if (!buildIfStale()) {
  process.stderr.write('verify: build failed (tsc): nothing was run\n');
  process.exit(2);
}
createRequire(import.meta.url)(join(root, 'build', 'apps', 'verify', 'main.js')).cli(process.argv.slice(2), root);
