/**
 * One side of `npm run diff`, run in its own process: synthesizes the checkout at `tree` (the
 * working tree or the base's temporary worktree) into `outdir`/dist and `outdir`/cdktf.out,
 * with this process's environment and current directory, so both sides read the same settings
 * and relative setting paths mean the same files. The tree's own apps run from its TypeScript
 * sources (tsx transpiles them on load), so neither side needs a build/ and the user's build/,
 * dist/ and cdktf.out/ are left as they were.
 *
 *   node --require tsx/cjs scripts/diff/synth-tree.ts <tree> <outdir>
 *
 * Exit 0 after a synth; 1 with one line on stderr when the tree does not synthesize.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What this script needs from a tree's apps/synth.ts (0.2.0 on). */
interface SynthModule {
  synthK8s(env: NodeJS.ProcessEnv, options: { outdir: string }): unknown;
  synthInfra(env: NodeJS.ProcessEnv, outdir: string, context: Record<string, unknown>, config: unknown): unknown;
  terraformContext(env: NodeJS.ProcessEnv, cwd: string): Record<string, unknown>;
  infraConfig(env: NodeJS.ProcessEnv, context: Record<string, unknown>): unknown;
  formatError(e: unknown, env: NodeJS.ProcessEnv): string;
}

function run(tree: string, outdir: string): number {
  const entry = join(tree, 'apps', 'synth.ts');
  if (!existsSync(entry)) {
    process.stderr.write(`${tree} has no apps/synth.ts: only trees with the one-process synth can be compared\n`);
    return 1;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const synth = require(entry) as Partial<SynthModule>;
  for (const name of ['synthK8s', 'synthInfra', 'terraformContext', 'infraConfig', 'formatError'] as const) {
    if (typeof synth[name] !== 'function') {
      process.stderr.write(`${entry} exports no ${name}(): only trees with the one-process synth can be compared\n`);
      return 1;
    }
  }
  const s = synth as SynthModule;
  const env = process.env;
  try {
    // As apps/synth.ts main() does: every setting is read and checked before anything is written.
    const context = s.terraformContext(env, tree);
    const config = s.infraConfig(env, context);
    s.synthK8s(env, { outdir: join(outdir, 'dist') });
    s.synthInfra(env, join(outdir, 'cdktf.out'), context, config);
    return 0;
  } catch (e) {
    process.stderr.write(`${s.formatError(e, env)}\n`);
    return 1;
  }
}

const [tree, outdir] = process.argv.slice(2);
if (!tree || !outdir) {
  process.stderr.write('usage: synth-tree.ts <tree> <outdir>\n');
  process.exitCode = 2;
} else {
  process.exitCode = run(resolve(tree), resolve(outdir));
}
