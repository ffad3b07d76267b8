// npm run diff around the comparison: refs, the temporary worktree, both synths and their
// clean-up, on a small git repository whose apps/synth.ts writes one manifest and one stack.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiffError, type DiffResult, diffAgainst } from '../scripts/diff/run';

// The fixture's synth: the manifest is manifest.yaml, a FAIL file makes it throw, SLOW makes it
// write `started` into its output folder and hang.
const FIXTURE_SYNTH = `
import * as fs from 'fs';
import * as path from 'path';
const tree = path.join(__dirname, '..');
export function terraformContext() { return {}; }
export function infraConfig() { return {}; }
export function formatError(e: Error) { return e.message; }
export function synthK8s(_env: unknown, o: { outdir: string }) {
  if (fs.existsSync(path.join(tree, 'FAIL'))) throw new Error('demo: replicas must be at least 1');
  fs.mkdirSync(o.outdir, { recursive: true });
  if (fs.existsSync(path.join(tree, 'SLOW'))) {
    fs.writeFileSync(path.join(o.outdir, 'started'), '');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
  }
  fs.copyFileSync(path.join(tree, 'manifest.yaml'), path.join(o.outdir, 'demo.k8s.yaml'));
}
export function synthInfra(_env: unknown, outdir: string) {
  fs.mkdirSync(path.join(outdir, 'stacks', 'demo'), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'stacks', 'demo', 'cdk.tf.json'), JSON.stringify({ output: { name: { value: 'demo' } } }));
}
`;
const manifest = (replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: demo\nspec:\n  replicas: ${replicas}\n---\n` +
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: demo\nspec:\n  ports:\n    - port: 80\n';

/** A fixture repository with one commit (one replica), and the diff's temporary folder beside it. */
interface Fixture {
  readonly repo: string;
  readonly tmpRoot: string;
  git(...args: string[]): string;
  commit(message: string): void;
  /** Writes (or with `undefined`, removes) a file of the working tree. */
  write(file: string, content: string | undefined): void;
  /** `npm run diff --base <base>` in the fixture, as scripts/diff/main.ts runs it. */
  diff(base: string): Promise<DiffResult>;
  /** Nothing left behind: no temporary folder, no worktree but the repository's own. */
  expectClean(): void;
  remove(): void;
}

/**
 * The environment of both sides. Each side's tsx transpiles the fixture's apps/synth.ts at a path
 * it has not seen (its cache is per path), and esbuild then starts a worker thread besides its
 * service for that one file: about 0.1 s of CPU per side, half of it without the thread.
 */
const env = { ...process.env, ESBUILD_WORKER_THREADS: '0' };

function fixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'diff-fixture-'));
  const repo = join(dir, 'repo');
  const tmpRoot = join(dir, 'tmp');
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  const f: Fixture = {
    repo,
    tmpRoot,
    git,
    commit: (message) => {
      git('add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', message);
    },
    write: (file, content) =>
      content === undefined ? rmSync(join(repo, file)) : writeFileSync(join(repo, file), content),
    diff: (base) => diffAgainst({ base, cwd: repo, tmpRoot, env, log: () => undefined }),
    expectClean: () => {
      expect(readdirSync(tmpRoot).filter((e) => !e.startsWith('tsx-'))).toEqual([]); // tsx's own cache may stay
      expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
      const worktrees = join(repo, '.git', 'worktrees');
      expect(existsSync(worktrees) ? readdirSync(worktrees) : []).toEqual([]);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  mkdirSync(join(repo, 'apps'), { recursive: true });
  mkdirSync(tmpRoot);
  git('init', '-q');
  f.write('apps/synth.ts', FIXTURE_SYNTH);
  f.write('manifest.yaml', manifest(1));
  f.commit('one replica');
  return f;
}

/** Runs `test` on a new fixture, and removes the fixture however it ends. */
async function onFixture(test: (f: Fixture) => Promise<void>): Promise<void> {
  const f = fixture();
  try {
    await test(f);
  } finally {
    f.remove();
  }
}

/**
 * The comparisons below (one of them stopped half-way) start together when this file loads, each
 * on its own fixture, and each test awaits its own, assertions included: a comparison mostly
 * waits for its two synth processes, and one after the other they left a core idle. A rejection
 * is handled at once, so it waits for its test.
 */
const comparisons: Record<'changed' | 'failingBase' | 'failingTree' | 'stopped', Promise<void>> = {
  changed: onFixture(async (f) => {
    f.write('manifest.yaml', manifest(2));
    const changed = await f.diff('HEAD');
    expect(changed.changes.map((c) => [c.status, c.title])).toEqual([['changed', 'Deployment demo (apps/v1)']]);
    expect(changed.changes[0].diff).toContain('-  replicas: 1\n+  replicas: 2');
    expect(changed.sides).toEqual({ ref: 'HEAD', commit: f.git('rev-parse', 'HEAD').slice(0, 12) });
    f.expectClean();
    f.commit('two replicas');
    expect((await f.diff('HEAD')).changes).toEqual([]);
    f.expectClean();
  }),
  failingBase: onFixture(async (f) => {
    f.write('FAIL', '');
    f.commit('a base that fails');
    f.write('FAIL', undefined);
    const err = await f.diff('HEAD').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiffError);
    expect((err as Error).message).toMatch(
      /^diff: the base HEAD \([0-9a-f]{12}\) does not synthesize, so there is nothing to compare with: demo: replicas must be at least 1$/,
    );
    f.expectClean();
  }),
  failingTree: onFixture(async (f) => {
    f.write('FAIL', '');
    const err = await f.diff('HEAD').catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'diff: the working tree does not synthesize (fix it, then diff again): demo: replicas must be at least 1',
    );
    f.expectClean();
  }),
  stopped: onFixture(async (f) => {
    f.write('SLOW', '');
    f.commit('a slow synth');
    const main = join(__dirname, '..', 'scripts', 'diff', 'main.ts');
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), main, '--base', 'HEAD'], {
      cwd: f.repo,
      env: { ...env, TMPDIR: f.tmpRoot },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // Wait until the base is checked out and both synths run (each writes `started`, then hangs).
      const bothRunning = () => {
        const tmp = readdirSync(f.tmpRoot).find((e) => e.startsWith('k8s-diff-'));
        return (
          tmp !== undefined &&
          ['out-base', 'out-head'].every((side) => existsSync(join(f.tmpRoot, tmp, side, 'dist', 'started'))) &&
          f.git('worktree', 'list').includes('k8s-diff-')
        );
      };
      const started = Date.now();
      while (!bothRunning()) {
        if (Date.now() - started > 20_000) throw new Error('the diff never ran both synths');
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(143);
      f.expectClean();
    } finally {
      // On a failure above, the diff stops its synths and removes its worktree on SIGTERM too.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    }
  }),
};
for (const c of Object.values(comparisons)) c.catch(() => undefined);
afterAll(() => Promise.allSettled(Object.values(comparisons)), 40_000);

it(
  'compares the working tree with a ref: one changed object with its lines, then no change',
  () => comparisons.changed,
  30_000,
);

it('refuses a ref git cannot resolve, naming it and the rule, before making anything', () =>
  onFixture(async (f) => {
    const err = await f.diff('no-such-branch').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiffError);
    expect((err as Error).message).toMatch(
      /--base "no-such-branch" names no commit in .*: it must be a branch, tag or commit/,
    );
    expect(((await f.diff('--upload-pack=x').catch((e: unknown) => e)) as Error).message).toMatch(/names no commit/);
    f.expectClean();
  }));

it(
  'reports a base that does not synthesize with its ref and error, and leaves nothing behind',
  () => comparisons.failingBase,
  30_000,
);

it('reports a working tree that does not synthesize', () => comparisons.failingTree, 30_000);

it('removes its worktree when stopped with SIGTERM while synthesizing', () => comparisons.stopped, 40_000);
