/**
 * Every LoadBalancer Service the charts write, in one typed list shared by both apps.
 *
 * The cdktf app reserves one regional external address per entry; the cdk8s app sets that
 * address on the Service when the user supplies the addresses (LOAD_BALANCER_ADDRESSES_FILE)
 * and leaves it ephemeral otherwise. A contract test synthesizes every chart and fails when a
 * LoadBalancer Service is missing here or an entry here matches no Service, so a new
 * LoadBalancer Service cannot be forgotten.
 */
export const LOAD_BALANCER_SERVICES = [
  { chart: 'source-ip', service: 'loadbalancer' },
  { chart: 'wordpress', service: 'wordpress' },
  { chart: 'external-ip', service: 'my-service' },
  { chart: 'hello-minikube', service: 'hello-node' },
  { chart: 'kubia', service: 'kubia-loadbalancer' },
] as const;

export type LoadBalancerService = (typeof LOAD_BALANCER_SERVICES)[number];

/** `<chart>/<service>`, the key of an address in the outputs and in the settings. */
export type LoadBalancerKey = `${LoadBalancerService['chart']}/${LoadBalancerService['service']}`;

export const loadBalancerKey = (s: { chart: string; service: string }): string => `${s.chart}/${s.service}`;

/** The reserved address for `key`, if the user supplied one. */
export function reservedAddress(
  addresses: Readonly<Record<string, string>> | undefined,
  key: LoadBalancerKey,
): string | undefined {
  return addresses?.[key];
}
