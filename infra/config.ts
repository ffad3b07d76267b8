/**
 * The settings of the cdktf app. Each comes from an environment variable, else from cdktf
 * context (`cdktf.json` "context"),
 * else from its default. The defaults synthesize without any cloud credentials; only the
 * project must be given before `cdktf deploy` (checked by Terraform at plan time, see
 * `ClusterStack`).
 */
export interface InfraConfig {
  /** Google Cloud project id. `GKE_PROJECT` / context `project`. @default empty: synth works, deploy refuses */
  readonly project: string;
  /** Region of the subnet and the reserved addresses. `GKE_REGION` / `region`. @default us-central1 */
  readonly region: string;
  /** Zone of the zonal cluster. `GKE_ZONE` / `zone`. @default us-central1-c, the zone of the tutorials' sample GKE nodes; required for any other region */
  readonly zone: string;
  /** Cluster name, also the prefix of every other resource name. `GKE_CLUSTER_NAME` / `clusterName`. @default tutorials */
  readonly clusterName: string;
  /** Node machine type. `GKE_MACHINE_TYPE` / `machineType`. @default e2-standard-2 (2 vCPUs, 8 GiB; D8) */
  readonly machineType: string;
  /** Nodes the tutorials get, at least. `GKE_NODE_COUNT` / `nodeCount`. @default 4, the ZooKeeper tutorial's cluster (D8); a regional cluster rounds it up to a multiple of its zones */
  readonly nodeCount: number;
  /** CIDR ranges allowed to reach NodePorts. `GKE_ALLOWED_SOURCE_RANGES` (comma-separated) / `allowedSourceRanges`. @default none: no firewall rule */
  readonly allowedSourceRanges: readonly string[];
  /** GCS bucket for remote state. `GKE_STATE_BUCKET` / `stateBucket`. @default none: local state files */
  readonly stateBucket?: string;
  /** Refuse `terraform destroy` of the cluster. `GKE_DELETION_PROTECTION` / `deletionProtection`. @default true */
  readonly deletionProtection: boolean;
  /**
   * CIDR ranges allowed to reach the control plane (master authorized networks, CIS GKE 5.6.3).
   * `GKE_MASTER_AUTHORIZED_RANGES` / `masterAuthorizedRanges`. See {@link controlPlaneRanges}.
   * @default undefined: the same ranges as allowedSourceRanges (decision D9: one setting); with neither set, any address
   */
  readonly masterAuthorizedRanges?: readonly string[];
  /** Nodes without external addresses, behind Cloud NAT (CIS GKE 5.6.5). `GKE_PRIVATE_NODES` / `privateNodes`. @default false: the tutorials' NodePort checks reach the nodes directly */
  readonly privateNodes: boolean;
  /** The control plane's /28 when nodes are private. `GKE_MASTER_CIDR` / `masterCidr`. @default 172.16.0.0/28, outside the network's ranges */
  readonly masterCidr: string;
  /** Encrypt Secrets in etcd with a Cloud KMS key of this stack (CIS GKE 5.3.1). `GKE_SECRETS_KMS` / `secretsKms`. @default false: GKE's default encryption at rest */
  readonly secretsKms: boolean;
  /** NetworkPolicy enforcement (GKE Dataplane V2, no kube-proxy; CIS GKE 5.6.7). `GKE_NETWORK_POLICY` / `networkPolicy`. @default false */
  readonly networkPolicy: boolean;
  /** A regional cluster (control plane in every zone of the region). `GKE_REGIONAL` / `regional`. @default false: zonal (D8) */
  readonly regional: boolean;
  /** Zones of the region the regional cluster's nodes run in. `GKE_NODE_LOCATIONS` (comma-separated) / `nodeLocations`. @default none; required when regional */
  readonly nodeLocations: readonly string[];
  /** When GKE may upgrade and repair automatically, UTC: `<days> HH:MM-HH:MM`. `GKE_MAINTENANCE_WINDOW` / `maintenanceWindow`. @default "SA,SU 02:00-10:00" */
  readonly maintenanceWindow: string;
  /** Labels on every resource that takes them, over {@link DEFAULT_LABELS}. `GKE_LABELS` (`k=v,k=v`) / `labels` (object). @default DEFAULT_LABELS */
  readonly labels: Readonly<Record<string, string>>;
}

/** Labels every labelled resource carries unless GKE_LABELS overrides a key. */
export const DEFAULT_LABELS: Readonly<Record<string, string>> = { app: 'k8s-tutorials', 'managed-by': 'cdktf' };

export const DEFAULT_CONFIG: InfraConfig = {
  project: '',
  region: 'us-central1',
  zone: 'us-central1-c',
  clusterName: 'tutorials',
  machineType: 'e2-standard-2',
  nodeCount: 4,
  allowedSourceRanges: [],
  deletionProtection: true,
  privateNodes: false,
  masterCidr: '172.16.0.0/28',
  secretsKms: false,
  networkPolicy: false,
  regional: false,
  nodeLocations: [],
  // 8 hours on each weekend day: at least 64 hours in any 32 days. GKE refuses a window with
  // less than 48 hours of availability in a rolling 32 days (in stretches of at least 4 hours),
  // so Saturdays and Sundays 02:00-06:00 (32 hours in the worst 32 days) would fail at apply time.
  maintenanceWindow: 'SA,SU 02:00-10:00',
  labels: DEFAULT_LABELS,
};

// ---- derived facts, used by the stacks, the notes and the contract tests

/**
 * The control plane's authorized networks: GKE_MASTER_AUTHORIZED_RANGES when set, else the
 * NodePort ranges (decision D9: the user's ranges are one setting, and the control plane takes
 * it where set). Empty: no authorized networks, the endpoint answers any address.
 */
export function controlPlaneRanges(config: InfraConfig): readonly string[] {
  return config.masterAuthorizedRanges ?? config.allowedSourceRanges;
}

/** Zones the nodes run in: the one zone of a zonal cluster, or the regional cluster's node locations. */
export function nodeZones(config: InfraConfig): readonly string[] {
  return config.regional ? config.nodeLocations : [config.zone];
}

/** Nodes per zone: a regional pool's `node_count` is per zone, so the count is rounded up to reach nodeCount. */
export function nodesPerZone(config: InfraConfig): number {
  return Math.ceil(config.nodeCount / nodeZones(config).length);
}

/** Nodes the pool has in all: at least nodeCount. */
export function totalNodes(config: InfraConfig): number {
  return nodesPerZone(config) * nodeZones(config).length;
}

/**
 * What `cdktf synth` should tell the user about the settings, one line each: risky defaults
 * they have not changed, and settings whose effect is easy to miss. Pure; `infra/main.ts`
 * prints each as `note: <line>` on stderr.
 */
export function configNotes(config: InfraConfig): string[] {
  const notes: string[] = [];
  const ranges = controlPlaneRanges(config);
  if (ranges.length === 0) {
    notes.push(
      'the control plane endpoint is reachable from any address (no master authorized networks, CIS GKE 5.6.3); ' +
        'restrict it with GKE_MASTER_AUTHORIZED_RANGES="$(curl -4 -s https://ifconfig.me)/32" (or GKE_ALLOWED_SOURCE_RANGES, which it follows when unset)',
    );
  } else if (config.masterAuthorizedRanges === undefined) {
    notes.push(
      `the control plane accepts only GKE_ALLOWED_SOURCE_RANGES (${ranges.join(', ')}), as GKE_MASTER_AUTHORIZED_RANGES is unset (decision D9); ` +
        'the machine that runs cdktf deploy and kubectl must be in them',
    );
  }
  if (config.privateNodes && config.allowedSourceRanges.length > 0) {
    notes.push(
      'GKE_PRIVATE_NODES=true: the nodes have no external addresses, so the NodePort firewall rule of GKE_ALLOWED_SOURCE_RANGES ' +
        'opens nothing reachable from outside; run the NodePort checks from inside the VPC (docs/infrastructure.md)',
    );
  }
  if (config.secretsKms) {
    notes.push(
      'GKE_SECRETS_KMS=true: Cloud KMS key rings cannot be deleted; after cdktf destroy the key ring stays, ' +
        'and deploying again with the same cluster name needs it imported (docs/infrastructure.md)',
    );
  }
  if (config.networkPolicy) {
    notes.push(
      'GKE_NETWORK_POLICY=true: GKE Dataplane V2 enforces NetworkPolicy and replaces kube-proxy, so the Source IP ' +
        "tutorial's `curl localhost:10249/proxyMode` step finds no kube-proxy (decision D8)",
    );
  }
  if (totalNodes(config) !== config.nodeCount) {
    notes.push(
      `GKE_REGIONAL=true: ${nodesPerZone(config)} nodes in each of ${nodeZones(config).length} zones, ${totalNodes(config)} in all (GKE_NODE_COUNT=${config.nodeCount} rounded up)`,
    );
  }
  return notes;
}
