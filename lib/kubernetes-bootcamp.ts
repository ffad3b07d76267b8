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

/** The app versions of "Learn Kubernetes Basics" module 6 (`kubectl set image ...`). */
export enum BootcampVersion {
  /** v1, which modules 2 to 5 deploy (`Hello Kubernetes bootcamp! | Running on: <pod> | v=1`). */
  V1 = 'v1',
  /** v2, the rolling update of module 6 (`... | v=2`). */
  V2 = 'v2',
}

export interface KubernetesBootcampProps extends NamePrefixProps {
  /** Namespace for both objects. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /**
   * Number of Pods (module 5 scales with `kubectl scale deployments/kubernetes-bootcamp
   * --replicas=4`, then `--replicas=2`). @default 1, as `kubectl create deployment` makes
   */
  readonly replicas?: number;
  /** Which app version to run (module 6's `kubectl set image`). @default BootcampVersion.V1 */
  readonly version?: BootcampVersion;
  /**
   * Any other image, instead of `version`: the tutorial's own ({@link KubernetesBootcamp.TUTORIAL_IMAGES}),
   * or module 6's deliberately missing `:v10`. @default {@link KubernetesBootcamp.IMAGES} of `version`
   */
  readonly image?: string;
  /** Write the NodePort Service (module 4 deletes it with `kubectl delete service -l app=kubernetes-bootcamp`). @default true */
  readonly service?: boolean;
  /** Service type (`kubectl expose ... --type="NodePort"`). @default ServiceType.NODE_PORT */
  readonly serviceType?: ServiceType;
  /**
   * Client ranges (IPv4 CIDRs) its LoadBalancer Service admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
}

/** Every prop of {@link KubernetesBootcampProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<KubernetesBootcampProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'version',
  'image',
  'service',
  'serviceType',
  'loadBalancerSourceRanges',
);

/**
 * "Learn Kubernetes Basics": the Deployment `kubernetes-bootcamp` (`kubectl create deployment
 * kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1`) and its Service
 * (`kubectl expose deployment/kubernetes-bootcamp --type="NodePort" --port 8080`). The export
 * has no manifests (the modules were Katacoda scenarios); the objects are those of the
 * kubernetes-bootcamp-scenarios of the same era (kubernetes-bootcamp-scenarios, the tutorial's source).
 */
export class KubernetesBootcamp extends Construct {
  /**
   * The tutorial's images. Whether they still pull is unconfirmed: they are 2016 builds on
   * node 6.3.1, and minikube's copies were deleted for their CVEs (kubernetes/minikube#20886).
   */
  static readonly TUTORIAL_IMAGES: Readonly<Record<BootcampVersion, string>> = {
    [BootcampVersion.V1]: 'gcr.io/google-samples/kubernetes-bootcamp:v1',
    [BootcampVersion.V2]: 'jocatalin/kubernetes-bootcamp:v2',
  };
  /**
   * The default images (decision D3): the maintained multi-arch rebuilds of the same server.js
   * (same port 8080, same answer with v=1 / v=2) that the Learn Kubernetes Basics pages use
   * now (kubernetes/minikube PR #22170, promoted by kubernetes/k8s.io PR #8867; docs/images.md 8b).
   */
  static readonly IMAGES: Readonly<Record<BootcampVersion, string>> = {
    [BootcampVersion.V1]: 'registry.k8s.io/minikube/kubernetes-bootcamp:v1',
    [BootcampVersion.V2]: 'registry.k8s.io/minikube/kubernetes-bootcamp:v2',
  };
  /** server.js listens on 8080 and the Service exposes the same port. */
  static readonly PORT = 8080;

  readonly deployment: kplus.Deployment;
  /** The NodePort Service, unless `service: false`. */
  readonly service?: ReturnType<typeof tutorialService>;
  /** `kubernetes-bootcamp.<namespace>.svc.cluster.local` */
  readonly serviceDnsName: string;
  /** `app: kubernetes-bootcamp`: what `kubectl get pods -l app=kubernetes-bootcamp` selects. */
  readonly podLabels: Readonly<Record<string, string>> = { app: 'kubernetes-bootcamp' };

  constructor(scope: Construct, id: string, props: KubernetesBootcampProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 1);
    const version = v.oneOf(this, 'version', props.version ?? BootcampVersion.V1, [
      BootcampVersion.V1,
      BootcampVersion.V2,
    ]);
    if (props.image !== undefined && props.version !== undefined) {
      v.fail(this, 'image', props.image, 'cannot be combined with version; give one of them');
    }
    const image = resolveImage(this, 'image', props.image ?? KubernetesBootcamp.IMAGES[version]);
    const withService = props.service ?? true;
    const serviceType = props.serviceType ?? ServiceType.NODE_PORT;
    serviceTypeProp(this, serviceType);
    if (!withService && props.serviceType !== undefined) {
      v.fail(this, 'serviceType', props.serviceType, 'only applies with service: true');
    }

    this.serviceDnsName = serviceDnsName(n.name('kubernetes-bootcamp'), namespace);

    const runtime: ImageRuntime = { user: 65534, group: 65534, writesRootFilesystem: false };
    this.deployment = new kplus.Deployment(this, 'deployment', {
      // `kubectl create deployment` labels the Deployment too; `kubectl expose` copies that
      // label onto the Service, which is what `kubectl delete service -l app=kubernetes-bootcamp` relies on.
      metadata: { name: n.name('kubernetes-bootcamp'), namespace, labels: { ...this.podLabels } },
      replicas,
      select: false,
      // The app is server.js on Node.js (module 3 prints it with `kubectl exec ... -- cat
      // server.js`): it listens on 8080, logs to stdout and writes no file, so it needs neither
      // root nor a writable root filesystem. The images set no USER (they run as root, per the
      // minikube PR #19042 transcript), so the user is set here, numerically, so that the kubelet
      // can check runAsNonRoot. Unconfirmed on a cluster (docs/images.md 8b).
      securityContext: podSecurity(runtime),
      containers: [
        tutorialContainer({
          // `kubectl create deployment` names the container after the image; module 6's
          // `kubectl set image deployments/kubernetes-bootcamp kubernetes-bootcamp=...` relies on it.
          name: 'kubernetes-bootcamp',
          image,
          ports: [{ number: KubernetesBootcamp.PORT }],
          runtime,
          // One Node.js script answering with the Pod name.
          resources: demoContainerResources('128Mi'),
        }),
      ],
    });
    runtimeDefaultSeccomp(this.deployment);
    skipChecks(this.deployment, {
      CKV_K8S_8:
        'the tutorial sets no probes; the bootcamp image is one Node.js script that answers on 8080 as soon as it starts',
      CKV_K8S_9: 'the tutorial sets no probes; the bootcamp script opens 8080 within a second of starting',
    });
    selectByLabels(this.deployment, this.podLabels);
    // With replicas >= 2: spread over nodes (preferred) and a budget `<name>-pdb`.
    keepUpAcrossNodes(this.deployment, this.podLabels, replicas);

    if (withService) {
      this.service = tutorialService(this, 'service', {
        name: n.name('kubernetes-bootcamp'),
        namespace,
        labels: { ...this.podLabels },
        selector: this.podLabels,
        type: serviceType,
        loadBalancerSourceRanges: props.loadBalancerSourceRanges,
        // `--port 8080`: one unnamed TCP port; the nodePort is allocated by the API server and
        // read back by the tutorial (`{{(index .spec.ports 0).nodePort}}`).
        ports: [{ port: KubernetesBootcamp.PORT, targetPort: KubernetesBootcamp.PORT, protocol: 'TCP' }],
      });
    }
  }
}
