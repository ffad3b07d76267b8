import { PoolCapacity, Resources, SYSTEM_PODS, nodeAllocatable } from './capacity';
import { MachineType } from './machine-types';

/** Cluster features that add GKE system Pods to every node or to the cluster. */
export interface ClusterFeatures {
  /** NetworkPolicy enforcement (Calico on the legacy datapath, GKE_NETWORK_POLICY). @default false */
  readonly networkPolicy?: boolean;
}

/**
 * What GKE's Calico network policy enforcement adds.
 * - per node (calico-node): GKE's documented cost, "approximately 128 MB" of memory and
 *   "approximately 300 millicores of CPU" in each node ("Control communication between Pods
 *   and Services using network policies", cloud.google.com/kubernetes-engine/docs/how-to/network-policy,
 *   as quoted in github.com/terraform-google-modules/terraform-google-kubernetes-engine/issues/804);
 * - per cluster (calico-typha, its horizontal and vertical autoscalers): an **estimate**,
 *   200m/100 MiB; GKE publishes no figure. A real cluster's `kubectl describe nodes` is the authority.
 */
export const CALICO_PODS = {
  perNode: { cpuMillis: 300, memoryMiB: 128 },
  perCluster: { cpuMillis: 200, memoryMiB: 100 },
} as const satisfies Record<string, Resources>;

const add = (a: Resources, b: Resources): Resources => ({
  cpuMillis: a.cpuMillis + b.cpuMillis,
  memoryMiB: a.memoryMiB + b.memoryMiB,
});

/** The requests of GKE's own Pods on a cluster with `features`: SYSTEM_PODS, plus Calico's with network policy. */
export function systemPods(features: ClusterFeatures = {}): {
  readonly perNode: Resources;
  readonly perCluster: Resources;
} {
  if (!features.networkPolicy) return SYSTEM_PODS;
  return {
    perNode: add(SYSTEM_PODS.perNode, CALICO_PODS.perNode),
    perCluster: add(SYSTEM_PODS.perCluster, CALICO_PODS.perCluster),
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
