import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ManualEndpointsKind, manualEndpoints } from './internal/endpoints';
import { skipChecks } from './internal/scan';
import { barePodPriority, keepUpAcrossNodes } from './internal/disruption';
import { RUNTIME_DEFAULT_SECCOMP, containerSecurity, demoResources } from './internal/workload';
import { resolveImage } from './internal/images';
import { ServiceType, serviceDnsName, serviceTypeProp, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

/** Where `tut-service` sends its traffic. */
export enum TutServiceBackend {
  /** The article's main form: selector `app: service-tut-pod`, port 4000 to the named port `http`. */
  PODS = 'pods',
  /**
   * The article's "Service without a selector": no selector, and hand-written endpoints
   * (`1.2.3.4:9376` in the article). The Deployment and the client are still written.
   */
  MANUAL_ENDPOINTS = 'manual-endpoints',
}

export interface BlogNetworkingProps extends NamePrefixProps {
  /** Namespace for every object. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** Number of `service-tut-deployment` Pods. @default 2, as in the article */
  readonly replicas?: number;
  /** The backend image. @default "python:2.7", the article's: its command needs Python 2's SimpleHTTPServer */
  readonly image?: string;
  /** The client image. @default {@link BlogNetworking.CLIENT_IMAGE}; the article's `appropriate/curl` is unmaintained */
  readonly clientImage?: string;
  /** Write the client Pod `service-tut-client`. @default true */
  readonly client?: boolean;
  /** Port of `tut-service`. @default 4000, as in the article */
  readonly servicePort?: number;
  /** Where `tut-service` sends traffic. @default TutServiceBackend.PODS, the article's working form */
  readonly backend?: TutServiceBackend;
  /** Type of `tut-service` (and `tut-service-multiport`): ClusterIP, NodePort or LoadBalancer. @default ServiceType.CLUSTER_IP, as in the article */
  readonly serviceType?: ServiceType;
  /**
   * Client ranges (IPv4 CIDRs) a LoadBalancer `tut-service` (and `tut-service-multiport`) admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** Endpoint addresses for {@link TutServiceBackend.MANUAL_ENDPOINTS}. @default ["1.2.3.4"], as in the article */
  readonly endpointAddresses?: readonly string[];
  /** Endpoint port for {@link TutServiceBackend.MANUAL_ENDPOINTS}. @default 9376, as in the article */
  readonly endpointPort?: number;
  /** API kind of the manual endpoints. @default ManualEndpointsKind.ENDPOINTS, as in the article */
  readonly endpointsKind?: ManualEndpointsKind;
  /**
   * Also write the article's multi-port Service (fragment E4), corrected: `tut-service-multiport`
   * with two named ports, each to its own named container port that a listener really opens.
   * @default true
   */
  readonly multiPort?: boolean;
}

/** Every prop of {@link BlogNetworkingProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<BlogNetworkingProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'image',
  'clientImage',
  'client',
  'servicePort',
  'backend',
  'serviceType',
  'loadBalancerSourceRanges',
  'endpointAddresses',
  'endpointPort',
  'endpointsKind',
  'multiPort',
);

/** The props of {@link BlogNetworking} checked and completed with the article's defaults. */
interface BlogNetworkingSettings {
  readonly n: Names;
  readonly namespace: string | undefined;
  readonly serviceType: ServiceType;
  readonly replicas: number;
  readonly image: string;
  readonly servicePort: number;
  /** Whether `tut-service` has hand-written endpoints instead of a selector. */
  readonly manual: boolean;
  readonly addresses: string[];
  readonly endpointPort: number;
  readonly endpointsKind: ManualEndpointsKind;
  readonly multiPort: boolean;
}

/**
 * The backend's named container ports and the command that opens them.
 *
 * Fragment E4 sends both of its named ports (http 80, https 443) to targetPort 2941, which no
 * Pod of the article opens, so it could only refuse connections; and the backend speaks no
 * TLS, so a port named https would be a lie. Corrected: every port is named (the article's
 * rule for multi-port Services) and targets its own named container port, and the backend
 * opens a second plain-HTTP listener on 8080 for the second port.
 */
function backendListeners(multiPort: boolean): { ports: { name: string; containerPort: number }[]; serve: string } {
  const ports = multiPort
    ? [
        { name: 'http', containerPort: 80 },
        { name: 'http-alt', containerPort: 8080 },
      ]
    : [{ name: 'http', containerPort: 80 }];
  const serve = multiPort
    ? 'python -m SimpleHTTPServer 8080 & exec python -m SimpleHTTPServer 80'
    : 'python -m SimpleHTTPServer 80';
  return { ports, serve };
}

/**
 * Seed 003, article E (networking part 2, "Kubernetes Services", supergiant.io, May 2018): two
 * Python HTTP servers `service-tut-deployment`, the ClusterIP Service `tut-service` on port 4000
 * with the named target port `http`, and the curl client `service-tut-client` that calls
 * `tut-service:4000` by its DNS name.
 */
export class BlogNetworking extends Construct {
  static readonly TUTORIAL_IMAGE = 'python:2.7';
  /** The article's image: still an official, pullable tag (schema 2); `python -m SimpleHTTPServer` exists only in Python 2. */
  static readonly IMAGE = 'python:2.7';
  static readonly TUTORIAL_CLIENT_IMAGE = 'appropriate/curl';
  /**
   * curl from the curl project (Alpine, with the `/bin/sh` the article's command runs); the tag
   * docs/images.md §1c found in use. Runs as curl_user, UID 100.
   */
  static readonly CLIENT_IMAGE = 'curlimages/curl:8.8.0';

  readonly deployment: k8s.KubeDeployment;
  readonly service: k8s.KubeService;
  /** The corrected multi-port Service (fragment E4), when {@link BlogNetworkingProps.multiPort} is on. */
  readonly multiPortService?: k8s.KubeService;
  /** `tut-service.<namespace>.svc.cluster.local` */
  readonly serviceDnsName: string;
  readonly podLabels: Readonly<Record<string, string>> = { app: 'service-tut-pod' };

  constructor(scope: Construct, id: string, props: BlogNetworkingProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const s = this.settings(props, n);
    this.serviceDnsName = serviceDnsName(n.name('tut-service'), s.namespace);
    this.deployment = this.addBackend(s);
    this.service = this.addService(s, props);
    if (s.multiPort) this.multiPortService = this.addMultiPortService(s, props);
    if (s.manual) this.addManualEndpoints(s);
    if (props.client ?? true) this.addClient(s, props);
  }

  /** The props checked and completed with the article's defaults, before anything is written. */
  private settings(props: BlogNetworkingProps, n: Names): BlogNetworkingSettings {
    const serviceType = serviceTypeProp(this, props.serviceType ?? ServiceType.CLUSTER_IP);
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 2);
    const image = resolveImage(this, 'image', props.image ?? BlogNetworking.IMAGE);
    const servicePort = v.port(this, 'servicePort', props.servicePort ?? 4000);
    const backend = v.oneOf(this, 'backend', props.backend ?? TutServiceBackend.PODS, [
      TutServiceBackend.PODS,
      TutServiceBackend.MANUAL_ENDPOINTS,
    ]);
    const manual = backend === TutServiceBackend.MANUAL_ENDPOINTS;
    if (!manual) {
      for (const prop of ['endpointAddresses', 'endpointPort', 'endpointsKind'] as const) {
        if (props[prop] !== undefined)
          v.fail(this, prop, props[prop], 'only applies to backend TutServiceBackend.MANUAL_ENDPOINTS');
      }
    }
    const addresses = v.ipv4Addresses(this, 'endpointAddresses', props.endpointAddresses ?? ['1.2.3.4']);
    const endpointPort = v.port(this, 'endpointPort', props.endpointPort ?? 9376);
    const endpointsKind = v.oneOf(this, 'endpointsKind', props.endpointsKind ?? ManualEndpointsKind.ENDPOINTS, [
      ManualEndpointsKind.ENDPOINTS,
      ManualEndpointsKind.ENDPOINT_SLICE,
    ]);
    if (props.client === false && props.clientImage !== undefined)
      v.fail(this, 'clientImage', props.clientImage, 'only applies when client is true');
    const multiPort = props.multiPort ?? true;
    return {
      n,
      namespace,
      serviceType,
      replicas,
      image,
      servicePort,
      manual,
      addresses,
      endpointPort,
      endpointsKind,
      multiPort,
    };
  }

  /** service-tut-deployment.yaml, moved from the removed extensions/v1beta1 to apps/v1. */
  private addBackend(s: BlogNetworkingSettings): k8s.KubeDeployment {
    const { n, namespace } = s;
    const { ports, serve } = backendListeners(s.multiPort);
    const deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: n.name('service-tut-deployment'), namespace },
      spec: {
        replicas: s.replicas,
        selector: { matchLabels: { ...this.podLabels } },
        template: {
          metadata: { labels: { ...this.podLabels } },
          spec: {
            automountServiceAccountToken: false,
            // The runtime's default seccomp filter.
            securityContext: RUNTIME_DEFAULT_SECCOMP,
            containers: [
              {
                name: 'python-http-server',
                image: s.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['/bin/bash'],
                args: ['-c', `echo " Hello from $(hostname)" > index.html; ${serve}`],
                ports,
                // python:2.7 has no USER (root) and no WORKDIR, so the command writes index.html
                // into / and serves / on port 80: it needs root (a port below 1024 and a
                // root-owned directory) and a writable root filesystem. Source: docker-library/python
                // 2.7 Dockerfile (no USER, no WORKDIR) and the article's command.
                securityContext: containerSecurity({ user: 0, writesRootFilesystem: true }),
                // Python's SimpleHTTPServer serving one small file.
                resources: demoResources('256Mi'),
              },
            ],
          },
        },
      },
    });
    const py = "python:2.7 has no USER, and the article's command writes index.html into / and serves it on port 80";
    skipChecks(deployment, {
      CKV_K8S_8:
        'the article sets no probes; SimpleHTTPServer answers as soon as it listens and has no health endpoint',
      CKV_K8S_9: 'the article sets no probes; SimpleHTTPServer opens its port within a second of starting',
      CKV_K8S_22: `${py}: it needs a writable root filesystem`,
      CKV_K8S_23: `${py}: it runs as root`,
      CKV_K8S_37: `${py}: root binds port 80 with the runtime's default NET_BIND_SERVICE (NET_RAW is dropped)`,
      CKV_K8S_40: `${py}: it runs as root`,
    });
    // Spread over nodes (preferred), budget service-tut-deployment-pdb.
    keepUpAcrossNodes(deployment, this.podLabels, s.replicas);
    return deployment;
  }

  /**
   * tut-service.yaml. The named targetPort lets the backend change its port number without
   * breaking clients; with manual endpoints there is no selector and the port is the endpoints'.
   */
  private addService(s: BlogNetworkingSettings, props: BlogNetworkingProps): k8s.KubeService {
    return tutorialService(this, 'service', {
      name: s.n.name('tut-service'),
      namespace: s.namespace,
      selector: s.manual ? undefined : { ...this.podLabels },
      type: s.serviceType,
      loadBalancerSourceRanges: props.loadBalancerSourceRanges,
      ports: [{ protocol: 'TCP', port: s.servicePort, targetPort: s.manual ? s.endpointPort : 'http' }],
    });
  }

  /** `tut-service-multiport`: fragment E4, corrected (see {@link backendListeners}). */
  private addMultiPortService(s: BlogNetworkingSettings, props: BlogNetworkingProps): k8s.KubeService {
    return tutorialService(this, 'multiport-service', {
      name: s.n.name('tut-service-multiport'),
      namespace: s.namespace,
      selector: { ...this.podLabels },
      type: s.serviceType,
      loadBalancerSourceRanges: props.loadBalancerSourceRanges,
      ports: backendListeners(s.multiPort).ports.map((p) => ({
        name: p.name,
        protocol: 'TCP' as const,
        port: p.containerPort,
        targetPort: p.name,
      })),
    });
  }

  /** The article's "Service without a selector": hand-written endpoints for `tut-service`. */
  private addManualEndpoints(s: BlogNetworkingSettings): void {
    manualEndpoints(this, 'endpoints', {
      serviceName: s.n.name('tut-service'),
      namespace: s.namespace,
      addresses: s.addresses,
      port: s.endpointPort,
      kind: s.endpointsKind,
    });
  }

  /** client-pod.yaml, second version (by Service name instead of a Pod IP). */
  private addClient(s: BlogNetworkingSettings, props: BlogNetworkingProps): void {
    const { n } = s;
    const client = new k8s.KubePod(this, 'client', {
      metadata: {
        name: n.name('service-tut-client'),
        namespace: s.namespace,
        labels: n.labels({}),
      },
      spec: {
        automountServiceAccountToken: false,
        // No controller recreates it: see barePodPriority.
        priorityClassName: barePodPriority(this),
        // The runtime's default seccomp filter.
        securityContext: RUNTIME_DEFAULT_SECCOMP,
        // The article says the Pod "will terminate once the operation is completed", but it left
        // the default restartPolicy Always, so curl ran again and again. OnFailure ends the Pod
        // after the first answer, yet retries (with the kubelet's back-off) while the call fails:
        // the chart applies the client together with the backends, and the small curl image
        // starts long before python:2.7 is pulled, so a single call (Never) would usually hit a
        // Service without ready endpoints and leave only "curl: (7) Failed to connect" in the log.
        // curl exits non-zero (7) on a refused or failed connection. To call again, delete and
        // re-create the Pod (a Pod's args cannot be changed by apply).
        restartPolicy: 'OnFailure',
        containers: [
          {
            name: 'curl',
            image: resolveImage(this, 'clientImage', props.clientImage ?? BlogNetworking.CLIENT_IMAGE),
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/sh'],
            args: ['-c', `curl ${n.name('tut-service')}:${s.servicePort} `],
            // curlimages/curl runs as curl_user (UID 100) and writes nothing; the UID is numeric so
            // the kubelet can check runAsNonRoot (docs/images.md §1c).
            securityContext: containerSecurity({ user: 100, writesRootFilesystem: false }),
            // One curl call.
            resources: demoResources('64Mi'),
          },
        ],
      },
    });
    skipChecks(client, {
      CKV_K8S_8: "the article's client runs one curl call and exits: no server to probe",
      CKV_K8S_9: "the article's client runs one curl call and exits: no Service sends it traffic",
      CKV_K8S_40: "curlimages/curl runs as its curl_user, UID 100; the UID is the image's own",
    });
  }
}
