import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { Construct } from 'constructs';
import { Network } from './network';

export interface CloudNatProps {
  /** Prefix of the router and NAT names (the cluster name). */
  readonly name: string;
  /** Region of the subnet. */
  readonly region: string;
  /** Project id (or a reference to it). */
  readonly project: string;
  /** The network whose subnet the nodes are in. */
  readonly network: Network;
}

/**
 * A Cloud Router and Cloud NAT for nodes without external addresses (private nodes): they
 * still pull the tutorials' images from Docker Hub and registry.k8s.io. Google APIs need no
 * NAT (the subnet has Private Google Access). Addresses are allocated by Google
 * (AUTO_ONLY) for every range of every subnet of the region: the nodes, and the Pods, whose
 * addresses are the source of a Pod's connection once ip-masq-agent stops masquerading them.
 */
export class CloudNat extends Construct {
  readonly router: ComputeRouter;
  readonly nat: ComputeRouterNat;

  constructor(scope: Construct, id: string, props: CloudNatProps) {
    super(scope, id);
    this.router = new ComputeRouter(this, 'router', {
      project: props.project,
      name: `${props.name}-router`,
      region: props.region,
      network: props.network.network.id,
      description: 'Cloud NAT for the private nodes of the Kubernetes tutorials cluster',
    });
    this.nat = new ComputeRouterNat(this, 'nat', {
      project: props.project,
      name: `${props.name}-nat`,
      region: props.region,
      router: this.router.name,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      // Failed translations only: enough to see port exhaustion, without logging every flow.
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });
  }
}
