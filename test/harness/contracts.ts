/**
 * Contract checks between the two apps: pure functions over synthesized charts and the
 * synthesized cdktf stacks, used by test/contracts.test.ts (which runs them on every
 * registered chart and has a failing-case test for each).
 */
import { PoolCapacity, Resources } from '../../lib/contracts/capacity';
import { loadBalancerKey } from '../../lib/contracts/load-balancers';
import { MACHINE_TYPES } from '../../lib/contracts/machine-types';
import { GKE_BUILT_IN_STORAGE_CLASSES } from '../../lib/contracts/storage-classes';
import { ClusterFeatures, clusterPoolCapacity } from '../../lib/contracts/system-pods';
import { PRIORITY_CLASSES } from '../../lib/contracts/priority-classes';
import { parseQuantity } from '../../lib/internal/validation';
import { CLUSTER_STACK } from '../../infra/stacks';
import { TerraformJson, resourcesOf } from './infra';
import { K8sObject, podTemplates, selects } from './objects';

export interface ChartDocs {
  readonly id: string;
  readonly docs: readonly K8sObject[];
}

// ---------------------------------------------------------------- storage classes

export const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** Names of the StorageClasses the stacks create. */
export function stackStorageClasses(stacks: readonly TerraformJson[]): Set<string> {
  return new Set(
    stacks.flatMap((s) =>
      Object.values(resourcesOf(s, 'kubernetes_storage_class_v1')).map((r: any) => r.metadata.name as string),
    ),
  );
}

/**
 * Every class a PVC or claim template names is created by the stacks, provided by GKE, or
 * emitted by the chart itself (D7's "on request" variant); a chart class must not clash with
 * a stack class (kubectl apply would overwrite the stack's, and the provisioner is immutable).
 */
export function storageClassFindings(charts: readonly ChartDocs[], fromStacks: ReadonlySet<string>): string[] {
  const findings: string[] = [];
  for (const { id, docs } of charts) {
    const own = new Set(docs.filter((d) => d.kind === 'StorageClass').map((d) => d.metadata.name!));
    for (const name of own) {
      if (fromStacks.has(name))
        findings.push(`${id}: StorageClass/${name} is also created by the infrastructure stack`);
    }
    const claims: Array<[string, any]> = [
      ...docs
        .filter((d) => d.kind === 'PersistentVolumeClaim')
        .map((d): [string, any] => [`PersistentVolumeClaim/${d.metadata.name}`, d]),
      ...docs
        .filter((d) => d.kind === 'StatefulSet')
        .flatMap((d) =>
          (d.spec?.volumeClaimTemplates ?? []).map((t: any): [string, any] => [
            `StatefulSet/${d.metadata.name} claim template ${t.metadata?.name}`,
            t,
          ]),
        ),
    ];
    for (const [what, claim] of claims) {
      const cls: string | undefined =
        claim.spec?.storageClassName ?? claim.metadata?.annotations?.[BETA_CLASS_ANNOTATION];
      if (cls === undefined || cls === '') continue; // the cluster's default class (standard-rwo on GKE), or static binding
      if (fromStacks.has(cls) || (GKE_BUILT_IN_STORAGE_CLASSES as readonly string[]).includes(cls) || own.has(cls))
        continue;
      findings.push(
        `${id}: ${what} uses storageClassName "${cls}", which the infrastructure stack does not create and GKE does not provide (${GKE_BUILT_IN_STORAGE_CLASSES.join(', ')})`,
      );
    }
  }
  return findings;
}

// ---------------------------------------------------------------- priority classes

/** A PriorityClass as the capacity check needs it. */
export interface PriorityFacts {
  readonly value: number;
  readonly preemptionPolicy: string;
}

/** The PriorityClasses the stacks create, by name. */
export function stackPriorityClasses(stacks: readonly TerraformJson[]): Map<string, PriorityFacts> {
  return new Map(
    stacks.flatMap((s) =>
      Object.values(resourcesOf(s, 'kubernetes_priority_class_v1')).map((r: any): [string, PriorityFacts] => [
        r.metadata.name,
        { value: r.value, preemptionPolicy: r.preemption_policy ?? 'PreemptLowerPriority' },
      ]),
    ),
  );
}

/** Every priorityClassName of a Pod is created by the stacks (or is one of Kubernetes' two system classes). */
export function priorityClassFindings(
  charts: readonly ChartDocs[],
  fromStacks: ReadonlyMap<string, unknown>,
): string[] {
  return charts.flatMap(({ id, docs }) =>
    podTemplates(docs)
      .filter((t) => t.podSpec?.priorityClassName !== undefined)
      .filter((t) => !fromStacks.has(t.podSpec.priorityClassName))
      .filter((t) => !['system-cluster-critical', 'system-node-critical'].includes(t.podSpec.priorityClassName))
      .map(
        (t) =>
          `${id}: ${t.owner.kind}/${t.owner.metadata.name} uses priorityClassName "${t.podSpec.priorityClassName}", which the infrastructure stack does not create`,
      ),
  );
}

// ---------------------------------------------------------------- load balancer addresses

/** The `<chart>/<service>` keys of the addresses the cluster stack reserves and outputs. */
export function reservedKeys(stack: TerraformJson): string[] {
  return Object.keys((stack.output?.load_balancer_addresses?.value ?? {}) as Record<string, string>);
}

/** Every LoadBalancer Service is registered and has an address; no entry or address is for nothing. */
export function loadBalancerFindings(
  charts: readonly ChartDocs[],
  registry: ReadonlyArray<{ chart: string; service: string }>,
  reserved: readonly string[],
): string[] {
  const services = charts.flatMap(({ id, docs }) =>
    docs.filter((d) => d.kind === 'Service' && d.spec?.type === 'LoadBalancer').map((d) => `${id}/${d.metadata.name}`),
  );
  const registered = registry.map(loadBalancerKey);
  const findings: string[] = [];
  for (const key of services) {
    if (!registered.includes(key))
      findings.push(`LoadBalancer Service ${key} is not in LOAD_BALANCER_SERVICES (lib/contracts/load-balancers.ts)`);
    if (!reserved.includes(key))
      findings.push(`LoadBalancer Service ${key} has no reserved address in the ${CLUSTER_STACK} stack`);
  }
  for (const key of registered)
    if (!services.includes(key))
      findings.push(`LOAD_BALANCER_SERVICES entry ${key} matches no LoadBalancer Service of the charts`);
  for (const key of reserved)
    if (!services.includes(key))
      findings.push(
        `the ${CLUSTER_STACK} stack reserves an address for ${key}, which is no LoadBalancer Service of the charts`,
      );
  return findings;
}

// ---------------------------------------------------------------- capacity

export interface WorkloadDemand {
  readonly chart: string;
  readonly workload: string;
  /** Pods it runs on a pool of `nodes` nodes. */
  readonly pods: number;
  /** Effective requests of one Pod. */
  readonly perPod: Resources;
  /** Required anti-affinity on kubernetes.io/hostname against its own Pods: at most one per node. */
  readonly onePerNode: boolean;
  /** Required pod affinity on kubernetes.io/hostname to its own Pods: every Pod on one node. */
  readonly coLocated: boolean;
  /** The value of its PriorityClass (in its chart), 0 without one. */
  readonly priority: number;
  /** Its PriorityClass preempts lower-priority Pods (preemptionPolicy PreemptLowerPriority, the default). */
  readonly preempts: boolean;
  readonly kind: string;
}

export const MIB = 2 ** 20;

/** The PriorityClasses of the contract (lib/contracts/priority-classes.ts), which the stack creates. */
export const CONTRACT_PRIORITY_CLASSES: ReadonlyMap<string, PriorityFacts> = new Map(
  PRIORITY_CLASSES.map((c) => [c.name, { value: c.value, preemptionPolicy: c.preemptionPolicy }]),
);

/** A container's request: requests, else limits (Kubernetes defaults requests to limits), else 0. */
export function containerRequest(c: any, resource: 'cpu' | 'memory'): number {
  const q = c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];
  if (q === undefined) return 0;
  const value = parseQuantity(String(q));
  return resource === 'cpu' ? value * 1000 : value / MIB;
}

/**
 * The scheduler's Pod request: the larger of (the containers' sum plus every sidecar) and, for
 * each plain init container, its request plus the sidecars started before it. Sidecars are init
 * containers with `restartPolicy: Always` (Kubernetes 1.29+), which keep running next to the
 * containers ("Resource sharing within containers", Kubernetes docs).
 */
export function podRequest(podSpec: any): Resources {
  const of = (resource: 'cpu' | 'memory') => {
    let sidecars = 0;
    let initPeak = 0;
    for (const c of podSpec.initContainers ?? []) {
      if (c.restartPolicy === 'Always') sidecars += containerRequest(c, resource);
      else initPeak = Math.max(initPeak, sidecars + containerRequest(c, resource));
    }
    const main = (podSpec.containers ?? []).reduce((sum: number, c: any) => sum + containerRequest(c, resource), 0);
    return Math.max(main + sidecars, initPeak);
  };
  return { cpuMillis: of('cpu'), memoryMiB: of('memory') };
}

export function podCount(owner: K8sObject, nodes: number): number {
  switch (owner.kind) {
    case 'DaemonSet':
      return nodes;
    case 'Pod':
      return 1;
    case 'Job':
      return owner.spec?.parallelism ?? 1;
    case 'CronJob':
      return owner.spec?.jobTemplate?.spec?.parallelism ?? 1;
    default:
      return owner.spec?.replicas ?? 1;
  }
}

export function demands(
  charts: readonly ChartDocs[],
  nodes: number,
  classes: ReadonlyMap<string, PriorityFacts> = CONTRACT_PRIORITY_CLASSES,
): WorkloadDemand[] {
  return charts.flatMap(({ id, docs }) =>
    podTemplates(docs).map((t) => {
      // A Deployment's controller adds pod-template-hash to every Pod, which a term may select on.
      const labels = t.owner.kind === 'Deployment' ? { ...t.labels, 'pod-template-hash': 'any' } : t.labels;
      const own = (term: any) =>
        term.topologyKey === 'kubernetes.io/hostname' &&
        (term.namespaces === undefined || term.namespaces.includes(t.namespace)) &&
        term.labelSelector !== undefined &&
        selects(term.labelSelector, labels);
      const anti: any[] = t.podSpec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
      const affinity: any[] = t.podSpec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
      const cls = t.podSpec?.priorityClassName === undefined ? undefined : classes.get(t.podSpec.priorityClassName);
      return {
        chart: id,
        workload: `${t.owner.kind}/${t.owner.metadata.name}`,
        kind: t.owner.kind,
        pods: podCount(t.owner, nodes),
        perPod: podRequest(t.podSpec),
        onePerNode: anti.some(own),
        coLocated: affinity.some(own),
        priority: cls?.value ?? 0,
        preempts: cls !== undefined && (cls.preemptionPolicy ?? 'PreemptLowerPriority') === 'PreemptLowerPriority',
      };
    }),
  );
}

export interface CapacityReport {
  readonly capacity: PoolCapacity;
  readonly requested: Resources;
  readonly headroom: Resources;
  readonly findings: string[];
  readonly byChart: ReadonlyArray<{ chart: string; cpuMillis: number; memoryMiB: number }>;
  /** Workloads limited to one Pod per node by required anti-affinity. */
  readonly onePerNode: readonly WorkloadDemand[];
  /** Workloads whose Pods must share one node (required pod affinity to their own Pods). */
  readonly coLocated: readonly WorkloadDemand[];
  /** Workloads whose PriorityClass preempts lower-priority Pods. */
  readonly preempting: readonly WorkloadDemand[];
  /** The room preemption needs: the largest Pod a preempting Pod may displace (see capacityReport). */
  readonly preemptionRoom: Resources;
}

/** What the capacity check needs to know about the synthesized node pool and cluster. */
export interface PoolFacts {
  readonly machineType: string;
  /** Nodes in all: a regional pool's node_count is per zone, times its node_locations. */
  readonly nodes: number;
  readonly features: ClusterFeatures;
}

/** The one node pool of the cluster stack, and the cluster features that add system Pods. */
export function poolFacts(stack: TerraformJson): PoolFacts {
  const pools = Object.values(resourcesOf(stack, 'google_container_node_pool')) as any[];
  const clusters = Object.values(resourcesOf(stack, 'google_container_cluster')) as any[];
  if (pools.length !== 1 || clusters.length !== 1)
    throw new Error(`expected one cluster and one node pool, found ${clusters.length} and ${pools.length}`);
  const [pool] = pools;
  const zones = pool.node_locations?.length ?? 1;
  return {
    machineType: pool.node_config.machine_type,
    nodes: pool.node_count * zones,
    // Network policy is Dataplane V2 (decision D8): the datapath, not the Calico setting.
    features: { networkPolicy: clusters[0].datapath_provider === 'ADVANCED_DATAPATH' },
  };
}

/** What a list of workloads requests in all: each workload's Pods times its requests per Pod. */
function sumDemands(ds: readonly WorkloadDemand[]): Resources {
  return {
    cpuMillis: ds.reduce((s, d) => s + d.pods * d.perPod.cpuMillis, 0),
    memoryMiB: ds.reduce((s, d) => s + d.pods * d.perPod.memoryMiB, 0),
  };
}

/** The charts' requests against what the pool leaves for workloads. */
function totalFindings(requested: Resources, capacity: PoolCapacity): string[] {
  const findings: string[] = [];
  if (capacity.forWorkloads.cpuMillis - requested.cpuMillis < 0)
    findings.push(
      `CPU: the charts request ${requested.cpuMillis.toFixed(0)}m, the pool leaves ${capacity.forWorkloads.cpuMillis.toFixed(0)}m`,
    );
  if (capacity.forWorkloads.memoryMiB - requested.memoryMiB < 0)
    findings.push(
      `memory: the charts request ${requested.memoryMiB.toFixed(0)} MiB, the pool leaves ${capacity.forWorkloads.memoryMiB.toFixed(0)} MiB`,
    );
  return findings;
}

/** Pods larger than one node leaves, and one-per-node workloads with more replicas than nodes. */
function perPodFindings(
  all: readonly WorkloadDemand[],
  capacity: PoolCapacity,
  machineType: string,
  nodes: number,
): string[] {
  const findings: string[] = [];
  for (const d of all) {
    if (
      d.perPod.cpuMillis > capacity.perNodeForWorkloads.cpuMillis ||
      d.perPod.memoryMiB > capacity.perNodeForWorkloads.memoryMiB
    ) {
      findings.push(
        `${d.chart}: a Pod of ${d.workload} requests ${d.perPod.cpuMillis.toFixed(0)}m/${d.perPod.memoryMiB.toFixed(0)} MiB, more than one ${machineType} node leaves (${capacity.perNodeForWorkloads.cpuMillis.toFixed(0)}m/${capacity.perNodeForWorkloads.memoryMiB.toFixed(0)} MiB)`,
      );
    }
    if (d.onePerNode && d.pods > nodes)
      findings.push(
        `${d.chart}: ${d.workload} has ${d.pods} replicas and required anti-affinity on kubernetes.io/hostname, but the pool has ${nodes} nodes`,
      );
  }
  return findings;
}

/**
 * Co-located replicas (decision D8): all of a workload's Pods on one node, so a replica created
 * while another runs can go nowhere else. Never stranded by a full node, whatever the
 * scheduler placed there, when (1) their PriorityClass preempts lower-priority Pods; (2) the
 * whole group fits one node next to GKE's per-node Pods and every DaemonSet, which preemption
 * does not move elsewhere (their Pods belong to the node), so preempting the other Pods there
 * always makes room.
 */
function coLocatedFindings(
  coLocated: readonly WorkloadDemand[],
  all: readonly WorkloadDemand[],
  capacity: PoolCapacity,
  machineType: string,
): string[] {
  const findings: string[] = [];
  const daemons = sumDemands(all.filter((d) => d.kind === 'DaemonSet').map((d) => ({ ...d, pods: 1 })));
  for (const d of coLocated) {
    if (!(d.priority > 0 && d.preempts))
      findings.push(
        `${d.chart}: ${d.workload} keeps its ${d.pods} replicas on one node (required pod affinity) without a PriorityClass that preempts lower-priority Pods: a replica is stranded when that node is full`,
      );
    const group = { cpuMillis: d.pods * d.perPod.cpuMillis, memoryMiB: d.pods * d.perPod.memoryMiB };
    if (
      group.cpuMillis + daemons.cpuMillis > capacity.perNodeForWorkloads.cpuMillis ||
      group.memoryMiB + daemons.memoryMiB > capacity.perNodeForWorkloads.memoryMiB
    )
      findings.push(
        `${d.chart}: the ${d.pods} co-located replicas of ${d.workload} (${group.cpuMillis.toFixed(0)}m/${group.memoryMiB.toFixed(0)} MiB) and every DaemonSet (${daemons.cpuMillis.toFixed(0)}m/${daemons.memoryMiB.toFixed(0)} MiB) do not fit one ${machineType} node (${capacity.perNodeForWorkloads.cpuMillis.toFixed(0)}m/${capacity.perNodeForWorkloads.memoryMiB.toFixed(0)} MiB)`,
      );
  }
  return findings;
}

/**
 * (3) Every Pod that preempts (co-located replicas, one-per-node ensemble members) displaces
 * lower-priority Pods that are not a DaemonSet's; their controllers recreate them elsewhere, so
 * the pool's headroom must hold the largest of them. An aggregate check: the control-plane
 * suite shows the real placement.
 */
function preemption(
  all: readonly WorkloadDemand[],
  headroom: Resources,
): { preempting: WorkloadDemand[]; preemptionRoom: Resources; findings: string[] } {
  const preempting = all.filter((d) => d.priority > 0 && d.preempts && d.pods > 0);
  let preemptionRoom: Resources = { cpuMillis: 0, memoryMiB: 0 };
  for (const d of preempting) {
    const victims = all.filter((v) => v.kind !== 'DaemonSet' && v.priority < d.priority && v.pods > 0);
    const largest = (r: 'cpuMillis' | 'memoryMiB') => Math.max(0, ...victims.map((v) => v.perPod[r]));
    preemptionRoom = {
      cpuMillis: Math.max(preemptionRoom.cpuMillis, largest('cpuMillis')),
      memoryMiB: Math.max(preemptionRoom.memoryMiB, largest('memoryMiB')),
    };
  }
  const findings: string[] = [];
  if (
    preempting.length > 0 &&
    (headroom.cpuMillis < preemptionRoom.cpuMillis || headroom.memoryMiB < preemptionRoom.memoryMiB)
  )
    findings.push(
      `preemption: a Pod with a preempting PriorityClass may displace a Pod of up to ${preemptionRoom.cpuMillis.toFixed(0)}m/${preemptionRoom.memoryMiB.toFixed(0)} MiB, but the pool's headroom is ${headroom.cpuMillis.toFixed(0)}m/${headroom.memoryMiB.toFixed(0)} MiB`,
    );
  return { preempting, preemptionRoom, findings };
}

export function capacityReport(
  charts: readonly ChartDocs[],
  machineType: string,
  nodes: number,
  features: ClusterFeatures = {},
  classes: ReadonlyMap<string, PriorityFacts> = CONTRACT_PRIORITY_CLASSES,
): CapacityReport {
  const type = MACHINE_TYPES.get(machineType);
  if (!type) throw new Error(`unknown machine type ${machineType}`);
  const capacity = clusterPoolCapacity(type, nodes, features);
  const all = demands(charts, nodes, classes);
  const requested = sumDemands(all);
  const headroom = {
    cpuMillis: capacity.forWorkloads.cpuMillis - requested.cpuMillis,
    memoryMiB: capacity.forWorkloads.memoryMiB - requested.memoryMiB,
  };
  const coLocated = all.filter((d) => d.coLocated && d.pods >= 2);
  const { preempting, preemptionRoom, findings: preemptionFindings } = preemption(all, headroom);
  const findings = [
    ...totalFindings(requested, capacity),
    ...perPodFindings(all, capacity, machineType, nodes),
    ...coLocatedFindings(coLocated, all, capacity, machineType),
    ...preemptionFindings,
  ];
  const byChart = charts.map(({ id }) => ({ chart: id, ...sumDemands(all.filter((d) => d.chart === id)) }));
  return {
    capacity,
    requested,
    headroom,
    findings,
    byChart,
    onePerNode: all.filter((d) => d.onePerNode),
    coLocated,
    preempting,
    preemptionRoom,
  };
}
