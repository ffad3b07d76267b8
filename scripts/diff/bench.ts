// `npm run bench`'s task for `npm run diff`: a scratch clone of this repository (its committed
// HEAD, this node_modules linked in) with one commit that changes one line, diffed against the
// commit before. Warm: the lockfile is unchanged, so the base reuses the installed dependencies
// and the run costs the two synths, not an install. Removed when the bench exits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One timed task of `npm run bench`: its command, where it runs, and its targets. */
export interface BenchTask {
  name: string;
  cmd: string[];
  cwd?: string;
  target?: { seconds?: number; rssMb?: number; installSizeMb?: number };
  /** Its median is compared with the sum of these tasks' medians, and must stay within maxRatio. */
  ratioOf?: string[];
  maxRatio?: number;
  ratioLabel?: string;
}

/** The bench's tasks for the diff (scripts/bench.ts runs each with `cmd` in `cwd`). */
export function diffTasks(env: NodeJS.ProcessEnv, root = process.cwd()): BenchTask[] {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-diff-'));
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const clone = join(scratch, 'clone');
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: clone, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', root, clone], { env, encoding: 'utf8' });
  if (cloned.status !== 0) throw new Error(`git clone: ${cloned.stderr}`);
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
  // One line: the infrastructure's default node count (or, if that line moved, a comment).
  const config = join(clone, 'infra', 'config.ts');
  const text = existsSync(config) ? readFileSync(config, 'utf8') : '';
  if (text.includes('  nodeCount: 4,')) writeFileSync(config, text.replace('  nodeCount: 4,', '  nodeCount: 5,'));
  else
    writeFileSync(join(clone, 'lib', 'index.ts'), `${readFileSync(join(clone, 'lib', 'index.ts'), 'utf8')}// bench\n`);
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qam', 'one line');
  return [
    {
      name: 'npm run diff, one-line change (warm)',
      cmd: ['npm', 'run', '--silent', 'diff', '--', '--base', 'HEAD~1'],
      cwd: clone,
      // A small multiple of one synth, not of an install.
      ratioOf: ['npm run synth (one process, compiled)'],
      ratioLabel: 'one npm run synth',
      maxRatio: 4,
    },
  ];
}
