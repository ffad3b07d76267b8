// The root-import variant of `npm run synth:infra`, for scripts/bench.ts: the same cdktf app,
// synthesized by `cdktf synth` with tsx (scripts/bench-tsx-entry.ts), but with every `@cdktf/provider-google/lib/<module>`
// import answered from the package root (`require('@cdktf/provider-google').<module>`), as an
// app written with `import { containerCluster } from '@cdktf/provider-google'` would load it.
// BENCH_ROOT_IMPORT_REPORT=1 prints how many imports were redirected (and cdktf's output).
// It writes a preload script and the output into a temporary directory and removes both.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PRELOAD = `
const Module = require('module');
const load = Module._load;
let redirected = 0;
Module._load = function (request, parent, isMain) {
  const m = /^@cdktf\\/provider-google\\/lib\\/([a-z0-9-]+)$/.exec(request);
  if (m === null) return load.apply(this, arguments);
  redirected += 1;
  const root = load.call(this, '@cdktf/provider-google', parent, isMain);
  const name = m[1].replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
  if (!(name in root)) throw new Error('the package root exports no ' + name);
  return root[name];
};
process.on('exit', () => {
  if (process.env.BENCH_ROOT_IMPORT_REPORT) process.stderr.write('bench-infra-root-import: redirected ' + redirected + ' imports to the package root\\n');
  if (redirected === 0) {
    process.stderr.write('bench-infra-root-import: no @cdktf/provider-google submodule import was redirected\\n');
    process.exitCode = 1;
  }
});
`;

const dir = mkdtempSync(join(tmpdir(), 'bench-infra-root-'));
let status = 1;
try {
  const preload = join(dir, 'root-import.cjs');
  writeFileSync(preload, PRELOAD);
  const out = join(dir, 'cdktf.out');
  const app = `node --require ${JSON.stringify(preload)} --import tsx scripts/bench-tsx-entry.ts infra --cdktf-cli`;
  const r = spawnSync('npx', ['cdktf', 'synth', '--app', app, '--output', out], {
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  status = r.status ?? 1;
  if (status === 0 && !existsSync(join(out, 'stacks', 'tutorials-gke', 'cdk.tf.json'))) {
    process.stderr.write('bench-infra-root-import: cdktf synth wrote no tutorials-gke stack\n');
    status = 1;
  }
  if (status !== 0 || process.env.BENCH_ROOT_IMPORT_REPORT) process.stderr.write(r.stdout + r.stderr);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
