import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ManualEndpointsKind, manualEndpoints } from './internal/endpoints';
import { skipChecks } from './internal/scan';
import { barePodPriority, keepUpAcrossNodes } from './internal/disruption';
import { RUNTIME_DEFAULT_SECCOMP, containerSecurity, demoResources } from './internal/workload';
import { declareExternal } from './internal/external';
import { resolveImage } from './internal/images';
import { ServiceType, serviceDnsName, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

/** How the book's `external-service` reaches the service outside the cluster. */
export enum ExternalServiceForm {
  /** `type: ExternalName` to `someapi.somecompany.com`: a DNS CNAME, no cluster IP. */
  EXTERNAL_NAME = 'ExternalName',
  /** A Service without a selector plus hand-written endpoints (`11.11.11.11`, `22.22.22.22` in the book). */
  MANUAL_ENDPOINTS = 'manual-endpoints',
}

export interface KubiaProps extends NamePrefixProps {
  /** Namespace for every object. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** Replicas of the ReplicaSet `kubia`. @default 3, as in the book */
  readonly replicas?: number;
  /** The app image (Node.js on port 8080, answers "You've hit <hostname>"). @default {@link Kubia.IMAGE}, the book's, with its only tag written out */
  readonly image?: string;
  /**
   * The DaemonSet's image; it runs the book's ssd-monitor loop as its command, so any image with
   * a POSIX shell does. @default {@link Kubia.SSD_MONITOR_IMAGE}
   */
  readonly ssdMonitorImage?: string;
  /** The Job's and CronJob's image; runs the book's batch-job script as its command. @default {@link Kubia.BATCH_JOB_IMAGE} */
  readonly batchJobImage?: string;
  /** Node label the DaemonSet `ssd-monitor` selects. @default { disk: "ssd" }, as in the book */
  readonly ssdNodeSelector?: Record<string, string>;
  /** Schedule of the CronJob. @default "0,15,30,45 * * * *", as in the book */
  readonly cronSchedule?: string;
  /** The fixed node port of `kubia-nodeport`. @default 30123, as in the book */
  readonly nodePort?: number;
  /** Reserved address for `kubia-loadbalancer`. @default none: an ephemeral address */
  readonly loadBalancerIP?: string;
  /**
   * Client ranges (IPv4 CIDRs) its LoadBalancer Service admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** How `external-service` is written. @default ExternalServiceForm.EXTERNAL_NAME, the book's last form */
  readonly externalServiceForm?: ExternalServiceForm;
  /** Target of the ExternalName form. @default "someapi.somecompany.com", as in the book */
  readonly externalName?: string;
  /** Addresses of the manual-endpoints form. @default ["11.11.11.11", "22.22.22.22"], as in the book */
  readonly externalAddresses?: readonly string[];
  /** API kind of the manual endpoints. @default ManualEndpointsKind.ENDPOINTS, as in the book */
  readonly endpointsKind?: ManualEndpointsKind;
  /** Host of the Ingress `kubia`. @default "kubia.example.com", as in the book (`<namePrefix>-kubia.example.com` with a prefix) */
  readonly ingressHost?: string;
  /**
   * Serve the Ingress over HTTPS with the TLS Secret `tls-secret`, which the user creates
   * (decision D6). @default false: the book's first Ingress, HTTP only
   */
  readonly ingressTls?: boolean;
  /** `spec.ingressClassName` of the Ingress. @default none: GKE's built-in controller takes class-less Ingresses */
  readonly ingressClassName?: string;
}

/** Every prop of {@link KubiaProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<KubiaProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'image',
  'ssdMonitorImage',
  'batchJobImage',
  'ssdNodeSelector',
  'cronSchedule',
  'nodePort',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'externalServiceForm',
  'externalName',
  'externalAddresses',
  'endpointsKind',
  'ingressHost',
  'ingressTls',
  'ingressClassName',
);

/**
 * Seed 004 (notes on "Kubernetes in Action", chapters 3 to 5): the `kubia` examples on current
 * APIs. A labelled Pod, the ReplicaSet `kubia` (instead of the ReplicationController), the
 * DaemonSet `ssd-monitor` on nodes labelled `disk=ssd`, the Job `batch-job` and the CronJob
 * `batch-job-every-fifteen-minutes`, the Services `kubia` (ClusterIP), `kubia-nodeport`,
 * `kubia-loadbalancer` and `external-service`, and the Ingress `kubia` (`networking.k8s.io/v1`).
 */
export class Kubia extends Construct {
  /** The book's app image, untagged. */
  static readonly TUTORIAL_IMAGE = 'luksa/kubia';
  /**
   * The default: the book's image, kept (no report of it failing on containerd 2 was found;
   * docs/images.md §13a), with `latest` written out. It is the one default image without another
   * tag: the repository's versioned tags (`v1` to `v4`) are the book's chapter 9 variants, whose
   * app answers "This is v1 running in pod ...", not chapter 2's "You've hit <hostname>"
   * (luksa/kubernetes-in-action Chapter09/kubia-v1/app.js). README "Image substitutions".
   */
  static readonly IMAGE = 'luksa/kubia:latest';
  /** The book's DaemonSet image: `FROM busybox` plus the loop in {@link Kubia.SSD_MONITOR_SCRIPT} (Chapter04/ssd-monitor/Dockerfile). */
  static readonly TUTORIAL_SSD_MONITOR_IMAGE = 'luksa/ssd-monitor';
  /** The book's Job image: `FROM busybox` plus {@link Kubia.BATCH_JOB_SCRIPT} (Chapter04/batch-job/Dockerfile). */
  static readonly TUTORIAL_BATCH_JOB_IMAGE = 'luksa/batch-job';
  /**
   * The defaults: the busybox both book images were built FROM, at a fixed tag, running the
   * books' ENTRYPOINTs as the container command. The luksa images were found only as `latest`.
   */
  static readonly SSD_MONITOR_IMAGE = 'busybox:1.28';
  static readonly BATCH_JOB_IMAGE = 'busybox:1.28';
  /** The ENTRYPOINT of luksa/ssd-monitor, verbatim. */
  static readonly SSD_MONITOR_SCRIPT = "while true; do echo 'SSD OK'; sleep 5; done";
  /** The ENTRYPOINT of luksa/batch-job, verbatim (its "succesfully" included). */
  static readonly BATCH_JOB_SCRIPT =
    'echo "$(date) Batch job starting"; sleep 120; echo "$(date) Finished succesfully"';
  static readonly TLS_SECRET_NAME = 'tls-secret';

  /** `app: kubia`, the label the ReplicaSet and the three kubia Services select. */
  readonly podLabels: Readonly<Record<string, string>> = { app: 'kubia' };
  readonly services: {
    readonly kubia: k8s.KubeService;
    readonly nodePort: k8s.KubeService;
    readonly loadBalancer: k8s.KubeService;
    readonly external: k8s.KubeService;
  };
  readonly ingress: k8s.KubeIngress;
  /** `kubia.<namespace>.svc.cluster.local`, the name the book resolves from inside a Pod. */
  readonly serviceDnsName: string;

  constructor(scope: Construct, id: string, props: KubiaProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS, {
      serviceType:
        "is not a prop of Kubia: the book's examples write one Service of each type (kubia, kubia-nodeport, kubia-loadbalancer, external-service) to show them side by side",
    });
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const s = this.checkProps(props, n);
    this.serviceDnsName = serviceDnsName(n.name('kubia'), s.namespace);
    this.addLabelledPod(n, s);
    this.addReplicaSet(n, s);
    this.addSsdMonitor(n, s);
    this.addBatchJobs(n, s);
    this.services = this.addServices(n, s, props);
    this.ingress = this.addIngress(n, s, props);
  }

  /** Checks every prop and returns them with their defaults. */
  private checkProps(props: KubiaProps, n: Names): KubiaSettings {
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 3);
    const image = resolveImage(this, 'image', props.image ?? Kubia.IMAGE);
    const ssdImage = resolveImage(this, 'ssdMonitorImage', props.ssdMonitorImage ?? Kubia.SSD_MONITOR_IMAGE);
    const batchImage = resolveImage(this, 'batchJobImage', props.batchJobImage ?? Kubia.BATCH_JOB_IMAGE);
    const ssdNodeSelector = props.ssdNodeSelector ?? { disk: 'ssd' };
    if (Object.keys(ssdNodeSelector).length === 0)
      v.fail(
        this,
        'ssdNodeSelector',
        ssdNodeSelector,
        'must name at least one node label, or the DaemonSet runs on every node',
      );
    // A malformed label (`{ 'disk=ssd': '' }`, `{ disk: 'fast ssd' }`) would pass synth and be refused by kubectl apply.
    v.labels(this, 'ssdNodeSelector', ssdNodeSelector);
    const cronSchedule = props.cronSchedule ?? '0,15,30,45 * * * *';
    if (cronSchedule.trim().split(/\s+/).length !== 5)
      v.fail(
        this,
        'cronSchedule',
        cronSchedule,
        'must be a cron expression with five fields (minute hour day-of-month month day-of-week)',
      );
    const nodePort = v.integerInRange(this, 'nodePort', props.nodePort ?? 30123, 30000, 32767);
    const form = v.oneOf(this, 'externalServiceForm', props.externalServiceForm ?? ExternalServiceForm.EXTERNAL_NAME, [
      ExternalServiceForm.EXTERNAL_NAME,
      ExternalServiceForm.MANUAL_ENDPOINTS,
    ]);
    const manual = form === ExternalServiceForm.MANUAL_ENDPOINTS;
    for (const prop of (manual ? ['externalName'] : ['externalAddresses', 'endpointsKind']) as (keyof KubiaProps)[]) {
      if (props[prop] !== undefined)
        v.fail(this, prop, props[prop], `does not apply to externalServiceForm ${JSON.stringify(form)}`);
    }
    const externalName = props.externalName ?? 'someapi.somecompany.com';
    if (!v.isDns1123Subdomain(externalName))
      v.fail(this, 'externalName', externalName, 'must be a DNS name such as "someapi.somecompany.com"');
    const externalAddresses = v.ipv4Addresses(
      this,
      'externalAddresses',
      props.externalAddresses ?? ['11.11.11.11', '22.22.22.22'],
    );
    const endpointsKind = v.oneOf(this, 'endpointsKind', props.endpointsKind ?? ManualEndpointsKind.ENDPOINTS, [
      ManualEndpointsKind.ENDPOINTS,
      ManualEndpointsKind.ENDPOINT_SLICE,
    ]);
    const ingressHost = props.ingressHost ?? n.name('kubia.example.com');
    if (!v.isDns1123Subdomain(ingressHost) || !ingressHost.includes('.'))
      v.fail(this, 'ingressHost', ingressHost, 'must be a fully qualified DNS name such as "kubia.example.com"');
    if (props.ingressClassName !== undefined) v.objectName(this, 'ingressClassName', props.ingressClassName);
    return {
      namespace,
      replicas,
      image,
      ssdImage,
      batchImage,
      ssdNodeSelector,
      cronSchedule,
      nodePort,
      manual,
      externalName,
      externalAddresses,
      endpointsKind,
      ingressHost,
    };
  }

  /**
   * kubia-manual-with-labels.yaml: the Pod with the labels the book then selects on
   * (`kubectl get po -l creation_method=manual`, `-l env`).
   */
  private addLabelledPod(n: Names, s: KubiaSettings): void {
    const manualPod = new k8s.KubePod(this, 'kubia-manual-v2', {
      metadata: {
        name: n.name('kubia-manual-v2'),
        namespace: s.namespace,
        labels: n.labels({ creation_method: 'manual', env: 'prod' }),
      },
      spec: {
        automountServiceAccountToken: false,
        // No controller recreates it: see barePodPriority.
        priorityClassName: barePodPriority(this),
        securityContext: RUNTIME_DEFAULT_SECCOMP,
        containers: [kubiaContainer(s.image)],
      },
    });
    skipChecks(manualPod, KUBIA_SKIPS);
  }

  /**
   * kubia-replicaset.yaml: apps/v1beta2 -> apps/v1. It replaces the book's ReplicationController
   * (`kubectl run --generator=run/v1`, removed from kubectl) with the same `app: kubia` Pods.
   */
  private addReplicaSet(n: Names, s: KubiaSettings): void {
    const replicaSet = new k8s.KubeReplicaSet(this, 'replicaset', {
      metadata: { name: n.name('kubia'), namespace: s.namespace },
      spec: {
        replicas: s.replicas,
        selector: { matchLabels: { ...this.podLabels } },
        template: {
          metadata: { labels: { ...this.podLabels } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: RUNTIME_DEFAULT_SECCOMP,
            containers: [kubiaContainer(s.image)],
          },
        },
      },
    });
    skipChecks(replicaSet, KUBIA_SKIPS);
    // Spread over nodes (preferred), budget kubia-pdb.
    keepUpAcrossNodes(replicaSet, this.podLabels, s.replicas);
  }

  /**
   * ssd-monitor-daemonset.yaml: apps/v1beta2 -> apps/v1. It runs only on nodes labelled disk=ssd
   * (`kubectl label node <node> disk=ssd`); with no such node it has no Pods, as in the book.
   */
  private addSsdMonitor(n: Names, s: KubiaSettings): void {
    const ssdLabels = n.labels({ app: 'ssd-monitor' });
    const ssdMonitor = new k8s.KubeDaemonSet(this, 'ssd-monitor', {
      metadata: { name: n.name('ssd-monitor'), namespace: s.namespace },
      spec: {
        selector: { matchLabels: ssdLabels },
        template: {
          metadata: { labels: ssdLabels },
          spec: {
            automountServiceAccountToken: false,
            // The runtime's default seccomp filter.
            securityContext: RUNTIME_DEFAULT_SECCOMP,
            nodeSelector: { ...s.ssdNodeSelector },
            containers: [
              {
                name: 'main',
                image: s.ssdImage,
                imagePullPolicy: 'IfNotPresent',
                securityContext: busyboxSecurity(),
                // The book image's shell-form ENTRYPOINT, so a pinned busybox does the same.
                command: ['/bin/sh', '-c', Kubia.SSD_MONITOR_SCRIPT],
                // An echo-and-sleep loop.
                resources: demoResources('64Mi'),
              },
            ],
          },
        },
      },
    });
    skipChecks(ssdMonitor, {
      CKV_K8S_8: "the book's ssd-monitor only echoes and sleeps in a loop: no server to probe",
      CKV_K8S_9: "the book's ssd-monitor serves nothing: no Service sends it traffic",
    });
  }

  /** The Job `batch-job` and the CronJob `batch-job-every-fifteen-minutes`, with the same Pod. */
  private addBatchJobs(n: Names, s: KubiaSettings): void {
    // batch-job.yaml (batch/v1 already). The image sleeps 120 s and exits 0.
    new k8s.KubeJob(this, 'batch-job', {
      metadata: { name: n.name('batch-job'), namespace: s.namespace },
      spec: { template: batchPod(s.batchImage, n.labels({ app: 'batch-job' })) },
    });
    // cronjob.yaml: batch/v1beta1 -> batch/v1, same schedule and Pod template.
    new k8s.KubeCronJob(this, 'cronjob', {
      metadata: { name: n.name('batch-job-every-fifteen-minutes'), namespace: s.namespace },
      spec: {
        schedule: s.cronSchedule,
        jobTemplate: { spec: { template: batchPod(s.batchImage, n.labels({ app: 'periodic-batch-job' })) } },
      },
    });
  }

  /** The Services `kubia` (ClusterIP), `kubia-nodeport`, `kubia-loadbalancer` and `external-service`. */
  private addServices(n: Names, s: KubiaSettings, props: KubiaProps): Kubia['services'] {
    const toApp = [{ port: 80, targetPort: 8080, protocol: 'TCP' as const }];
    return {
      // kubia-svc.yaml
      kubia: tutorialService(this, 'kubia', {
        name: n.name('kubia'),
        namespace: s.namespace,
        selector: { ...this.podLabels },
        ports: toApp,
      }),
      // kubia-svc-nodeport.yaml, with the book's fixed node port.
      nodePort: tutorialService(this, 'kubia-nodeport', {
        name: n.name('kubia-nodeport'),
        namespace: s.namespace,
        type: ServiceType.NODE_PORT,
        selector: { ...this.podLabels },
        ports: [{ ...toApp[0], nodePort: s.nodePort }],
      }),
      // kubia-svc-loadbalancer.yaml
      loadBalancer: tutorialService(this, 'kubia-loadbalancer', {
        name: n.name('kubia-loadbalancer'),
        namespace: s.namespace,
        type: ServiceType.LOAD_BALANCER,
        selector: { ...this.podLabels },
        loadBalancerIP: props.loadBalancerIP,
        loadBalancerSourceRanges: props.loadBalancerSourceRanges,
        ports: toApp,
      }),
      external: this.addExternalService(n, s),
    };
  }

  /**
   * external-service-externalname.yaml, or external-service.yaml + external-service-endpoints.yaml
   * (the Service without a selector, then its hand-written endpoints).
   */
  private addExternalService(n: Names, s: KubiaSettings): k8s.KubeService {
    if (!s.manual) {
      return tutorialService(this, 'external-service', {
        name: n.name('external-service'),
        namespace: s.namespace,
        type: ServiceType.EXTERNAL_NAME,
        externalName: s.externalName,
        ports: [{ port: 80 }],
      });
    }
    const service = tutorialService(this, 'external-service', {
      name: n.name('external-service'),
      namespace: s.namespace,
      ports: [{ port: 80 }],
    });
    manualEndpoints(this, 'external-endpoints', {
      serviceName: n.name('external-service'),
      namespace: s.namespace,
      addresses: s.externalAddresses,
      port: 80,
      kind: s.endpointsKind,
    });
    return service;
  }

  /**
   * kubia-ingress.yaml (kubia-ingress-tls.yaml with ingressTls): extensions/v1beta1 ->
   * networking.k8s.io/v1, so `serviceName`/`servicePort` become `service.name`/`service.port.number`
   * and the path needs a `pathType` (Prefix: `/` matches every path, as the old Ingress did).
   * It points at the NodePort Service, as the book says GKE's Ingress controller requires.
   */
  private addIngress(n: Names, s: KubiaSettings, props: KubiaProps): k8s.KubeIngress {
    const tlsSecretName = n.name(Kubia.TLS_SECRET_NAME);
    if (props.ingressTls) {
      declareExternal(this, {
        kind: 'Secret',
        name: tlsSecretName,
        namespace: s.namespace ?? 'default',
        howToCreate: `openssl req -x509 -newkey rsa:2048 -nodes -keyout tls.key -out tls.cert -days 360 -subj /CN=${s.ingressHost} && kubectl create secret tls ${tlsSecretName} --cert=tls.cert --key=tls.key`,
      });
    }
    return new k8s.KubeIngress(this, 'ingress', {
      metadata: { name: n.name('kubia'), namespace: s.namespace },
      spec: {
        ingressClassName: props.ingressClassName,
        tls: props.ingressTls ? [{ hosts: [s.ingressHost], secretName: tlsSecretName }] : undefined,
        rules: [
          {
            host: s.ingressHost,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: n.name('kubia-nodeport'), port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}

/** The props of one Kubia, checked, with their defaults. */
interface KubiaSettings {
  readonly namespace?: string;
  readonly replicas: number;
  readonly image: string;
  readonly ssdImage: string;
  readonly batchImage: string;
  readonly ssdNodeSelector: Record<string, string>;
  readonly cronSchedule: string;
  readonly nodePort: number;
  /** The manual-endpoints form of `external-service`. */
  readonly manual: boolean;
  readonly externalName: string;
  readonly externalAddresses: string[];
  readonly endpointsKind: ManualEndpointsKind;
  readonly ingressHost: string;
}

/**
 * The `kubia` container. luksa/kubia is `FROM node:7` running `node app.js` (no USER, so root),
 * but app.js only listens on 8080 and writes nothing (Kubernetes in Action, chapter 2 Dockerfile
 * and app.js; docs/images.md §13a). So it keeps the secure settings: UID 1000 (the node images'
 * `node` user; node needs no passwd entry to run app.js) and a read-only root filesystem.
 */
function kubiaContainer(image: string): k8s.Container {
  return {
    name: 'kubia',
    image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
    securityContext: containerSecurity({ user: 1000, writesRootFilesystem: false }),
    // One Node.js app.js answering with the host name.
    resources: demoResources('128Mi'),
  };
}

/** The scan findings of the objects that run {@link kubiaContainer}, each with its reason. */
const KUBIA_SKIPS = {
  CKV_K8S_8: "the book's manifests for these objects set no probes; app.js answers on 8080 as soon as node starts",
  CKV_K8S_9: "the book's manifests for these objects set no probes; app.js opens 8080 within a second of starting",
  CKV_K8S_14:
    "decision D3's documented exception: luksa/kubia's other tags (v1 to v4) are the book's different chapter 9 programs, so the book's image is latest",
  CKV_K8S_40:
    "runs as UID 1000, the node base image's own node user (docs/images.md section 13a): app.js needs no root; the UID is kept",
};

/**
 * luksa/ssd-monitor and luksa/batch-job are `FROM busybox` with a shell ENTRYPOINT that only
 * echoes and sleeps (luksa/kubernetes-in-action Chapter04/*\/Dockerfile): any UID, nothing written.
 */
function busyboxSecurity(): k8s.SecurityContext {
  return containerSecurity({ user: 65534, writesRootFilesystem: false });
}

/** The Pod of the Job and the CronJob: the book's batch-job script on `image`. */
function batchPod(image: string, labels: Record<string, string>): k8s.PodTemplateSpec {
  return {
    metadata: { labels },
    spec: {
      automountServiceAccountToken: false,
      // The runtime's default seccomp filter.
      securityContext: RUNTIME_DEFAULT_SECCOMP,
      restartPolicy: 'OnFailure',
      containers: [
        {
          name: 'main',
          image,
          imagePullPolicy: 'IfNotPresent',
          securityContext: busyboxSecurity(),
          // The book image's shell-form ENTRYPOINT, so a pinned busybox does the same.
          command: ['/bin/sh', '-c', Kubia.BATCH_JOB_SCRIPT],
          // Echoes, sleeps 120 s and exits.
          resources: demoResources('64Mi'),
        },
      ],
    },
  };
}
