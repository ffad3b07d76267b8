import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { ValidationError, ZooKeeper, ZooKeeperProps } from '../lib';
import { settingsFromEnv } from '../apps/settings';
import { inDirectory, synthConstructs, tempDir, testApp, withEnv } from './harness';
import { publishDirectory } from '../apps/publish';
import { buildApp, chartWarnings } from '../apps/app';
import { LOAD_BALANCER_SERVICES, loadBalancerKey } from '../lib/contracts/load-balancers';
import {
  formatError,
  formatReport,
  infraConfig,
  main,
  objectCount,
  synthInfra as synthInfraApp,
  synthK8s,
  terraformContext,
} from '../apps/synth';
import { TUTORIAL_CHARTS } from '../apps/charts';
import { LinearApp } from '../apps/linear-app';

const tmp = () => tempDir('publish-');
const read = (dir: string) =>
  Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

describe('publishDirectory', () => {
  it('replaces the target with what was written, and leaves no staging or previous directory', () => {
    const root = tmp();
    const target = path.join(root, 'out');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'old.yaml'), 'old');
    publishDirectory(target, (staging) => fs.writeFileSync(path.join(staging, 'new.yaml'), 'new'));
    expect(read(target)).toEqual({ 'new.yaml': 'new' });
    expect(fs.readdirSync(root)).toEqual(['out']);
  });

  it('keeps the previous target byte-identical when writing fails half-way', () => {
    const root = tmp();
    const target = path.join(root, 'out');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'a.yaml'), 'previous');
    expect(() =>
      publishDirectory(target, (staging) => {
        fs.writeFileSync(path.join(staging, 'a.yaml'), 'half');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(read(target)).toEqual({ 'a.yaml': 'previous' });
    expect(fs.readdirSync(root)).toEqual(['out']);
  });

  it('puts the previous target back when the staging directory cannot take its place', () => {
    const root = tmp();
    const target = path.join(root, 'out');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'a.yaml'), 'previous');
    // A staging directory that is gone by the time it should replace the target.
    expect(() => publishDirectory(target, (staging) => fs.rmSync(staging, { recursive: true }))).toThrow(/ENOENT/);
    expect(read(target)).toEqual({ 'a.yaml': 'previous' });
    expect(fs.readdirSync(root).filter((f) => f !== 'out')).toEqual([]);
    // Without a previous target, the error is the staging directory's own.
    const fresh = path.join(root, 'fresh');
    expect(() => publishDirectory(fresh, (staging) => fs.rmSync(staging, { recursive: true }))).toThrow(
      /ENOENT.*rename '[^']*fresh\.staging-\d+'/,
    );
    expect(fs.existsSync(fresh)).toBe(false);
  });

  it('clears a staging directory left with files by a killed run of the same process id (PID 1 in a container)', () => {
    const root = tmp();
    const target = path.join(root, 'out');
    fs.mkdirSync(`${target}.staging-${process.pid}`);
    fs.writeFileSync(path.join(`${target}.staging-${process.pid}`, 'stale.yaml'), 'stale');
    publishDirectory(target, (staging) => fs.writeFileSync(path.join(staging, 'new.yaml'), 'new'));
    expect(read(target)).toEqual({ 'new.yaml': 'new' });
    expect(fs.readdirSync(root)).toEqual(['out']);
  });

  it('creates the folders above a target that had none', () => {
    const target = path.join(tmp(), 'build', 'out', 'dist');
    publishDirectory(target, (staging) => fs.writeFileSync(path.join(staging, 'x'), '1'));
    expect(read(target)).toEqual({ x: '1' });
  });

  it('creates the target when there was none', () => {
    const target = path.join(tmp(), 'fresh');
    publishDirectory(target, (staging) => fs.writeFileSync(path.join(staging, 'x'), '1'));
    expect(read(target)).toEqual({ x: '1' });
  });
});

describe('buildApp', () => {
  it("names an object without a name of its own after its path alone, without cdk8s's hash suffix", () => {
    const { charts } = buildApp({}, path.join(tmp(), 'dist'));
    const added = new ApiObject(charts.get('hello-minikube')!, 'extra', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(added.name).toBe('hello-minikube-extra');
  });

  it('warns of no ephemeral address when the addresses cover every LoadBalancer Service', () => {
    const all = Object.fromEntries(LOAD_BALANCER_SERVICES.map((s, i) => [loadBalancerKey(s), `203.0.113.${i + 1}`]));
    const settings = { loadBalancerAddresses: all, loadBalancerSourceRanges: ['203.0.113.0/24'] };
    const { app } = buildApp(settings, path.join(tmp(), 'dist'));
    expect(chartWarnings(app, settings)).toEqual([]);
  });
});

describe('synth output', () => {
  it("counts a chart's objects as Chart.toJson() writes them: its own, not a nested chart's", () => {
    const app = new App({ outdir: path.join(tmp(), 'dist') });
    const outer = new Chart(app, 'outer');
    const inner = new Chart(outer, 'inner');
    for (const [scope, n] of [
      [outer, 2],
      [inner, 3],
    ] as const)
      for (let i = 0; i < n; i++) new ApiObject(scope, `cm${i}`, { apiVersion: 'v1', kind: 'ConfigMap' });
    expect([objectCount(outer), objectCount(inner)]).toEqual([outer.toJson().length, inner.toJson().length]);
    expect(objectCount(outer)).toBe(2);
  });

  it('prints one aligned line per file, then one line per warning', () => {
    const lines = formatReport([
      {
        files: [
          { path: 'dist/a.k8s.yaml', summary: '2 objects' },
          { path: 'dist/long-name.k8s.yaml', summary: '3 objects' },
        ],
        warnings: ['w1'],
      },
      { files: [{ path: 'cdktf.out/x.json', summary: '1 resources, 0 outputs' }], warnings: [] },
    ]);
    expect(lines).toEqual([
      'dist/a.k8s.yaml          2 objects',
      'dist/long-name.k8s.yaml  3 objects',
      'cdktf.out/x.json         1 resources, 0 outputs',
      'warning: w1',
    ]);
  });

  it('prints a rule that was broken as its message alone, and an unexpected error without a stack unless DEBUG is set', () => {
    const rule = new ValidationError('cdk8s app settings', 'X', '"y"', 'must be z');
    expect(formatError(rule, {})).toBe('cdk8s app settings: X is "y"; must be z');
    const crash = new Error('disk full');
    expect(formatError(crash, {})).toBe('synth failed: disk full (set DEBUG=1 for the stack trace)');
    expect(formatError(crash, { DEBUG: '1' })).toContain('    at ');
  });
});

describe('main', () => {
  const bad = { MYSQL_PASSWORD_FILE: path.join(os.tmpdir(), 'no-such-password-file') };
  /** `main(argv, env)` in `dir` (else here), with what it printed on each stream. */
  const run = (argv: string[], env: Record<string, string> = {}, dir?: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const call = () => main(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code: dir === undefined ? call() : inDirectory(dir, call), out, err };
  };

  it('stops on a bad setting with exit code 1 and exactly one line, before writing anything', () => {
    const dir = tmp();
    const { code, out, err } = run(['all'], bad, dir);
    expect(code).toBe(1);
    expect([...out, ...err]).toEqual([
      expect.stringMatching(
        /^cdk8s app settings: MYSQL_PASSWORD_FILE is ".*no-such-password-file"; must name a readable file/,
      ),
    ]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('under the cdk8s CLI, exits 0 on failure but creates no output folder, so the CLI fails without a stack trace of its own', () => {
    const cliOut = path.join(tmp(), '.cdk8s.out');
    const { code, out, err } = run(['k8s', '--cdk8s-cli'], { ...bad, CDK8S_OUTDIR: cliOut });
    expect(code).toBe(0);
    expect([...out, ...err]).toHaveLength(1);
    expect(fs.existsSync(cliOut)).toBe(false);
  });

  it('under the cdk8s CLI, links each manifest into its folder (emptied first) and prints notes and warnings on stderr', () => {
    const dir = tmp();
    const cliOut = path.join(dir, '.cdk8s.out');
    fs.mkdirSync(cliOut);
    fs.writeFileSync(path.join(cliOut, 'stale.k8s.yaml'), 'old');
    const { code, out, err } = run(['k8s', '--cdk8s-cli'], { CDK8S_OUTDIR: cliOut }, dir);
    expect(code).toBe(0);
    const written = fs.readdirSync(path.join(dir, 'dist')).sort();
    expect(fs.readdirSync(cliOut).sort()).toEqual(written);
    for (const f of written)
      expect(fs.statSync(path.join(cliOut, f)).ino).toBe(fs.statSync(path.join(dir, 'dist', f)).ino);
    expect(out.every((l) => /^dist\/\S+\.k8s\.yaml +\d+ objects$/.test(l))).toBe(true);
    expect(out).toHaveLength(written.length);
    expect(err.length).toBeGreaterThan(0);
    expect(err.every((l) => /^(note|warning): /.test(l))).toBe(true);
    // Outside the CLI, CDK8S_OUTDIR is not the app's to write.
    const elsewhere = path.join(dir, 'elsewhere');
    expect(run(['k8s'], { CDK8S_OUTDIR: elsewhere }, dir).code).toBe(0);
    expect(fs.existsSync(elsewhere)).toBe(false);
  });

  it('writes the stacks into CDKTF_OUTDIR under the cdktf CLI only, and its report on stdout', () => {
    const dir = tmp();
    const cli = run(['infra', '--cdktf-cli'], { CDKTF_OUTDIR: 'cli-out' }, dir);
    expect(cli.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['cli-out']);
    // The infrastructure app has notes but no warnings, and nothing goes to stderr.
    expect(cli.err).toEqual([]);
    expect(cli.out.filter((l) => !l.startsWith('note: '))).toEqual([
      expect.stringMatching(/^cli-out\/stacks\/tutorials-gke\/cdk\.tf\.json +\d+ resources, \d+ outputs$/),
      expect.stringMatching(/^cli-out\/stacks\/tutorials-gke-config\/cdk\.tf\.json +\d+ resources, \d+ outputs$/),
    ]);
  });

  it('writes both apps for all, into cdktf.out whatever CDKTF_OUTDIR says outside the cdktf CLI', () => {
    const dir = tmp();
    const { code, out } = run(['all'], { CDKTF_OUTDIR: 'cli-out' }, dir);
    expect(code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdktf.out', 'dist']);
    expect(out.filter((l) => l.startsWith('cdktf.out/stacks/'))).toHaveLength(2);
    expect(out.filter((l) => l.startsWith('dist/'))).toHaveLength(TUTORIAL_CHARTS.length);
  });

  it('refuses an unknown mode', () => {
    const { code, out, err } = run(['everything']);
    expect(code).toBe(2);
    expect([...out, ...err][0]).toMatch(/^usage: /);
  });
});

describe('refuse or warn, never guess', () => {
  /** Settings that keep the one warning about open load balancers (tested in all-charts) out of the way. */
  const LIMITED = { loadBalancerSourceRanges: ['203.0.113.0/24'] };

  it('refuses a storage size without a unit, and suggests one', () => {
    expect(() => synthConstructs((c) => new ZooKeeper(c, 'app', { storageSize: '50' }))).toThrow(
      `ZooKeeper at 'test/app': prop 'storageSize' is "50"; must have a unit: 50 is 50 bytes (did you mean "50Gi"?)`,
    );
  });

  it('returns the warnings in its report and prints none itself, so each is printed once', () => {
    const printed: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => printed.push(String(chunk)) > 0) as typeof process.stderr.write;
    let warnings: readonly string[];
    try {
      warnings = synthK8s({}, { outdir: path.join(tmp(), 'dist'), settings: {} }).warnings;
    } finally {
      process.stderr.write = write;
    }
    expect(warnings.length).toBeGreaterThan(0);
    expect(printed.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });

  it('warns when a one-per-node workload has more replicas than the node pool has nodes', () => {
    const outdir = path.join(tmp(), 'dist');
    const five = synthK8s({}, { outdir, settings: LIMITED, nodes: 2 });
    expect(five.warnings).toEqual([
      expect.stringMatching(
        /^zookeeper\/app: StatefulSet\/zk has 3 replicas that must each run on their own node, but the node pool has 2 \(GKE_NODE_COUNT\): 1 Pod\(s\) can never be scheduled$/,
      ),
      // Cassandra's ring members are one per node too (required anti-affinity).
      'cassandra/app: StatefulSet/cassandra has 3 replicas that must each run on their own node, but the node pool has 2 (GKE_NODE_COUNT): 1 Pod(s) can never be scheduled',
    ]);
    expect(synthK8s({}, { outdir, settings: LIMITED, nodes: 4 }).warnings).toEqual([]);
  });

  it('names the LoadBalancer Services an addresses file leaves ephemeral, and refuses a file that covers none', () => {
    const dir = tmp();
    const partial = path.join(dir, 'partial.json');
    fs.writeFileSync(
      partial,
      JSON.stringify({ 'tutorials-gke': { load_balancer_addresses: { 'wordpress/wordpress': '203.0.113.7' } } }),
    );
    const settings = settingsFromEnv({
      LOAD_BALANCER_ADDRESSES_FILE: partial,
      LOAD_BALANCER_SOURCE_RANGES: '203.0.113.0/24',
    });
    const { warnings } = synthK8s({}, { outdir: path.join(dir, 'dist'), settings });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^LOAD_BALANCER_ADDRESSES_FILE gives no address for source-ip\/loadbalancer, external-ip\/my-service, .*: they get ephemeral addresses$/,
    );
    expect(warnings[0]).not.toContain('wordpress/wordpress');
    const empty = path.join(dir, 'empty.json');
    fs.writeFileSync(empty, '{}');
    expect(() => settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: empty })).toThrow(
      /LOAD_BALANCER_ADDRESSES_FILE is ".*empty.json"; gives no address for any LoadBalancer Service/,
    );
  });

  it('refuses a prop a construct does not have, naming the closest one (JavaScript callers have no type checker)', () => {
    const props = { replica: 2 } as unknown as ZooKeeperProps;
    expect(() => synthConstructs((c) => new ZooKeeper(c, 'app', props))).toThrow(
      /^ZooKeeper at 'test\/app': prop 'replica' is 2; is not a prop of ZooKeeper \(did you mean 'replicas'\?\); its props are namePrefix, namespace, replicas, /,
    );
    const far = { colour: 'blue' } as unknown as ZooKeeperProps;
    expect(() => synthConstructs((c) => new ZooKeeper(c, 'app', far))).toThrow(
      /prop 'colour' is "blue"; is not a prop of ZooKeeper; its props are /,
    );
  });

  it('refuses two objects of the same kind, namespace and name in one chart, naming both constructs', () => {
    expect(() =>
      synthConstructs((c) => {
        new ZooKeeper(c, 'zk');
        new ZooKeeper(c, 'zk2');
      }),
    ).toThrow(
      `ZooKeeper at 'test/zk2': object is Service "zk-hs"; must be the only one of its kind and name in the same namespace of chart 'test', but ZooKeeper at 'test/zk' writes it too`,
    );
    // The same across two charts of one app (kubectl apply -f dist/ applies both).
    const app = testApp();
    new ZooKeeper(new Chart(app, 'one', { disableResourceNameHashes: true }), 'zk');
    new ZooKeeper(new Chart(app, 'two', { disableResourceNameHashes: true }), 'zk');
    expect(() => app.synthYaml()).toThrow(
      `ZooKeeper at 'two/zk': object is Service "zk-hs"; must be the only one of its kind and name in the same namespace across the charts of the app, but ZooKeeper at 'one/zk' in chart 'one' writes it too (give one of them another namespace or namePrefix)`,
    );
    // In two namespaces they are two objects each: accepted.
    expect(() =>
      synthConstructs((c) => {
        new ZooKeeper(c, 'zk', { namespace: 'a' });
        new ZooKeeper(c, 'zk2', { namespace: 'b' });
      }),
    ).not.toThrow();
  });

  it('tells objects apart by API group, not version, as kubectl apply does', () => {
    const widgets =
      (...apiVersions: string[]) =>
      () =>
        synthConstructs((c) => {
          new ZooKeeper(c, 'zk');
          apiVersions.forEach(
            (apiVersion, i) => new ApiObject(c, `w${i}`, { apiVersion, kind: 'Widget', metadata: { name: 'w' } }),
          );
        });
    expect(widgets('alpha.example.com/v1', 'another.example.org/v1')).not.toThrow();
    expect(widgets('v1', 'v2')).toThrow(/object is Widget "w"; must be the only one of its kind and name/);
    expect(widgets('alpha.example.com/v1', 'alpha.example.com/v2')).toThrow(
      /object is Widget "w"; must be the only one of its kind and name/,
    );
  });

  it('names the namespace of the duplicate when it has one, in a chart and across charts', () => {
    expect(() =>
      synthConstructs((c) => {
        new ZooKeeper(c, 'zk', { namespace: 'team-a' });
        new ZooKeeper(c, 'zk2', { namespace: 'team-a' });
      }),
    ).toThrow(
      /object is Service "zk-hs"; must be the only one of its kind and name in namespace team-a of chart 'test'/,
    );
    const app = testApp();
    new ZooKeeper(new Chart(app, 'one', { disableResourceNameHashes: true }), 'zk', { namespace: 'team-a' });
    new ZooKeeper(new Chart(app, 'two', { disableResourceNameHashes: true }), 'zk', { namespace: 'team-a' });
    expect(() => app.synthYaml()).toThrow(
      /object is Service "zk-hs"; must be the only one of its kind and name in namespace team-a across the charts of the app/,
    );
  });
});

describe('LinearApp', () => {
  // Copies of two tutorials, one chart per namespace, plus a chart that depends on another and
  // a nested chart (cdk8s then numbers the files): the same files, byte for byte, as cdk8s's synth.
  const build = (app: App) => {
    for (const id of ['redis-config', 'zookeeper'])
      for (const copy of [1, 2]) {
        const chart = new Chart(app, `${id}-${copy}`, { namespace: `${id}-${copy}`, disableResourceNameHashes: true });
        TUTORIAL_CHARTS.find((c) => c.id === id)!.build(chart, settingsFromEnv({}));
      }
  };
  const synth = (app: App) => {
    app.synth();
    return read(app.outdir);
  };

  it("leaves a synth with construct metadata (the prop, or cdk8s's environment variable) to cdk8s, which writes it", () => {
    const viaProp = new LinearApp({ outdir: tmp(), recordConstructMetadata: true });
    build(viaProp);
    expect(Object.keys(synth(viaProp))).toContain('construct-metadata.json');
    const viaEnv = withEnv({ CDK8S_RECORD_CONSTRUCT_METADATA: 'true' }, () => new LinearApp({ outdir: tmp() }));
    build(viaEnv);
    expect(Object.keys(synth(viaEnv))).toContain('construct-metadata.json');
    const without = new LinearApp({ outdir: tmp() });
    build(without);
    expect(Object.keys(synth(without))).not.toContain('construct-metadata.json');
  });

  it('writes what App writes', () => {
    const a = new App({ outdir: tmp() });
    build(a);
    const l = new LinearApp({ outdir: tmp() });
    build(l);
    expect(Object.keys(synth(l))).toEqual(Object.keys(synth(a)));
    expect(read(l.outdir)).toEqual(read(a.outdir));
    expect(Object.keys(read(l.outdir))).toHaveLength(4);
  });

  it('numbers the files as App does when a chart depends on another or holds one', () => {
    const withDependencies = (app: App) => {
      build(app);
      const a = new Chart(app, 'a');
      const b = new Chart(app, 'b');
      const nested = new Chart(a, 'nested');
      new ApiObject(a, 'x', { apiVersion: 'v1', kind: 'ConfigMap' }).addDependency(
        new ApiObject(b, 'y', { apiVersion: 'v1', kind: 'ConfigMap' }),
      );
      new ApiObject(nested, 'z', { apiVersion: 'v1', kind: 'ConfigMap' });
      return synth(app);
    };
    const linear = withDependencies(new LinearApp({ outdir: tmp() }));
    expect(linear).toEqual(withDependencies(new App({ outdir: tmp() })));
    expect(Object.keys(linear).filter((f) => !/^\d{4}-/.test(f))).toEqual([]);
  });

  it('leaves output types other than a file per chart to cdk8s, which writes them', () => {
    const app = new LinearApp({ outdir: tmp(), yamlOutputType: YamlOutputType.FILE_PER_APP });
    build(app);
    expect(Object.keys(synth(app))).toEqual(['app.k8s.yaml']);
  });

  it('validates each construct once per synth, where App validates it at least once per chart', () => {
    const validations = (app: App) => {
      let count = 0;
      for (const id of ['a', 'b', 'c']) new Chart(app, id);
      app.node.addValidation({ validate: () => (count++, []) });
      app.synth();
      return count;
    };
    expect(validations(new LinearApp({ outdir: tmp() }))).toBe(1);
    expect(validations(new App({ outdir: tmp() }))).toBeGreaterThanOrEqual(3);
  });

  it('refuses an invalid construct as App does', () => {
    const invalid = (app: App) => {
      build(app);
      new Chart(app, 'bad').node.addValidation({ validate: () => ['always wrong'] });
      return () => app.synth();
    };
    expect(invalid(new LinearApp({ outdir: tmp() }))).toThrow(/\[bad\] always wrong/);
    expect(invalid(new App({ outdir: tmp() }))).toThrow(/\[bad\] always wrong/);
  });
});

describe('the cdktf context', () => {
  it("reads cdktf.json's context, then CDKTF_CONTEXT_JSON over it", () => {
    const dir = tmp();
    expect(terraformContext({}, dir)).toEqual({});
    fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ app: 'x' }));
    expect(terraformContext({}, dir)).toEqual({});
    fs.writeFileSync(
      path.join(dir, 'cdktf.json'),
      JSON.stringify({ context: { nodeCount: 5, zone: 'us-central1-a' } }),
    );
    expect(terraformContext({ CDKTF_CONTEXT_JSON: JSON.stringify({ nodeCount: 6 }) }, dir)).toEqual({
      nodeCount: 6,
      zone: 'us-central1-a',
    });
  });

  it('reaches the infrastructure settings as context keys, near misses refused', () => {
    expect(infraConfig({}, { nodeCount: 6 }).nodeCount).toBe(6);
    expect(() => infraConfig({}, { nodecount: 6 })).toThrow(/context 'nodecount' is 6; no such context key/);
  });
});

describe('the report of a synth', () => {
  it('notes how to limit the load balancers only while they are open', () => {
    const open = synthK8s({}, { outdir: path.join(tmp(), 'dist'), settings: {} });
    expect(open.notes).toEqual([
      'LOAD_BALANCER_SOURCE_RANGES (or GKE_ALLOWED_SOURCE_RANGES) sets loadBalancerSourceRanges for every chart of this app (docs/settings.md)',
    ]);
    const limited = synthK8s(
      {},
      { outdir: path.join(tmp(), 'dist'), settings: { loadBalancerSourceRanges: ['203.0.113.0/24'] } },
    );
    expect(limited.notes).toEqual([]);
  });
});

describe('the report of an infrastructure synth', () => {
  it('lists each stack file in order with the resources and outputs it holds, and the notes of the settings', () => {
    const dir = tmp();
    const outdir = path.join(dir, 'cdktf.out');
    const report = synthInfraApp({}, outdir, {});
    const stacks = fs.readdirSync(path.join(outdir, 'stacks')).sort();
    expect(stacks.length).toBe(2);
    expect(report.files).toEqual(
      stacks.map((stack) => {
        const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
        const json = JSON.parse(fs.readFileSync(file, 'utf8'));
        const resources = Object.values(json.resource as Record<string, object>).flatMap((r) => Object.keys(r));
        return {
          path: file,
          summary: `${resources.length} resources, ${Object.keys(json.output ?? {}).length} outputs`,
        };
      }),
    );
    expect(report.files.map((f) => f.summary)).toEqual([
      expect.stringMatching(/^[1-9]\d* resources, [1-9]\d* outputs$/),
      expect.stringMatching(/^[1-9]\d* resources, \d+ outputs$/),
    ]);
    expect(report.notes).toEqual([expect.stringMatching(/^the control plane endpoint is reachable from any address/)]);
  });
});

describe('main', () => {
  /** What `fn` writes to standard output and standard error, and what it returns. */
  const captured = (fn: () => number) => {
    const out: string[] = [];
    const err: string[] = [];
    const { write: writeOut } = process.stdout;
    const { write: writeErr } = process.stderr;
    process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      return { code: fn(), out, err };
    } finally {
      process.stdout.write = writeOut;
      process.stderr.write = writeErr;
    }
  };

  it('prints a bad mode with the usage on standard error, and exits 2', () => {
    expect(captured(() => main(['bogus'], {}))).toEqual({
      code: 2,
      out: [],
      err: ['usage: synth [all|k8s|infra] [--cdk8s-cli|--cdktf-cli]; got "bogus"\n'],
    });
  });

  it('prints the report on standard output by default', () => {
    const result = inDirectory(tmp(), () => captured(() => main(['infra'], {})));
    expect(result.code).toBe(0);
    expect(result.out).toContainEqual(expect.stringMatching(/^cdktf\.out\/stacks\/\S+\/cdk\.tf\.json +\d+ resources/));
  });
});
