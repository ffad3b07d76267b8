import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as v from './validation';

export { ServiceType } from 'cdk8s-plus-27';

/**
 * Services are written with the raw `k8s` API rather than cdk8s-plus's `Service`: the
 * tutorials need named target ports (`targetPort: server`), `externalTrafficPolicy`,
 * `loadBalancerIP`, `publishNotReadyAddresses` and Services without a selector, none of which
 * cdk8s-plus-27's Service can express.
 */
export interface ServicePortSpec {
  readonly port: number;
  /** A container port number or a port name that a selected container declares. */
  readonly targetPort?: number | string;
  readonly name?: string;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly nodePort?: number;
}

/** How a NodePort or LoadBalancer Service routes external traffic. */
export enum ExternalTrafficPolicy {
  /** Any node forwards to any Pod, with source NAT: Pods see a node address. */
  CLUSTER = 'Cluster',
  /** Only nodes with a local Pod answer, without source NAT: Pods see the client address. */
  LOCAL = 'Local',
}

export interface TutorialServiceProps {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** Pod labels to select; omit for a Service whose endpoints are written by hand. */
  readonly selector?: Record<string, string>;
  readonly ports: ServicePortSpec[];
  readonly type?: kplus.ServiceType;
  /** `clusterIP: None`: a headless Service, one DNS record per Pod. */
  readonly headless?: boolean;
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /** A reserved address for a LoadBalancer Service; undefined leaves it ephemeral. */
  readonly loadBalancerIP?: string;
  readonly publishNotReadyAddresses?: boolean;
  readonly externalName?: string;
}

export function tutorialService(scope: Construct, id: string, props: TutorialServiceProps): k8s.KubeService {
  const type = props.type ?? kplus.ServiceType.CLUSTER_IP;
  if (props.loadBalancerIP !== undefined) {
    // The API server accepts only an IP here, and a LoadBalancer Service only: checked for
    // every construct at once, with the construct's name in the message.
    if (type !== kplus.ServiceType.LOAD_BALANCER) v.fail(scope, 'loadBalancerIP', props.loadBalancerIP, `is only valid with serviceType LoadBalancer (Service '${props.name}' is ${type})`);
    v.ipv4(scope, 'loadBalancerIP', props.loadBalancerIP);
  }
  return new k8s.KubeService(scope, id, {
    metadata: {
      name: props.name,
      namespace: props.namespace,
      labels: props.labels,
      annotations: props.annotations,
    },
    spec: {
      // ClusterIP is the API default; writing it only when it differs keeps the output as
      // close to the tutorial's YAML as possible.
      type: type === kplus.ServiceType.CLUSTER_IP ? undefined : type,
      clusterIp: props.headless ? 'None' : undefined,
      selector: props.selector,
      externalTrafficPolicy: props.externalTrafficPolicy,
      loadBalancerIp: props.loadBalancerIP,
      publishNotReadyAddresses: props.publishNotReadyAddresses,
      externalName: props.externalName,
      ports: props.ports.length === 0 ? undefined : props.ports.map((p) => ({
        name: p.name,
        port: p.port,
        protocol: p.protocol ?? 'TCP',
        nodePort: p.nodePort,
        targetPort: p.targetPort === undefined ? undefined
          : typeof p.targetPort === 'number' ? k8s.IntOrString.fromNumber(p.targetPort) : k8s.IntOrString.fromString(p.targetPort),
      })),
    },
  });
}

/** The in-cluster DNS name of a Service. */
export function serviceDnsName(name: string, namespace: string | undefined): string {
  return `${name}.${namespace ?? 'default'}.svc.cluster.local`;
}
