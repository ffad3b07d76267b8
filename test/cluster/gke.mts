/* eslint-disable @typescript-eslint/no-explicit-any -- these suites read loosely typed server JSON, as test/ does (eslint.config.mjs) */
/**
 * What a GKE Standard cluster has that neither the charts nor the stacks create, and the node
 * pool the cluster stack creates, as the simulated cluster needs them.
 *
 * The node pool is read from the synthesized cluster stack (machine type, node count, zone, Pod
 * limit) and sized with the infra code's own tables (lib/contracts/machine-types.ts, lib/contracts/capacity.ts),
 * so nothing about the pool is copied here.
 */
import * as fs from 'node:fs';
import { SYSTEM_PODS, nodeAllocatable } from '../../lib/contracts/capacity.ts';
import { machineType } from '../../lib/contracts/machine-types.ts';
import { CLUSTER_STACK, K8sObject } from './support.mts';

/**
 * GKE's built-in classes (`kubectl get storageclass` on a GKE 1.34 Standard cluster):
 * standard-rwo is the default. The charts' claims without a class get it.
 */
export const GKE_STORAGE_CLASSES: K8sObject[] = [
  {
    name: 'standard-rwo',
    type: 'pd-balanced',
    isDefault: true,
    provisioner: 'pd.csi.storage.gke.io',
    binding: 'WaitForFirstConsumer',
  },
  {
    name: 'premium-rwo',
    type: 'pd-ssd',
    isDefault: false,
    provisioner: 'pd.csi.storage.gke.io',
    binding: 'WaitForFirstConsumer',
  },
  {
    name: 'standard',
    type: 'pd-standard',
    isDefault: false,
    provisioner: 'kubernetes.io/gce-pd',
    binding: 'Immediate',
  },
].map((c) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name: c.name,
    labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' },
    ...(c.isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
  },
  provisioner: c.provisioner,
  parameters: { type: c.type },
  reclaimPolicy: 'Delete',
  volumeBindingMode: c.binding,
  allowVolumeExpansion: true,
}));

/** GKE's default when neither the pool nor the cluster sets a Pod limit (VPC-native clusters). */
export const GKE_DEFAULT_MAX_PODS_PER_NODE = 110;

export interface NodePool {
  name: string;
  machineType: string;
  vcpus: number;
  memoryGiB: number;
  nodeCount: number;
  zone: string;
  maxPods: number;
  diskSizeGb: number;
  allocatable: { cpuMillis: number; memoryMiB: number };
}

export function nodePoolFromStack(file = CLUSTER_STACK): NodePool {
  const stack = JSON.parse(fs.readFileSync(file, 'utf8'));
  const pools = Object.values(stack.resource?.google_container_node_pool ?? {}) as any[];
  if (pools.length !== 1) throw new Error(`${file}: expected one google_container_node_pool, found ${pools.length}`);
  const pool = pools[0];
  const cluster = (Object.values(stack.resource?.google_container_cluster ?? {}) as any[])[0] ?? {};
  const type = machineType(pool.node_config.machine_type);
  if (!type) throw new Error(`machine type ${pool.node_config.machine_type} is not in lib/contracts/machine-types.ts`);
  const zone: string = pool.node_locations?.[0] ?? pool.location ?? cluster.location;
  if (!/^[a-z]+-[a-z]+\d+-[a-z]$/.test(zone)) throw new Error(`node pool location ${zone} is not a zone`);
  return {
    name: pool.name,
    machineType: type.name,
    vcpus: type.vcpus,
    memoryGiB: type.memoryGiB,
    nodeCount: pool.node_count ?? pool.initial_node_count,
    zone,
    maxPods: pool.max_pods_per_node ?? cluster.default_max_pods_per_node ?? GKE_DEFAULT_MAX_PODS_PER_NODE,
    diskSizeGb: pool.node_config.disk_size_gb ?? 100,
    allocatable: nodeAllocatable(type),
  };
}

/** The Node objects of the pool, as GKE registers them, for kwok to play. */
export function poolNodes(pool: NodePool): K8sObject[] {
  const region = pool.zone.replace(/-[a-z]$/, '');
  return Array.from({ length: pool.nodeCount }, (_, i) => {
    const name = `gke-tutorials-${pool.name}-${i}`;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: {
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/os': 'linux',
          'kubernetes.io/hostname': name,
          'node.kubernetes.io/instance-type': pool.machineType,
          'topology.kubernetes.io/zone': pool.zone,
          'topology.kubernetes.io/region': region,
          'topology.gke.io/zone': pool.zone,
          'cloud.google.com/gke-nodepool': pool.name,
          'cloud.google.com/machine-family': pool.machineType.split('-')[0],
          type: 'kwok',
        },
      },
      spec: {},
      status: {
        capacity: {
          cpu: String(pool.vcpus),
          memory: `${pool.memoryGiB * 1024 * 1024}Ki`,
          pods: String(pool.maxPods),
          'ephemeral-storage': `${pool.diskSizeGb * 1024 * 1024}Ki`,
        },
        allocatable: {
          cpu: `${Math.floor(pool.allocatable.cpuMillis)}m`,
          memory: `${Math.floor(pool.allocatable.memoryMiB * 1024)}Ki`,
          pods: String(pool.maxPods),
          'ephemeral-storage': `${pool.diskSizeGb * 1024 * 1024}Ki`,
        },
        nodeInfo: {
          architecture: 'amd64',
          operatingSystem: 'linux',
          kubeletVersion: process.env.CLUSTER_KUBERNETES_VERSION ?? '',
        },
      },
    } as K8sObject;
  });
}

/**
 * Stand-ins for GKE's own Pods, which take their share of every node before any tutorial Pod:
 * a DaemonSet with the per-node requests and a Deployment with the once-per-cluster requests
 * that lib/contracts/capacity.ts (SYSTEM_PODS) estimates, so the scheduler sees the room GKE leaves.
 */
export function systemPodStandIns(): K8sObject[] {
  const pod = (name: string, r: { cpuMillis: number; memoryMiB: number }) => ({
    metadata: { labels: { app: name } },
    spec: {
      priorityClassName: 'system-node-critical',
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'reserve',
          image: 'registry.k8s.io/pause:3.10',
          resources: { requests: { cpu: `${r.cpuMillis}m`, memory: `${r.memoryMiB}Mi` } },
        },
      ],
    },
  });
  const labels = { 'test-cluster/stand-in': 'gke-system-pods' };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'gke-system-per-node', namespace: 'kube-system', labels },
      spec: {
        selector: { matchLabels: { app: 'gke-system-per-node' } },
        template: pod('gke-system-per-node', SYSTEM_PODS.perNode),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gke-system-per-cluster', namespace: 'kube-system', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'gke-system-per-cluster' } },
        template: pod('gke-system-per-cluster', SYSTEM_PODS.perCluster),
      },
    },
  ];
}
