// npm run diff on real synths: a clone of this repository with one commit that changes a
// construct default and an infrastructure default. The diff against the commit before must name
// exactly the two changed objects with their changed lines, and no unchanged tutorial; against
// the commit itself it reports no change.
//
// Run: npm run test:diff (node's test runner; no network: the clone uses this node_modules).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'diff-e2e-'));
const clone = join(scratch, 'clone');
const env = { ...process.env, TMPDIR: scratch, npm_config_update_notifier: 'false' };

function sh(cmd: string, args: string[], cwd = clone) {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
}
function edit(file: string, from: string, to: string): void {
  const path = join(clone, file);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.includes(from), `${file} no longer contains ${from}: update this test`);
  writeFileSync(path, text.replace(from, to));
}

before(() => {
  assert.equal(sh('git', ['clone', '--quiet', '--no-hardlinks', root, clone], root).status, 0);
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
  edit(
    'lib/external-ip.ts',
    "v.replicas(this, 'replicas', props.replicas ?? 5)",
    "v.replicas(this, 'replicas', props.replicas ?? 6)",
  );
  edit('infra/config.ts', "  machineType: 'e2-standard-2',", "  machineType: 'e2-standard-4',");
  const commit = sh('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'new defaults']);
  assert.equal(commit.status, 0, commit.stderr);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

it('names exactly the changed Deployment and node pool with their changed lines, and no unchanged tutorial', () => {
  const r = sh('npm', ['run', '--silent', 'diff', '--', '--base', 'HEAD~1', '--exit-code']);
  assert.equal(r.status, 1, `--exit-code exits 1 on a change\n${r.stdout}${r.stderr}`);
  const out = r.stdout;
  const headings = out.split('\n').filter((l) => /^[~+-] (changed|added|removed) /.test(l));
  assert.deepEqual(headings, [
    '~ changed Deployment hello-world (apps/v1) in dist/external-ip.k8s.yaml',
    '~ changed google_container_node_pool.node-pool_48B9C7AA in cdktf.out/stacks/tutorials-gke/cdk.tf.json',
  ]);
  const changed = out.split('\n').filter((l) => /^[-+] /.test(l) && !/^[-+] (changed|added|removed) /.test(l));
  assert.deepEqual(changed, [
    '-  replicas: 5',
    '+  replicas: 6',
    '-    "machine_type": "e2-standard-2",',
    '+    "machine_type": "e2-standard-4",',
  ]);
  // Each tutorial is one dist/ file: only external-ip's and the GKE stack are named.
  // (A replica count that stays at two or more changes no budget or spread: one object.)
  assert.deepEqual([...new Set(out.match(/(dist|cdktf\.out)\/[\w./-]+/g))].sort(), [
    'cdktf.out/stacks/tutorials-gke/cdk.tf.json',
    'dist/external-ip.k8s.yaml',
  ]);
  assert.match(
    out.split('\n')[0],
    /^Against HEAD~1 \([0-9a-f]{12}\): 2 changes \(2 changed, 0 added, 0 removed\) in 2 files: dist\/external-ip\.k8s\.yaml \(Deployment 1 changed\); cdktf\.out\/stacks\/tutorials-gke\/cdk\.tf\.json \(google_container_node_pool 1 changed\)$/,
  );
  // Nothing left behind: only the clone (and tsx's cache) in the temporary folder, one worktree.
  assert.deepEqual(
    readdirSync(scratch).filter((f) => !f.startsWith('tsx-')),
    ['clone'],
  );
  assert.equal(sh('git', ['worktree', 'list']).stdout.trim().split('\n').length, 1);
});

it('reports no change against an equal tree, and exits 0 with --exit-code', () => {
  const r = sh('npm', ['run', '--silent', 'diff', '--', '--base', 'HEAD', '--exit-code', '--format', 'markdown']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^<!-- k8s-tutorials-as-code: npm run diff -->\n/);
  assert.match(
    r.stdout,
    /No change: the working tree synthesizes the same manifests and stacks as HEAD \([0-9a-f]{12}\)\./,
  );
});
