import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { resolveImage } from './internal/images';
import { skipChecks } from './internal/scan';
import { keepUpAcrossNodes } from './internal/disruption';
import {
  ROOT_WRITABLE,
  podSecurity,
  runtimeDefaultSeccomp,
  selectByLabels,
  tutorialContainer,
  demoContainerResources,
} from './internal/workload';
import { ExternalTrafficPolicy, ServiceType, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

export interface SourceIpProps extends NamePrefixProps {
  /** Namespace for every object. @default none: the namespace of the kubectl context */
  readonly namespace?: string;
  /** Number of echo server Pods. @default 1, as `kubectl create deployment` makes */
  readonly replicas?: number;
  /** The echo server image. @default {@link SourceIp.IMAGE}; the tutorial's {@link SourceIp.TUTORIAL_IMAGE} is schema 1 */
  readonly image?: string;
  /** Arguments for the image. @default those {@link SourceIp.IMAGE} needs to serve the tutorial's port */
  readonly args?: string[];
  /** Port the echo server listens on (every `kubectl expose` uses `--target-port=8080`). @default 8080 */
  readonly containerPort?: number;
  /** Port of the three Services (`--port=80`). @default 80 */
  readonly servicePort?: number;
  /**
   * `externalTrafficPolicy` of the `nodeport` and `loadbalancer` Services. The tutorial first
   * shows the default (`Cluster`: source NAT hides the client) and then patches both to
   * `Local`. @default ExternalTrafficPolicy.LOCAL, the tutorial's final state
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /** Reserved address for the `loadbalancer` Service. @default none: an ephemeral address */
  readonly loadBalancerIP?: string;
  /**
   * Client ranges (IPv4 CIDRs) its LoadBalancer Service admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  /**
   * Node architectures the Pods may run on (`kubernetes.io/arch`), as a required node affinity.
   * @default ["amd64"] with the default or tutorial image, which are amd64-only; none with any other image
   */
  readonly nodeArchitectures?: string[];
}

/** Every prop of {@link SourceIpProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<SourceIpProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'image',
  'args',
  'containerPort',
  'servicePort',
  'externalTrafficPolicy',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'nodeArchitectures',
);

/** The props of {@link SourceIp} checked and completed with the tutorial's defaults. */
interface SourceIpSettings {
  readonly n: Names;
  readonly namespace: string | undefined;
  readonly replicas: number;
  readonly containerPort: number;
  readonly servicePort: number;
  readonly policy: ExternalTrafficPolicy;
  readonly image: string;
  readonly args: string[] | undefined;
}

/**
 * "Using Source IP": one echo server behind three Services, `clusterip`, `nodeport` and
 * `loadbalancer`, to show which client address a Pod sees through each.
 */
export class SourceIp extends Construct {
  /** The tutorial's image: schema 1, refused by containerd 2 (decision D3). */
  static readonly TUTORIAL_IMAGE = 'registry.k8s.io/echoserver:1.4';
  /** The default image (see docs/images.md). */
  static readonly IMAGE = 'registry.k8s.io/echoserver:1.10';
  static readonly IMAGE_ARGS: readonly string[] = [];

  readonly deployment: kplus.Deployment;
  readonly services: {
    readonly clusterip: ReturnType<typeof tutorialService>;
    readonly nodeport: ReturnType<typeof tutorialService>;
    readonly loadbalancer: ReturnType<typeof tutorialService>;
  };
  /** `app: source-ip-app`, the label `kubectl create deployment` sets and every Service selects. */
  readonly podLabels: Readonly<Record<string, string>> = { app: 'source-ip-app' };

  constructor(scope: Construct, id: string, props: SourceIpProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS, {
      serviceType:
        'is not a prop of SourceIp: the tutorial exists to compare the client address behind its three Services, clusterip, nodeport and loadbalancer, so it writes one of each',
    });
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const s = this.settings(props, n);
    this.deployment = this.addEchoServer(s);
    this.keepOnArchitectures(this.deployment, props);
    this.services = this.addServices(s, props);
  }

  /** The props checked and completed with the tutorial's defaults, before anything is written. */
  private settings(props: SourceIpProps, n: Names): SourceIpSettings {
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 1);
    const containerPort = v.port(this, 'containerPort', props.containerPort ?? 8080);
    const servicePort = v.port(this, 'servicePort', props.servicePort ?? 80);
    const policy = props.externalTrafficPolicy ?? ExternalTrafficPolicy.LOCAL;
    v.oneOf(this, 'externalTrafficPolicy', policy, [ExternalTrafficPolicy.CLUSTER, ExternalTrafficPolicy.LOCAL]);
    const image = resolveImage(this, 'image', props.image ?? SourceIp.IMAGE);
    const args = props.args ?? (props.image === undefined ? [...SourceIp.IMAGE_ARGS] : undefined);
    return { n, namespace, replicas, containerPort, servicePort, policy, image, args };
  }

  /** The Deployment `source-ip-app`, as `kubectl create deployment` makes it: one echo server. */
  private addEchoServer(s: SourceIpSettings): kplus.Deployment {
    const deployment = new kplus.Deployment(this, 'deployment', {
      // `kubectl create deployment` labels the Deployment too, and `kubectl expose` copies those
      // labels onto each Service: that is what makes `kubectl delete svc -l app=source-ip-app` work.
      metadata: { name: s.n.name('source-ip-app'), namespace: s.namespace, labels: { ...this.podLabels } },
      replicas: s.replicas,
      select: false,
      securityContext: podSecurity(ROOT_WRITABLE),
      containers: [
        tutorialContainer({
          name: 'echoserver',
          image: s.image,
          args: s.args && s.args.length > 0 ? s.args : undefined,
          // The tutorial declares no containerPort; declaring the one it targets documents it.
          ports: [{ number: s.containerPort }],
          // echoserver is nginx/OpenResty started as root that writes its pid and temp files
          // under its own tree: it needs root and a writable root filesystem (docs/images.md).
          runtime: ROOT_WRITABLE,
          // echoserver: OpenResty echoing the request.
          resources: demoContainerResources('256Mi'),
        }),
      ],
    });
    runtimeDefaultSeccomp(deployment);
    const root =
      'echoserver is nginx/OpenResty started as root, which writes its pid and temp files under its own tree';
    skipChecks(deployment, {
      CKV_K8S_8: 'the tutorial sets no probes; echoserver answers every path as soon as OpenResty starts',
      CKV_K8S_9: 'the tutorial sets no probes; echoserver opens its port within a second of starting',
      CKV_K8S_22: `${root}: the root filesystem stays writable`,
      CKV_K8S_23: root,
      CKV_K8S_37: `${root}: its master binds the port and switches workers' user with the runtime's default capabilities (NET_RAW is dropped)`,
      CKV_K8S_40: root,
    });
    selectByLabels(deployment, this.podLabels);
    // With replicas >= 2: spread over nodes (preferred) and a budget `<name>-pdb`.
    keepUpAcrossNodes(deployment, this.podLabels, s.replicas);
    return deployment;
  }

  /**
   * echoserver (1.4 and 1.10) is published for amd64 only ("The image in the following command
   * only runs on AMD64 architectures", S000): on a mixed-architecture cluster an arm64 node
   * would pull it and fail with "exec format error", so the Pods are kept off other nodes.
   */
  private keepOnArchitectures(deployment: kplus.Deployment, props: SourceIpProps): void {
    const amd64Only = [SourceIp.IMAGE, SourceIp.TUTORIAL_IMAGE].includes(props.image ?? SourceIp.IMAGE);
    const architectures = props.nodeArchitectures ?? (amd64Only ? ['amd64'] : []);
    for (const arch of architectures) {
      if (!/^[a-z0-9]+$/.test(arch))
        v.fail(
          this,
          'nodeArchitectures',
          architectures,
          'must list kubernetes.io/arch values such as "amd64" or "arm64"',
        );
    }
    if (architectures.length > 0) {
      deployment.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.in('kubernetes.io/arch', architectures)));
    }
  }

  /** The Services `clusterip`, `nodeport` and `loadbalancer`, as the tutorial's `kubectl expose` commands make them. */
  private addServices(s: SourceIpSettings, props: SourceIpProps): SourceIp['services'] {
    const service = (name: string, type: ServiceType) =>
      tutorialService(this, name, {
        name: s.n.name(name),
        namespace: s.namespace,
        labels: { ...this.podLabels },
        selector: this.podLabels,
        type,
        externalTrafficPolicy: type === ServiceType.CLUSTER_IP ? undefined : s.policy,
        loadBalancerIP: type === ServiceType.LOAD_BALANCER ? props.loadBalancerIP : undefined,
        loadBalancerSourceRanges: type === ServiceType.LOAD_BALANCER ? props.loadBalancerSourceRanges : undefined,
        ports: [{ port: s.servicePort, targetPort: s.containerPort, protocol: 'TCP' }],
      });
    return {
      clusterip: service('clusterip', ServiceType.CLUSTER_IP),
      nodeport: service('nodeport', ServiceType.NODE_PORT),
      loadbalancer: service('loadbalancer', ServiceType.LOAD_BALANCER),
    };
  }
}
