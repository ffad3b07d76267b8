import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { barePodPriority } from './internal/disruption';
import { skipChecks } from './internal/scan';
import { RUNTIME_DEFAULT_SECCOMP, containerSecurity, nginxScratchDirs, demoResources } from './internal/workload';
import { resolveImage } from './internal/images';
import { ServiceType, serviceTypeProp, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

export interface BlogSidecarLoggingProps extends NamePrefixProps {
  /** Namespace for the Pod and its Service. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** The web server image. @default {@link BlogSidecarLogging.NGINX_IMAGE}, the article's `nginx:latest` pinned */
  readonly nginxImage?: string;
  /** The sidecar image that tails the log. @default {@link BlogSidecarLogging.BUSYBOX_IMAGE}, the article's untagged `busybox` pinned */
  readonly busyboxImage?: string;
  /**
   * Type of the Service `sidecar-logging` (`kubectl expose pod sidecar-logging --type=NodePort --port=80`).
   * @default ServiceType.NODE_PORT, as in the article
   */
  readonly serviceType?: ServiceType;
  /**
   * Client ranges (IPv4 CIDRs) its LoadBalancer Service admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** A fixed node port. @default none: Kubernetes picks one (the article got 31399) */
  readonly nodePort?: number;
}

/** Every prop of {@link BlogSidecarLoggingProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<BlogSidecarLoggingProps>()(
  'namePrefix',
  'namespace',
  'nginxImage',
  'busyboxImage',
  'serviceType',
  'nodePort',
  'loadBalancerSourceRanges',
);

/** The props of {@link BlogSidecarLogging} checked and completed with the article's defaults. */
interface BlogSidecarLoggingSettings {
  readonly n: Names;
  readonly namespace: string | undefined;
  readonly nginxImage: string;
  readonly busyboxImage: string;
  readonly serviceType: ServiceType;
}

/** The busybox sidecar that tails nginx's access log from the shared volume. */
function tailSidecar(image: string, logMount: k8s.VolumeMount): k8s.Container {
  return {
    name: 'busybox',
    image,
    imagePullPolicy: 'IfNotPresent',
    args: ['/bin/sh', '-c', 'tail -F /var/log/nginx/access.log'],
    volumeMounts: [logMount],
    // `tail` only reads: nginx's master (root, umask 022) creates access.log mode 0644,
    // so any UID can read it; 65534 (nobody) and a read-only root filesystem suffice.
    // `tail -F`, not the article's `tail -f`: busybox's `tail -f` exits when the file does
    // not exist yet, which it does not until nginx has started and opened it (the
    // containers start together); `-F` retries until the file appears and follows it
    // across rotation.
    securityContext: containerSecurity({ user: 65534, writesRootFilesystem: false }),
    // One tail.
    resources: demoResources('64Mi'),
  };
}

/**
 * Seed 003, article C ("Kubernetes Volumes", supergiant.io, May 2018), tutorial part: the Pod
 * `sidecar-logging`, in which nginx writes its access log into a shared `emptyDir` volume that a
 * busybox sidecar tails, and the NodePort Service the article makes with `kubectl expose`.
 */
export class BlogSidecarLogging extends Construct {
  static readonly TUTORIAL_NGINX_IMAGE = 'nginx:latest';
  /** The official nginx image pinned to a stable line (docs/images.md §1a); same tag as nginx-https. */
  static readonly NGINX_IMAGE = 'nginx:1.28';
  static readonly TUTORIAL_BUSYBOX_IMAGE = 'busybox';
  /** Docker Hub busybox pinned to the tag upstream Kubernetes docs use (docs/images.md §7, §11). */
  static readonly BUSYBOX_IMAGE = 'busybox:1.28';
  /** Where both containers mount the shared log volume (the article's path, with its trailing slash). */
  static readonly LOG_DIR = '/var/log/nginx/';

  readonly pod: k8s.KubePod;
  readonly service: k8s.KubeService;
  readonly podLabels: Readonly<Record<string, string>> = { app: 'sidecar-logging' };

  constructor(scope: Construct, id: string, props: BlogSidecarLoggingProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const s = this.settings(props, n);
    this.pod = this.addPod(s);
    this.service = this.addService(s, props);
  }

  /** The props checked and completed with the article's defaults, before anything is written. */
  private settings(props: BlogSidecarLoggingProps, n: Names): BlogSidecarLoggingSettings {
    const namespace = v.optionalNamespace(this, props.namespace);
    const nginxImage = resolveImage(this, 'nginxImage', props.nginxImage ?? BlogSidecarLogging.NGINX_IMAGE);
    const busyboxImage = resolveImage(this, 'busyboxImage', props.busyboxImage ?? BlogSidecarLogging.BUSYBOX_IMAGE);
    const serviceType = serviceTypeProp(this, props.serviceType ?? ServiceType.NODE_PORT);
    if (props.nodePort !== undefined) {
      if (serviceType !== ServiceType.NODE_PORT)
        v.fail(this, 'nodePort', props.nodePort, 'is only valid with serviceType NodePort');
      v.integerInRange(this, 'nodePort', props.nodePort, 30000, 32767);
    }
    return { n, namespace, nginxImage, busyboxImage, serviceType };
  }

  /**
   * The Pod `sidecar-logging`: nginx and the busybox sidecar that tails its access log.
   *
   * The official nginx image runs its master as root (port 80, workers switch to `nginx`) and
   * writes its pid file to /run and temp files to /var/cache/nginx; with those on emptyDir the
   * root filesystem stays read-only (docker-library/nginx Dockerfile and nginx.conf;
   * docs/images.md §1a). Its access.log and error.log are symlinks to stdout/stderr in the
   * image; the shared volume over /var/log/nginx hides them, so nginx writes real files there
   * for the sidecar to read.
   */
  private addPod(s: BlogSidecarLoggingSettings): k8s.KubePod {
    const scratch = nginxScratchDirs();
    const logMount = { name: 'varlog', mountPath: BlogSidecarLogging.LOG_DIR };
    const pod = new k8s.KubePod(this, 'pod', {
      metadata: { name: s.n.name('sidecar-logging'), namespace: s.namespace, labels: { ...this.podLabels } },
      spec: {
        automountServiceAccountToken: false,
        // No controller recreates it: see barePodPriority.
        priorityClassName: barePodPriority(this),
        // The runtime's default seccomp filter.
        securityContext: RUNTIME_DEFAULT_SECCOMP,
        containers: [
          {
            name: 'nginx',
            image: s.nginxImage,
            imagePullPolicy: 'IfNotPresent',
            volumeMounts: [logMount, ...scratch.map((d) => d.mount)],
            ports: [{ containerPort: 80 }],
            securityContext: containerSecurity({ user: 0, writesRootFilesystem: false }),
            // nginx serving its default page.
            resources: demoResources('256Mi'),
          },
          tailSidecar(s.busyboxImage, logMount),
        ],
        volumes: [
          // The article's `varlog` volume names no source; the API server defaults it to an
          // emptyDir, which is written out here so the manifest says what it gets.
          { name: 'varlog', emptyDir: {} },
          ...scratch.map((d) => d.volume),
        ],
      },
    });
    const nginxRoot =
      "the official nginx image's master runs as root to bind port 80 and switch its workers to the nginx user (UID 101)";
    skipChecks(pod, {
      CKV_K8S_8:
        'the article sets no probes; nginx serves its default page within a second of starting, and the sidecar only tails a file',
      CKV_K8S_9: 'the article sets no probes; nginx opens port 80 within a second of starting',
      CKV_K8S_23: nginxRoot,
      CKV_K8S_37: `${nginxRoot}: it binds the port and calls setuid with the runtime's default capabilities (NET_RAW is dropped)`,
      CKV_K8S_40: nginxRoot,
    });
    return pod;
  }

  /** The Service `sidecar-logging`, as `kubectl expose pod sidecar-logging --type=NodePort --port=80` makes it. */
  private addService(s: BlogSidecarLoggingSettings, props: BlogSidecarLoggingProps): k8s.KubeService {
    return tutorialService(this, 'service', {
      name: s.n.name('sidecar-logging'),
      namespace: s.namespace,
      // `kubectl expose pod` copies the Pod's labels and uses them as the selector.
      labels: { ...this.podLabels },
      selector: { ...this.podLabels },
      type: s.serviceType,
      loadBalancerSourceRanges: props.loadBalancerSourceRanges,
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP', nodePort: props.nodePort }],
    });
  }
}
