/* eslint-disable @typescript-eslint/no-explicit-any -- the charts' YAML is read loosely */
// The constructs as other teams consume them: pack the package, install the tarball into a
// scratch project that has only the peer dependencies, compile a small consumer app with tsc,
// run it with plain node, and compare the chart it writes with this repository's own dist/.
// Then the same for examples/consumer (the README's library section points there): its warnings,
// its exposure limits, two copies side by side, WordPress with ClusterIP, and a refused clash.
//
// Run: npm run test:package (node's test runner; needs the npm registry for the peers).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'consumer-'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npmEnv = {
  ...process.env,
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_update_notifier: 'false',
};
let tarball: string;
let files: string[];

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, env: npmEnv, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

before(() => {
  // The repository's own chart, to compare with.
  sh('npm', ['run', '--silent', 'synth:k8s'], root);
  const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', scratch], root));
  tarball = join(scratch, packed[0].filename);
  files = (packed[0].files as { path: string }[]).map((f) => f.path);
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
  const installed = (name: string) => existsSync(join(app, 'node_modules', name));
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
  sh(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
  sh(process.execPath, ['main.js'], app);
  assert.equal(
    readFileSync(join(app, 'out', 'zookeeper.k8s.yaml'), 'utf8'),
    readFileSync(join(root, 'dist', 'zookeeper.k8s.yaml'), 'utf8'),
  );
  const size = execFileSync('du', ['-sk', join(app, 'node_modules')], { encoding: 'utf8' }).split('\t')[0];
  console.log(`consumer node_modules: ${(Number(size) / 1024).toFixed(1)} MB`);
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const example = join(scratch, 'example');
const OPEN =
  "is open to every address on the internet: limit it with the construct's loadBalancerSourceRanges prop, or setLoadBalancerSourceRanges(app, ranges) for the whole app";

/** Runs the compiled example (or another file of it) with `env`; never throws. */
function runExample(file: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [file], { cwd: example, env: { ...npmEnv, ...env }, encoding: 'utf8' });
}
const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning: '));
const docsOf = (dir: string, chart: string): any[] =>
  parseAllDocuments(readFileSync(join(example, dir, `${chart}.k8s.yaml`), 'utf8')).map((d) => d.toJSON());

it('builds examples/consumer against the tarball and runs it', () => {
  mkdirSync(example);
  for (const f of ['main.ts', 'tsconfig.json', 'package.json'])
    copyFileSync(join(root, 'examples', 'consumer', f), join(example, f));
  // The example's own dependencies (its TypeScript and Node types too), then the tarball, as its README says.
  sh('npm', ['install', '--prefer-offline', '--no-package-lock'], example);
  sh('npm', ['install', '--prefer-offline', '--no-package-lock', tarball], example);
  sh(process.execPath, [join(example, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], example);
  assert.ok(existsSync(join(example, 'main.js')));
});

it('example: warns for the LoadBalancer left open, once, on stderr, from app.synth()', () => {
  const r = runExample('main.js', { OUTDIR: 'open', ALLOWED_RANGES: '' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(warnings(r.stderr), [
    `warning: guestbooks/staging: LoadBalancer Service "staging-frontend" ${OPEN}`,
  ]);
});

it('example: ranges set through setLoadBalancerSourceRanges reach every LoadBalancer; the prop wins; no warning', () => {
  const r = runExample('main.js', { OUTDIR: 'limited', ALLOWED_RANGES: '203.0.113.0/24' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(warnings(r.stderr), []);
  const lbs = docsOf('limited', 'guestbooks').filter((d) => d.kind === 'Service' && d.spec.type === 'LoadBalancer');
  assert.deepEqual(
    lbs.map((d) => [d.metadata.name, d.spec.loadBalancerSourceRanges]),
    [
      ['staging-frontend', ['203.0.113.0/24']],
      ['demo-frontend', ['198.51.100.0/24']],
    ],
  );
  const bad = runExample('main.js', { OUTDIR: 'bad', ALLOWED_RANGES: '0.0.0.0/0' });
  assert.notEqual(bad.status, 0);
  assert.match(
    bad.stderr,
    /setLoadBalancerSourceRanges: ranges is \["0\.0\.0\.0\/0"\]; has "0\.0\.0\.0\/0", which must not be 0\.0\.0\.0\/0/,
  );
  assert.ok(!existsSync(join(example, 'bad', 'guestbooks.k8s.yaml')));
});

it('example: two Guestbooks with namePrefix side by side in one namespace, each selecting only its own Pods', () => {
  const docs = docsOf('limited', 'guestbooks');
  assert.ok(docs.every((d) => d.metadata.namespace === 'team-a'));
  const names = docs.map((d) => `${d.kind}/${d.metadata.name}`);
  assert.equal(new Set(names).size, names.length, names.join('\n'));
  for (const prefix of ['staging', 'demo']) {
    const own = docs.filter((d) => d.metadata.name.startsWith(`${prefix}-`));
    assert.equal(own.length, docs.length / 2);
    for (const svc of own.filter((d) => d.kind === 'Service'))
      assert.equal(svc.spec.selector['app.kubernetes.io/instance'], prefix, svc.metadata.name);
    for (const dep of own.filter((d) => d.kind === 'Deployment'))
      assert.equal(dep.spec.template.metadata.labels['app.kubernetes.io/instance'], prefix, dep.metadata.name);
  }
  const frontend = docs.find((d) => d.metadata.name === 'demo-frontend' && d.kind === 'Deployment');
  const env = Object.fromEntries(frontend.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
  assert.equal(env.REDIS_LEADER_SERVICE_HOST, 'demo-redis-master');
});

it('example: WordPress with a ClusterIP Service (no type written, no ranges, no warning)', () => {
  const svc = docsOf('limited', 'blog').find((d) => d.kind === 'Service' && d.metadata.name === 'wordpress');
  assert.equal(svc.spec.type, undefined);
  assert.equal(svc.spec.loadBalancerSourceRanges, undefined);
});

it('a consumer app that writes the same object from two charts is refused at synth, naming both constructs', () => {
  writeFileSync(
    join(example, 'clash.ts'),
    [
      "import { App, Chart } from 'cdk8s';",
      `import { Guestbook } from '${pkg.name}';`,
      "const app = new App({ outdir: 'clash' });",
      "new Guestbook(new Chart(app, 'one', { namespace: 'team-a', disableResourceNameHashes: true }), 'guestbook');",
      "new Guestbook(new Chart(app, 'two', { namespace: 'team-a', disableResourceNameHashes: true }), 'guestbook');",
      'app.synth();',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(example, 'tsconfig.clash.json'),
    JSON.stringify({ extends: './tsconfig.json', files: ['clash.ts'] }),
  );
  sh(process.execPath, [tsc, '-p', 'tsconfig.clash.json'], example);
  const r = runExample('clash.js', {});
  assert.notEqual(r.status, 0);
  assert.ok(
    r.stderr.includes(
      "Guestbook at 'two/guestbook': object is Deployment \"redis-master\"; must be the only one of its kind and name in namespace team-a across the charts of the app, but Guestbook at 'one/guestbook' in chart 'one' writes it too (give one of them another namespace or namePrefix)",
    ),
    r.stderr,
  );
  assert.ok(!existsSync(join(example, 'clash', 'two.k8s.yaml')));
});
