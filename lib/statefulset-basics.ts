import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { resolveImage } from './internal/images';
import { skipChecks } from './internal/scan';
import { keepUpAcrossNodes } from './internal/disruption';
import {
  RUNTIME_DEFAULT_SECCOMP,
  containerSecurity,
  nginxScratchDirs,
  demoResources,
  NGINX_ROOT,
} from './internal/workload';
import { serviceDnsName, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

/** How the StatefulSet controller starts and stops Pods (`spec.podManagementPolicy`). */
export enum PodManagementPolicy {
  /** One Pod at a time, in ordinal order, each Running and Ready first (`web.yaml`). */
  ORDERED_READY = 'OrderedReady',
  /** All Pods at once (`web-parallel.yaml`). */
  PARALLEL = 'Parallel',
}

/** How the StatefulSet controller replaces Pods after a template change (`spec.updateStrategy.type`). */
export enum StatefulSetUpdateStrategy {
  /** Replaces Pods in reverse ordinal order, down to the partition. */
  ROLLING_UPDATE = 'RollingUpdate',
  /** Replaces a Pod only when it is deleted (the behaviour of Kubernetes 1.6 and earlier). */
  ON_DELETE = 'OnDelete',
}

export interface StatefulSetBasicsProps extends NamePrefixProps {
  /** Namespace for both objects. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** Number of `web` Pods; the tutorial later scales to 5 and back to 3. @default 2, as in `web.yaml` */
  readonly replicas?: number;
  /**
   * The nginx image. @default {@link StatefulSetBasics.IMAGE}; the tutorial's
   * {@link StatefulSetBasics.TUTORIAL_IMAGE} has a Docker schema 1 manifest (decision D3)
   */
  readonly image?: string;
  /**
   * Keep nginx's root filesystem writable. The default image needs only its pid and cache
   * directories writable, which get emptyDirs; other nginx builds (nginx-slim among them)
   * keep those elsewhere. @default false for the default image, true when `image` is given
   */
  readonly writableRootFilesystem?: boolean;
  /**
   * Pod management policy. @default none: the API default, OrderedReady, as in `web.yaml`;
   * PodManagementPolicy.PARALLEL writes the tutorial's `web-parallel.yaml`
   */
  readonly podManagementPolicy?: PodManagementPolicy;
  /**
   * Update strategy, as the tutorial's "Updating StatefulSets" step patches it.
   * @default none: the API default, RollingUpdate, as in `web.yaml`
   */
  readonly updateStrategy?: StatefulSetUpdateStrategy;
  /**
   * RollingUpdate partition: only Pods with an ordinal >= partition are updated (the tutorial
   * stages with 3, canaries with 2 and rolls out with 0). Implies RollingUpdate.
   * @default none: every Pod is updated
   */
  readonly partition?: number;
  /** Size of each Pod's `www` claim. @default "1Gi", as in the tutorial */
  readonly storage?: string;
  /** Storage class of the `www` claims. @default none: the cluster's default class (decision D7) */
  readonly storageClassName?: string;
}

/** Every prop of {@link StatefulSetBasicsProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<StatefulSetBasicsProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'image',
  'writableRootFilesystem',
  'podManagementPolicy',
  'updateStrategy',
  'partition',
  'storage',
  'storageClassName',
);

/** The props of {@link StatefulSetBasics} checked and completed with the tutorial's defaults. */
interface StatefulSetBasicsSettings {
  readonly n: Names;
  readonly namespace: string | undefined;
  readonly replicas: number;
  readonly image: string;
  /** Whether nginx's root filesystem stays writable. */
  readonly writableRoot: boolean;
  readonly storage: string;
  /** The update strategy to write, if any (a partition implies RollingUpdate). */
  readonly strategyType: StatefulSetUpdateStrategy | undefined;
}

/**
 * The Pod of `web`: nginx serving the `www` volume.
 *
 * The official nginx image's master process starts as root, to bind port 80 and to switch
 * its workers to the `nginx` user (UID 101), so runAsNonRoot would stop the kubelet from
 * starting it. It writes only its pid file (/run/nginx.pid) and temp files
 * (/var/cache/nginx); with those on emptyDirs the root filesystem stays read-only. Its
 * entrypoint's IPv6 helper then cannot edit conf.d/default.conf and skips it (IPv4 only).
 * The `www` volume is written by the tutorial's `kubectl exec ... > index.html`, which runs
 * as root like the image. Sources: docker-library/nginx (nginx/docker-nginx) Dockerfile,
 * nginx.conf and 10-listen-on-ipv6-by-default.sh. nginx starts in about a second and the
 * tutorial sets no probes, so none are added.
 */
function nginxPodSpec(s: StatefulSetBasicsSettings): k8s.PodSpec {
  const scratch = s.writableRoot ? [] : nginxScratchDirs();
  return {
    // nginx never calls the Kubernetes API.
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: false, ...RUNTIME_DEFAULT_SECCOMP },
    containers: [
      {
        name: 'nginx',
        image: s.image,
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 80, name: 'web' }],
        volumeMounts: [{ name: 'www', mountPath: StatefulSetBasics.DOCUMENT_ROOT }, ...scratch.map((d) => d.mount)],
        // No setuid binaries are needed: the root master drops to `nginx` itself.
        securityContext: containerSecurity({ user: 0, writesRootFilesystem: s.writableRoot }, { runAsNonRoot: false }),
        // nginx serving one small page.
        resources: demoResources('256Mi'),
      },
    ],
    volumes: scratch.length === 0 ? undefined : scratch.map((d) => d.volume),
  };
}

/**
 * "StatefulSet Basics": the headless Service `nginx` and the StatefulSet `web`, whose Pods
 * `web-0`, `web-1`, ... get stable DNS names (`web-0.nginx`) and one `www` volume each,
 * mounted as nginx's document root.
 */
export class StatefulSetBasics extends Construct {
  /** The tutorial's image: schema 1, refused by containerd 2 (GKE 1.33+). */
  static readonly TUTORIAL_IMAGE = 'registry.k8s.io/nginx-slim:0.8';
  /**
   * The default image: the official nginx image, which keeps nginx-slim's contract (port 80,
   * document root /usr/share/nginx/html, `sh`, `hostname` and `curl` for the tutorial's
   * `kubectl exec` steps). The same image as nginx-https's default.
   */
  static readonly IMAGE = 'nginx:1.28';
  /**
   * The image for the tutorial's update steps, in place of `nginx-slim:0.7`: an older nginx
   * with the same contract, so that a patched Pod visibly differs.
   */
  static readonly UPDATE_IMAGE = 'nginx:1.27';
  /** Where each Pod's `www` claim is mounted: nginx's document root. */
  static readonly DOCUMENT_ROOT = '/usr/share/nginx/html';

  readonly service: k8s.KubeService;
  readonly statefulSet: k8s.KubeStatefulSet;
  /** `app: nginx`, the Service's selector and the Pods' labels. */
  readonly podLabels: Readonly<Record<string, string>> = { app: 'nginx' };
  /** `nginx.<namespace>.svc.cluster.local` */
  readonly serviceDnsName: string;
  /** `web-<i>.nginx.<namespace>.svc.cluster.local`, one per replica. */
  readonly podDnsNames: readonly string[];

  constructor(scope: Construct, id: string, props: StatefulSetBasicsProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS, {
      serviceType:
        "is not a prop of StatefulSetBasics: the tutorial exists to show a StatefulSet's stable DNS names, which its headless Service nginx (clusterIP: None) gives",
    });
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const s = this.settings(props, n);
    this.serviceDnsName = serviceDnsName(n.name('nginx'), s.namespace);
    this.podDnsNames = Array.from({ length: s.replicas }, (_, i) => `web-${i}.${this.serviceDnsName}`);
    this.service = this.addHeadlessService(s);
    this.statefulSet = this.addWeb(s, props);
  }

  /** The props checked and completed with the tutorial's defaults, before anything is written. */
  private settings(props: StatefulSetBasicsProps, n: Names): StatefulSetBasicsSettings {
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 2);
    const image = resolveImage(this, 'image', props.image ?? StatefulSetBasics.IMAGE);
    const writableRoot = props.writableRootFilesystem ?? props.image !== undefined;
    const storage = v.storageSize(this, 'storage', props.storage ?? '1Gi');
    if (props.storageClassName !== undefined) v.objectName(this, 'storageClassName', props.storageClassName);
    if (props.podManagementPolicy !== undefined) {
      v.oneOf(this, 'podManagementPolicy', props.podManagementPolicy, [
        PodManagementPolicy.ORDERED_READY,
        PodManagementPolicy.PARALLEL,
      ]);
    }
    if (props.updateStrategy !== undefined) {
      v.oneOf(this, 'updateStrategy', props.updateStrategy, [
        StatefulSetUpdateStrategy.ROLLING_UPDATE,
        StatefulSetUpdateStrategy.ON_DELETE,
      ]);
    }
    if (props.partition !== undefined) {
      // A partition above the replica count is valid: the tutorial stages an update with
      // partition 3 on 3 Pods, so that no Pod is updated.
      v.integerInRange(this, 'partition', props.partition, 0, 1000);
      if (props.updateStrategy === StatefulSetUpdateStrategy.ON_DELETE) {
        v.fail(this, 'partition', props.partition, 'only applies to updateStrategy RollingUpdate, not OnDelete');
      }
    }
    const strategyType =
      props.updateStrategy ?? (props.partition !== undefined ? StatefulSetUpdateStrategy.ROLLING_UPDATE : undefined);

    return { n, namespace, replicas, image, writableRoot, storage, strategyType };
  }

  /** The Service `nginx`. Headless: one DNS record per Pod, which is what gives web-0.nginx its name. */
  private addHeadlessService(s: StatefulSetBasicsSettings): k8s.KubeService {
    return tutorialService(this, 'service', {
      name: s.n.name('nginx'),
      namespace: s.namespace,
      labels: { ...this.podLabels },
      selector: { ...this.podLabels },
      headless: true,
      ports: [{ port: 80, name: 'web' }],
    });
  }

  /** The StatefulSet `web`: nginx Pods, each with its own `www` claim as the document root. */
  private addWeb(s: StatefulSetBasicsSettings, props: StatefulSetBasicsProps): k8s.KubeStatefulSet {
    const { n, strategyType, writableRoot } = s;
    const web = new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name: n.name('web'), namespace: s.namespace },
      spec: {
        serviceName: n.name('nginx'),
        podManagementPolicy: props.podManagementPolicy,
        replicas: s.replicas,
        updateStrategy:
          strategyType === undefined
            ? undefined
            : {
                type: strategyType,
                rollingUpdate: props.partition === undefined ? undefined : { partition: props.partition },
              },
        selector: { matchLabels: { ...this.podLabels } },
        template: {
          metadata: { labels: { ...this.podLabels } },
          spec: nginxPodSpec(s),
        },
        volumeClaimTemplates: [
          {
            // The controller labels each claim with the selector (app=nginx), which is what
            // `kubectl get pvc -l app=nginx` in the tutorial lists; the template sets none.
            metadata: { name: 'www' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: props.storageClassName,
              resources: { requests: { storage: k8s.Quantity.fromString(s.storage) } },
            },
          },
        ],
      },
    });
    skipChecks(web, {
      CKV_K8S_8: 'the tutorial sets no probes; nginx serves its page within a second of starting',
      CKV_K8S_9: 'the tutorial sets no probes; nginx opens port 80 within a second of starting',
      ...(writableRoot
        ? {
            CKV_K8S_22:
              "the root filesystem is writable by the caller's choice: prop writableRootFilesystem, or an image other than the official nginx whose writable paths are unknown",
          }
        : {}),
      CKV_K8S_23: NGINX_ROOT,
      CKV_K8S_37: `${NGINX_ROOT}: it binds the port and calls setuid with the runtime's default capabilities (NET_RAW is dropped)`,
      CKV_K8S_40: NGINX_ROOT,
    });
    // Spread over nodes (preferred), budget web-pdb: the tutorial drains nothing, but a surge upgrade does.
    keepUpAcrossNodes(web, this.podLabels, s.replicas);
    return web;
  }
}
