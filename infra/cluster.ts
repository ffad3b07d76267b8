import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { Construct } from 'constructs';
import { check } from '../lib/internal/validation';
import { clusterNameProblem } from './config';
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
  /** Zone: the cluster is zonal (D8), one control plane and nodes in one zone. */
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
}

/**
 * A zonal GKE Standard cluster whose nodes come from a separately managed node pool.
 */
export class Cluster extends Construct {
  readonly cluster: ContainerCluster;
  readonly name: string;
  readonly zone: string;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    check(this, 'name', props.name, clusterNameProblem(props.name));
    this.name = props.name;
    this.zone = props.zone;

    this.cluster = new ContainerCluster(this, 'cluster', {
      project: props.project,
      name: props.name,
      location: props.zone,
      network: props.network.network.id,
      subnetwork: props.network.subnet.id,
      // GKE cannot create a cluster without a node pool: it makes a one-node default pool,
      // which Terraform deletes at once, so that the pool is managed on its own (NodePool).
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
      releaseChannel: { channel: props.releaseChannel ?? ReleaseChannel.REGULAR },
      // VPC-native: Pod and Service ranges are the subnet's secondary ranges.
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: Network.PODS_RANGE,
        servicesSecondaryRangeName: Network.SERVICES_RANGE,
      },
      // The legacy datapath keeps kube-proxy on every node: the Source IP tutorial reads
      // `curl localhost:10249/proxyMode` and shows kube-proxy's source NAT, which Dataplane V2
      // (ADVANCED_DATAPATH, eBPF, no kube-proxy) does not have (decision D8).
      datapathProvider: 'LEGACY_DATAPATH',
      workloadIdentityConfig: { workloadPool: `${props.project}.svc.id.goog` },
      enableShieldedNodes: true,
      // No client certificate; basic auth no longer exists in GKE or in this provider version.
      // kubectl authenticates with gcloud's credentials (get-credentials).
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      deletionProtection: props.deletionProtection ?? true,
    });
  }

  /** `https://<endpoint>`, for the Kubernetes provider. */
  get host(): string {
    return `https://${this.cluster.endpoint}`;
  }
}
