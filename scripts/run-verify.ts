/**
 * `npm run verify`: the tutorials' own checks on a live cluster (apps/verify/main.ts). Runs the
 * compiled JavaScript, rebuilt first when a source changed, as scripts/run.ts does for synth:
 * one tsc build shared with synth and the package, and the cluster connection and the Ctrl-C
 * clean-up in the compiled code.
 *
 * Usage: npm run verify -- [tutorial ...] [--namespace-prefix p] [--keep] [--timeout 10m] [--junit file] [--context name] [--include-shared] [--list]
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildIfStale, root } from './build-fresh';

if (!buildIfStale()) {
  process.stderr.write('verify: build failed (tsc): nothing was run\n');
  process.exit(2);
}
// As in scripts/run.ts: no source-map indexing of the compiled modules.
process.setSourceMapsEnabled(false);
const { cli } = createRequire(__filename)(join(root, 'build', 'apps', 'verify', 'main.js')) as {
  cli: (argv: string[]) => void;
};
cli(process.argv.slice(2));
