import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { TUTORIAL_CHARTS } from '../apps/charts';
import { synthK8s } from '../apps/synth';
import { harnessFindings, podTemplates, synthTutorial, tempDir } from './harness';
import { App, Chart } from 'cdk8s';
import { LOAD_BALANCER_SERVICES, PRINT_WARNINGS_CONTEXT, splitImage } from '../lib';

/**
 * Default images that cannot have a tag other than `latest`, each with its reason in the README
 * ("Image substitutions"): luksa/kubia's versioned tags are the book's chapter 9 variants.
 */
const LATEST_ONLY = ['luksa/kubia:latest'];

/** Rules every chart of the app must pass; per-chart facts live in each chart's own test file. */
describe.each(TUTORIAL_CHARTS.map((c) => [c.id]))('chart %s', (id) => {
  const result = synthTutorial(id);

  it('passes every harness rule', () => {
    expect(harnessFindings(result)).toEqual([]);
  });

  it("builds a further copy whose every object's name carries the copy's namePrefix", () => {
    const names = (copy?: { namePrefix: string }) => {
      const app = new App();
      app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
      const chart = new Chart(app, id, { disableResourceNameHashes: true });
      TUTORIAL_CHARTS.find((c) => c.id === id)!.build(chart, {}, copy);
      return chart.toJson().map((d: { kind: string; metadata: { name: string } }) => `${d.kind}/${d.metadata.name}`);
    };
    expect(names({ namePrefix: 'b' })).toEqual(names().map((n) => n.replace('/', '/b-')));
  });

  it('synthesizes to identical bytes twice', () => {
    expect(synthTutorial(id).yaml).toEqual(result.yaml);
  });

  it('writes no secret material by default (decision D6)', () => {
    expect(result.docs.filter((d) => d.kind === 'Secret' && (d.data || d.stringData))).toEqual([]);
    // A config file's `password: ${ENV_VAR}` (the Beats read theirs from a Secret) is a reference, not material.
    expect(result.yaml).not.toMatch(/PRIVATE KEY|password:(?!\s*\$\{[A-Z_]+\}\s*$)/im);
  });

  it("carries no kubernetes.io/cluster-service label, by which GKE's addon manager prunes kube-system", () => {
    // `kubectl apply -l kubernetes.io/cluster-service=true --prune` deletes every object with
    // this label that kubectl apply created (elastic/beats#7271).
    expect(result.yaml).not.toContain('kubernetes.io/cluster-service');
  });

  it('pins every image to an explicit tag other than latest (decision D3), or lists why not', () => {
    for (const pod of podTemplates(result.docs)) {
      for (const c of [...(pod.podSpec.initContainers ?? []), ...pod.podSpec.containers]) {
        const { path } = splitImage(c.image);
        const tag = /:([\w][\w.-]*)$/.exec(path)?.[1];
        const ok =
          c.image.includes('@sha256:') || (tag !== undefined && tag !== 'latest') || LATEST_ONLY.includes(c.image);
        expect([c.name, c.image, ok]).toEqual([c.name, c.image, true]);
      }
    }
  });

  it('overrides the cdk8s-plus defaults that break tutorial images (decision D5)', () => {
    for (const pod of podTemplates(result.docs)) {
      for (const c of [...(pod.podSpec.initContainers ?? []), ...pod.podSpec.containers]) {
        // cdk8s-plus's default is Always, and its default resources request a whole CPU.
        expect([c.name, c.imagePullPolicy]).not.toEqual([c.name, 'Always']);
        expect([c.name, c.resources?.requests?.cpu]).not.toEqual([c.name, '1000m']);
      }
    }
  });
});

describe('synthK8s (npm run synth:k8s)', () => {
  const outdir = path.join(tempDir('synth-'), 'dist');

  it('writes one parseable manifest per tutorial chart, and reports each with its object count', () => {
    const { files, warnings } = synthK8s({}, { outdir, settings: {} });
    // Without LOAD_BALANCER_SOURCE_RANGES, each construct warns for its open Services (D9).
    expect(warnings).toEqual(
      LOAD_BALANCER_SERVICES.map((s) =>
        expect.stringMatching(
          new RegExp(`^${s.chart}/app: LoadBalancer Service "${s.service}" is open to every address`),
        ),
      ),
    );
    expect(synthK8s({}, { outdir, settings: { loadBalancerSourceRanges: ['203.0.113.0/24'] } }).warnings).toEqual([]);
    expect(files.map((f) => path.basename(f.path)).sort()).toEqual(
      TUTORIAL_CHARTS.map((c) => `${c.id}.k8s.yaml`).sort(),
    );
    expect(fs.readdirSync(outdir).sort()).toEqual(TUTORIAL_CHARTS.map((c) => `${c.id}.k8s.yaml`).sort());
    for (const f of files) {
      const docs = parseAllDocuments(fs.readFileSync(f.path, 'utf8'));
      expect(docs.every((d) => d.errors.length === 0)).toBe(true);
      expect(f.summary).toBe(`${docs.length} objects`);
    }
  });

  it('warns for every construct that writes secret material', () => {
    const dir = path.join(tempDir('synth-'), 'dist');
    const { warnings } = synthK8s(
      {},
      { outdir: dir, settings: { mysqlPassword: 'not-a-real-one', loadBalancerSourceRanges: ['203.0.113.0/24'] } },
    );
    expect(warnings).toEqual([
      'wordpress/app: writes Secret "mysql-pass" with its secret material into the manifest: keep the output out of git',
    ]);
  });

  it('leaves the previous output byte-identical, and no staging directory, when a prop is bad', () => {
    const before = Object.fromEntries(
      fs.readdirSync(outdir).map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]),
    );
    expect(() =>
      synthK8s({}, { outdir, settings: { nginxTls: { certificatePem: 'not a certificate', privateKeyPem: 'nope' } } }),
    ).toThrow(/NginxHttps at 'nginx-https\/app': prop 'tls.certificatePem'/);
    expect(
      Object.fromEntries(fs.readdirSync(outdir).map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')])),
    ).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  });
});
