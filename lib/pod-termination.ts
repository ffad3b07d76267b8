import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { resolveImage } from './internal/images';
import { skipChecks } from './internal/scan';
import { keepUpAcrossNodes } from './internal/disruption';
import {
  NGINX_RUNTIME,
  nginxScratchMounts,
  podSecurity,
  runtimeDefaultSeccomp,
  selectByLabels,
  tutorialContainer,
  demoContainerResources,
  NGINX_ROOT,
} from './internal/workload';
import { ServiceType, serviceDnsName, serviceTypeProp, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { addTutorialWarning } from './internal/warnings';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

export interface PodTerminationProps extends NamePrefixProps {
  /** Namespace for both objects. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** Number of nginx Pods. @default 1, as in the tutorial */
  readonly replicas?: number;
  /** The nginx image. @default {@link PodTermination.IMAGE}: the tutorial's `nginx:latest`, pinned */
  readonly image?: string;
  /** `terminationGracePeriodSeconds` of the Pods. @default 120, the tutorial's "extra long grace period" */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Seconds the preStop hook sleeps (`/bin/sh -c "sleep N"`); 0 leaves the hook out.
   * @default 180, as in the tutorial, which outlasts the grace period on purpose
   */
  readonly preStopSleepSeconds?: number;
  /** Type of `nginx-service`: ClusterIP, NodePort or LoadBalancer. @default ServiceType.CLUSTER_IP, as in the tutorial */
  readonly serviceType?: ServiceType;
  /**
   * Client ranges (IPv4 CIDRs) a LoadBalancer `nginx-service` admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
}

/** Every prop of {@link PodTerminationProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<PodTerminationProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'image',
  'terminationGracePeriodSeconds',
  'preStopSleepSeconds',
  'serviceType',
  'loadBalancerSourceRanges',
);

/** The props of {@link PodTermination} checked and completed with the tutorial's defaults. */
interface PodTerminationSettings {
  readonly n: Names;
  readonly serviceType: ServiceType;
  readonly namespace: string | undefined;
  readonly replicas: number;
  readonly image: string;
  /** terminationGracePeriodSeconds */
  readonly grace: number;
  /** preStopSleepSeconds */
  readonly sleep: number;
}

/**
 * "Explore Termination Behavior for Pods And Their Endpoints": the Deployment
 * `nginx-deployment`, whose Pods keep serving for the grace period after deletion because of a
 * long preStop hook, and the Service `nginx-service`, whose EndpointSlice shows the
 * terminating Pod as `ready: false, serving: true, terminating: true`.
 */
export class PodTermination extends Construct {
  /** The tutorial's image: `latest` moves under the user (decision D3: every default has a tag). */
  static readonly TUTORIAL_IMAGE = 'nginx:latest';
  /** The default: the same official image at the tag the repository's other nginx charts use. */
  static readonly IMAGE = 'nginx:1.28';

  readonly deployment: kplus.Deployment;
  readonly service: ReturnType<typeof tutorialService>;
  /** `nginx-service.<namespace>.svc.cluster.local` */
  readonly serviceDnsName: string;
  /** `app: nginx`, the Pod label the Service selects. */
  readonly podLabels: Readonly<Record<string, string>> = { app: 'nginx' };
  /** The warnings this construct recorded (also readable with {@link tutorialWarnings}). */
  readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: PodTerminationProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const s = this.settings(props, n);
    this.warnings = this.warnIfHookOutlastsGrace(s.sleep, s.grace);
    this.serviceDnsName = serviceDnsName(n.name('nginx-service'), s.namespace);
    this.deployment = this.addNginx(s);
    this.service = this.addService(s, props);
  }

  /** The props checked and completed with the tutorial's defaults, before anything is written. */
  private settings(props: PodTerminationProps, n: Names): PodTerminationSettings {
    const serviceType = serviceTypeProp(this, props.serviceType ?? ServiceType.CLUSTER_IP);
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 1);
    const image = resolveImage(this, 'image', props.image ?? PodTermination.IMAGE);
    // Kubernetes accepts 0 (kill at once) up to any int64; a day is far beyond any demo.
    const grace = v.integerInRange(
      this,
      'terminationGracePeriodSeconds',
      props.terminationGracePeriodSeconds ?? 120,
      0,
      86400,
    );
    const sleep = v.integerInRange(this, 'preStopSleepSeconds', props.preStopSleepSeconds ?? 180, 0, 86400);
    return { n, serviceType, namespace, replicas, image, grace, sleep };
  }

  /**
   * Warns when the preStop hook outlasts the grace period; returns the warnings.
   *
   * The tutorial's own values (sleep 180 against 120 s) do this on purpose: "at 120 seconds
   * container will be forcibly terminated". That is stated once in the README, not warned on
   * every synth; a hook the user chose that outlasts the grace period is warned about. The 2 s
   * extension is the kubelet's ("Termination of Pods", Kubernetes Pod lifecycle docs).
   */
  private warnIfHookOutlastsGrace(sleep: number, grace: number): string[] {
    const warnings: string[] = [];
    const tutorialValues = sleep === 180 && grace === 120;
    if (sleep > 0 && sleep >= grace && !tutorialValues) {
      warnings.push(
        `preStopSleepSeconds (${sleep}) is not shorter than terminationGracePeriodSeconds (${grace}): ` +
          `the kubelet cuts the hook off after ${grace} s (plus a one-off 2 s extension) and kills the container, ` +
          'so nginx gets no time to shut down gracefully',
      );
    }
    for (const w of warnings) addTutorialWarning(this, w);
    return warnings;
  }

  /**
   * The Deployment `nginx-deployment`: nginx with the preStop hook that sleeps.
   *
   * The official nginx image needs root and two writable directories (nginxScratchMounts has
   * the sources); the preStop hook needs /bin/sh, which the Debian-based image has.
   */
  private addNginx(s: PodTerminationSettings): kplus.Deployment {
    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: s.n.name('nginx-deployment'), namespace: s.namespace, labels: { ...this.podLabels } },
      replicas: s.replicas,
      select: false,
      securityContext: podSecurity(NGINX_RUNTIME),
      terminationGracePeriod: Duration.seconds(s.grace),
      containers: [
        tutorialContainer({
          name: 'nginx',
          image: s.image,
          ports: [{ number: 80 }],
          volumeMounts: nginxScratchMounts(this),
          // "Real life termination may take any time up to terminationGracePeriodSeconds. In
          // this example - just hang around for at least the duration of
          // terminationGracePeriodSeconds ... all this time nginx will keep processing requests."
          lifecycle:
            s.sleep > 0 ? { preStop: kplus.Handler.fromCommand(['/bin/sh', '-c', `sleep ${s.sleep}`]) } : undefined,
          runtime: NGINX_RUNTIME,
          // nginx serving its default page.
          resources: demoContainerResources('256Mi'),
        }),
      ],
    });
    runtimeDefaultSeccomp(deployment);
    skipChecks(deployment, {
      CKV_K8S_8: 'the tutorial sets no probes; nginx serves its default page within a second of starting',
      CKV_K8S_9: 'the tutorial sets no probes; nginx opens port 80 within a second of starting',
      CKV_K8S_23: NGINX_ROOT,
      CKV_K8S_37: `${NGINX_ROOT}: it binds the port and calls setuid with the runtime's default capabilities (NET_RAW is dropped)`,
      CKV_K8S_40: NGINX_ROOT,
    });
    selectByLabels(deployment, this.podLabels);
    // With replicas >= 2: spread over nodes (preferred) and a budget `<name>-pdb`.
    keepUpAcrossNodes(deployment, this.podLabels, s.replicas);
    return deployment;
  }

  /** The Service `nginx-service`. */
  private addService(s: PodTerminationSettings, props: PodTerminationProps): ReturnType<typeof tutorialService> {
    return tutorialService(this, 'service', {
      name: s.n.name('nginx-service'),
      namespace: s.namespace,
      selector: this.podLabels,
      type: s.serviceType,
      loadBalancerSourceRanges: props.loadBalancerSourceRanges,
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
    });
  }
}
