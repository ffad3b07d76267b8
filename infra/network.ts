import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { Construct } from 'constructs';
import { check, cidrProblem } from '../lib/shared';

export interface NetworkProps {
  /** Prefix of the network and subnet names. */
  readonly name: string;
  /** Region of the subnet. */
  readonly region: string;
  /** Project id (or a reference to it). */
  readonly project: string;
  /** Primary range of the subnet: the node addresses. @default 10.10.0.0/20 (4,092 usable addresses; the Pods range allows 1,024 nodes) */
  readonly nodesCidr?: string;
  /** Secondary range for Pod addresses (VPC-native). @default 10.20.0.0/14, GKE's default size for 110 Pods per node */
  readonly podsCidr?: string;
  /** Secondary range for Service ClusterIPs. @default 10.30.0.0/20 (4,096 Services) */
  readonly servicesCidr?: string;
}

/** The default ranges of {@link Network}, which the control plane's range must not overlap. */
export const DEFAULT_NETWORK_RANGES = {
  nodesCidr: '10.10.0.0/20',
  podsCidr: '10.20.0.0/14',
  servicesCidr: '10.30.0.0/20',
} as const;

/**
 * A custom-mode VPC and one subnet with the two secondary ranges a VPC-native cluster needs
 * (decision D8): Pod and Service addresses are alias IPs from these ranges instead of routes.
 */
export class Network extends Construct {
  /** Name of the Pods secondary range, for the cluster's `ip_allocation_policy`. */
  static readonly PODS_RANGE = 'pods';
  /** Name of the Services secondary range. */
  static readonly SERVICES_RANGE = 'services';

  readonly network: ComputeNetwork;
  readonly subnet: ComputeSubnetwork;
  /** The explicit lowest-priority rule that refuses all other ingress. */
  readonly denyIngress: ComputeFirewall;
  readonly nodesCidr: string;
  readonly podsCidr: string;
  readonly servicesCidr: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const cidr = (prop: string, value: string) => {
      check(this, prop, value, cidrProblem(value));
      return value;
    };
    this.nodesCidr = cidr('nodesCidr', props.nodesCidr ?? DEFAULT_NETWORK_RANGES.nodesCidr);
    this.podsCidr = cidr('podsCidr', props.podsCidr ?? DEFAULT_NETWORK_RANGES.podsCidr);
    this.servicesCidr = cidr('servicesCidr', props.servicesCidr ?? DEFAULT_NETWORK_RANGES.servicesCidr);

    this.network = new ComputeNetwork(this, 'vpc', {
      project: props.project,
      name: `${props.name}-net`,
      // Custom mode: only the subnet below, no auto-created subnet in every region.
      autoCreateSubnetworks: false,
    });
    this.subnet = new ComputeSubnetwork(this, 'subnet', {
      project: props.project,
      name: `${props.name}-subnet`,
      region: props.region,
      network: this.network.id,
      ipCidrRange: this.nodesCidr,
      // Nodes pull from Google APIs (Artifact Registry, logging) without external routes.
      privateIpGoogleAccess: true,
      // VPC Flow Logs (CIS GCP 3.8): a sample of every connection of the nodes and, with the
      // cluster's intranode visibility, of Pod-to-Pod traffic on one node too. Half the flows,
      // aggregated over 5 s, keeps the log volume of a tutorial cluster small.
      logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
      secondaryIpRange: [
        { rangeName: Network.PODS_RANGE, ipCidrRange: this.podsCidr },
        { rangeName: Network.SERVICES_RANGE, ipCidrRange: this.servicesCidr },
      ],
    });
    // A VPC refuses ingress that no rule allows (its implied rule); this states it as a rule
    // of the network, so the policy is visible in the stack and in the console. GKE's own
    // rules (control plane to nodes, health checks, load balancers) and the NodePort rule have
    // higher priorities and still apply.
    this.denyIngress = new ComputeFirewall(this, 'deny-ingress', {
      project: props.project,
      name: `${props.name}-deny-ingress`,
      network: this.network.name,
      direction: 'INGRESS',
      priority: 65534,
      sourceRanges: ['0.0.0.0/0'],
      deny: [{ protocol: 'all' }],
    });
  }
}
