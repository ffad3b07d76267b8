import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { resolveImage, splitImage } from './internal/images';
import { skipChecks } from './internal/scan';
import { keepUpAcrossNodes } from './internal/disruption';
import {
  ImageRuntime,
  ROOT_WRITABLE,
  podSecurity,
  runtimeDefaultSeccomp,
  selectByLabels,
  tutorialContainer,
} from './internal/workload';
import { ServiceType, serviceDnsName, serviceTypeProp, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

/**
 * How the frontend finds the Redis Services. The tutorial's `gb-frontend:v4` dials
 * `redis-master` and `redis-slave` by name; its maintained successor `gb-frontend:v5` dials
 * `redis-leader` and `redis-follower` instead, unless it is told the hosts through variables.
 */
export enum FrontendHostLookup {
  /**
   * `GET_HOSTS_FROM=dns`, exactly the tutorial's environment: the image itself dials
   * `redis-master` and `redis-slave` by DNS name (gb-frontend v4's `guestbook.php`).
   */
  DNS = 'dns',
  /**
   * `GET_HOSTS_FROM=env` with `REDIS_LEADER_SERVICE_HOST=redis-master` and
   * `REDIS_FOLLOWER_SERVICE_HOST=redis-slave`: gb-frontend v5 then dials the tutorial's
   * Services, still by DNS name. Without these it dials `redis-leader`, which does not exist here.
   */
  LEADER_FOLLOWER_ENV = 'leader-follower-env',
}

/**
 * Whether a frontend image is a gb-frontend v5 build (Google's Artifact Registry path, the old
 * `gcr.io/google_samples` path, a mirror or a digest-pinned copy): its `guestbook.php` dials
 * `redis-leader`/`redis-follower` unless `GET_HOSTS_FROM=env` (docs/images.md section 3c), so
 * the tutorial's DNS mode would point it at Services that do not exist here.
 */
function dialsLeaderFollower(image: string): boolean {
  return /(^|\/)gb-frontend:v5(@sha256:[a-f0-9]{64})?$/.test(image);
}

/** Whether an image is the official `redis` image (`redis:7`, `docker.io/library/redis:7`), which only replicates when told to. */
function isOfficialRedis(image: string): boolean {
  const { registry, path } = splitImage(image);
  return registry === 'docker.io' && /^(library\/)?redis([:@]|$)/.test(path);
}

/**
 * The frontend Service type: NodePort as in the tutorial, LoadBalancer as in its optional step, or
 * ClusterIP behind an Ingress. Kept as an alias of ServiceType for compatibility.
 */
export type GuestbookServiceType = ServiceType;

export interface GuestbookProps extends NamePrefixProps {
  /** Namespace for every object. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** Number of frontend Pods; the tutorial's `kubectl scale deployment frontend --replicas=5`. @default 3, as in the tutorial */
  readonly replicas?: number;
  /** Number of Redis read replicas (`redis-slave`). @default 2, as in the tutorial */
  readonly slaveReplicas?: number;
  /**
   * Type of the `frontend` Service. @default ServiceType.NODE_PORT, as in the tutorial; its
   * optional step switches to ServiceType.LOAD_BALANCER
   */
  readonly serviceType?: GuestbookServiceType;
  /** Reserved address for a LoadBalancer `frontend` Service. @default none: an ephemeral address */
  readonly loadBalancerIP?: string;
  /**
   * Client ranges (IPv4 CIDRs) its LoadBalancer Service admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** Image of `redis-master`. @default {@link Guestbook.MASTER_IMAGE}; the tutorial's {@link Guestbook.TUTORIAL_MASTER_IMAGE} is schema 1 */
  readonly masterImage?: string;
  /** Image of `redis-slave`. @default {@link Guestbook.SLAVE_IMAGE}; the tutorial's {@link Guestbook.TUTORIAL_SLAVE_IMAGE} cannot be confirmed to pull */
  readonly slaveImage?: string;
  /**
   * Arguments of the `redis-slave` container. @default {@link Guestbook.SLAVE_ARGS} with the
   * default image or any other official `redis` image (what gb-redisslave's `run.sh` did;
   * without them an official image runs a standalone master); none with any other image,
   * such as the tutorial's, whose own command replicates
   */
  readonly slaveArgs?: string[];
  /** Image of `frontend`. @default {@link Guestbook.FRONTEND_IMAGE}; the tutorial's {@link Guestbook.TUTORIAL_FRONTEND_IMAGE} was deleted */
  readonly frontendImage?: string;
  /**
   * How the frontend finds Redis. @default FrontendHostLookup.LEADER_FOLLOWER_ENV with the
   * default image or any other `gb-frontend:v5` reference (which dials `redis-leader` in DNS
   * mode), FrontendHostLookup.DNS (the tutorial's) with any other image
   */
  readonly frontendHostLookup?: FrontendHostLookup;
}

/** Every prop of {@link GuestbookProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<GuestbookProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'slaveReplicas',
  'serviceType',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'masterImage',
  'slaveImage',
  'slaveArgs',
  'frontendImage',
  'frontendHostLookup',
);

/** The tutorial's request on every container; no limits. */
const RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(100) },
};

/** The tutorial's comment: `dns` needs cluster DNS (built in since Kubernetes 1.3). */
function getHostsFromDns(): Record<string, kplus.EnvValue> {
  return { GET_HOSTS_FROM: kplus.EnvValue.fromValue('dns') };
}

/** Labels of one tier of the guestbook, as the tutorial writes them. */
export interface GuestbookTierLabels {
  /** Labels on the Deployment itself (`kubectl delete deployment -l app=redis` relies on them). */
  readonly deployment: Readonly<Record<string, string>>;
  /** Pod labels: the Deployment's selector, and the Service's labels and selector. */
  readonly pods: Readonly<Record<string, string>>;
}

/** One tier of the guestbook: its Deployment and the Service of the same name. */
type GuestbookTier = Guestbook['master'];

/** The props of {@link Guestbook} checked and completed with the tutorial's defaults. */
interface GuestbookSettings {
  readonly n: Names;
  readonly namespace: string | undefined;
  readonly replicas: number;
  readonly slaveReplicas: number;
  readonly serviceType: ServiceType;
  readonly masterImage: string;
  readonly slaveImage: string;
  readonly frontendImage: string;
  readonly slaveArgs: string[] | undefined;
  readonly hostLookup: FrontendHostLookup;
  readonly masterLabels: GuestbookTierLabels;
  readonly slaveLabels: GuestbookTierLabels;
  readonly frontendLabels: GuestbookTierLabels;
}

/**
 * "Example: Deploying PHP Guestbook application with Redis": a Redis master, two Redis read
 * replicas and a PHP frontend that writes through `redis-master` and reads through
 * `redis-slave`, each a Deployment with a Service of the same name.
 */
export class Guestbook extends Construct {
  /** The tutorial's Redis master image: schema 1, refused by containerd 2 (GKE 1.33+; decision D3). */
  static readonly TUTORIAL_MASTER_IMAGE = 'registry.k8s.io/redis:e2e';
  /**
   * Default Redis master: the official image the tutorial itself offers (`# or just image: redis`),
   * at the tag the upstream guestbook's `redis-leader` uses (kubernetes/website
   * `examples/application/guestbook/redis-leader-deployment.yaml`).
   */
  static readonly MASTER_IMAGE = 'redis:6.0.5';
  /**
   * The tutorial's Redis replica image. Not confirmed to pull: it lives in the same
   * `gcr.io/google-samples` repository whose gb-frontend tags were deleted (kubernetes/website#44230).
   */
  static readonly TUTORIAL_SLAVE_IMAGE = 'gcr.io/google_samples/gb-redisslave:v3';
  /** Default Redis replica: the official image, told by {@link Guestbook.SLAVE_ARGS} to replicate from `redis-master`. */
  static readonly SLAVE_IMAGE = 'redis:6.0.5';
  /**
   * gb-redisslave's `run.sh` ran `redis-server --slaveof redis-master 6379` when
   * `GET_HOSTS_FROM=dns` (kubernetes/examples `guestbook/redis-slave`, `FROM redis`,
   * `CMD /run.sh`; the script as printed from a running redis-slave Pod in public write-ups);
   * `--replicaof` is the same option under its Redis 5+ name. The first
   * argument is `redis-server`, so the official entrypoint keeps its usual handling.
   */
  static readonly SLAVE_ARGS: readonly string[] = ['redis-server', '--replicaof', 'redis-master', '6379'];
  /** The tutorial's frontend: the tag is gone (kubernetes/examples#519 and PR #551). */
  static readonly TUTORIAL_FRONTEND_IMAGE = 'gcr.io/google-samples/gb-frontend:v4';
  /**
   * Default frontend: the same PHP app rebuilt by Google, at the path Google's GKE guestbook
   * and kubernetes/website#44230 point to. It dials `redis-leader`/`redis-follower` unless told
   * otherwise, hence {@link FrontendHostLookup.LEADER_FOLLOWER_ENV}.
   */
  static readonly FRONTEND_IMAGE = 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5';

  /** The port Redis listens on and both Redis Services expose. */
  static readonly REDIS_PORT = 6379;
  /** The port the frontend (Apache) listens on and its Service exposes. */
  static readonly FRONTEND_PORT = 80;

  static readonly MASTER_LABELS: GuestbookTierLabels = {
    deployment: { app: 'redis' },
    pods: { app: 'redis', role: 'master', tier: 'backend' },
  };
  static readonly SLAVE_LABELS: GuestbookTierLabels = {
    deployment: { app: 'redis' },
    pods: { app: 'redis', role: 'slave', tier: 'backend' },
  };
  static readonly FRONTEND_LABELS: GuestbookTierLabels = {
    deployment: { app: 'guestbook' },
    pods: { app: 'guestbook', tier: 'frontend' },
  };

  readonly master: { readonly deployment: kplus.Deployment; readonly service: ReturnType<typeof tutorialService> };
  readonly slave: { readonly deployment: kplus.Deployment; readonly service: ReturnType<typeof tutorialService> };
  readonly frontend: { readonly deployment: kplus.Deployment; readonly service: ReturnType<typeof tutorialService> };
  /** `redis-master.<namespace>.svc.cluster.local`: where the frontend writes and the replicas replicate from. */
  readonly masterDnsName: string;
  /** `redis-slave.<namespace>.svc.cluster.local`: where the frontend reads. */
  readonly slaveDnsName: string;
  /** `frontend.<namespace>.svc.cluster.local` */
  readonly frontendDnsName: string;
  readonly hostLookup: FrontendHostLookup;

  constructor(scope: Construct, id: string, props: GuestbookProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const s = this.settings(props);
    this.hostLookup = s.hostLookup;
    this.masterDnsName = serviceDnsName(s.n.name('redis-master'), s.namespace);
    this.slaveDnsName = serviceDnsName(s.n.name('redis-slave'), s.namespace);
    this.frontendDnsName = serviceDnsName(s.n.name('frontend'), s.namespace);
    this.master = this.addRedisMaster(s);
    this.slave = this.addRedisSlaves(s);
    this.frontend = this.addFrontend(s, props);
  }

  /** The props checked and completed with the tutorial's defaults, before anything is written. */
  private settings(props: GuestbookProps): GuestbookSettings {
    const n = Names.of(this, props.namePrefix);
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 3);
    const slaveReplicas = v.replicas(this, 'slaveReplicas', props.slaveReplicas ?? 2);
    const serviceType = serviceTypeProp(this, props.serviceType ?? ServiceType.NODE_PORT);
    const masterImage = resolveImage(this, 'masterImage', props.masterImage ?? Guestbook.MASTER_IMAGE);
    const slaveImage = resolveImage(this, 'slaveImage', props.slaveImage ?? Guestbook.SLAVE_IMAGE);
    const frontendImage = resolveImage(this, 'frontendImage', props.frontendImage ?? Guestbook.FRONTEND_IMAGE);
    const slaveArgs =
      props.slaveArgs ??
      (props.slaveImage === undefined || isOfficialRedis(props.slaveImage)
        ? Guestbook.SLAVE_ARGS.map((a) => (a === 'redis-master' ? n.name(a) : a))
        : undefined);
    const hostLookup = v.oneOf(
      this,
      'frontendHostLookup',
      props.frontendHostLookup ??
        (props.frontendImage === undefined || dialsLeaderFollower(props.frontendImage)
          ? FrontendHostLookup.LEADER_FOLLOWER_ENV
          : FrontendHostLookup.DNS),
      [FrontendHostLookup.DNS, FrontendHostLookup.LEADER_FOLLOWER_ENV],
    );

    if (n.prefix !== undefined && hostLookup === FrontendHostLookup.DNS)
      v.fail(
        this,
        'namePrefix',
        n.prefix,
        'cannot be combined with frontendHostLookup "dns": that frontend dials the fixed names redis-master and redis-slave; use a gb-frontend v5 image with "leader-follower-env"',
      );
    const tier = (labels: GuestbookTierLabels): GuestbookTierLabels => ({
      deployment: labels.deployment,
      pods: n.labels({ ...labels.pods }),
    });
    return {
      n,
      namespace,
      replicas,
      slaveReplicas,
      serviceType,
      masterImage,
      slaveImage,
      frontendImage,
      slaveArgs,
      hostLookup,
      masterLabels: tier(Guestbook.MASTER_LABELS),
      slaveLabels: tier(Guestbook.SLAVE_LABELS),
      frontendLabels: tier(Guestbook.FRONTEND_LABELS),
    };
  }

  /** `redis-master`: one Redis Pod and its Service, where the frontend writes. */
  private addRedisMaster(s: GuestbookSettings): GuestbookTier {
    const { n, namespace, masterLabels } = s;
    return {
      deployment: this.redisDeployment(
        'redis-master',
        n.name('redis-master'),
        'master',
        masterLabels,
        1,
        s.masterImage,
        undefined,
        {},
        namespace,
        RESOURCES,
      ),
      service: tutorialService(this, 'redis-master-service', {
        name: n.name('redis-master'),
        namespace,
        labels: { ...masterLabels.pods },
        selector: { ...masterLabels.pods },
        ports: [{ port: Guestbook.REDIS_PORT, targetPort: Guestbook.REDIS_PORT }],
      }),
    };
  }

  /** `redis-slave`: the Redis read replicas of the master and their Service, where the frontend reads. */
  private addRedisSlaves(s: GuestbookSettings): GuestbookTier {
    const { n, namespace, slaveLabels } = s;
    return {
      // GET_HOSTS_FROM=dns is the tutorial's; gb-redisslave's run.sh read it, the official
      // image ignores it (its master comes from SLAVE_ARGS), and it is kept for fidelity.
      deployment: this.redisDeployment(
        'redis-slave',
        n.name('redis-slave'),
        'slave',
        slaveLabels,
        s.slaveReplicas,
        s.slaveImage,
        s.slaveArgs,
        getHostsFromDns(),
        namespace,
        RESOURCES,
      ),
      service: tutorialService(this, 'redis-slave-service', {
        name: n.name('redis-slave'),
        namespace,
        labels: { ...slaveLabels.pods },
        selector: { ...slaveLabels.pods },
        // No targetPort, as in the tutorial: it defaults to the port, 6379.
        ports: [{ port: Guestbook.REDIS_PORT }],
      }),
    };
  }

  /** `frontend`: the PHP guestbook's Deployment and its Service, the tutorial's entry point. */
  private addFrontend(s: GuestbookSettings, props: GuestbookProps): GuestbookTier {
    const { n, namespace, frontendLabels } = s;
    const frontendEnv: Record<string, kplus.EnvValue> =
      s.hostLookup === FrontendHostLookup.DNS
        ? getHostsFromDns()
        : {
            GET_HOSTS_FROM: kplus.EnvValue.fromValue('env'),
            // gb-frontend v5's guestbook.php: `$host = 'redis-leader'; if (getenv('GET_HOSTS_FROM') == 'env')
            // $host = getenv('REDIS_LEADER_SERVICE_HOST');` and the same for the follower. Predis takes a
            // host name, so these point v5 at the tutorial's Service names (docs/images.md §3c).
            REDIS_LEADER_SERVICE_HOST: kplus.EnvValue.fromValue(n.name('redis-master')),
            REDIS_FOLLOWER_SERVICE_HOST: kplus.EnvValue.fromValue(n.name('redis-slave')),
          };
    const frontend = new kplus.Deployment(this, 'frontend', {
      metadata: { name: n.name('frontend'), namespace, labels: { ...frontendLabels.deployment } },
      replicas: s.replicas,
      select: false,
      // Apache (php:*-apache in v4, apk apache2 in v5) starts as root to bind port 80 and
      // switches its workers to an unprivileged user, so the Pod must allow root.
      securityContext: podSecurity(ROOT_WRITABLE),
      containers: [
        tutorialContainer({
          name: 'php-redis',
          image: s.frontendImage,
          envVariables: frontendEnv,
          resources: RESOURCES,
          ports: [{ number: Guestbook.FRONTEND_PORT }],
          // Apache writes its pid and lock files under /var/run/apache2 and /var/lock/apache2
          // (php:*-apache base). v5's published layout is not documented (its Dockerfile in
          // GoogleCloudPlatform/kubernetes-engine-samples has no USER and no CMD), so the root
          // filesystem stays writable rather than guessing the paths (docs/images.md §3c).
          // No probes, as in the tutorial; Apache starts in about a second.
          runtime: ROOT_WRITABLE,
        }),
      ],
    });
    runtimeDefaultSeccomp(frontend);
    const apacheRoot =
      "the frontend's Apache starts as root to bind port 80 and switches its workers to an unprivileged user";
    skipChecks(frontend, {
      CKV_K8S_8: 'the tutorial sets no probes; Apache serves the PHP frontend within a second of starting',
      CKV_K8S_9: 'the tutorial sets no probes; Apache opens port 80 within a second of starting',
      CKV_K8S_11:
        'the tutorial sets requests only (100m CPU, 100Mi); a CPU limit it does not set would throttle the PHP frontend',
      CKV_K8S_13:
        'the tutorial sets requests only (100m CPU, 100Mi); a memory limit it does not set could OOM-kill Apache with PHP on a real cluster',
      CKV_K8S_22:
        "Apache writes its pid and lock files under /var/run/apache2 and /var/lock/apache2, and gb-frontend v5's layout is undocumented, so the root filesystem stays writable",
      CKV_K8S_23: apacheRoot,
      CKV_K8S_37: `${apacheRoot}, with the runtime's default capabilities (NET_RAW is dropped)`,
      CKV_K8S_40: apacheRoot,
    });
    selectByLabels(frontend, { ...frontendLabels.pods });
    // Spread over nodes (preferred) with the budget frontend-pdb: a drain keeps the others serving.
    keepUpAcrossNodes(frontend, frontendLabels.pods, s.replicas);
    return {
      deployment: frontend,
      service: tutorialService(this, 'frontend-service', {
        name: n.name('frontend'),
        namespace,
        labels: { ...frontendLabels.pods },
        selector: { ...frontendLabels.pods },
        type: s.serviceType,
        loadBalancerIP: props.loadBalancerIP,
        loadBalancerSourceRanges: props.loadBalancerSourceRanges,
        // No targetPort, as in the tutorial: it defaults to the port, 80.
        ports: [{ port: Guestbook.FRONTEND_PORT }],
      }),
    };
  }

  private redisDeployment(
    id: string,
    name: string,
    containerName: string,
    labels: GuestbookTierLabels,
    replicas: number,
    image: string,
    args: string[] | undefined,
    env: Record<string, kplus.EnvValue>,
    namespace: string | undefined,
    resources: kplus.ContainerResources,
  ): kplus.Deployment {
    // The official redis entrypoint only uses root to chown its working directory /data and
    // then drops to the `redis` user (uid/gid 999 in the Debian images) with gosu; started as
    // 999 it skips both and runs redis-server directly (docker-library/redis
    // docker-entrypoint.sh: `if [ "$1" = 'redis-server' -a "$(id -u)" = '0' ]`). So it runs
    // as non-root with a numeric user the kubelet can verify.
    const redisRuntime: ImageRuntime = { user: 999, group: 999, writesRootFilesystem: false };
    // Redis writes only its RDB snapshot (and, on a replica, the full-sync transfer file) into
    // its working directory /data (the image's WORKDIR and VOLUME); with an emptyDir there the
    // root filesystem stays read-only. An emptyDir is world-writable, so uid 999 can write it.
    const data = kplus.Volume.fromEmptyDir(this, `${id}-data`, 'data');
    const deployment = new kplus.Deployment(this, id, {
      metadata: { name, namespace, labels: { ...labels.deployment } },
      replicas,
      select: false,
      securityContext: podSecurity(redisRuntime),
      containers: [
        tutorialContainer({
          name: containerName,
          image,
          args: args && args.length > 0 ? args : undefined,
          envVariables: env,
          resources,
          ports: [{ number: Guestbook.REDIS_PORT }],
          volumeMounts: [{ path: '/data', volume: data }],
          // No probes, as in the tutorial; redis-server opens 6379 within a second, and a
          // replica keeps retrying the master by itself, so start order does not matter.
          runtime: redisRuntime,
        }),
      ],
    });
    runtimeDefaultSeccomp(deployment);
    skipChecks(deployment, {
      CKV_K8S_8:
        'the tutorial sets no probes; redis-server opens 6379 within a second, and a replica retries its master by itself',
      CKV_K8S_9: 'the tutorial sets no probes; redis-server opens 6379 within a second of starting',
      CKV_K8S_11: 'the tutorial sets requests only (100m CPU, 100Mi); a CPU limit it does not set would throttle Redis',
      CKV_K8S_13:
        'the tutorial sets requests only (100m CPU, 100Mi); Redis is a database whose memory grows with its data, and a limit could OOM-kill it',
      CKV_K8S_40:
        "runs as the official redis image's own redis user, UID 999 (docker-library/redis); the UID is the image's",
    });
    selectByLabels(deployment, { ...labels.pods });
    // redis-slave's replicas: spread over nodes (preferred) with the budget redis-slave-pdb, so a
    // drain leaves the frontend a replica to read from. redis-master is one Pod (no budget).
    keepUpAcrossNodes(deployment, labels.pods, replicas);
    return deployment;
  }
}
