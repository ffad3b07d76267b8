import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { machineTypeProblem } from '../lib/contracts/machine-types';
import { check } from '../lib/shared';
import { gcpLabelsProblem, nodeCountProblem } from './rules';
import { Cluster } from './cluster';

export interface NodePoolProps {
  /** The cluster the pool belongs to. */
  readonly cluster: Cluster;
  /** Project id (or a reference to it). */
  readonly project: string;
  /** Pool name. */
  readonly name: string;
  /** Node service account email. */
  readonly serviceAccount: string;
  /** Machine type. @default e2-standard-2 (2 vCPUs, 8 GiB: the ZooKeeper tutorial's minimum node, D8) */
  readonly machineType?: string;
  /**
   * Nodes wanted in all, at least. In a regional cluster the pool's count is per zone, so the
   * pool gets ceil(nodeCount / zones) per zone: {@link NodePool.totalNodes} may be more.
   * @default 4, the ZooKeeper tutorial's cluster (D8)
   */
  readonly nodeCount?: number;
  /** GCP labels of the node VMs (`resource_labels`). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Network tags, for firewall rules that target the nodes. @default none */
  readonly tags?: readonly string[];
  /**
   * Resources the nodes must wait for, such as the node service account's IAM grants: a node
   * that boots before its account may write logs and metrics loses them until the grant lands.
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The one node pool the tutorials run on, managed apart from the cluster so that it can be
 * resized or replaced without touching the control plane.
 */
export class NodePool extends Construct {
  readonly pool: ContainerNodePool;
  readonly machineType: string;
  /** Nodes wanted (the nodeCount prop). */
  readonly nodeCount: number;
  /** Nodes in each zone of the cluster's node zones. */
  readonly nodesPerZone: number;
  /** Nodes in all: nodesPerZone x zones, at least nodeCount. */
  readonly totalNodes: number;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    this.machineType = props.machineType ?? 'e2-standard-2';
    check(this, 'machineType', this.machineType, machineTypeProblem(this.machineType));
    this.nodeCount = props.nodeCount ?? 4;
    check(this, 'nodeCount', this.nodeCount, nodeCountProblem(this.nodeCount));
    if (props.labels) check(this, 'labels', props.labels, gcpLabelsProblem(props.labels));
    const zones = props.cluster.nodeZones.length;
    this.nodesPerZone = Math.ceil(this.nodeCount / zones);
    this.totalNodes = this.nodesPerZone * zones;

    this.pool = new ContainerNodePool(this, 'pool', {
      project: props.project,
      name: props.name,
      cluster: props.cluster.cluster.id,
      location: props.cluster.location,
      nodeLocations: props.cluster.regional ? [...props.cluster.nodeZones] : undefined,
      // Per zone in a regional cluster.
      nodeCount: this.nodesPerZone,
      dependsOn: props.dependsOn,
      management: { autoRepair: true, autoUpgrade: true },
      // Surge upgrades add a node before draining one, so ZooKeeper's required anti-affinity
      // (one zk Pod per node) and its PodDisruptionBudget still find a free node.
      upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        // Only amd64 types pass machineTypeProblem: the echoserver image is amd64-only (D8).
        machineType: this.machineType,
        imageType: 'COS_CONTAINERD',
        diskType: 'pd-balanced',
        diskSizeGb: 50,
        serviceAccount: props.serviceAccount,
        // Access is limited by the service account's IAM roles, not by scopes (GKE's advice).
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        // The GKE metadata server: Pods see Workload Identity credentials, never the node's.
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        metadata: { 'disable-legacy-endpoints': 'true' },
        tags: props.tags ? [...props.tags] : undefined,
        resourceLabels: props.labels ? { ...props.labels } : undefined,
      },
    });
  }
}
