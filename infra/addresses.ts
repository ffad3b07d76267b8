import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
import { Construct } from 'constructs';
import { LOAD_BALANCER_SERVICES, loadBalancerKey } from '../lib/contracts/load-balancers';
import { fail, isDns1035Label } from '../lib/shared';

export interface LoadBalancerAddressesProps {
  /** Prefix of the address names (the cluster name). */
  readonly prefix: string;
  /** Region of the addresses: the cluster's, since a network load balancer is regional. */
  readonly region: string;
  /** Project id (or a reference to it). */
  readonly project: string;
  /** GCP labels of the addresses. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The LoadBalancer Services to reserve addresses for. @default LOAD_BALANCER_SERVICES, every one the charts write */
  readonly services?: ReadonlyArray<{ readonly chart: string; readonly service: string }>;
}

/**
 * One reserved regional external address per LoadBalancer Service of the charts, from the
 * list shared with the cdk8s app (lib/contracts/load-balancers.ts). GKE gives a Service whose
 * `loadBalancerIP` names a reserved address in the cluster's region that address
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters),
 * so the IP survives deleting and re-applying the tutorial.
 */
export class LoadBalancerAddresses extends Construct {
  /** The address resources by `<chart>/<service>`. */
  readonly byKey: ReadonlyMap<string, ComputeAddress>;

  constructor(scope: Construct, id: string, props: LoadBalancerAddressesProps) {
    super(scope, id);
    const byKey = new Map<string, ComputeAddress>();
    for (const s of props.services ?? LOAD_BALANCER_SERVICES) {
      const key = loadBalancerKey(s);
      const name = `${props.prefix}-${s.chart}-${s.service}`;
      if (!isDns1035Label(name))
        fail(
          this,
          'services',
          key,
          `gives the address name "${name}", which must be an RFC 1035 label of at most 63 characters`,
        );
      if (byKey.has(key)) fail(this, 'services', key, 'must list each LoadBalancer Service once');
      byKey.set(
        key,
        new ComputeAddress(this, `${s.chart}-${s.service}`, {
          project: props.project,
          name,
          region: props.region,
          addressType: 'EXTERNAL',
          // GKE's external passthrough network load balancer accepts Premium and Standard tier
          // addresses; Premium is the project default and what a Service without an address gets.
          networkTier: 'PREMIUM',
          description: `Reserved for the LoadBalancer Service '${s.service}' of the ${s.chart} tutorial chart`,
          labels: props.labels ? { ...props.labels } : undefined,
        }),
      );
    }
    this.byKey = byKey;
  }

  /** `{ "<chart>/<service>": "<ip>" }`, the map the cdk8s app reads (LOAD_BALANCER_ADDRESSES_FILE). */
  get addressMap(): Record<string, string> {
    return Object.fromEntries([...this.byKey].map(([key, a]) => [key, a.address]));
  }
}
