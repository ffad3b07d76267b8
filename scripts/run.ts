/**
 * Runs the apps from compiled JavaScript: rebuilds build/ with tsc unless it was built from the
 * current sources (so an edit is never synthesized stale), then calls build/apps/synth.js in
 * this same process. Used by the npm scripts, cdk8s.yaml and cdktf.json alike.
 *
 * Usage: node --import tsx scripts/run.ts [all|k8s|infra] [--cdk8s-cli|--cdktf-cli]
 *
 * The exit code is main()'s; a failed build or an app that cannot load exits 1 with one line,
 * except under the cdk8s CLI, which gets 0 and no output (as main() does on failure), so that
 * the CLI ends with its own "synthesis failed" instead of a stack trace of its own.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildIfStale, root } from './build-fresh';

const argv = process.argv.slice(2);
const failure = argv.includes('--cdk8s-cli') ? 0 : 1;

if (!buildIfStale()) {
  process.stderr.write('build failed (tsc): nothing was synthesized, and dist/ and cdktf.out/ are unchanged\n');
  process.exit(failure);
}

// tsx turns source maps on (for its transpiled files). The compiled app needs none, and with them
// on Node indexes every module it loads that names a map (cdktf's and the providers' do): about a
// fifth of a synth's CPU time. Off, the app runs as under plain node.
process.setSourceMapsEnabled(false);
let main: (argv: string[]) => number;
try {
  // The compiled app, not its sources: loaded at run time, after the build above.
  ({ main } = createRequire(__filename)(join(root, 'build', 'apps', 'synth.js')) as { main: typeof main });
} catch (e) {
  process.stderr.write(`synth failed: build/apps/synth.js does not load: ${(e as Error).message.split('\n')[0]}\n`);
  process.exit(failure);
}
process.exitCode = main(argv);
