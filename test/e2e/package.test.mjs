// The constructs as other teams consume them: pack the package, install the tarball into a
// scratch project that has only the peer dependencies, compile a small consumer app with tsc,
// run it with plain node, and compare the chart it writes with this repository's own dist/.
//
// Run: npm run test:package (node's test runner; needs the npm registry for the peers).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'consumer-'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npmEnv = {
  ...process.env,
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_update_notifier: 'false',
};
let tarball;
let files;

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, env: npmEnv, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

before(() => {
  // The repository's own chart, to compare with.
  sh('npm', ['run', '--silent', 'synth:k8s'], root);
  const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', scratch], root));
  tarball = join(scratch, packed[0].filename);
  files = packed[0].files.map((f) => f.path);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

it('ships compiled JavaScript and declarations only: no sources, tests, CI, snapshots or scripts', () => {
  assert.ok(files.includes('build/lib/index.js') && files.includes('build/lib/index.d.ts'), files.join('\n'));
  assert.ok(files.includes('build/infra/index.js'));
  const unexpected = files.filter(
    (f) => !/^(build\/(lib|infra)\/.+\.(js|d\.ts)|package\.json|README\.md|docs\/decisions\.md)$/.test(f),
  );
  assert.deepEqual(
    unexpected.filter((f) => !['LICENSE', 'CHANGELOG.md'].includes(f)),
    [],
  );
});

it('ships the license, the README and the changelog', () => {
  for (const f of ['LICENSE', 'README.md', 'CHANGELOG.md']) assert.ok(files.includes(f), `${f} is not in the tarball`);
});

it('installs with only its peers (no cdktf, no providers), compiles with tsc, and writes the same chart as dist/', () => {
  const app = join(scratch, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  sh('npm', ['install', '--prefer-offline', '--no-package-lock', tarball], app);
  const installed = (name) => existsSync(join(app, 'node_modules', name));
  for (const peer of ['cdk8s', 'cdk8s-plus-27', 'constructs']) assert.ok(installed(peer), `peer ${peer} not installed`);
  for (const optional of ['cdktf', '@cdktf/provider-google', '@cdktf/provider-kubernetes', 'cdk8s-cli', 'typescript'])
    assert.ok(!installed(optional), `${optional} installed`);

  writeFileSync(
    join(app, 'main.ts'),
    [
      "import { App, Chart } from 'cdk8s';",
      `import { ZooKeeper, addRepositoryWideSkips } from '${pkg.name}';`,
      "const app = new App({ outdir: 'out' });",
      "const chart = new Chart(app, 'zookeeper', { disableResourceNameHashes: true });",
      "new ZooKeeper(chart, 'app');",
      "addRepositoryWideSkips(chart); // the project's checkov suppressions, as its own app adds them",
      'app.synth();',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['main.ts'],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  sh(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
  sh(process.execPath, ['main.js'], app);
  assert.equal(
    readFileSync(join(app, 'out', 'zookeeper.k8s.yaml'), 'utf8'),
    readFileSync(join(root, 'dist', 'zookeeper.k8s.yaml'), 'utf8'),
  );
  const size = execFileSync('du', ['-sk', join(app, 'node_modules')], { encoding: 'utf8' }).split('\t')[0];
  console.log(`consumer node_modules: ${(Number(size) / 1024).toFixed(1)} MB`);
});
