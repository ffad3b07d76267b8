import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { resolveImage } from './internal/images';
import { skipChecks } from './internal/scan';
import { keepUpAcrossNodes } from './internal/disruption';
import {
  ImageRuntime,
  podSecurity,
  runtimeDefaultSeccomp,
  selectByLabels,
  tutorialContainer,
  demoContainerResources,
} from './internal/workload';
import { ServiceType, serviceTypeProp, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

export interface ExternalIpProps extends NamePrefixProps {
  /** Namespace for both objects. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** Number of `hello-world` Pods. @default 5, as in the tutorial */
  readonly replicas?: number;
  /**
   * The hello-world image. @default {@link ExternalIp.IMAGE}; the tutorial's
   * {@link ExternalIp.TUTORIAL_IMAGE} has a Docker schema 1 manifest (decision D3)
   */
  readonly image?: string;
  /**
   * Port the app listens on and the Service's port (`kubectl expose` without `--port` takes
   * the containerPort for both). hello-app reads it from `PORT`, which is set when the port
   * is not 8080; the tutorial's node-hello always listens on 8080. @default 8080, as in the tutorial
   */
  readonly port?: number;
  /** Service type of `my-service`. @default ServiceType.LOAD_BALANCER, as `kubectl expose --type=LoadBalancer` */
  readonly serviceType?: ServiceType;
  /** Reserved address for `my-service` (a LoadBalancer). @default none: an ephemeral address */
  readonly loadBalancerIP?: string;
  /**
   * Client ranges (IPv4 CIDRs) its LoadBalancer Service admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
}

/** Every prop of {@link ExternalIpProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<ExternalIpProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'image',
  'port',
  'serviceType',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
);

/**
 * "Exposing an External IP Address to Access an Application in a Cluster": the Deployment
 * `hello-world` (`service/load-balancer-example.yaml`) and the LoadBalancer Service
 * `my-service` that `kubectl expose deployment hello-world --type=LoadBalancer --name=my-service`
 * creates.
 */
export class ExternalIp extends Construct {
  /**
   * The tutorial's image: schema 1, refused by containerd 2 (GKE 1.33+), and since 2024 by
   * Docker too (kubernetes/website#45961).
   */
  static readonly TUTORIAL_IMAGE = 'gcr.io/google-samples/node-hello:1.0';
  /**
   * The default image: Google's hello-app, which the upstream tutorial switched to
   * (kubernetes/website PR 46568). Same contract: HTTP on 8080 for any path; it answers
   * "Hello, world!" plus its version and the Pod's hostname instead of "Hello Kubernetes!".
   */
  static readonly IMAGE = 'us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0';
  /**
   * hello-app's `USER nonroot:nonroot` (distroless) as numbers: the kubelet can only verify
   * runAsNonRoot against a numeric user (GoogleCloudPlatform/kubernetes-engine-samples,
   * quickstarts/hello-app/Dockerfile).
   */
  static readonly NONROOT_UID = 65532;

  /** hello-app runs as that user and group, and writes nothing. */
  static readonly RUNTIME: ImageRuntime = {
    user: ExternalIp.NONROOT_UID,
    group: ExternalIp.NONROOT_UID,
    writesRootFilesystem: false,
  };

  readonly deployment: kplus.Deployment;
  readonly service: ReturnType<typeof tutorialService>;
  /** `app.kubernetes.io/name: load-balancer-example`: the Deployment's labels, selector and Pod labels. */
  readonly podLabels: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'load-balancer-example' };

  constructor(scope: Construct, id: string, props: ExternalIpProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 5);
    const port = v.port(this, 'port', props.port ?? 8080);
    const serviceType = serviceTypeProp(this, props.serviceType ?? ServiceType.LOAD_BALANCER);
    const image = resolveImage(this, 'image', props.image ?? ExternalIp.IMAGE);

    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: n.name('hello-world'), namespace, labels: { ...this.podLabels } },
      replicas,
      select: false,
      // hello-app's Dockerfile runs it as nonroot (65532); it needs no root, as its port is
      // unprivileged. The tutorial's node-hello image is not checked here (it cannot be pulled).
      securityContext: podSecurity(ExternalIp.RUNTIME),
      containers: [
        tutorialContainer({
          name: 'hello-world',
          image,
          ports: [{ number: port }],
          envVariables: port === 8080 ? undefined : { PORT: kplus.EnvValue.fromValue(String(port)) },
          // hello-app is one static Go binary on distroless that writes nothing (it logs to
          // stdout) and starts at once; the tutorial sets no probes, so none are added.
          runtime: ExternalIp.RUNTIME,
          // One static Go binary answering "Hello, world!".
          resources: demoContainerResources('128Mi'),
        }),
      ],
    });
    runtimeDefaultSeccomp(this.deployment);
    skipChecks(this.deployment, {
      CKV_K8S_8:
        'the tutorial sets no probes; hello-app is one static Go binary that answers on its port as soon as it starts',
      CKV_K8S_9: 'the tutorial sets no probes; hello-app opens its port within a second of starting',
    });
    selectByLabels(this.deployment, { ...this.podLabels });
    // Five replicas behind one load balancer: spread over nodes (preferred), budget hello-world-pdb.
    keepUpAcrossNodes(this.deployment, this.podLabels, replicas);

    // What `kubectl expose` writes: the Deployment's labels and selector, and one unnamed port
    // taken from the containerPort, on both sides.
    this.service = tutorialService(this, 'service', {
      name: n.name('my-service'),
      namespace,
      labels: { ...this.podLabels },
      selector: { ...this.podLabels },
      type: serviceType,
      loadBalancerIP: props.loadBalancerIP,
      loadBalancerSourceRanges: props.loadBalancerSourceRanges,
      ports: [{ port, targetPort: port, protocol: 'TCP' }],
    });
  }
}
