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
import { ServiceType, serviceDnsName, serviceTypeProp, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

export interface HelloMinikubeProps extends NamePrefixProps {
  /** Namespace for both objects. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** Number of hello-node Pods. @default 1, as `kubectl create deployment` makes */
  readonly replicas?: number;
  /**
   * The hello-node image. @default {@link HelloMinikube.IMAGE}, because the tutorial's
   * {@link HelloMinikube.TUTORIAL_IMAGE} has been deleted (decision D3)
   */
  readonly image?: string;
  /**
   * The container command. @default {@link HelloMinikube.imageCommand} for the default image
   * (agnhost answering "Hello World!" on `port`); none (the image's own) for any other image
   */
  readonly command?: string[];
  /** Port the app listens on and the Service exposes (`--port=8080`). @default 8080, as in server.js */
  readonly port?: number;
  /**
   * Service type. The tutorial exposes hello-node with `--type=LoadBalancer` (on minikube it
   * stays pending and `minikube service` opens it). @default ServiceType.LOAD_BALANCER
   */
  readonly serviceType?: ServiceType;
  /** Reserved address for the LoadBalancer Service. @default none: an ephemeral address */
  readonly loadBalancerIP?: string;
  /**
   * Client ranges (IPv4 CIDRs) its LoadBalancer Service admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
}

/** Every prop of {@link HelloMinikubeProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<HelloMinikubeProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'image',
  'command',
  'port',
  'serviceType',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
);

/**
 * "Hello Minikube": the Deployment `hello-node` (`kubectl create deployment hello-node`) and the
 * LoadBalancer Service `hello-node` on port 8080 (`kubectl expose deployment hello-node
 * --type=LoadBalancer --port=8080`). The page is cut off in the 2020 export; the objects are
 * those of the upstream page of the same era (kubernetes/website, content/en/docs/tutorials/hello-minikube.md).
 */
export class HelloMinikube extends Construct {
  /**
   * The tutorial's image (node:6.14.2 running server.js on 8080). The repository
   * `gcr.io/hello-minikube-zero-install` no longer exists (decision D3).
   */
  static readonly TUTORIAL_IMAGE = 'gcr.io/hello-minikube-zero-install/hello-node';
  /**
   * The default image: agnhost, which the current Hello Minikube page uses in its place
   * (`kubectl create deployment hello-node --image=registry.k8s.io/e2e-test-images/agnhost:2.39
   * -- /agnhost netexec --http-port=8080`). 2.52 rather than the page's 2.39: it is the tag
   * Kubernetes' own e2e tests use now (test/utils/image/manifest.go), and it surely has the
   * `--http-override` flag used below, which could not be confirmed for 2.39. Multi-arch,
   * on registry.k8s.io.
   */
  static readonly IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.52';
  /**
   * What server.js does, with agnhost: `netexec` serves HTTP on 8080 and logs each request;
   * `--http-override` answers every path the way `/echo?msg=Hello World!` does, that is 200
   * with the body `Hello World!`, like server.js. It also turns off netexec's `/shell`,
   * `/upload` and `/exit` handlers, which must not sit behind a public load balancer.
   * `--udp-port=-1` turns off the UDP echo server on 8081 that the tutorial does not have.
   * Source: kubernetes/kubernetes test/images/agnhost/netexec/netexec.go.
   */
  static imageCommand(port: number = 8080): string[] {
    return ['/agnhost', 'netexec', `--http-port=${port}`, '--udp-port=-1', '--http-override=/echo?msg=Hello%20World!'];
  }

  readonly deployment: kplus.Deployment;
  readonly service: ReturnType<typeof tutorialService>;
  /** `hello-node.<namespace>.svc.cluster.local` */
  readonly serviceDnsName: string;
  /** `app: hello-node`, the label `kubectl create deployment` sets and the Service selects. */
  readonly podLabels: Readonly<Record<string, string>> = { app: 'hello-node' };

  constructor(scope: Construct, id: string, props: HelloMinikubeProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 1);
    const port = v.port(this, 'port', props.port ?? 8080);
    const serviceType = props.serviceType ?? ServiceType.LOAD_BALANCER;
    serviceTypeProp(this, serviceType);
    const image = resolveImage(this, 'image', props.image ?? HelloMinikube.IMAGE);
    const command = props.command ?? (props.image === undefined ? HelloMinikube.imageCommand(port) : undefined);
    if (command !== undefined && command.length === 0)
      v.fail(this, 'command', command, "must not be empty; leave it out to use the image's own command");

    this.serviceDnsName = serviceDnsName(n.name('hello-node'), namespace);

    const runtime: ImageRuntime = { user: 65534, group: 65534, writesRootFilesystem: false };
    this.deployment = new kplus.Deployment(this, 'deployment', {
      // `kubectl create deployment` labels the Deployment too; `kubectl expose` copies it onto the Service.
      metadata: { name: n.name('hello-node'), namespace, labels: { ...this.podLabels } },
      replicas,
      select: false,
      // agnhost's Dockerfile has no USER (root), but netexec binds 8080 (no privileged port)
      // and writes nothing unless /upload is called, which --http-override turns off: it runs
      // as nobody (65534) with a read-only root filesystem. Numeric, so that the kubelet can
      // check runAsNonRoot. Source: test/images/agnhost/Dockerfile and netexec.go.
      securityContext: podSecurity(runtime),
      containers: [
        tutorialContainer({
          // `kubectl create deployment` names the container after the image: hello-node.
          name: 'hello-node',
          image,
          command,
          // server.js listens on 8080; the tutorial declares no containerPort, declaring it documents it.
          ports: [{ number: port }],
          runtime,
          // agnhost netexec (Go) or the tutorial's one-file Node.js server.
          resources: demoContainerResources('128Mi'),
        }),
      ],
    });
    runtimeDefaultSeccomp(this.deployment);
    skipChecks(this.deployment, {
      CKV_K8S_8:
        "the tutorial sets no probes; agnhost netexec (like the tutorial's server.js) answers on 8080 as soon as it starts",
      CKV_K8S_9: 'the tutorial sets no probes; agnhost netexec opens 8080 within a second of starting',
    });
    selectByLabels(this.deployment, this.podLabels);
    // With replicas >= 2: spread over nodes (preferred) and a budget `<name>-pdb`.
    keepUpAcrossNodes(this.deployment, this.podLabels, replicas);

    this.service = tutorialService(this, 'service', {
      name: n.name('hello-node'),
      namespace,
      labels: { ...this.podLabels },
      selector: this.podLabels,
      type: serviceType,
      loadBalancerIP: props.loadBalancerIP,
      loadBalancerSourceRanges: props.loadBalancerSourceRanges,
      // `kubectl expose --port=8080`: one unnamed TCP port whose targetPort is the same number.
      ports: [{ port, targetPort: port, protocol: 'TCP' }],
    });
  }
}
