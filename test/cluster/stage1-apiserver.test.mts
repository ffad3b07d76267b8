/**
 * Stage 1: every object of every chart through a real kube-apiserver.
 *
 * Each tutorial goes into its own namespace, labelled for Pod Security Admission `warn` and
 * `audit` at `restricted` (enforce unset, so that objects are created and the violations come
 * back as warnings). Every object is first applied server-side with dryRun=All and
 * fieldValidation=Strict, then for real. Any refusal fails the suite; every warning the server
 * returns is recorded per object and compared with docs/cluster-warnings.json, so a new
 * warning, or a listed one that no longer occurs, fails too.
 *
 * Against an existing cluster (`npm run test:cluster -- --kubeconfig`), only the dry runs are
 * made and nothing is created.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  Cluster,
  K8sObject,
  MODE,
  ROOT,
  Tutorial,
  WARNINGS_FILE,
  isPodSecurityWarning,
  loadTutorials,
  objectKey,
  placed,
  stackClusterObjects,
  statusMessage,
  tutorialNamespace,
} from './support.mts';
import { GKE_STORAGE_CLASSES } from './gke.mts';

const LOCAL = MODE === 'local';
const cluster = Cluster.fromEnv();
const tutorials = loadTutorials();

/** object key -> the distinct warnings the server returned for it (dry run and real apply). */
const observed = new Map<string, Set<string>>();
function record(o: K8sObject, warnings: string[]) {
  const key = objectKey(o);
  const set = observed.get(key) ?? new Set<string>();
  for (const w of warnings) set.add(w);
  observed.set(key, set);
}

/** Dry run, then (locally) the real apply. Returns the refusals, with the server's message. */
async function applyAll(objects: K8sObject[]): Promise<string[]> {
  const refusals: string[] = [];
  for (const o of objects) {
    const dry = await cluster.apply(o, { dryRun: true });
    record(o, dry.warnings);
    if (dry.status >= 300) {
      refusals.push(`${objectKey(o)} (dry run): ${statusMessage(dry)}`);
      continue;
    }
    if (!LOCAL) continue;
    const real = await cluster.apply(o, { dryRun: false });
    record(o, real.warnings);
    if (real.status >= 300) refusals.push(`${objectKey(o)}: ${statusMessage(real)}`);
  }
  return refusals;
}

async function namespaceExists(name: string): Promise<boolean> {
  return (await cluster.request('GET', `/api/v1/namespaces/${name}`)).status === 200;
}

/**
 * Without kube-controller-manager (stage 1 alone) nobody creates a namespace's `default`
 * ServiceAccount, and the ServiceAccount admission plugin refuses Pods until it exists; create it
 * as the controller would. With the controller running this is a no-op.
 */
async function ensureDefaultServiceAccount(namespace: string) {
  const r = await cluster.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default' },
  });
  assert.ok(r.status < 300 || r.status === 409, `creating ServiceAccount ${namespace}/default: ${statusMessage(r)}`);
}

describe('stage 1: a real kube-apiserver', { concurrency: 1 }, () => {
  if (LOCAL) {
    test('the server is the version that was built', async () => {
      const expected = process.env.CLUSTER_KUBERNETES_VERSION;
      const v = await cluster.version();
      assert.equal(v.gitVersion, expected);
    });
  }

  if (LOCAL) {
    test("GKE's built-in StorageClasses (the cluster's environment; standard-rwo is the default)", async () => {
      for (const sc of GKE_STORAGE_CLASSES) {
        const r = await cluster.apply(sc, { dryRun: false });
        assert.ok(r.status < 300, `${objectKey(sc)}: ${statusMessage(r)}`);
      }
    });
  }

  test("the infrastructure stack's StorageClasses and PriorityClasses, from the values the stack synthesizes", async () => {
    const objects = stackClusterObjects();
    const refusals = await applyAll(objects);
    assert.deepEqual(refusals, []);
    const classes = objects.filter((o) => o.kind === 'StorageClass');
    assert.ok(classes.length > 0 && objects.some((o) => o.kind === 'PriorityClass'));
    if (LOCAL) {
      for (const pc of objects.filter((o) => o.kind === 'PriorityClass')) {
        const r = await cluster.request('GET', `/apis/scheduling.k8s.io/v1/priorityclasses/${pc.metadata.name}`);
        assert.equal(r.status, 200);
        assert.equal(r.body.value, pc.value);
        assert.equal(r.body.preemptionPolicy, pc.preemptionPolicy);
      }
      for (const sc of classes) {
        const r = await cluster.request('GET', `/apis/storage.k8s.io/v1/storageclasses/${sc.metadata.name}`);
        assert.equal(r.status, 200);
        assert.equal(r.body.provisioner, sc.provisioner);
        assert.equal(r.body.volumeBindingMode, sc.volumeBindingMode);
        assert.equal(r.body.reclaimPolicy, sc.reclaimPolicy);
        assert.deepEqual(r.body.parameters, sc.parameters);
      }
    }
  });

  for (const tutorial of tutorials) {
    test(`${tutorial.id}: every object passes a strict server-side dry run${LOCAL ? ', then applies' : ''}`, async () => {
      const refusals: string[] = [];
      let target: Tutorial = tutorial;
      if (LOCAL) {
        refusals.push(...(await applyAll([tutorialNamespace(tutorial.id)])));
        await ensureDefaultServiceAccount(tutorial.id);
      } else if (!(await namespaceExists(tutorial.id))) {
        // Touch nothing: dry-run into `default` rather than create the namespace.
        target = { id: 'default', objects: tutorial.objects };
      }
      refusals.push(...(await applyAll(await placed(cluster, target))));
      assert.deepEqual(
        refusals,
        [],
        `the server refused ${refusals.length} object(s) of ${tutorial.id}:\n${refusals.join('\n')}`,
      );
    });
  }

  if (LOCAL) {
    test('Pod Security level of each chart, and the warnings, match docs/cluster-warnings.json', async () => {
      const levels = await podSecurityLevels();
      const actual = {
        warnings: [...observed].flatMap(([object, ws]) => [...ws].sort().map((warning) => ({ object, warning }))),
        podSecurity: levels,
      };
      const listed = readListed();
      if (process.env.CLUSTER_UPDATE_WARNINGS === '1') writeListed(actual, listed);
      const key = (w: { object: string; warning: string }) => `${w.object}: ${w.warning}`;
      const actualKeys = actual.warnings.map(key);
      const listedKeys = listed.warnings.map(key);
      const unlisted = actualKeys.filter((k) => !listedKeys.includes(k));
      const gone = listedKeys.filter((k) => !actualKeys.includes(k));
      const unexplained = listed.warnings.filter((w) => !w.reason || /^TODO/.test(w.reason)).map(key);
      assert.deepEqual(
        { unlisted, gone, unexplained },
        { unlisted: [], gone: [], unexplained: [] },
        "the server's warnings differ from docs/cluster-warnings.json (fix the construct, or list the warning with its reason; " +
          'CLUSTER_UPDATE_WARNINGS=1 npm run test:cluster rewrites the list, keeping the reasons)',
      );
      assert.deepEqual(levels, listed.podSecurity, 'Pod Security levels differ from docs/cluster-warnings.json');
      assert.deepEqual(readmeLevels(), levels, "docs/cluster.md's Pod Security table differs from this run");
    });
  }
});

// ---------------------------------------------------------------- Pod Security levels

const POD_BEARING = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
]);
const PROBE_LEVELS = ['restricted', 'baseline'] as const;

/**
 * The strictest Pod Security level each chart meets: every Pod-bearing object of the chart
 * (kube-system ones included) is dry-run created in an empty namespace whose `warn` label is that
 * level; no PodSecurity warning means the chart meets it.
 */
async function podSecurityLevels(): Promise<Record<string, string>> {
  for (const level of PROBE_LEVELS) {
    const ns = tutorialNamespace(`psa-probe-${level}`, { 'pod-security.kubernetes.io/warn': level });
    const r = await cluster.apply(ns, { dryRun: false });
    assert.ok(r.status < 300, statusMessage(r));
    await ensureDefaultServiceAccount(ns.metadata.name);
  }
  const levels: Record<string, string> = {};
  for (const tutorial of tutorials) {
    let met = 'privileged';
    for (const level of PROBE_LEVELS) {
      let violates = false;
      for (const o of tutorial.objects.filter((x) => POD_BEARING.has(x.kind))) {
        const probe = structuredClone(o);
        probe.metadata.namespace = `psa-probe-${level}`;
        const r = await cluster.apply(probe, { dryRun: true });
        assert.ok(r.status < 300, `${level} probe of ${objectKey(o)}: ${statusMessage(r)}`);
        if (r.warnings.some(isPodSecurityWarning)) violates = true;
      }
      if (!violates) {
        met = level;
        break;
      }
    }
    levels[tutorial.id] = met;
  }
  return levels;
}

// ---------------------------------------------------------------- the listed warnings

interface Listed {
  kubernetesVersion?: string;
  warnings: Array<{ object: string; warning: string; reason: string }>;
  podSecurity: Record<string, string>;
}

function readListed(): Listed {
  if (!fs.existsSync(WARNINGS_FILE)) return { warnings: [], podSecurity: {} };
  return JSON.parse(fs.readFileSync(WARNINGS_FILE, 'utf8'));
}

function writeListed(
  actual: { warnings: Array<{ object: string; warning: string }>; podSecurity: Record<string, string> },
  listed: Listed,
) {
  const reasons = new Map(listed.warnings.map((w) => [`${w.object}: ${w.warning}`, w.reason]));
  const out: Listed = {
    kubernetesVersion: process.env.CLUSTER_KUBERNETES_VERSION,
    warnings: actual.warnings.map((w) => ({
      ...w,
      reason:
        reasons.get(`${w.object}: ${w.warning}`) ?? 'TODO: say why this warning is accepted, or fix the construct',
    })),
    podSecurity: actual.podSecurity,
  };
  fs.writeFileSync(WARNINGS_FILE, `${JSON.stringify(out, null, 2)}\n`);
  // The same data in the table of docs/cluster.md would otherwise drift; print them to copy.
  process.stdout.write(`# wrote ${path.relative(ROOT, WARNINGS_FILE)}\n`);
}

/** The "Pod Security" table of docs/cluster.md: `| chart | level |` rows between the cluster markers. */
function readmeLevels(): Record<string, string> {
  const readme = fs.readFileSync(path.join(ROOT, 'docs', 'cluster.md'), 'utf8');
  const section = /<!-- pod-security:begin -->([\s\S]*?)<!-- pod-security:end -->/.exec(readme);
  if (!section) return {};
  const levels: Record<string, string> = {};
  for (const m of section[1].matchAll(/^\|\s*`?([\w-]+)`?\s*\|\s*`?(restricted|baseline|privileged)`?\s*\|/gm))
    levels[m[1]] = m[2];
  return levels;
}
