/* eslint-disable @typescript-eslint/no-explicit-any -- these suites read loosely typed server JSON, as test/ does (eslint.config.mjs) */
/**
 * Stage 2: every Pod through the real kube-scheduler and controllers.
 *
 * kube-controller-manager and kube-scheduler of the same version run beside the API server, and
 * kwok plays the kubelets of the node pool the cluster stack creates (4 × e2-standard-2 in one
 * zone, read from the synthesized stack). All charts are applied together, each in its
 * namespace; a small provisioner stands in for the PD CSI driver. The assertions read only the
 * server's state: Pods scheduled, workloads ready, Service endpoints, PDB status; then one node
 * is drained through the eviction API while ZooKeeper's PDB protects its quorum.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Cluster,
  K8sObject,
  Tutorial,
  loadTutorials,
  objectKey,
  placed,
  stackStorageClasses,
  statusMessage,
  tutorialNamespace,
} from './support.mts';
import { GKE_STORAGE_CLASSES, NodePool, nodePoolFromStack, poolNodes, systemPodStandIns } from './gke.mts';
import { Provisioner } from './provisioner.mts';

const blocked = process.env.CLUSTER_STAGE2_BLOCKED;
const cluster = Cluster.fromEnv();
const tutorials = loadTutorials();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- quantities

function cpuMillis(q: string | undefined): number {
  if (!q) return 0;
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};
function bytes(q: string | undefined): number {
  if (!q) return 0;
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q);
  if (!m) throw new Error(`quantity ${q}`);
  return Number(m[1]) * (m[2] ? (BINARY[m[2]] ?? NaN) : 1);
}

/**
 * A Pod's effective request as the scheduler counts it: containers plus sidecars
 * (restartPolicy: Always init containers), or the largest init container plus the sidecars
 * started before it, whichever is larger.
 */
function podRequests(pod: any): { cpu: number; mem: number } {
  const req = (c: any) => ({ cpu: cpuMillis(c.resources?.requests?.cpu), mem: bytes(c.resources?.requests?.memory) });
  let sidecars = { cpu: 0, mem: 0 };
  let init = { cpu: 0, mem: 0 };
  for (const c of pod.spec.initContainers ?? []) {
    const r = req(c);
    if (c.restartPolicy === 'Always') sidecars = { cpu: sidecars.cpu + r.cpu, mem: sidecars.mem + r.mem };
    else init = { cpu: Math.max(init.cpu, sidecars.cpu + r.cpu), mem: Math.max(init.mem, sidecars.mem + r.mem) };
  }
  const main = (pod.spec.containers as any[])
    .map(req)
    .reduce((a, r) => ({ cpu: a.cpu + r.cpu, mem: a.mem + r.mem }), sidecars);
  return { cpu: Math.max(main.cpu, init.cpu), mem: Math.max(main.mem, init.mem) };
}

// ---------------------------------------------------------------- Secrets the tutorials have the user create

/**
 * Secrets a Pod template names that no chart creates (the tutorials have the user make them:
 * nginxsecret, mysql-pass …), with the keys it reads, so that the Pods could start on a real
 * kubelet. Throw-away values.
 */
function missingSecrets(t: Tutorial, namespace: string): K8sObject[] {
  const own = new Set(t.objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name));
  const wanted = new Map<string, Set<string>>();
  const want = (name: string | undefined, key?: string) => {
    if (!name || own.has(name)) return;
    const keys = wanted.get(name) ?? new Set<string>();
    if (key) keys.add(key);
    wanted.set(name, keys);
  };
  for (const o of t.objects) {
    const spec =
      o.kind === 'Pod'
        ? o.spec
        : o.kind === 'CronJob'
          ? o.spec?.jobTemplate?.spec?.template?.spec
          : o.spec?.template?.spec;
    if (!spec) continue;
    for (const v of spec.volumes ?? []) {
      if (v.secret) {
        want(v.secret.secretName);
        for (const i of v.secret.items ?? []) want(v.secret.secretName, i.key);
      }
      for (const s of v.projected?.sources ?? [])
        if (s.secret) {
          want(s.secret.name);
          for (const i of s.secret.items ?? []) want(s.secret.name, i.key);
        }
    }
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const e of c.env ?? [])
        if (e.valueFrom?.secretKeyRef) want(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
      for (const e of c.envFrom ?? []) if (e.secretRef) want(e.secretRef.name);
    }
  }
  return [...wanted].map(([name, keys]) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name, namespace, labels: { 'test-cluster/throwaway': 'true' } },
    stringData: Object.fromEntries([...(keys.size ? keys : ['placeholder'])].map((k) => [k, 'throwaway-test-value'])),
  }));
}

// ---------------------------------------------------------------- reading the server's state

async function list(path: string): Promise<any[]> {
  const r = await cluster.request('GET', path);
  assert.equal(r.status, 200, `GET ${path}: ${statusMessage(r)}`);
  return r.body.items;
}

const NAMESPACES = new Set<string>();
const inScope = (o: any) => NAMESPACES.has(o.metadata.namespace);
const isReady = (pod: any) =>
  (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const ownerKind = (o: any) => o.metadata.ownerReferences?.find((r: any) => r.controller)?.kind;

function labelsMatch(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function matchesLabelSelector(sel: any, labels: Record<string, string> = {}): boolean {
  if (!labelsMatch(sel?.matchLabels ?? {}, labels)) return false;
  return (sel?.matchExpressions ?? []).every((e: any) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        return has && e.values.includes(labels[e.key]);
      case 'NotIn':
        return !has || !e.values.includes(labels[e.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        throw new Error(`operator ${e.operator}`);
    }
  });
}

interface Unready {
  what: string;
  why: string;
}

/** Everything the charts run that is not yet as it should be; empty when the cluster has settled. */
async function unsettled(nodes: number): Promise<Unready[]> {
  const out: Unready[] = [];
  const pods = (await list('/api/v1/pods')).filter(inScope);
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    if (!p.spec.nodeName) {
      const c = (p.status?.conditions ?? []).find((x: any) => x.type === 'PodScheduled');
      out.push({
        what: `Pod ${p.metadata.namespace}/${p.metadata.name}`,
        why: `not scheduled: ${c?.reason ?? ''} ${c?.message ?? ''}`,
      });
    } else if (!isReady(p) && p.status?.phase !== 'Succeeded') {
      out.push({
        what: `Pod ${p.metadata.namespace}/${p.metadata.name}`,
        why: `on ${p.spec.nodeName}, phase ${p.status?.phase}, not Ready`,
      });
    }
  }
  for (const d of (await list('/apis/apps/v1/deployments')).filter(inScope)) {
    const want = d.spec.replicas ?? 1;
    if ((d.status.readyReplicas ?? 0) !== want || (d.status.updatedReplicas ?? 0) !== want)
      out.push({
        what: `Deployment ${d.metadata.namespace}/${d.metadata.name}`,
        why: `${d.status.readyReplicas ?? 0}/${want} ready`,
      });
  }
  for (const s of (await list('/apis/apps/v1/statefulsets')).filter(inScope)) {
    const want = s.spec.replicas ?? 1;
    if ((s.status.readyReplicas ?? 0) !== want)
      out.push({
        what: `StatefulSet ${s.metadata.namespace}/${s.metadata.name}`,
        why: `${s.status.readyReplicas ?? 0}/${want} ready`,
      });
  }
  for (const r of (await list('/apis/apps/v1/replicasets')).filter(inScope).filter((x) => !ownerKind(x))) {
    const want = r.spec.replicas ?? 1;
    if ((r.status.readyReplicas ?? 0) !== want)
      out.push({
        what: `ReplicaSet ${r.metadata.namespace}/${r.metadata.name}`,
        why: `${r.status.readyReplicas ?? 0}/${want} ready`,
      });
  }
  const nodeList = (await list('/api/v1/nodes')).filter((n) => !n.spec.unschedulable);
  for (const ds of (await list('/apis/apps/v1/daemonsets')).filter(inScope)) {
    const st = ds.status;
    // The nodes its nodeSelector admits (ssd-monitor runs on none until the reader labels a node disk=ssd).
    const expected = nodeList.filter((n) =>
      labelsMatch(ds.spec.template.spec.nodeSelector ?? {}, n.metadata.labels),
    ).length;
    if (st.desiredNumberScheduled !== expected || st.numberReady !== expected) {
      out.push({
        what: `DaemonSet ${ds.metadata.namespace}/${ds.metadata.name}`,
        why: `${st.numberReady}/${st.desiredNumberScheduled} ready, ${expected} node(s) match its selector (of ${nodes})`,
      });
    }
  }
  for (const pvc of (await list('/api/v1/persistentvolumeclaims')).filter(inScope)) {
    if (pvc.status?.phase !== 'Bound')
      out.push({
        what: `PersistentVolumeClaim ${pvc.metadata.namespace}/${pvc.metadata.name}`,
        why: `phase ${pvc.status?.phase}`,
      });
  }
  return out;
}

async function waitSettled(nodes: number, timeoutMs: number): Promise<Unready[]> {
  const deadline = Date.now() + timeoutMs;
  let last: Unready[] = [];
  while (Date.now() < deadline) {
    last = await unsettled(nodes);
    if (last.length === 0) return [];
    await sleep(1000);
  }
  return last;
}

// ---------------------------------------------------------------- the suite

describe('stage 2: the real scheduler and controllers on the simulated node pool', { concurrency: 1 }, () => {
  if (blocked) {
    test('stage 2 is blocked: a module it needs is not served', () => {
      assert.fail(`blocked by the Go module proxy:\n${blocked}`);
    });
    return;
  }

  let pool: NodePool;
  let nodeNames: string[] = [];
  let provisioner: Provisioner | undefined;

  before(async () => {
    pool = nodePoolFromStack();
    provisioner = new Provisioner((method, p, body) => cluster.request(method, p, body), pool.zone);
    for (const t of tutorials) NAMESPACES.add(t.id);
    NAMESPACES.add('kube-system');
  });
  after(async () => {
    await provisioner?.stop();
  });

  test('registers the node pool of the cluster stack', async () => {
    const nodes = poolNodes(pool);
    nodeNames = nodes.map((n) => n.metadata.name);
    for (const n of nodes) {
      const r = await cluster.request('POST', '/api/v1/nodes', n);
      assert.ok(r.status < 300 || r.status === 409, `${n.metadata.name}: ${statusMessage(r)}`);
    }
    const deadline = Date.now() + 60_000;
    let ready: string[] = [];
    while (Date.now() < deadline) {
      const items = await list('/api/v1/nodes');
      ready = items
        .filter(
          (n) =>
            nodeNames.includes(n.metadata.name) &&
            (n.status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
        )
        .map((n) => n.metadata.name);
      if (ready.length === nodes.length) break;
      await sleep(500);
    }
    assert.equal(ready.length, nodes.length, `nodes Ready: ${ready.join(', ')}`);
    const n0 = (await cluster.request('GET', `/api/v1/nodes/${nodeNames[0]}`)).body;
    process.stdout.write(
      `# pool ${pool.name}: ${pool.nodeCount} × ${pool.machineType} in ${pool.zone}; allocatable per node ${n0.status.allocatable.cpu} CPU, ${n0.status.allocatable.memory} memory, ${n0.status.allocatable.pods} Pods\n`,
    );
  });

  test('applies all charts together, each in its namespace', async () => {
    provisioner!.start();
    const refusals: string[] = [];
    const apply = async (o: K8sObject) => {
      const r = await cluster.apply(o, { dryRun: false });
      if (r.status >= 300) refusals.push(`${objectKey(o)}: ${statusMessage(r)}`);
    };
    for (const o of [...GKE_STORAGE_CLASSES, ...stackStorageClasses(), ...systemPodStandIns()]) await apply(o);
    for (const t of tutorials) {
      await apply(tutorialNamespace(t.id));
      for (const s of missingSecrets(t, t.id)) await apply(s);
      for (const o of await placed(cluster, t)) await apply(o);
    }
    assert.deepEqual(refusals, []);
  });

  test('every Pod is scheduled and every workload reports its desired ready replicas', async () => {
    const started = Date.now();
    const left = await waitSettled(pool.nodeCount, 180_000);
    assert.deepEqual(left, [], `not settled after 180 s:\n${left.map((u) => `${u.what}: ${u.why}`).join('\n')}`);
    process.stdout.write(`# settled ${((Date.now() - started) / 1000).toFixed(1)} s after the apply finished\n`);
    for (const ds of (await list('/apis/apps/v1/daemonsets'))
      .filter(inScope)
      .filter((d) => d.status.desiredNumberScheduled === 0)) {
      process.stdout.write(
        `# DaemonSet ${ds.metadata.namespace}/${ds.metadata.name} runs on no node: none matches its nodeSelector ${JSON.stringify(ds.spec.template.spec.nodeSelector)}\n`,
      );
    }
    process.stdout.write(`# volumes provisioned:\n${provisioner!.made.map((m) => `#   ${m}`).join('\n')}\n`);
  });

  test('every Service has endpoints for exactly the Ready Pods it selects', async () => {
    const pods = (await list('/api/v1/pods')).filter(inScope).filter((p) => !p.metadata.deletionTimestamp);
    const slices = (await list('/apis/discovery.k8s.io/v1/endpointslices')).filter(inScope);
    const problems: string[] = [];
    for (const svc of (await list('/api/v1/services')).filter(inScope)) {
      if (!svc.spec.selector || svc.spec.type === 'ExternalName') continue;
      const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
      const selected = pods.filter(
        (p) => p.metadata.namespace === svc.metadata.namespace && labelsMatch(svc.spec.selector, p.metadata.labels),
      );
      const expected = selected
        .filter((p) => isReady(p) || svc.spec.publishNotReadyAddresses)
        .map((p) => p.metadata.name)
        .sort();
      const actual = slices
        .filter(
          (s) =>
            s.metadata.namespace === svc.metadata.namespace &&
            s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name,
        )
        .flatMap((s) =>
          (s.endpoints ?? [])
            .filter((e: any) => e.conditions?.ready !== false || svc.spec.publishNotReadyAddresses)
            .map((e: any) => e.targetRef?.name),
        )
        .sort();
      const uniq = [...new Set(actual)];
      if (expected.length === 0) problems.push(`${key}: selects no Pod (${JSON.stringify(svc.spec.selector)})`);
      if (JSON.stringify(uniq) !== JSON.stringify(expected))
        problems.push(`${key}: endpoints ${JSON.stringify(uniq)}, expected ${JSON.stringify(expected)}`);
    }
    assert.deepEqual(problems, []);
  });

  test('every PodDisruptionBudget reports the disruptions its tutorial expects', async () => {
    const problems: string[] = [];
    const pods = (await list('/api/v1/pods')).filter(inScope);
    for (const pdb of (await list('/apis/policy/v1/poddisruptionbudgets')).filter(inScope)) {
      const key = `${pdb.metadata.namespace}/${pdb.metadata.name}`;
      const covered = pods.filter(
        (p) =>
          p.metadata.namespace === pdb.metadata.namespace && matchesLabelSelector(pdb.spec.selector, p.metadata.labels),
      );
      const expectedPods = covered.length;
      const healthy = covered.filter(isReady).length;
      let desired: number;
      if (pdb.spec.maxUnavailable !== undefined) desired = expectedPods - Number(pdb.spec.maxUnavailable);
      else desired = Number(pdb.spec.minAvailable);
      const expectedAllowed = Math.max(0, healthy - desired);
      process.stdout.write(
        `# PDB ${key}: ${healthy}/${expectedPods} healthy, ${pdb.status.disruptionsAllowed} disruption(s) allowed\n`,
      );
      if (expectedPods === 0) problems.push(`${key}: covers no Pod`);
      if (pdb.status.expectedPods !== expectedPods)
        problems.push(`${key}: expectedPods ${pdb.status.expectedPods}, the selector covers ${expectedPods}`);
      if (pdb.status.disruptionsAllowed !== expectedAllowed)
        problems.push(`${key}: disruptionsAllowed ${pdb.status.disruptionsAllowed}, expected ${expectedAllowed}`);
      if (expectedAllowed < 1)
        problems.push(`${key}: allows no disruption with every Pod healthy (a drain could never finish)`);
    }
    assert.deepEqual(problems, []);
  });

  test('placement per node, and the requested share of its allocatable', async () => {
    const pods = (await list('/api/v1/pods')).filter(
      (p) => p.spec.nodeName && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded',
    );
    const lines: string[] = [];
    for (const n of (await list('/api/v1/nodes')).filter((x) => nodeNames.includes(x.metadata.name))) {
      const on = pods.filter((p) => p.spec.nodeName === n.metadata.name);
      const req = on
        .map(podRequests)
        .reduce((a, r) => ({ cpu: a.cpu + r.cpu, mem: a.mem + r.mem }), { cpu: 0, mem: 0 });
      const cpu = cpuMillis(n.status.allocatable.cpu);
      const mem = bytes(n.status.allocatable.memory);
      lines.push(
        `# ${n.metadata.name}: ${on.length} Pods; requests ${req.cpu}m/${cpu}m CPU (${((100 * req.cpu) / cpu).toFixed(0)}%), ` +
          `${(req.mem / 2 ** 20).toFixed(0)}Mi/${(mem / 2 ** 20).toFixed(0)}Mi memory (${((100 * req.mem) / mem).toFixed(0)}%)`,
      );
      for (const p of on.sort((a, b) =>
        `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
      )) {
        const r = podRequests(p);
        lines.push(`#     ${p.metadata.namespace}/${p.metadata.name} (${r.cpu}m, ${(r.mem / 2 ** 20).toFixed(0)}Mi)`);
      }
      assert.ok(req.cpu <= cpu && req.mem <= mem, `${n.metadata.name} is over-committed`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  });

  test("draining a node through the eviction API keeps ZooKeeper's quorum: the PDB refuses the second eviction", async () => {
    const pods = (await list('/api/v1/pods')).filter(inScope).filter((p) => !p.metadata.deletionTimestamp);
    const pdbs = (await list('/apis/policy/v1/poddisruptionbudgets')).filter(
      (p) => p.metadata.namespace === 'zookeeper',
    );
    assert.equal(pdbs.length, 1, 'the zookeeper tutorial has one PDB');
    const zk = pods.filter(
      (p) => p.metadata.namespace === 'zookeeper' && matchesLabelSelector(pdbs[0].spec.selector, p.metadata.labels),
    );
    assert.ok(zk.length >= 3, `ZooKeeper Pods: ${zk.length}`);
    const zkNodes = new Set(zk.map((p) => p.spec.nodeName));
    assert.equal(zkNodes.size, zk.length, 'anti-affinity puts each ZooKeeper server on its own node');
    const quorum = Math.floor(zk.length / 2) + 1;

    const node = zk[0].spec.nodeName;
    const evict = (p: any) =>
      cluster.request('POST', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}/eviction`, {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: p.metadata.name, namespace: p.metadata.namespace },
      });

    // Sample ZooKeeper's Ready servers from before the first eviction until the end of the drain.
    let minReady = Infinity;
    let sampling = true;
    const zkReady = async () =>
      (await list('/api/v1/namespaces/zookeeper/pods')).filter(
        (p) =>
          matchesLabelSelector(pdbs[0].spec.selector, p.metadata.labels) && isReady(p) && !p.metadata.deletionTimestamp,
      );
    const sampler = (async () => {
      while (sampling) {
        minReady = Math.min(minReady, (await zkReady()).length);
        await sleep(50);
      }
    })();

    // kubectl drain: cordon, then evict the node's Pods (DaemonSet Pods stay; bare Pods need --force).
    const cordon = await cluster.request(
      'PATCH',
      `/api/v1/nodes/${node}`,
      { spec: { unschedulable: true } },
      'application/strategic-merge-patch+json',
    );
    assert.equal(cordon.status, 200, statusMessage(cordon));
    const first = await evict(zk[0]);
    assert.equal(first.status, 201, `evicting ${zk[0].metadata.name} on ${node}: ${statusMessage(first)}`);
    const second = await evict(zk[1]);
    assert.equal(
      second.status,
      429,
      `a second ZooKeeper eviction while one server is down must be refused: ${statusMessage(second)}`,
    );
    assert.match(second.body.message, /disruption budget/);
    process.stdout.write(
      `# drain ${node}: evicted ${zk[0].metadata.name}; second eviction (${zk[1].metadata.name}) refused: ${second.body.message}\n`,
    );

    const others = pods.filter((p) => p.spec.nodeName === node && p.metadata.uid !== zk[0].metadata.uid);
    const skipped: string[] = [];
    for (const p of others) {
      if (ownerKind(p) === 'DaemonSet') continue;
      if (!ownerKind(p)) {
        skipped.push(`${p.metadata.namespace}/${p.metadata.name}`);
        continue;
      }
      const r = await evict(p);
      assert.equal(r.status, 201, `evicting ${p.metadata.namespace}/${p.metadata.name}: ${statusMessage(r)}`);
    }
    if (skipped.length)
      process.stdout.write(`# not evicted (no controller; kubectl drain needs --force): ${skipped.join(', ')}\n`);

    // ZooKeeper keeps a quorum throughout. Whether the replacement server finds room on the
    // remaining nodes depends on where the drained node's other Pods land first (GKE's upgrades
    // add a surge node for that, max_surge 1); it is reported, not required.
    const deadline = Date.now() + 60_000;
    let back = false;
    let now: any[] = [];
    while (Date.now() < deadline) {
      now = (await list('/api/v1/namespaces/zookeeper/pods')).filter((p) =>
        matchesLabelSelector(pdbs[0].spec.selector, p.metadata.labels),
      );
      const ready = now.filter((p) => isReady(p) && !p.metadata.deletionTimestamp);
      if (ready.length === zk.length && ready.every((p) => p.spec.nodeName !== node)) {
        back = true;
        break;
      }
      await sleep(250);
    }
    sampling = false;
    await sampler;
    assert.ok(minReady >= quorum, `ZooKeeper had ${minReady} ready servers, below its quorum of ${quorum}`);
    if (back)
      process.stdout.write(
        `# the evicted ZooKeeper server is back on another node; ZooKeeper never had fewer than ${minReady} of ${zk.length} servers ready\n`,
      );
    else {
      const pending = now
        .filter((p) => !p.spec.nodeName)
        .map((p) => {
          const c = (p.status?.conditions ?? []).find((x: any) => x.type === 'PodScheduled');
          return `${p.metadata.name}: ${c?.reason ?? ''} ${c?.message ?? ''}`;
        });
      process.stdout.write(
        `# the evicted ZooKeeper server did not come back within 60 s (quorum held, ${minReady}/${zk.length} ready at least): ${pending.join('; ') || 'not Ready yet'}\n`,
      );
    }
    const left = (await list('/api/v1/pods')).filter(
      (p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp && ownerKind(p) && ownerKind(p) !== 'DaemonSet',
    );
    assert.deepEqual(
      left.map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
      [],
      `Pods left on the drained node ${node}`,
    );
    const pdb = (
      await cluster.request('GET', `/apis/policy/v1/namespaces/zookeeper/poddisruptionbudgets/${pdbs[0].metadata.name}`)
    ).body;
    process.stdout.write(
      `# after the drain: ${pdb.status.currentHealthy}/${pdb.status.expectedPods} ZooKeeper servers healthy, ${pdb.status.disruptionsAllowed} disruption(s) allowed\n`,
    );
  });
});
