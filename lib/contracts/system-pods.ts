import { PoolCapacity, Resources, SYSTEM_PODS, nodeAllocatable } from './capacity';
import { MachineType } from './machine-types';

/** Cluster features that change GKE's system Pods on every node or in the cluster. */
export interface ClusterFeatures {
  /** NetworkPolicy enforcement (GKE Dataplane V2, GKE_NETWORK_POLICY). @default false */
  readonly networkPolicy?: boolean;
}

/**
 * What GKE Dataplane V2 (network policy enforcement here, decision D8) changes on every node:
 * the `anetd` DaemonSet (Cilium) replaces kube-proxy.
 * - kube-proxy's 100m CPU ({@link SYSTEM_PODS}) is gone;
 * - `anetd`: an **estimate**, 150m CPU and 200 MiB, rounded up from the one published figure
 *   found, a `kubectl describe node` of an Anthos clusters on bare metal 1.15 node (the same
 *   `anetd` DaemonSet: 110m CPU, 164Mi). GKE publishes no figure; a real cluster's
 *   `kubectl describe nodes` is the authority.
 * No per-cluster Pods are known to come with it.
 */
export const DATAPLANE_V2_PODS = {
  anetdPerNode: { cpuMillis: 150, memoryMiB: 200 },
  kubeProxyPerNode: { cpuMillis: 100, memoryMiB: 0 },
} as const satisfies Record<string, Resources>;

/**
 * What GKE's Calico network policy enforcement added (the legacy datapath's way, which this
 * project used before Dataplane V2; kept for comparison in the tests and docs):
 * - per node (calico-node): GKE's documented cost, "approximately 128 MB" of memory and
 *   "approximately 300 millicores of CPU" in each node ("Control communication between Pods
 *   and Services using network policies", cloud.google.com/kubernetes-engine/docs/how-to/network-policy,
 *   as quoted in github.com/terraform-google-modules/terraform-google-kubernetes-engine/issues/804);
 * - per cluster (calico-typha, its horizontal and vertical autoscalers): an **estimate**,
 *   200m/100 MiB; GKE publishes no figure.
 */
export const CALICO_PODS = {
  perNode: { cpuMillis: 300, memoryMiB: 128 },
  perCluster: { cpuMillis: 200, memoryMiB: 100 },
} as const satisfies Record<string, Resources>;

const add = (a: Resources, b: Resources): Resources => ({
  cpuMillis: a.cpuMillis + b.cpuMillis,
  memoryMiB: a.memoryMiB + b.memoryMiB,
});
const minus = (a: Resources, b: Resources): Resources => ({
  cpuMillis: a.cpuMillis - b.cpuMillis,
  // Stryker disable next-line ArithmeticOperator: equivalent while the only subtrahend, kube-proxy's memory share, is 0 MiB
  memoryMiB: a.memoryMiB - b.memoryMiB,
});

/**
 * The requests of GKE's own Pods on a cluster with `features`: SYSTEM_PODS, with Dataplane V2's
 * `anetd` in place of kube-proxy on every node when network policy is on.
 */
export function systemPods(features: ClusterFeatures = {}): {
  readonly perNode: Resources;
  readonly perCluster: Resources;
} {
  if (!features.networkPolicy) return SYSTEM_PODS;
  return {
    perNode: add(minus(SYSTEM_PODS.perNode, DATAPLANE_V2_PODS.kubeProxyPerNode), DATAPLANE_V2_PODS.anetdPerNode),
    perCluster: SYSTEM_PODS.perCluster,
  };
}

/**
 * The capacity a pool of `nodes` nodes of `type` leaves for the tutorials on a cluster with
 * `features`: {@link poolCapacity}'s model with {@link systemPods} in place of SYSTEM_PODS
 * (the same figures when no feature is on).
 */
export function clusterPoolCapacity(type: MachineType, nodes: number, features: ClusterFeatures = {}): PoolCapacity {
  const a = nodeAllocatable(type);
  const system = systemPods(features);
  return {
    perNodeAllocatable: a,
    perNodeForWorkloads: {
      cpuMillis: a.cpuMillis - system.perNode.cpuMillis,
      memoryMiB: a.memoryMiB - system.perNode.memoryMiB,
    },
    forWorkloads: {
      cpuMillis: nodes * (a.cpuMillis - system.perNode.cpuMillis) - system.perCluster.cpuMillis,
      memoryMiB: nodes * (a.memoryMiB - system.perNode.memoryMiB) - system.perCluster.memoryMiB,
    },
  };
}
