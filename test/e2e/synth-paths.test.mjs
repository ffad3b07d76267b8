// Every documented way to synthesize, driven as a user would: the npm scripts and the two CLIs
// run directly. A bad setting or prop must stop each path with one clean message (construct or
// setting, prop, value, rule), no stack trace and a non-zero exit code, and leave dist/ and
// cdktf.out/ byte-identical; a good run must write the same bytes on every path.
//
// Run: npm run test:paths (node's test runner; slow, so not part of `npm test`).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'synth-paths-'));
// No CLI noise that is not ours: no checkpoint or upgrade check (no network here), no spinner.
const baseEnv = { ...process.env, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false', CI: '1' };
delete baseEnv.TF_CLI_CONFIG_FILE; // a missing file there makes terraform warn on every call

/** sha256 of every file below the two output folders, by path. */
function checksums() {
  const out = {};
  const visit = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else out[relative(root, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  for (const d of ['dist', 'cdktf.out']) if (statSync(join(root, d), { throwIfNoEntry: false })) visit(join(root, d));
  return out;
}

function run(argv, env = {}) {
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: root,
    env: { ...baseEnv, ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const PATHS = {
  'npm run synth': { argv: ['npm', 'run', '--silent', 'synth'], k8s: true, infra: true },
  'npm run synth:k8s': { argv: ['npm', 'run', '--silent', 'synth:k8s'], k8s: true },
  'npm run synth:infra': { argv: ['npm', 'run', '--silent', 'synth:infra'], infra: true },
  'npx cdk8s synth': { argv: ['npx', 'cdk8s', 'synth'], k8s: true },
  'npx cdktf synth': { argv: ['npx', 'cdktf', 'synth'], infra: true, cliRepeatsMessage: true },
};

const notPem = join(scratch, 'not.pem');
writeFileSync(notPem, 'not a certificate\n');
const BAD = [
  {
    what: 'a bad cdk8s setting',
    app: 'k8s',
    env: { MYSQL_PASSWORD_FILE: join(scratch, 'missing') },
    message: /^cdk8s app settings: MYSQL_PASSWORD_FILE is ".*missing"; must name a readable file/m,
  },
  {
    what: 'a bad construct prop',
    app: 'k8s',
    env: { NGINX_TLS_CERT_FILE: notPem, NGINX_TLS_KEY_FILE: notPem },
    message:
      /^NginxHttps at 'nginx-https\/app': prop 'tls.certificatePem' is "<\d+ characters>"; must be a PEM certificate/m,
  },
  {
    what: 'a bad cdktf setting',
    app: 'infra',
    env: { GKE_NODE_COUNT: '3' },
    message: /cdktf app settings: GKE_NODE_COUNT is "3"; must be an integer between 4 and 100/,
  },
];
const STACK_TRACE = /^\s+at .+(:\d+:\d+\)?|\(node:internal.*\))$/m;

let good;
before(() => {
  const r = run(PATHS['npm run synth'].argv);
  assert.equal(r.status, 0, r.output);
  good = checksums();
  assert.ok(
    Object.keys(good).some((f) => f.startsWith('dist/')) && Object.keys(good).some((f) => f.startsWith('cdktf.out/')),
  );
});
after(() => rmSync(scratch, { recursive: true, force: true }));

for (const [name, path] of Object.entries(PATHS)) {
  describe(name, () => {
    for (const bad of BAD.filter((b) => path[b.app])) {
      it(`stops on ${bad.what}: one clean message, no stack trace, exit code not 0, outputs unchanged`, () => {
        const r = run(path.argv, bad.env);
        assert.notEqual(r.status, 0, r.output);
        const count = r.output.split('\n').filter((l) => bad.message.test(l.trim())).length;
        // The cdktf CLI shows the app's stderr live and again in its own error report.
        if (path.cliRepeatsMessage) assert.ok(count >= 1, r.output);
        else assert.equal(count, 1, r.output);
        assert.doesNotMatch(r.output, STACK_TRACE);
        assert.deepEqual(checksums(), good);
      });
    }
    it('writes the same bytes as npm run synth', () => {
      const r = run(path.argv);
      assert.equal(r.status, 0, r.output);
      assert.doesNotMatch(r.output, /ERROR|Error:/);
      assert.deepEqual(checksums(), good);
    });
  });
}

it('npx cdk8s synth prints the same warnings as npm run synth:k8s', () => {
  const warnings = (argv) => {
    const r = run(argv, { LOAD_BALANCER_SOURCE_RANGES: '', GKE_ALLOWED_SOURCE_RANGES: '' });
    assert.equal(r.status, 0, r.output);
    return r.output.split('\n').filter((l) => l.startsWith('warning: '));
  };
  const ours = warnings(PATHS['npm run synth:k8s'].argv);
  assert.ok(
    ours.some((w) => w.includes('is open to every address')),
    ours.join('\n'),
  );
  assert.deepEqual(warnings(PATHS['npx cdk8s synth'].argv), ours);
});
