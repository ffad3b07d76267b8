import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import * as v from './validation';
import { OPEN_LOAD_BALANCER, addTutorialWarning } from './warnings';

export { ServiceType } from 'cdk8s-plus-27';

/**
 * The app-wide source ranges of every LoadBalancer Service (decision D9): a context value of
 * the cdk8s app, an array of IPv4 CIDRs. The cdk8s app sets it from the
 * `LOAD_BALANCER_SOURCE_RANGES` setting; {@link tutorialService} reads it once for every
 * construct, so no chart can forget it.
 */
// Stryker disable next-line StringLiteral: a context key, set and read only through this constant; any value behaves the same
export const LOAD_BALANCER_SOURCE_RANGES_CONTEXT = 'loadBalancerSourceRanges';

/**
 * Limits every LoadBalancer Service of every tutorial construct under `app` to `ranges` (IPv4
 * CIDRs such as `203.0.113.0/24`; `0.0.0.0/0` is refused), unless a construct's own
 * `loadBalancerSourceRanges` prop says otherwise. Call it before adding any chart: the
 * constructs read it when they are created. Without it (and without the prop) every
 * LoadBalancer Service is open to every address, and synth warns.
 *
 * ```ts
 * const app = new App();
 * setLoadBalancerSourceRanges(app, ['203.0.113.0/24']);
 * ```
 */
export function setLoadBalancerSourceRanges(app: IConstruct, ranges: readonly string[]): void {
  const subject = 'setLoadBalancerSourceRanges';
  if (!Array.isArray(ranges) || ranges.length === 0)
    throw new v.ValidationError(
      subject,
      'ranges',
      JSON.stringify(ranges),
      'must be a non-empty list of IPv4 CIDR ranges',
    );
  for (const cidr of ranges) {
    const problem = v.sourceRangeProblem(cidr);
    if (problem)
      throw new v.ValidationError(subject, 'ranges', JSON.stringify(ranges), `has "${cidr}", which ${problem}`);
  }
  if (app.node.children.length > 0)
    throw new v.ValidationError(
      subject,
      'app',
      `'${app.node.path || '<root>'}'`,
      `must have no children yet: call it before the first chart is added (${app.node.children.map((c) => c.node.id).join(', ')} already exist)`,
    );
  app.node.setContext(LOAD_BALANCER_SOURCE_RANGES_CONTEXT, [...ranges]);
}

/** The warning for a LoadBalancer Service without source ranges (decision D9). */
export function openLoadBalancerWarning(serviceName: string): string {
  return (
    `LoadBalancer Service "${serviceName}" ${OPEN_LOAD_BALANCER}: ` +
    "limit it with the construct's loadBalancerSourceRanges prop, or setLoadBalancerSourceRanges(app, ranges) for the whole app"
  );
}

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
  /**
   * Client ranges a LoadBalancer Service admits. @default the app's
   * {@link LOAD_BALANCER_SOURCE_RANGES_CONTEXT}, else none: open to every address
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly publishNotReadyAddresses?: boolean;
  readonly externalName?: string;
}

export function tutorialService(scope: Construct, id: string, props: TutorialServiceProps): k8s.KubeService {
  const type = props.type ?? kplus.ServiceType.CLUSTER_IP;
  if (props.loadBalancerIP !== undefined) {
    // The API server accepts only an IP here, and a LoadBalancer Service only: checked for
    // every construct at once, with the construct's name in the message.
    if (type !== kplus.ServiceType.LOAD_BALANCER)
      v.fail(
        scope,
        'loadBalancerIP',
        props.loadBalancerIP,
        `is only valid with serviceType LoadBalancer (Service '${props.name}' is ${type})`,
      );
    v.ipv4(scope, 'loadBalancerIP', props.loadBalancerIP);
  }
  const sourceRanges = loadBalancerSourceRanges(scope, type, props.loadBalancerSourceRanges);
  if (type === kplus.ServiceType.LOAD_BALANCER && sourceRanges === undefined)
    addTutorialWarning(scope, openLoadBalancerWarning(props.name));
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
      loadBalancerSourceRanges: sourceRanges,
      publishNotReadyAddresses: props.publishNotReadyAddresses,
      externalName: props.externalName,
      ports:
        props.ports.length === 0
          ? undefined
          : props.ports.map((p) => ({
              name: p.name,
              port: p.port,
              protocol: p.protocol ?? 'TCP',
              nodePort: p.nodePort,
              targetPort:
                p.targetPort === undefined
                  ? undefined
                  : typeof p.targetPort === 'number'
                    ? k8s.IntOrString.fromNumber(p.targetPort)
                    : k8s.IntOrString.fromString(p.targetPort),
            })),
    },
  });
}

/** The ranges for a Service of `type`: the prop, else the app's context value; checked once here. */
function loadBalancerSourceRanges(
  scope: Construct,
  type: kplus.ServiceType,
  explicit: readonly string[] | undefined,
): string[] | undefined {
  if (explicit !== undefined && type !== kplus.ServiceType.LOAD_BALANCER) {
    v.fail(
      scope,
      'loadBalancerSourceRanges',
      explicit,
      `is only valid with serviceType LoadBalancer (the Service is ${type})`,
    );
  }
  if (type !== kplus.ServiceType.LOAD_BALANCER) return undefined;
  const fromContext = scope.node.tryGetContext(LOAD_BALANCER_SOURCE_RANGES_CONTEXT) as readonly string[] | undefined;
  const ranges = explicit ?? fromContext;
  if (ranges === undefined) return undefined;
  if (!Array.isArray(ranges) || ranges.length === 0)
    v.fail(scope, 'loadBalancerSourceRanges', ranges, 'must be a non-empty list of IPv4 CIDR ranges');
  for (const cidr of ranges) v.check(scope, 'loadBalancerSourceRanges', cidr, v.sourceRangeProblem(cidr));
  return [...ranges];
}

/** The in-cluster DNS name of a Service. */
export function serviceDnsName(name: string, namespace: string | undefined): string {
  return `${name}.${namespace ?? 'default'}.svc.cluster.local`;
}

/** Checks a tutorial's `serviceType` prop: ClusterIP, NodePort or LoadBalancer. */
export function serviceTypeProp(scope: IConstruct, value: kplus.ServiceType): kplus.ServiceType {
  return v.oneOf(scope, 'serviceType', value, [
    kplus.ServiceType.CLUSTER_IP,
    kplus.ServiceType.NODE_PORT,
    kplus.ServiceType.LOAD_BALANCER,
  ]);
}
