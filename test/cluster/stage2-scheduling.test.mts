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
  stackClusterObjects,
  statusMessage,
  tutorialNamespace,
} from './support.mts';
import { GKE_STORAGE_CLASSES, NodePool, nodePoolFromStack, poolNodes, systemPodStandIns } from './gke.mts';
import { Provisioner } from './provisioner.mts';
import { matchesLabelSelector, matchesLabels } from '../harness/selectors.ts';

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
      matchesLabels(ds.spec.template.spec.nodeSelector ?? {}, n.metadata.labels),
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

// ---------------------------------------------------------------- draining a node

const evict = (p: any) =>
  cluster.request('POST', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}/eviction`, {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: p.metadata.name, namespace: p.metadata.namespace },
  });

async function setUnschedulable(node: string, unschedulable: boolean): Promise<void> {
  // A merge patch: a PUT of a read node races kwok's status updates (409 Conflict).
  const r = await cluster.request(
    'PATCH',
    `/api/v1/nodes/${node}`,
    { spec: { unschedulable } },
    'application/strategic-merge-patch+json',
  );
  assert.equal(r.status, 200, `${unschedulable ? 'cordon' : 'uncordon'} ${node}: ${statusMessage(r)}`);
}

async function getBudget(namespace: string, name: string): Promise<any> {
  const r = await cluster.request('GET', `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/${name}`);
  assert.equal(r.status, 200, statusMessage(r));
  return r.body.status ?? {};
}

/** Polls a budget's status until `ready(status)` holds (a controller's answer, bounded in time). */
async function waitForBudget(key: string, ready: (st: any) => boolean, timeoutMs: number): Promise<any> {
  const [namespace, name] = key.split('/');
  const deadline = Date.now() + timeoutMs;
  let st: any = {};
  while (Date.now() < deadline) {
    st = await getBudget(namespace, name);
    if (ready(st)) return st;
    await sleep(200);
  }
  assert.fail(`PDB ${key} did not reach the expected status within ${timeoutMs / 1000} s: ${JSON.stringify(st)}`);
}

async function zookeeperServers() {
  const pdbs = (await list('/apis/policy/v1/poddisruptionbudgets')).filter((p) => p.metadata.namespace === 'zookeeper');
  assert.equal(pdbs.length, 1, 'the zookeeper tutorial has one PDB');
  const pods = (await list('/api/v1/namespaces/zookeeper/pods'))
    .filter((p) => !p.metadata.deletionTimestamp && matchesLabelSelector(pdbs[0].spec.selector, p.metadata.labels))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  assert.ok(pods.length >= 3, `ZooKeeper Pods: ${pods.length}`);
  assert.equal(
    new Set(pods.map((p) => p.spec.nodeName)).size,
    pods.length,
    'anti-affinity puts each ZooKeeper server on its own node',
  );
  const pdbName = pdbs[0].metadata.name as string;
  return { pods, pdbName, pdb: `zookeeper/${pdbName}`, quorum: Math.floor(pods.length / 2) + 1 };
}

interface Replicated {
  key: string;
  namespace: string;
  selector: any;
  replicas: number;
  /** The healthy Pods its budget keeps (minAvailable, or replicas - maxUnavailable); none without a budget. */
  budgetFloor?: number;
  /**
   * Every replica is required on one node (a required pod affinity to its own Pods on
   * kubernetes.io/hostname, as for replicas that share one ReadWriteOnce disk): draining that
   * node takes them all down together, by design, so no floor applies.
   */
  colocated: boolean;
}

/** Whether a Pod template requires its Pods on the node of its own Pods (all replicas on one node). */
function requiresOwnNode(template: any): boolean {
  const labels = template.metadata?.labels ?? {};
  return (template.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(
    (term: any) =>
      // The Deployment controller adds pod-template-hash to its Pods; a term may require it (blog-storage's does).
      term.topologyKey === 'kubernetes.io/hostname' &&
      matchesLabelSelector(term.labelSelector, { ...labels, 'pod-template-hash': 'x' }),
  );
}

/** Deployments, StatefulSets and bare ReplicaSets of the charts with two or more replicas. */
async function replicatedWorkloads(): Promise<Replicated[]> {
  const pdbs = (await list('/apis/policy/v1/poddisruptionbudgets')).filter(inScope);
  const out: Replicated[] = [];
  for (const [kind, path] of [
    ['Deployment', '/apis/apps/v1/deployments'],
    ['StatefulSet', '/apis/apps/v1/statefulsets'],
    ['ReplicaSet', '/apis/apps/v1/replicasets'],
  ]) {
    for (const w of (await list(path)).filter(inScope).filter((x) => !ownerKind(x) && (x.spec.replicas ?? 1) >= 2)) {
      const labels = w.spec.template.metadata?.labels ?? {};
      const pdb = pdbs.find(
        (p) => p.metadata.namespace === w.metadata.namespace && matchesLabelSelector(p.spec.selector, labels),
      );
      const replicas = w.spec.replicas as number;
      let budgetFloor: number | undefined;
      if (pdb?.spec.minAvailable !== undefined) budgetFloor = Number(pdb.spec.minAvailable);
      else if (pdb?.spec.maxUnavailable !== undefined) budgetFloor = replicas - Number(pdb.spec.maxUnavailable);
      out.push({
        key: `${kind} ${w.metadata.namespace}/${w.metadata.name}`,
        namespace: w.metadata.namespace,
        selector: w.spec.selector,
        replicas,
        budgetFloor,
        colocated: requiresOwnNode(w.spec.template),
      });
    }
  }
  return out;
}

/** Samples each workload's Ready Pods until stopped; `min` is the lowest count seen. */
class ReadySampler {
  readonly min = new Map<string, number>();
  private running = false;
  private loop: Promise<void> | undefined;
  constructor(private readonly workloads: Replicated[]) {}
  start(): void {
    this.running = true;
    this.loop = this.run();
    this.loop.catch(() => undefined); // handled: stop() rethrows it
  }
  /** Ends the loop; a failed read inside it is thrown here, never left unhandled. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
  private async run(): Promise<void> {
    while (this.running) {
      const pods = (await list('/api/v1/pods')).filter(
        (p) => inScope(p) && !p.metadata.deletionTimestamp && isReady(p),
      );
      for (const w of this.workloads) {
        const n = pods.filter(
          (p) => p.metadata.namespace === w.namespace && matchesLabelSelector(w.selector, p.metadata.labels),
        ).length;
        this.min.set(w.key, Math.min(this.min.get(w.key) ?? Infinity, n));
      }
      await sleep(100);
    }
  }
}

/**
 * `kubectl drain`: the node is cordoned; every Pod on it that a controller recreates is evicted,
 * and an eviction a budget refuses (429) is retried until the budget allows it or `timeoutMs`
 * ends. DaemonSet Pods stay; bare Pods are skipped (kubectl needs --force). Returns the Pods
 * still refused at the end.
 */
async function drainNode(node: string, timeoutMs: number): Promise<{ left: string[]; skipped: string[] }> {
  await setUnschedulable(node, true);
  const deadline = Date.now() + timeoutMs;
  const skipped: string[] = [];
  let left: string[] = [];
  for (;;) {
    const on = (await list('/api/v1/pods')).filter(
      (p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp && ownerKind(p) !== 'DaemonSet',
    );
    left = [];
    for (const p of on) {
      const key = `${p.metadata.namespace}/${p.metadata.name}`;
      if (!ownerKind(p)) {
        if (!skipped.includes(key)) skipped.push(key);
        continue;
      }
      const r = await evict(p);
      if (r.status === 429) left.push(`${key}: ${r.body?.message ?? ''}`);
      else assert.ok(r.status === 201 || r.status === 404, `evicting ${key}: ${statusMessage(r)}`);
    }
    if (left.length === 0 || Date.now() > deadline) return { left, skipped };
    await sleep(500);
  }
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
  let drained = '';

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
    for (const o of [...GKE_STORAGE_CLASSES, ...stackClusterObjects(), ...systemPodStandIns()]) await apply(o);
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
        (p) => p.metadata.namespace === svc.metadata.namespace && matchesLabels(svc.spec.selector, p.metadata.labels),
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

  test("a drain keeps ZooKeeper's quorum: with the evicted server held down, the budget refuses a second eviction", async () => {
    const zk = await zookeeperServers();
    drained = zk.pods[0].spec.nodeName;
    // Hold the evicted server's replacement down for as long as the test needs it down, as a real
    // server that takes a while to rejoin would be: cordon the drained node and every node that
    // runs no ZooKeeper server (the required anti-affinity rules out the others), so the
    // StatefulSet's replacement stays Pending whatever the scheduler or kwok would do next.
    const zkNodes = new Set(zk.pods.map((p) => p.spec.nodeName));
    const spares = nodeNames.filter((n) => !zkNodes.has(n));
    await setUnschedulable(drained, true);
    try {
      for (const n of spares) await setUnschedulable(n, true);
      const first = await evict(zk.pods[0]);
      assert.equal(first.status, 201, `evicting ${zk.pods[0].metadata.name} on ${drained}: ${statusMessage(first)}`);
      // The budget's own status, not a clock, says when one server is down: the controller counts
      // the two that are left and allows no further disruption.
      const status = await waitForBudget(zk.pdb, (st) => st.currentHealthy === zk.pods.length - 1, 30_000);
      assert.equal(status.disruptionsAllowed, 0, `PDB ${zk.pdb}: ${JSON.stringify(status)}`);
      assert.ok(status.currentHealthy >= zk.quorum, `${status.currentHealthy} healthy, quorum ${zk.quorum}`);
      const second = await evict(zk.pods[1]);
      assert.equal(second.status, 429, `a second ZooKeeper eviction must be refused: ${statusMessage(second)}`);
      assert.match(second.body.message, /disruption budget/);
      process.stdout.write(
        `# drain ${drained}: evicted ${zk.pods[0].metadata.name}; budget at ${status.currentHealthy}/${status.expectedPods} healthy, ` +
          `${status.disruptionsAllowed} allowed; second eviction (${zk.pods[1].metadata.name}) refused: ${second.body.message}\n`,
      );
    } finally {
      for (const n of spares) await setUnschedulable(n, false);
    }
  });

  test('draining the rest of the node keeps every replicated workload within its budget, and at least one replica ready', async () => {
    assert.ok(drained, 'the ZooKeeper drain test chose the node');
    const workloads = await replicatedWorkloads();
    const sampler = new ReadySampler(workloads);
    sampler.start();
    let left: string[] = [];
    let skipped: string[] = [];
    try {
      ({ left, skipped } = await drainNode(drained, 120_000));
    } finally {
      await sampler.stop();
    }
    if (skipped.length)
      process.stdout.write(`# not evicted (no controller; kubectl drain needs --force): ${skipped.join(', ')}\n`);
    assert.deepEqual(left, [], `evictions still refused after 120 s on ${drained}`);
    const problems: string[] = [];
    for (const w of workloads) {
      const min = sampler.min.get(w.key) ?? 0;
      const floor = w.colocated ? 0 : Math.max(1, w.budgetFloor ?? 1);
      const why = w.colocated
        ? ', all replicas on one node by design'
        : w.budgetFloor === undefined
          ? ', no budget'
          : '';
      process.stdout.write(
        `# ${w.key}: ${w.replicas} replicas, never fewer than ${min} ready (floor ${floor}${why})\n`,
      );
      if (min < floor) problems.push(`${w.key}: ${min} ready at the least, below ${floor}`);
    }
    assert.deepEqual(problems, []);
    const pdb = await getBudget('zookeeper', (await zookeeperServers()).pdbName);
    process.stdout.write(
      `# after the drain: ${pdb.currentHealthy}/${pdb.expectedPods} ZooKeeper servers healthy, ${pdb.disruptionsAllowed} disruption(s) allowed\n`,
    );
  });
});
