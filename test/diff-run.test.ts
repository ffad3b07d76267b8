// npm run diff around the comparison: refs, the temporary worktree, both synths and their
// clean-up, on a small git repository whose apps/synth.ts writes one manifest and one stack.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiffError, diffAgainst } from '../scripts/diff/run';

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

let repo: string;
let tmpRoot: string;
const git = (...args: string[]) => {
  const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};
const commit = (message: string) => {
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', message);
};
/** Nothing left behind: no temporary folder, no worktree but the repository's own. */
const expectClean = () => {
  expect(readdirSync(tmpRoot).filter((f) => !f.startsWith('tsx-'))).toEqual([]); // tsx's own cache may stay
  expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  expect(existsSync(join(repo, '.git', 'worktrees')) ? readdirSync(join(repo, '.git', 'worktrees')) : []).toEqual([]);
};

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'diff-fixture-'));
  repo = join(dir, 'repo');
  tmpRoot = join(dir, 'tmp');
  mkdirSync(join(repo, 'apps'), { recursive: true });
  mkdirSync(tmpRoot);
  git('init', '-q');
  writeFileSync(join(repo, 'apps', 'synth.ts'), FIXTURE_SYNTH);
  writeFileSync(join(repo, 'manifest.yaml'), manifest(1));
  commit('one replica');
});
afterEach(() => rmSync(join(repo, '..'), { recursive: true, force: true }));

/**
 * The environment of both sides. Each side's tsx transpiles the fixture's apps/synth.ts at a path
 * it has not seen (its cache is per path), and esbuild then starts a worker thread besides its
 * service for that one file: about 0.1 s of CPU per side, half of it without the thread.
 */
const env = { ...process.env, ESBUILD_WORKER_THREADS: '0' };
const run = (base: string) => diffAgainst({ base, cwd: repo, tmpRoot, env, log: () => undefined });

it('compares the working tree with a ref: one changed object with its lines, then no change', async () => {
  writeFileSync(join(repo, 'manifest.yaml'), manifest(2));
  const changed = await run('HEAD');
  expect(changed.changes.map((c) => [c.status, c.title])).toEqual([['changed', 'Deployment demo (apps/v1)']]);
  expect(changed.changes[0].diff).toContain('-  replicas: 1\n+  replicas: 2');
  expect(changed.sides).toEqual({ ref: 'HEAD', commit: git('rev-parse', 'HEAD').slice(0, 12) });
  expectClean();
  commit('two replicas');
  expect((await run('HEAD')).changes).toEqual([]);
  expectClean();
}, 30_000);

it('refuses a ref git cannot resolve, naming it and the rule, before making anything', async () => {
  const err = await run('no-such-branch').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DiffError);
  expect((err as Error).message).toMatch(
    /--base "no-such-branch" names no commit in .*: it must be a branch, tag or commit/,
  );
  expect(((await run('--upload-pack=x').catch((e: unknown) => e)) as Error).message).toMatch(/names no commit/);
  expectClean();
});

it('reports a base that does not synthesize with its ref and error, and leaves nothing behind', async () => {
  writeFileSync(join(repo, 'FAIL'), '');
  commit('a base that fails');
  rmSync(join(repo, 'FAIL'));
  const err = await run('HEAD').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DiffError);
  expect((err as Error).message).toMatch(
    /^diff: the base HEAD \([0-9a-f]{12}\) does not synthesize, so there is nothing to compare with: demo: replicas must be at least 1$/,
  );
  expectClean();
}, 30_000);

it('reports a working tree that does not synthesize', async () => {
  writeFileSync(join(repo, 'FAIL'), '');
  const err = await run('HEAD').catch((e: unknown) => e);
  expect((err as Error).message).toBe(
    'diff: the working tree does not synthesize (fix it, then diff again): demo: replicas must be at least 1',
  );
  expectClean();
}, 30_000);

it('removes its worktree when stopped with SIGTERM while synthesizing', async () => {
  writeFileSync(join(repo, 'SLOW'), '');
  commit('a slow synth');
  const main = join(__dirname, '..', 'scripts', 'diff', 'main.ts');
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), main, '--base', 'HEAD'], {
    cwd: repo,
    env: { ...env, TMPDIR: tmpRoot },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Wait until the base is checked out and both synths run (each writes `started`, then hangs).
  const bothRunning = () => {
    const tmp = readdirSync(tmpRoot).find((f) => f.startsWith('k8s-diff-'));
    return (
      tmp !== undefined &&
      ['out-base', 'out-head'].every((side) => existsSync(join(tmpRoot, tmp, side, 'dist', 'started'))) &&
      git('worktree', 'list').includes('k8s-diff-')
    );
  };
  const started = Date.now();
  while (!bothRunning()) {
    if (Date.now() - started > 20_000) throw new Error('the diff never ran both synths');
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGTERM');
  expect(await exited).toBe(143);
  expectClean();
}, 40_000);
