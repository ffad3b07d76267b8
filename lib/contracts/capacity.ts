import { MachineType } from './machine-types';

/**
 * What a node of a GKE Standard node pool offers to Pods, and what GKE's own Pods take of it.
 *
 * The reservation formula is GKE's published one, from "Plan GKE Standard node sizes"
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes, section "Node
 * allocatable resources"; formerly in "Cluster architecture"). It applies to machines with at
 * least 1 GiB of memory, which every type in lib/contracts/machine-types.ts has. Its memory
 * tiers apply to the memory the kubelet reports (MemTotal), which is less than the machine
 * type's nominal memory; {@link E2_STANDARD_2_NODE} is the real node the memory model is
 * derived from (the nominal-memory model was 207 MiB per node too high).
 */
export interface Resources {
  /** CPU in millicores. */
  readonly cpuMillis: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
}

/** Tiers as [size of the tier, fraction reserved]; the last tier is unbounded. */
const CPU_TIERS: ReadonlyArray<readonly [number, number]> = [
  [1, 0.06], // 6% of the first core
  [1, 0.01], // 1% of the next core (up to 2 cores)
  [2, 0.005], // 0.5% of the next 2 cores (up to 4 cores)
  [Infinity, 0.0025], // 0.25% of any cores above 4
];
const MEMORY_TIERS_GIB: ReadonlyArray<readonly [number, number]> = [
  [4, 0.25], // 25% of the first 4 GiB
  [4, 0.2], // 20% of the next 4 GiB (up to 8 GiB)
  [8, 0.1], // 10% of the next 8 GiB (up to 16 GiB)
  [112, 0.06], // 6% of the next 112 GiB (up to 128 GiB)
  [Infinity, 0.02], // 2% of any memory above 128 GiB
];
/** The kubelet's hard eviction threshold that GKE also subtracts from allocatable memory. */
export const EVICTION_THRESHOLD_MIB = 100;

/**
 * One real node: an `e2-standard-2` node of GKE Standard as `kubectl get node -o yaml` shows it.
 * The machine type's nominal memory is 8 GiB = 8388608Ki; the kubelet reports
 * `capacity.memory` 8152028Ki (the kernel's MemTotal: what the guest kernel keeps for itself,
 * its page tables and the firmware's reservations is gone before the kubelet counts), and
 * `allocatable.memory` 6186972Ki. The memory model below is derived from these three figures.
 */
export const E2_STANDARD_2_NODE = { nominalKi: 8 * 1024 * 1024, memTotalKi: 8152028, allocatableKi: 6186972 } as const;

/**
 * The share of nominal memory the kernel keeps before MemTotal: (8388608 - 8152028) / 8388608,
 * about 2.82 % (231 MiB of 8 GiB), assumed proportional for other machine types (most of it
 * is the kernel's per-page bookkeeping, which scales with memory).
 */
export const KERNEL_RESERVED_FRACTION = 1 - E2_STANDARD_2_NODE.memTotalKi / E2_STANDARD_2_NODE.nominalKi;

/**
 * What the real node reserves beyond GKE's published tiers applied to MemTotal and the
 * eviction threshold: (8152028 - 6186972)Ki = 1919 MiB reserved in all, of which the tiers on
 * MemTotal (7961 MiB) give 1797 MiB and eviction 100 MiB; the remaining 22 MiB is not
 * explained by the published formula and is kept as a per-node constant.
 */
export const UNEXPLAINED_RESERVED_MIB =
  (E2_STANDARD_2_NODE.memTotalKi - E2_STANDARD_2_NODE.allocatableKi) / 1024 -
  tieredMemoryMiB(E2_STANDARD_2_NODE.memTotalKi / 1024) -
  EVICTION_THRESHOLD_MIB;

function tiered(amount: number, tiers: ReadonlyArray<readonly [number, number]>): number {
  let left = amount;
  let reserved = 0;
  for (const [size, fraction] of tiers) {
    const part = Math.min(left, size);
    reserved += part * fraction;
    left -= part;
  }
  return reserved;
}

function tieredMemoryMiB(memoryMiB: number): number {
  return tiered(memoryMiB / 1024, MEMORY_TIERS_GIB) * 1024;
}

/**
 * The memory the kubelet reports as the node's capacity (MemTotal), in MiB: the nominal
 * memory minus {@link KERNEL_RESERVED_FRACTION}. e2-standard-2: 7961 MiB of 8192.
 */
export function kubeletMemoryMiB(type: MachineType): number {
  return type.memoryGiB * 1024 * (1 - KERNEL_RESERVED_FRACTION);
}

/**
 * What GKE reserves on a node of this type for the kubelet, the container runtime and the OS.
 * Memory: the tiers applied to the memory the kubelet reports (MemTotal), not to the machine
 * type's nominal memory, plus the eviction threshold and {@link UNEXPLAINED_RESERVED_MIB}.
 */
export function gkeReserved(type: MachineType): Resources {
  return {
    cpuMillis: tiered(type.vcpus, CPU_TIERS) * 1000,
    memoryMiB: tieredMemoryMiB(kubeletMemoryMiB(type)) + EVICTION_THRESHOLD_MIB + UNEXPLAINED_RESERVED_MIB,
  };
}

/**
 * A node's allocatable resources: capacity (vCPUs; MemTotal for memory) minus
 * {@link gkeReserved}. e2-standard-2: 1930m and 6042 MiB (6186972Ki, the real node's figure).
 */
export function nodeAllocatable(type: MachineType): Resources {
  const reserved = gkeReserved(type);
  return {
    cpuMillis: type.vcpus * 1000 - reserved.cpuMillis,
    memoryMiB: kubeletMemoryMiB(type) - reserved.memoryMiB,
  };
}

/**
 * The requests of GKE's own Pods, which come out of allocatable before any tutorial Pod.
 *
 * GKE does not publish these; the figures are rounded up from a `kubectl describe node` of a
 * GKE 1.29 Standard node with Workload Identity (github.com/cryptnono/cryptnono/issues/34, May
 * 2024) and the standalone kube-proxy Pod's 100m (github.com/2i2c-org/infrastructure/pull/4072):
 * - on every node: kube-proxy 100m; fluentbit-gke 105m/230Mi; gke-metadata-server 100m/100Mi
 *   (Workload Identity); ip-masq-agent 10m/16Mi; pdcsi-node and gke-metrics-agent (estimated,
 *   about 20m/80Mi together). Sum 335m/426Mi, taken as 350m/450Mi;
 * - once per cluster: two kube-dns 260m/110Mi each, kube-dns-autoscaler 20m/10Mi,
 *   konnectivity-agent 15m/60Mi (up to one per node), its autoscaler 10m/10Mi, and
 *   metrics-server, event-exporter and l7-default-backend (estimated, about 70m/150Mi). Sum
 *   635m/450Mi, taken as 700m/650Mi (konnectivity-agent runs up to one per node, and the
 *   estimates are rough).
 * Versions differ; a real cluster's `kubectl describe nodes` is the authority.
 */
export const SYSTEM_PODS = {
  perNode: { cpuMillis: 350, memoryMiB: 450 },
  perCluster: { cpuMillis: 700, memoryMiB: 650 },
} as const satisfies Record<string, Resources>;

export interface PoolCapacity {
  /** Allocatable of one node. */
  readonly perNodeAllocatable: Resources;
  /** What one node leaves for tutorial Pods after the per-node system Pods. */
  readonly perNodeForWorkloads: Resources;
  /** What the whole pool leaves for tutorial Pods after all system Pods. */
  readonly forWorkloads: Resources;
}

/** The capacity a pool of `nodes` nodes of `type` leaves for the tutorials. */
export function poolCapacity(type: MachineType, nodes: number): PoolCapacity {
  const a = nodeAllocatable(type);
  return {
    perNodeAllocatable: a,
    perNodeForWorkloads: {
      cpuMillis: a.cpuMillis - SYSTEM_PODS.perNode.cpuMillis,
      memoryMiB: a.memoryMiB - SYSTEM_PODS.perNode.memoryMiB,
    },
    forWorkloads: {
      cpuMillis: nodes * (a.cpuMillis - SYSTEM_PODS.perNode.cpuMillis) - SYSTEM_PODS.perCluster.cpuMillis,
      memoryMiB: nodes * (a.memoryMiB - SYSTEM_PODS.perNode.memoryMiB) - SYSTEM_PODS.perCluster.memoryMiB,
    },
  };
}
