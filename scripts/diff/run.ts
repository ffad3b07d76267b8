/**
 * `npm run diff`'s work outside the comparison: resolve the base ref, check it out in a
 * temporary `git worktree`, give it dependencies (the installed node_modules when its
 * package-lock.json is the working tree's, `npm ci` otherwise), synthesize both sides with the
 * same environment, and remove everything it made, on success, failure, SIGINT and SIGTERM.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../git';
import { type Change, compareTrees, readTree } from './compare';
import type { Sides } from './render';

/** A failure the user can act on: printed as one message, exit code 2. */
export class DiffError extends Error {}

export interface DiffOptions {
  /** The git ref to compare the working tree with. */
  readonly base: string;
  /** A directory in the repository to diff. @default process.cwd() */
  readonly cwd?: string;
  /** Where the temporary worktree and outputs go. @default os.tmpdir() */
  readonly tmpRoot?: string;
  /** The environment both synths run with. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines (stderr). */
  readonly log?: (line: string) => void;
}

export interface DiffResult {
  readonly changes: Change[];
  readonly sides: Sides;
}

/** The synth entry that runs each side (this package's, whichever tree it synthesizes). */
const SYNTH_TREE = join(__dirname, 'synth-tree.ts');
/**
 * tsx's CommonJS hook only: each side loads its apps with require(), and without tsx's ES module
 * loader (a thread of its own) a side starts in a tenth of the time.
 */
const TSX_CJS = require.resolve('tsx/cjs');

const children = new Set<ChildProcess>();
const cleanups = new Set<() => void>();

function onSignal(signal: NodeJS.Signals): void {
  for (const c of children) c.kill('SIGTERM');
  for (const clean of cleanups) clean();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** Runs one side's synth; resolves to its stderr, rejects with it when the synth fails. */
function synthSide(tree: string, outdir: string, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', TSX_CJS, SYNTH_TREE, tree, outdir], {
      cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.add(child);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      children.delete(child);
      reject(new Error(e.message));
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      if (code === 0) resolve();
      else reject(new Error(err.trim() || `exited with ${code ?? signal}`));
    });
  });
}

/** Dependencies for the base worktree: the installed ones when the lockfile is the same. */
function installBase(root: string, worktree: string, commit: string, log: (l: string) => void): void {
  const lock = 'package-lock.json';
  const baseLock = git(root, ['show', `${commit}:${lock}`]);
  const headLock = existsSync(join(root, lock)) ? readFileSync(join(root, lock), 'utf8').trim() : undefined;
  const same = baseLock.ok ? baseLock.out === headLock : headLock === undefined;
  if (same) {
    if (existsSync(join(root, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(worktree, 'node_modules'));
    return;
  }
  log(`diff: the base's ${lock} differs from the working tree's: npm ci in its temporary worktree`);
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: worktree, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new DiffError(`diff: npm ci for the base failed (exit ${r.status}); see its output above`);
}

/** Synthesizes the base and the working tree and compares them. Throws DiffError for the user. */
export async function diffAgainst(options: DiffOptions): Promise<DiffResult> {
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const env = options.env ?? process.env;
  const top = git(options.cwd ?? process.cwd(), ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new DiffError(`diff: ${options.cwd ?? process.cwd()} is not in a git repository (${top.err})`);
  const root = top.out;
  const ref = options.base;
  const resolved = ref.startsWith('-') ? undefined : git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!resolved?.ok)
    throw new DiffError(
      `diff: --base ${JSON.stringify(ref)} names no commit in ${root}: it must be a branch, tag or commit that ` +
        '`git rev-parse` resolves, such as HEAD~1 or origin/main (a shallow clone may lack it: fetch it first)',
    );
  const commit = resolved.out;
  const sides: Sides = { ref, commit: commit.slice(0, 12) };

  const tmp = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'k8s-diff-'));
  const worktree = join(tmp, 'base');
  let added = false;
  const cleanup = () => {
    if (added) git(root, ['worktree', 'remove', '--force', worktree]);
    rmSync(tmp, { recursive: true, force: true });
    if (added) git(root, ['worktree', 'prune']);
    added = false;
  };
  cleanups.add(cleanup);
  if (cleanups.size === 1) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    const add = git(root, ['worktree', 'add', '--detach', '--quiet', worktree, commit]);
    if (!add.ok)
      throw new DiffError(`diff: could not check out ${ref} (${sides.commit}) in a temporary worktree: ${add.err}`);
    added = true;
    installBase(root, worktree, commit, log);
    const [b, h] = await Promise.allSettled([
      synthSide(worktree, join(tmp, 'out-base'), root, env),
      synthSide(root, join(tmp, 'out-head'), root, env),
    ]);
    if (b.status === 'rejected')
      throw new DiffError(
        `diff: the base ${ref} (${sides.commit}) does not synthesize, so there is nothing to compare with: ` +
          (b.reason as Error).message,
      );
    if (h.status === 'rejected')
      throw new DiffError(
        `diff: the working tree does not synthesize (fix it, then diff again): ${(h.reason as Error).message}`,
      );
    const changes = compareTrees(readTree(join(tmp, 'out-base')), readTree(join(tmp, 'out-head')), {
      base: ref,
      head: 'working tree',
    });
    return { changes, sides };
  } finally {
    cleanup();
    cleanups.delete(cleanup);
    if (cleanups.size === 0) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
