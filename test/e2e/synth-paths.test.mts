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
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'synth-paths-'));
// No CLI noise that is not ours: no checkpoint or upgrade check (no network here), no spinner.
const baseEnv: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false', CI: '1' };
delete baseEnv.TF_CLI_CONFIG_FILE; // a missing file there makes terraform warn on every call

/** sha256 of every file below the two output folders of `dir`, by path. */
function checksums(base = root): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else out[relative(base, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  for (const d of ['dist', 'cdktf.out']) if (statSync(join(base, d), { throwIfNoEntry: false })) visit(join(base, d));
  return out;
}

function run(argv: string[], env: Record<string, string> = {}, cwd = root): { status: number | null; output: string } {
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd,
    env: { ...baseEnv, ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A documented way to synthesize: its command, which apps it runs, and whether its CLI repeats the app's message. */
interface SynthPath {
  argv: string[];
  k8s?: boolean;
  infra?: boolean;
  cliRepeatsMessage?: boolean;
}

const PATHS: Record<string, SynthPath> = {
  'npm run synth': { argv: ['npm', 'run', '--silent', 'synth'], k8s: true, infra: true },
  'npm run synth:k8s': { argv: ['npm', 'run', '--silent', 'synth:k8s'], k8s: true },
  'npm run synth:infra': { argv: ['npm', 'run', '--silent', 'synth:infra'], infra: true },
  'npx cdk8s synth': { argv: ['npx', 'cdk8s', 'synth'], k8s: true },
  'npx cdktf synth': { argv: ['npx', 'cdktf', 'synth'], infra: true, cliRepeatsMessage: true },
};

const notPem = join(scratch, 'not.pem');
writeFileSync(notPem, 'not a certificate\n');
const BAD: { what: string; app: 'k8s' | 'infra'; env: Record<string, string>; message: RegExp }[] = [
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

let good: Record<string, string>;
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
  const warnings = (argv: string[]) => {
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

// The build step that every path runs first (scripts/run.ts, scripts/build-fresh.ts), on a
// copy of the project's sources, so a broken source never touches this working tree.
describe('the build before the synth', () => {
  const copy = join(scratch, 'project');
  const charts = join(copy, 'apps', 'charts.ts');
  const hello = join(copy, 'lib', 'hello-minikube.ts');
  let built: Record<string, string>;
  before(() => {
    for (const f of ['lib', 'apps', 'infra', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
      cpSync(join(root, f), join(copy, f), { recursive: true });
    for (const f of ['cdk8s.yaml', 'cdktf.json']) cpSync(join(root, f), join(copy, f));
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const r = run(['node', '--import', 'tsx', 'scripts/run.ts', 'all'], {}, copy);
    assert.equal(r.status, 0, r.output);
    built = checksums(copy);
  });

  it('a source that fails to compile stops every path with the exit code not 0, and synthesizes nothing', () => {
    const source = readFileSync(charts, 'utf8');
    writeFileSync(charts, `${source}\nexport const broken: number = 'not a number';\n`);
    try {
      for (const [name, path] of Object.entries(PATHS)) {
        // Twice: a failed build is not recorded as current, so the second run compiles (and fails) again.
        for (const attempt of [1, 2]) {
          const r = run(path.argv, {}, copy);
          assert.notEqual(r.status, 0, `${name} (run ${attempt}): ${r.output}`);
          assert.match(r.output, /error TS2322/, `${name} (run ${attempt})`);
          assert.match(r.output, /build failed \(tsc\): nothing was synthesized/, `${name} (run ${attempt})`);
          assert.doesNotMatch(r.output, STACK_TRACE, `${name} (run ${attempt})`);
          assert.deepEqual(checksums(copy), built, `${name} (run ${attempt})`);
        }
      }
    } finally {
      writeFileSync(charts, source);
    }
    const r = run(['node', '--import', 'tsx', 'scripts/run.ts', 'all'], {}, copy);
    assert.equal(r.status, 0, r.output);
    assert.deepEqual(checksums(copy), built);
  });

  it('a source changed without a newer modification time is compiled, not run stale', () => {
    const source = readFileSync(hello, 'utf8');
    const old = statSync(hello).mtime;
    assert.match(source, /Hello%20World!/);
    // As `cp -p`, tar or rsync -t leave it: new content, the old mtime (older than the last build).
    writeFileSync(hello, source.replace('Hello%20World!', 'Hello%20Stale!'));
    utimesSync(hello, old, new Date(2000, 0, 1));
    try {
      const r = run(['node', '--import', 'tsx', 'scripts/run.ts', 'k8s'], {}, copy);
      assert.equal(r.status, 0, r.output);
      assert.match(readFileSync(join(copy, 'dist', 'hello-minikube.k8s.yaml'), 'utf8'), /Hello%20Stale!/);
    } finally {
      writeFileSync(hello, source);
    }
    const r = run(['node', '--import', 'tsx', 'scripts/run.ts', 'all'], {}, copy);
    assert.equal(r.status, 0, r.output);
    assert.deepEqual(checksums(copy), built);
  });

  it('an output removed from build/ is compiled again', () => {
    rmSync(join(copy, 'build', 'apps', 'charts.js'));
    const r = run(['node', '--import', 'tsx', 'scripts/run.ts', 'k8s'], {}, copy);
    assert.equal(r.status, 0, r.output);
    assert.deepEqual(checksums(copy), built);
  });

  it("the app's exit code reaches the caller: usage error 2, bad setting 1, success 0", () => {
    assert.equal(run(['node', '--import', 'tsx', 'scripts/run.ts', 'everything'], {}, copy).status, 2);
    assert.equal(run(['node', '--import', 'tsx', 'scripts/run.ts', 'infra'], { GKE_NODE_COUNT: '3' }, copy).status, 1);
    assert.equal(run(['node', '--import', 'tsx', 'scripts/run.ts', 'infra'], {}, copy).status, 0);
  });

  it('an app that cannot load fails with one line and the exit code 1, not a stack trace', () => {
    const synth = join(copy, 'build', 'apps', 'synth.js');
    const compiled = readFileSync(synth, 'utf8');
    writeFileSync(synth, `${compiled}\nrequire('./no-such-module');\n`);
    try {
      const r = run(['node', '--import', 'tsx', 'scripts/run.ts', 'k8s'], {}, copy);
      assert.equal(r.status, 1, r.output);
      assert.match(
        r.output,
        /^synth failed: build\/apps\/synth\.js does not load: Cannot find module '\.\/no-such-module'/m,
      );
      assert.doesNotMatch(r.output, STACK_TRACE);
    } finally {
      writeFileSync(synth, compiled);
    }
  });
});
