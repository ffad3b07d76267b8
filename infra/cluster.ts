import { ContainerCluster, ContainerClusterConfig } from '@cdktf/provider-google/lib/container-cluster';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { skipCheck } from './checkov';
import { check, cidrProblem, fail } from '../lib/shared';
import { DEFAULT_CONFIG } from './config';
import {
  clusterNameProblem,
  gcpLabelsProblem,
  maintenanceWindowProblem,
  masterCidrProblem,
  nodeLocationsProblem,
  parseMaintenanceWindow,
} from './rules';
import { Network } from './network';

/** GKE release channels (https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels). */
export enum ReleaseChannel {
  /** Newest versions first; for testing. */
  RAPID = 'RAPID',
  /** GKE's default: versions a few weeks after RAPID. */
  REGULAR = 'REGULAR',
  /** Versions after they have been in REGULAR for some months. */
  STABLE = 'STABLE',
}

export interface ClusterProps {
  /** Cluster name. */
  readonly name: string;
  /** Zone of a zonal cluster (D8): one control plane and nodes in one zone. Ignored when `regional` is set. */
  readonly zone: string;
  /** Project id (or a reference to it). */
  readonly project: string;
  /** The VPC-native network. */
  readonly network: Network;
  /** Service account of the temporary default node pool (removed right after creation). */
  readonly nodeServiceAccount: string;
  /** Release channel. @default ReleaseChannel.REGULAR, GKE's default */
  readonly releaseChannel?: ReleaseChannel;
  /** Refuse to destroy the cluster. @default true */
  readonly deletionProtection?: boolean;
  /**
   * A regional cluster: the control plane in every zone of `region`, nodes in `nodeLocations`
   * (zones of that region). @default none: zonal, in `zone`
   */
  readonly regional?: { readonly region: string; readonly nodeLocations: readonly string[] };
  /** The only ranges that may reach the control plane (master authorized networks). @default none: any address */
  readonly masterAuthorizedRanges?: readonly string[];
  /** Nodes without external addresses; the control plane peers into `masterCidr` (a /28 outside the network's ranges). @default public nodes */
  readonly privateNodes?: { readonly masterCidr: string };
  /** Cloud KMS key id that encrypts Secrets in etcd (application-layer encryption). @default GKE's default encryption only */
  readonly secretsKmsKey?: string;
  /**
   * NetworkPolicy enforcement with GKE Dataplane V2 (ADVANCED_DATAPATH: eBPF, no kube-proxy, no
   * Calico Pods; decision D8). @default false: the legacy datapath with kube-proxy
   */
  readonly networkPolicy?: boolean;
  /** Recurring maintenance window, `<days> HH:MM-HH:MM` UTC (see parseMaintenanceWindow). @default "SA,SU 02:00-10:00" */
  readonly maintenanceWindow?: string;
  /** GCP labels of the cluster (`resource_labels`). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Resources the cluster must wait for, such as the KMS grant to the GKE service agent. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A GKE Standard cluster, zonal unless `regional` is set, whose nodes come from a separately
 * managed node pool.
 */
export class Cluster extends Construct {
  readonly cluster: ContainerCluster;
  readonly name: string;
  /** The zone of a zonal cluster, the region of a regional one. */
  readonly location: string;
  /** Zones the nodes run in. */
  readonly nodeZones: readonly string[];
  readonly regional: boolean;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    this.checkProps(props);
    this.name = props.name;
    this.regional = props.regional !== undefined;
    this.location = props.regional?.region ?? props.zone;
    this.nodeZones = props.regional ? [...props.regional.nodeLocations] : [props.zone];

    const ranges = props.masterAuthorizedRanges ?? [];
    const window = parseMaintenanceWindow(props.maintenanceWindow ?? DEFAULT_CONFIG.maintenanceWindow)!;
    this.cluster = new ContainerCluster(this, 'cluster', {
      project: props.project,
      name: props.name,
      location: this.location,
      nodeLocations: props.regional ? [...props.regional.nodeLocations] : undefined,
      dependsOn: props.dependsOn,
      ...temporaryDefaultPool(props),
      releaseChannel: { channel: props.releaseChannel ?? ReleaseChannel.REGULAR },
      ...networking(props),
      workloadIdentityConfig: { workloadPool: `${props.project}.svc.id.goog` },
      enableShieldedNodes: true,
      ...controlPlaneAccess(props, ranges),
      deletionProtection: props.deletionProtection ?? true,
      // CIS GKE 5.3.1: Secrets encrypted with a key of this project, on top of GKE's default.
      databaseEncryption: props.secretsKmsKey ? { state: 'ENCRYPTED', keyName: props.secretsKmsKey } : undefined,
      // Upgrades and repairs that respect the policy happen only in this window (UTC).
      maintenancePolicy: {
        recurringWindow: { startTime: window.startTime, endTime: window.endTime, recurrence: window.recurrence },
      },
      resourceLabels: props.labels ? { ...props.labels } : undefined,
    });
    this.skipScannerChecks(props, ranges);
  }

  /** Refuses bad props, each by the rule the matching setting has (infra/rules.ts), before anything is built. */
  private checkProps(props: ClusterProps): void {
    check(this, 'name', props.name, clusterNameProblem(props.name));
    if (props.regional)
      check(
        this,
        'regional',
        props.regional.nodeLocations,
        nodeLocationsProblem(props.regional.nodeLocations, props.regional.region),
      );
    for (const cidr of props.masterAuthorizedRanges ?? []) {
      check(this, 'masterAuthorizedRanges', cidr, cidrProblem(cidr));
      if (cidr.endsWith('/0'))
        fail(
          this,
          'masterAuthorizedRanges',
          cidr,
          'must not be 0.0.0.0/0: leave the list empty for a control plane open to any address',
        );
    }
    if (props.privateNodes) {
      const net = props.network;
      check(
        this,
        'privateNodes.masterCidr',
        props.privateNodes.masterCidr,
        masterCidrProblem(props.privateNodes.masterCidr, {
          nodesCidr: net.nodesCidr,
          podsCidr: net.podsCidr,
          servicesCidr: net.servicesCidr,
        }),
      );
    }
    const windowSpec = props.maintenanceWindow ?? DEFAULT_CONFIG.maintenanceWindow;
    check(this, 'maintenanceWindow', windowSpec, maintenanceWindowProblem(windowSpec));
    if (props.labels) check(this, 'labels', props.labels, gcpLabelsProblem(props.labels));
  }

  /**
   * The CIS checks this cluster does not meet by default, each with why. The settings that meet
   * them are one variable away (docs/infrastructure.md), and a set setting removes its skip.
   */
  private skipScannerChecks(props: ClusterProps, ranges: readonly string[]): void {
    const c = this.cluster;
    if (ranges.length === 0) {
      skipCheck(
        c,
        'CKV_GCP_20',
        'the stack cannot know your address: set GKE_MASTER_AUTHORIZED_RANGES (or GKE_ALLOWED_SOURCE_RANGES); synth prints a note while it is unset',
      );
    }
    if (!props.privateNodes) {
      skipCheck(
        c,
        'CKV_GCP_25',
        "the tutorials' NodePort checks (Source IP, guestbook) curl node addresses from outside; GKE_PRIVATE_NODES=true turns private nodes on",
      );
      skipCheck(
        c,
        'CKV_GCP_64',
        "the tutorials' NodePort checks (Source IP, guestbook) curl node addresses from outside; GKE_PRIVATE_NODES=true turns private nodes on",
      );
    }
    if (!props.networkPolicy) {
      skipCheck(
        c,
        'CKV_GCP_12',
        "no tutorial writes a NetworkPolicy, and enforcement means Dataplane V2, which has no kube-proxy for the Source IP tutorial's proxyMode step; GKE_NETWORK_POLICY=true turns it on",
      );
    }
    skipCheck(
      c,
      'CKV_GCP_65',
      'Google Groups for RBAC needs a Google Workspace domain with a gke-security-groups group, which a tutorial project does not have',
    );
    skipCheck(
      c,
      'CKV_GCP_66',
      'the tutorials run public third-party images (Docker Hub, registry.k8s.io) that carry no attestations a Binary Authorization policy could require',
    );
  }

  /** `https://<endpoint>`, for the Kubernetes provider. */
  get host(): string {
    return `https://${this.cluster.endpoint}`;
  }
}

/**
 * GKE cannot create a cluster without a node pool: it makes a one-node default pool, which
 * Terraform deletes at once, so that the pool is managed on its own (NodePool).
 */
function temporaryDefaultPool(
  props: ClusterProps,
): Pick<ContainerClusterConfig, 'removeDefaultNodePool' | 'initialNodeCount' | 'nodeConfig' | 'lifecycle'> {
  return {
    removeDefaultNodePool: true,
    initialNodeCount: 1,
    // The temporary default pool still needs a service account; the dedicated one keeps
    // creation working in projects where the Compute Engine default account is disabled.
    nodeConfig: {
      serviceAccount: props.nodeServiceAccount,
      oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
      workloadMetadataConfig: { mode: 'GKE_METADATA' },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    },
    lifecycle: { ignoreChanges: ['node_config', 'initial_node_count'] },
  };
}

/** The cluster's network: VPC-native in the stack's subnet, and the datapath that carries it. */
function networking(
  props: ClusterProps,
): Pick<
  ContainerClusterConfig,
  | 'network'
  | 'subnetwork'
  | 'networkingMode'
  | 'ipAllocationPolicy'
  | 'datapathProvider'
  | 'enableIntranodeVisibility'
  | 'networkPolicy'
> {
  return {
    network: props.network.network.id,
    subnetwork: props.network.subnet.id,
    // VPC-native: Pod and Service ranges are the subnet's secondary ranges.
    networkingMode: 'VPC_NATIVE',
    ipAllocationPolicy: {
      clusterSecondaryRangeName: Network.PODS_RANGE,
      servicesSecondaryRangeName: Network.SERVICES_RANGE,
    },
    // By default the legacy datapath keeps kube-proxy on every node: the Source IP tutorial
    // reads `curl localhost:10249/proxyMode` on a node. With network policy, Dataplane V2
    // (ADVANCED_DATAPATH, eBPF) enforces it without Calico's per-node Pods, which needed a
    // fifth node; it has no kube-proxy, so that one Source IP step has no answer (decision D8).
    datapathProvider: props.networkPolicy ? 'ADVANCED_DATAPATH' : 'LEGACY_DATAPATH',
    // Pod-to-Pod traffic on one node goes through the VPC, so the subnet's flow logs see it.
    enableIntranodeVisibility: true,
    // CIS GKE 5.6.7: Dataplane V2 always enforces NetworkPolicy; the Calico setting stays off
    // (GKE refuses both together), which is also how checkov's CKV_GCP_12 reads Dataplane V2.
    networkPolicy: props.networkPolicy ? { enabled: false } : undefined,
  };
}

/** Who reaches the control plane, and how: gcloud credentials, the authorized ranges, private nodes. */
function controlPlaneAccess(
  props: ClusterProps,
  ranges: readonly string[],
): Pick<ContainerClusterConfig, 'masterAuth' | 'masterAuthorizedNetworksConfig' | 'privateClusterConfig'> {
  return {
    // No client certificate; basic auth no longer exists in GKE or in this provider version.
    // kubectl authenticates with gcloud's credentials (get-credentials).
    masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
    // CIS GKE 5.6.3: only the listed ranges reach the endpoint, and not every Google Cloud
    // address (gcp_public_cidrs_access_enabled) either.
    masterAuthorizedNetworksConfig:
      ranges.length > 0
        ? {
            cidrBlocks: ranges.map((cidr) => ({ cidrBlock: cidr, displayName: `allowed ${cidr}` })),
            gcpPublicCidrsAccessEnabled: false,
          }
        : undefined,
    // CIS GKE 5.6.5: nodes without external addresses. The endpoint stays public (limited by
    // the authorized networks) so that kubectl and the Kubernetes provider work from outside.
    privateClusterConfig: props.privateNodes
      ? {
          enablePrivateNodes: true,
          enablePrivateEndpoint: false,
          masterIpv4CidrBlock: props.privateNodes.masterCidr,
        }
      : undefined,
  };
}
