import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { skipChecks } from './internal/scan';
import { keepUpAcrossNodes } from './internal/disruption';
import { HTTPD_ROOT, RUNTIME_DEFAULT_SECCOMP, containerSecurity, scratchDir, demoResources } from './internal/workload';
import { FAST, howToCreateStorageClass } from './contracts/storage-classes';
import { declareExternal } from './internal/external';
import { resolveImage } from './internal/images';
import { serviceDnsName, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

/** A StorageClass for clusters without the infrastructure stack (decision D7). */
export interface HttpdStorageClassSpec {
  /** The provisioner, for example `k8s.io/minikube-hostpath` or `pd.csi.storage.gke.io`. */
  readonly provisioner: string;
  /** Provisioner parameters, for example `{ type: 'pd-ssd' }`. @default none */
  readonly parameters?: Record<string, string>;
  /** What happens to a volume when its claim is deleted. @default "Delete", the API default */
  readonly reclaimPolicy?: 'Retain' | 'Delete';
}

export interface BlogStatefulSetProps extends NamePrefixProps {
  /** Namespace for every namespaced object. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** Number of `apache-http` Pods. @default 3, as in the article */
  readonly replicas?: number;
  /** The web server image. @default {@link BlogStatefulSet.IMAGE}, the article's `httpd:latest` pinned to its 2.4 line */
  readonly image?: string;
  /** StorageClass of the `www` claims. @default "fast", as in the article; on GKE the infrastructure stack creates it (decision D7) */
  readonly storageClassName?: string;
  /** Size of each `www` claim. @default "2Gi", as in the article */
  readonly storage?: string;
  /** Seconds a Pod gets to stop. @default 10, as in the article */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Write the StorageClass named {@link storageClassName} too, for a cluster without the
   * infrastructure stack (minikube, kind). {@link BlogStatefulSet.MINIKUBE_STORAGE_CLASS} is the
   * article's own. @default none: the class is created outside the chart (decision D7)
   */
  readonly storageClass?: HttpdStorageClassSpec;
}

/** Every prop of {@link BlogStatefulSetProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<BlogStatefulSetProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'image',
  'storageClassName',
  'storage',
  'terminationGracePeriodSeconds',
  'storageClass',
);

/** The props of {@link BlogStatefulSet} checked and completed with the article's defaults. */
interface BlogStatefulSetSettings {
  readonly n: Names;
  readonly namespace: string | undefined;
  readonly replicas: number;
  readonly image: string;
  readonly storageClassName: string;
  readonly storage: string;
  /** terminationGracePeriodSeconds */
  readonly grace: number;
}

/**
 * The Pod of `apache-http`: httpd serving the `www` volume.
 *
 * httpd writes its pid file and its mutex/runtime files under ServerRoot/logs (httpd.conf
 * defaults PidFile and DefaultRuntimeDir to logs/; httpd-foreground removes a stale pid file
 * there). The official image sends both logs to /proc/self/fd/1 and /2 (its Dockerfile seds
 * httpd.conf), so an emptyDir here is the only writable path it needs: the root filesystem
 * stays read-only. Source: docker-library/httpd 2.4 Dockerfile and httpd-foreground; docs/images.md §13b.
 */
function httpdPodSpec(s: BlogStatefulSetSettings): k8s.PodSpec {
  const logs = scratchDir('logs', '/usr/local/apache2/logs');
  return {
    terminationGracePeriodSeconds: s.grace,
    // httpd never calls the Kubernetes API.
    automountServiceAccountToken: false,
    // The runtime's default seccomp filter.
    securityContext: RUNTIME_DEFAULT_SECCOMP,
    containers: [
      {
        name: 'httpd',
        image: s.image,
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 80, name: 'web' }],
        volumeMounts: [{ name: 'www', mountPath: BlogStatefulSet.DOCUMENT_ROOT }, logs.mount],
        // The httpd master runs as root to bind port 80 and then switches its children to
        // www-data (the image's httpd.conf `User`/`Group`), so runAsNonRoot is not set.
        // Dropping privileges with setuid() works under allowPrivilegeEscalation: false.
        // No probes: the article has none, and httpd opens port 80 within a second.
        securityContext: containerSecurity({ user: 0, writesRootFilesystem: false }),
        // httpd serving the article's static files.
        resources: demoResources('256Mi'),
      },
    ],
    volumes: [logs.volume],
  };
}

/**
 * Seed 003, article A ("Kubernetes StatefulSets", supergiant.io, June 2018): three Apache httpd
 * Pods `apache-http-0..2` with stable DNS names under the headless Service `httpd-service` and one
 * 2Gi claim `www-apache-http-<n>` each, on the StorageClass `fast`.
 */
export class BlogStatefulSet extends Construct {
  /** The article's image, untagged `latest`. */
  static readonly TUTORIAL_IMAGE = 'httpd:latest';
  /**
   * The default: the same official image held to its 2.4 line (docs/images.md §13b: OCI index,
   * runs on containerd 2), so a re-apply cannot jump to a new major or minor server version. The
   * tag still follows 2.4 patch releases; pin a full version (for example `httpd:2.4.68`) or a
   * digest through {@link BlogStatefulSetProps.image} for identical Pods over time.
   */
  static readonly IMAGE = 'httpd:2.4';
  /** The article's `fast-sc.yaml`: minikube's hostPath provisioner, volumes kept after their claim is deleted. */
  static readonly MINIKUBE_STORAGE_CLASS: HttpdStorageClassSpec = {
    provisioner: 'k8s.io/minikube-hostpath',
    reclaimPolicy: 'Retain',
  };
  /** httpd's document root, where the article mounts each Pod's claim. */
  static readonly DOCUMENT_ROOT = '/usr/local/apache2/htdocs';

  readonly service: k8s.KubeService;
  readonly statefulSet: k8s.KubeStatefulSet;
  /** `httpd-service.<namespace>.svc.cluster.local`: resolves to every ready Pod. */
  readonly serviceDnsName: string;
  /** `apache-http-<n>.httpd-service.<namespace>.svc.cluster.local`, one per Pod, as the article's `nslookup` shows. */
  readonly podDnsNames: readonly string[];
  /** `app: httpd`, on the Pods and the Service, and copied by the StatefulSet controller onto the claims. */
  readonly podLabels: Readonly<Record<string, string>> = { app: 'httpd' };

  constructor(scope: Construct, id: string, props: BlogStatefulSetProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS, {
      serviceType:
        "is not a prop of BlogStatefulSet: httpd-service is the StatefulSet's headless governing Service (clusterIP: None), which gives each Pod its DNS name",
    });
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const s = this.settings(props, n);
    this.serviceDnsName = serviceDnsName(n.name('httpd-service'), s.namespace);
    this.podDnsNames = Array.from({ length: s.replicas }, (_, i) => `apache-http-${i}.${this.serviceDnsName}`);
    this.service = this.addHeadlessService(s);
    this.addStorageClass(s.storageClassName, props.storageClass);
    this.statefulSet = this.addApacheHttp(s);
  }

  /** The props checked and completed with the article's defaults, before anything is written. */
  private settings(props: BlogStatefulSetProps, n: Names): BlogStatefulSetSettings {
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 3);
    const image = resolveImage(this, 'image', props.image ?? BlogStatefulSet.IMAGE);
    const storageClassName = v.objectName(this, 'storageClassName', props.storageClassName ?? FAST.name);
    const storage = v.storageSize(this, 'storage', props.storage ?? '2Gi');
    const grace = v.integerInRange(
      this,
      'terminationGracePeriodSeconds',
      props.terminationGracePeriodSeconds ?? 10,
      1,
      3600,
    );
    if (props.storageClass !== undefined && props.storageClass.provisioner.trim() === '') {
      v.fail(
        this,
        'storageClass.provisioner',
        props.storageClass.provisioner,
        'must name a provisioner, such as "k8s.io/minikube-hostpath" or "pd.csi.storage.gke.io"',
      );
    }

    return { n, namespace, replicas, image, storageClassName, storage, grace };
  }

  /** httpd-service.yaml: headless (clusterIP: None), so each Pod gets its own DNS record. */
  private addHeadlessService(s: BlogStatefulSetSettings): k8s.KubeService {
    return tutorialService(this, 'httpd-service', {
      name: s.n.name('httpd-service'),
      namespace: s.namespace,
      labels: { ...this.podLabels },
      selector: { ...this.podLabels },
      headless: true,
      // No targetPort, as in the article: it defaults to the port, 80.
      ports: [{ port: 80, name: 'web' }],
    });
  }

  /**
   * fast-sc.yaml, on request only: on GKE the infrastructure stack owns `fast` (decision D7).
   * Without the prop storageClass the class is declared as an external object.
   */
  private addStorageClass(storageClassName: string, spec: HttpdStorageClassSpec | undefined): void {
    if (spec) {
      new k8s.KubeStorageClass(this, 'storage-class', {
        metadata: { name: storageClassName },
        provisioner: spec.provisioner,
        parameters: spec.parameters,
        reclaimPolicy: spec.reclaimPolicy,
      });
    } else {
      declareExternal(this, {
        kind: 'StorageClass',
        name: storageClassName,
        howToCreate: howToCreateStorageClass(storageClassName),
      });
    }
  }

  /** The StatefulSet `apache-http`: httpd Pods, each with its own `www` claim as the document root. */
  private addApacheHttp(s: BlogStatefulSetSettings): k8s.KubeStatefulSet {
    const { n } = s;
    const statefulSet = new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name: n.name('apache-http'), namespace: s.namespace },
      spec: {
        selector: { matchLabels: { ...this.podLabels } },
        serviceName: n.name('httpd-service'),
        replicas: s.replicas,
        template: {
          metadata: { labels: { ...this.podLabels } },
          spec: httpdPodSpec(s),
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'www' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: s.storageClassName,
              resources: { requests: { storage: k8s.Quantity.fromString(s.storage) } },
            },
          },
        ],
      },
    });
    skipChecks(statefulSet, {
      CKV_K8S_8: 'the article sets no probes; httpd serves its static files within a second of starting',
      CKV_K8S_9: 'the article sets no probes; httpd opens port 80 within a second of starting',
      CKV_K8S_23: HTTPD_ROOT,
      CKV_K8S_37: `${HTTPD_ROOT}: it binds the port and calls setuid with the runtime's default capabilities (NET_RAW is dropped)`,
      CKV_K8S_40: HTTPD_ROOT,
    });
    // Spread over nodes (preferred), budget apache-http-pdb.
    keepUpAcrossNodes(statefulSet, this.podLabels, s.replicas);
    return statefulSet;
  }
}
