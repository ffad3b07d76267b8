import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { declareExternal } from './internal/external';
import { addTutorialWarning, secretInOutputWarning } from './internal/warnings';
import { resolveImage } from './internal/images';
import { skipChecks } from './internal/scan';
import {
  ROOT_WRITABLE,
  podSecurity,
  runtimeDefaultSeccomp,
  selectByLabels,
  tutorialContainer,
} from './internal/workload';
import { ServiceType, serviceDnsName, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

/** Which pair of images, and so which database account, the chart writes. */

/**
 * MySQL's requests (docs/images.md §4a): 512Mi for the default 128 MiB InnoDB buffer pool
 * (MySQL reference manual, innodb_buffer_pool_size) plus performance_schema, which 5.6 and 8.0
 * size at start-up, and per-connection buffers; 10m CPU, the project's floor. No limits.
 */
const MYSQL_REQUESTS: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(10) },
  memory: { request: Size.mebibytes(512) },
};
/** WordPress's requests (docs/images.md §4b): Apache prefork, 5 children with mod_php at start. No limits. */
const WORDPRESS_REQUESTS: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(10) },
  memory: { request: Size.mebibytes(256) },
};
export enum WordPressRelease {
  /**
   * The tutorial's `mysql:5.6` and `wordpress:4.8-apache` (2017; both end of life): WordPress
   * connects to MySQL as root, with the root password of `mysql-pass`.
   */
  TUTORIAL = 'tutorial',
  /**
   * The pair the tutorial page uses today (kubernetes/website
   * `examples/application/wordpress/{mysql,wordpress}-deployment.yaml`): MySQL 8.0 creates the
   * database `wordpress` and the user `wordpress` (`MYSQL_DATABASE`, `MYSQL_USER`,
   * `MYSQL_PASSWORD`), and WordPress 6.x connects as that user (`WORDPRESS_DB_USER`); both
   * passwords are key `password` of `mysql-pass`, as upstream. Recommended for anything
   * reachable from the internet.
   */
  CURRENT = 'current',
}

/**
 * The `wordpress` Service type: LoadBalancer as in the tutorial, NodePort (the tutorial's Minikube
 * note), or ClusterIP behind an Ingress. Kept as an alias of ServiceType for compatibility.
 */
export type WordPressServiceType = ServiceType;

export interface WordPressProps extends NamePrefixProps {
  /** Namespace for every object. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /**
   * The MySQL root password for the Secret `mysql-pass` (key `password`). When given, the
   * Secret is written into the manifest; otherwise the chart only refers to it and the user
   * creates it (decision D6). @default none: the user creates `mysql-pass`
   */
  readonly mysqlPassword?: string;
  /** Size of the `mysql-pv-claim` volume (MySQL's data). @default "20Gi", as in the tutorial */
  readonly mysqlStorage?: string;
  /** Size of the `wp-pv-claim` volume (WordPress's files). @default "20Gi", as in the tutorial */
  readonly wordpressStorage?: string;
  /** StorageClass of both claims. @default none: the cluster's default StorageClass, as in the tutorial (decision D7) */
  readonly storageClassName?: string;
  /** Type of the `wordpress` Service (ClusterIP, NodePort or LoadBalancer). @default ServiceType.LOAD_BALANCER, as in the tutorial */
  readonly serviceType?: WordPressServiceType;
  /** Reserved address for the LoadBalancer `wordpress` Service. @default none: an ephemeral address */
  readonly loadBalancerIP?: string;
  /**
   * Client ranges (IPv4 CIDRs) its LoadBalancer Service admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  /**
   * The image pair and database account. @default WordPressRelease.TUTORIAL (decision D3: the
   * tutorial's images still run, and WordPress 4.8 works only with MySQL 5.6); set
   * WordPressRelease.CURRENT for anything reachable from the internet (decision D9)
   */
  readonly release?: WordPressRelease;
  /** The MySQL image. @default the release's: {@link WordPress.MYSQL_IMAGE} or {@link WordPress.CURRENT_MYSQL_IMAGE} */
  readonly mysqlImage?: string;
  /** The WordPress image. @default the release's: {@link WordPress.WORDPRESS_IMAGE} or {@link WordPress.CURRENT_WORDPRESS_IMAGE} */
  readonly wordpressImage?: string;
}

/** Every prop of {@link WordPressProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<WordPressProps>()(
  'namePrefix',
  'namespace',
  'mysqlPassword',
  'mysqlStorage',
  'wordpressStorage',
  'storageClassName',
  'serviceType',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'release',
  'mysqlImage',
  'wordpressImage',
);

/**
 * "Example: Deploying WordPress and MySQL with Persistent Volumes": a single MySQL Pod behind
 * the headless Service `wordpress-mysql` and a single WordPress Pod behind the LoadBalancer
 * Service `wordpress`, each on its own ReadWriteOnce claim, sharing the root password in the
 * Secret `mysql-pass`.
 */
export class WordPress extends Construct {
  /**
   * The tutorial's MySQL image, kept (decision D3): official, amd64 (decision D8), final 5.6
   * release. WordPress 4.8 is known to work with it and not with MySQL 8.0
   * (kubernetes/examples#461), so the two images change only together.
   */
  static readonly MYSQL_IMAGE = 'mysql:5.6';
  static readonly TUTORIAL_MYSQL_IMAGE = 'mysql:5.6';
  /** The tutorial's WordPress image, kept (decision D3). */
  static readonly WORDPRESS_IMAGE = 'wordpress:4.8-apache';
  static readonly TUTORIAL_WORDPRESS_IMAGE = 'wordpress:4.8-apache';
  /**
   * MySQL of {@link WordPressRelease.CURRENT}: the tag the tutorial page uses today. The 8.0
   * line's last release came in 2026, so the tag no longer moves.
   */
  static readonly CURRENT_MYSQL_IMAGE = 'mysql:8.0';
  /**
   * WordPress of {@link WordPressRelease.CURRENT}: 6.x on Apache as upstream (whose manifest
   * pins 6.2.1), at the 6.8 line (PHP 8 base), a tag in wide use.
   */
  static readonly CURRENT_WORDPRESS_IMAGE = 'wordpress:6.8-apache';
  /** Database and user that {@link WordPressRelease.CURRENT} creates and connects as, upstream's. */
  static readonly DATABASE_USER = 'wordpress';
  static readonly DATABASE_NAME = 'wordpress';

  /** The Secret's tutorial name, without kustomize's hash suffix (decision D6). */
  static readonly SECRET_NAME = 'mysql-pass';
  /** The key both Deployments read from {@link WordPress.SECRET_NAME}. */
  static readonly SECRET_KEY = 'password';
  /** The command that creates the Secret, as `kubectl create` writes what the tutorial's secretGenerator did. */
  static createSecretCommand(namespace?: string, secretName: string = WordPress.SECRET_NAME): string {
    return `kubectl create secret generic ${secretName}${namespace ? ` --namespace ${namespace}` : ''} --from-literal=${WordPress.SECRET_KEY}=YOUR_PASSWORD`;
  }

  static readonly MYSQL_SERVICE_NAME = 'wordpress-mysql';
  static readonly MYSQL_PORT = 3306;
  /** Where MySQL keeps its data; the tutorial mounts `mysql-pv-claim` here. */
  static readonly MYSQL_DATA_DIR = '/var/lib/mysql';
  /** Where the WordPress image installs WordPress; the tutorial mounts `wp-pv-claim` here. */
  static readonly WORDPRESS_DIR = '/var/www/html';
  static readonly WORDPRESS_PORT = 80;
  static readonly DEFAULT_STORAGE = '20Gi';

  static readonly MYSQL_LABELS: Readonly<Record<string, string>> = { app: 'wordpress', tier: 'mysql' };
  static readonly WORDPRESS_LABELS: Readonly<Record<string, string>> = { app: 'wordpress', tier: 'frontend' };

  readonly mysql: {
    readonly deployment: kplus.Deployment;
    readonly service: k8s.KubeService;
    readonly claim: k8s.KubePersistentVolumeClaim;
  };
  readonly wordpress: {
    readonly deployment: kplus.Deployment;
    readonly service: k8s.KubeService;
    readonly claim: k8s.KubePersistentVolumeClaim;
  };
  /** The Secret `mysql-pass` when it is written; undefined when the user creates it. */
  readonly secret?: kplus.Secret;
  /** `wordpress-mysql.<namespace>.svc.cluster.local`, the database WordPress connects to. */
  readonly mysqlDnsName: string;
  /** `wordpress.<namespace>.svc.cluster.local` */
  readonly wordpressDnsName: string;
  readonly release: WordPressRelease;

  constructor(scope: Construct, id: string, props: WordPressProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    const s = this.checkProps(props);
    this.release = s.release;
    this.mysqlDnsName = serviceDnsName(n.name(WordPress.MYSQL_SERVICE_NAME), s.namespace);
    this.wordpressDnsName = serviceDnsName(n.name('wordpress'), s.namespace);
    if (props.mysqlPassword !== undefined) this.secret = this.addSecret(n, s, props.mysqlPassword);
    const password = this.passwordValue(n, s);
    const appLabels = { app: 'wordpress' };
    this.mysql = this.addMysql(n, s, appLabels, password);
    this.wordpress = this.addWordPress(n, s, props, appLabels, password);
  }

  /** Checks every prop but the load balancer's and returns them with their defaults. */
  private checkProps(props: WordPressProps): WordPressSettings {
    const namespace = v.optionalNamespace(this, props.namespace);
    const mysqlStorage = v.storageSize(this, 'mysqlStorage', props.mysqlStorage ?? WordPress.DEFAULT_STORAGE);
    const wordpressStorage = v.storageSize(
      this,
      'wordpressStorage',
      props.wordpressStorage ?? WordPress.DEFAULT_STORAGE,
    );
    const storageClassName =
      props.storageClassName === undefined ? undefined : v.objectName(this, 'storageClassName', props.storageClassName);
    const serviceType = v.oneOf(this, 'serviceType', props.serviceType ?? ServiceType.LOAD_BALANCER, [
      ServiceType.LOAD_BALANCER,
      ServiceType.NODE_PORT,
      ServiceType.CLUSTER_IP,
    ]);
    if (props.mysqlPassword !== undefined && props.mysqlPassword.length === 0) {
      // Never echo the password, even an empty one: the value shown is a description.
      v.fail(
        this,
        'mysqlPassword',
        '<empty>',
        'must not be empty: the mysql image refuses to initialise without a root password',
      );
    }
    const release = v.oneOf(this, 'release', props.release ?? WordPressRelease.TUTORIAL, [
      WordPressRelease.TUTORIAL,
      WordPressRelease.CURRENT,
    ]);
    const current = release === WordPressRelease.CURRENT;
    const mysqlImage = resolveImage(
      this,
      'mysqlImage',
      props.mysqlImage ?? (current ? WordPress.CURRENT_MYSQL_IMAGE : WordPress.MYSQL_IMAGE),
    );
    const wordpressImage = resolveImage(
      this,
      'wordpressImage',
      props.wordpressImage ?? (current ? WordPress.CURRENT_WORDPRESS_IMAGE : WordPress.WORDPRESS_IMAGE),
    );
    return {
      namespace,
      mysqlStorage,
      wordpressStorage,
      storageClassName,
      serviceType,
      release,
      current,
      mysqlImage,
      wordpressImage,
    };
  }

  /** The Secret `mysql-pass` with {@link WordPressProps.mysqlPassword}, which synth warns about. */
  private addSecret(n: Names, s: WordPressSettings, mysqlPassword: string): kplus.Secret {
    const secret = new kplus.Secret(this, 'mysql-pass', {
      metadata: { name: n.name(WordPress.SECRET_NAME), namespace: s.namespace },
      stringData: { [WordPress.SECRET_KEY]: mysqlPassword },
    });
    addTutorialWarning(this, secretInOutputWarning(secret.name));
    return secret;
  }

  /**
   * The password both Deployments read: from the written Secret, or from `mysql-pass`, which
   * the user creates (declared as external, with the command that creates it).
   */
  private passwordValue(n: Names, s: WordPressSettings): kplus.EnvValue {
    let secret: kplus.ISecret;
    if (this.secret !== undefined) {
      secret = this.secret;
    } else {
      const secretName = n.name(WordPress.SECRET_NAME);
      secret = kplus.Secret.fromSecretName(this, 'mysql-pass-ref', secretName);
      declareExternal(this, {
        kind: 'Secret',
        name: secretName,
        namespace: s.namespace ?? 'default',
        howToCreate: WordPress.createSecretCommand(s.namespace, secretName),
      });
    }
    return kplus.EnvValue.fromSecretValue({ secret, key: WordPress.SECRET_KEY });
  }

  /** mysql-deployment.yaml: the headless Service `wordpress-mysql`, the claim `mysql-pv-claim` and the Deployment. */
  private addMysql(
    n: Names,
    s: WordPressSettings,
    appLabels: Record<string, string>,
    password: kplus.EnvValue,
  ): WordPress['mysql'] {
    const mysqlLabels = n.labels({ ...WordPress.MYSQL_LABELS });
    const service = tutorialService(this, 'wordpress-mysql-service', {
      name: n.name(WordPress.MYSQL_SERVICE_NAME),
      namespace: s.namespace,
      labels: appLabels,
      selector: mysqlLabels,
      // Headless, as in the tutorial: `wordpress-mysql` resolves straight to the one MySQL Pod.
      headless: true,
      ports: [{ port: WordPress.MYSQL_PORT }],
    });
    const mysqlClaim = claim(
      this,
      'mysql-pv-claim',
      n.name('mysql-pv-claim'),
      s.namespace,
      appLabels,
      s.mysqlStorage,
      s.storageClassName,
    );
    const volume = kplus.Volume.fromPersistentVolumeClaim(
      this,
      'mysql-persistent-storage',
      kplus.PersistentVolumeClaim.fromClaimName(this, 'mysql-pv-claim-ref', mysqlClaim.name),
      { name: 'mysql-persistent-storage' },
    );
    const deployment = new kplus.Deployment(this, 'wordpress-mysql', {
      metadata: { name: n.name('wordpress-mysql'), namespace: s.namespace, labels: appLabels },
      // One Pod, as in the tutorial ("single instance"): the claim is ReadWriteOnce.
      replicas: 1,
      // Recreate, as in the tutorial: a ReadWriteOnce volume attaches to one node, so a rolling
      // update's new Pod could not mount it while the old one still runs (and two mysqld must
      // never share a data directory).
      strategy: kplus.DeploymentStrategy.recreate(),
      select: false,
      // The mysql entrypoint runs as root to `chown -R mysql:mysql` the data directory on every
      // start, then runs mysqld as `mysql` through gosu (docker-library/mysql 5.6
      // docker-entrypoint.sh and Dockerfile.debian), so the Pod must allow root.
      securityContext: podSecurity(ROOT_WRITABLE),
      containers: [mysqlContainer(s, volume, password)],
    });
    runtimeDefaultSeccomp(deployment);
    skipMysqlChecks(deployment);
    selectByLabels(deployment, mysqlLabels);
    return { deployment, service, claim: mysqlClaim };
  }

  /** wordpress-deployment.yaml: the Service `wordpress`, the claim `wp-pv-claim` and the Deployment. */
  private addWordPress(
    n: Names,
    s: WordPressSettings,
    props: WordPressProps,
    appLabels: Record<string, string>,
    password: kplus.EnvValue,
  ): WordPress['wordpress'] {
    const wordpressLabels = n.labels({ ...WordPress.WORDPRESS_LABELS });
    const service = tutorialService(this, 'wordpress-service', {
      name: n.name('wordpress'),
      namespace: s.namespace,
      labels: appLabels,
      selector: wordpressLabels,
      type: s.serviceType,
      loadBalancerIP: props.loadBalancerIP,
      loadBalancerSourceRanges: props.loadBalancerSourceRanges,
      // No targetPort, as in the tutorial: it defaults to the port, 80.
      ports: [{ port: WordPress.WORDPRESS_PORT }],
    });
    const wordpressClaim = claim(
      this,
      'wp-pv-claim',
      n.name('wp-pv-claim'),
      s.namespace,
      appLabels,
      s.wordpressStorage,
      s.storageClassName,
    );
    const volume = kplus.Volume.fromPersistentVolumeClaim(
      this,
      'wordpress-persistent-storage',
      kplus.PersistentVolumeClaim.fromClaimName(this, 'wp-pv-claim-ref', wordpressClaim.name),
      { name: 'wordpress-persistent-storage' },
    );
    const deployment = new kplus.Deployment(this, 'wordpress', {
      metadata: { name: n.name('wordpress'), namespace: s.namespace, labels: appLabels },
      replicas: 1,
      // Recreate, as in the tutorial, for the same ReadWriteOnce reason as MySQL.
      strategy: kplus.DeploymentStrategy.recreate(),
      select: false,
      // Apache starts as root to bind port 80 and runs its children as www-data; the
      // entrypoint also runs as root to copy WordPress into the empty volume and chown it to
      // www-data (docker-library/wordpress php7.1/apache docker-entrypoint.sh).
      securityContext: podSecurity(ROOT_WRITABLE),
      containers: [wordpressContainer(s, volume, password, n.name(WordPress.MYSQL_SERVICE_NAME))],
    });
    runtimeDefaultSeccomp(deployment);
    skipWordPressChecks(deployment);
    selectByLabels(deployment, wordpressLabels);
    return { deployment, service, claim: wordpressClaim };
  }
}

/** The props of one WordPress, checked, with their defaults. */
interface WordPressSettings {
  readonly namespace?: string;
  readonly mysqlStorage: string;
  readonly wordpressStorage: string;
  readonly storageClassName?: string;
  readonly serviceType: ServiceType;
  readonly release: WordPressRelease;
  /** {@link WordPressRelease.CURRENT}: a database and user of their own. */
  readonly current: boolean;
  readonly mysqlImage: string;
  readonly wordpressImage: string;
}

/** A ReadWriteOnce claim as the tutorial writes it (no storageClassName unless one is given). */
function claim(
  scope: Construct,
  id: string,
  name: string,
  namespace: string | undefined,
  labels: Record<string, string>,
  storage: string,
  storageClassName: string | undefined,
): k8s.KubePersistentVolumeClaim {
  return new k8s.KubePersistentVolumeClaim(scope, id, {
    metadata: { name, namespace, labels: { ...labels } },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(storage) } },
    },
  });
}

/** `mysql`: the database, its data directory on `volume`, its root password from `password`. */
function mysqlContainer(s: WordPressSettings, volume: kplus.Volume, password: kplus.EnvValue): kplus.ContainerProps {
  return tutorialContainer({
    name: 'mysql',
    image: s.mysqlImage,
    // CURRENT: upstream's env, in its order; the entrypoint creates the database and the
    // user on first start only (docker-library/mysql docker-entrypoint.sh).
    envVariables: s.current
      ? {
          MYSQL_ROOT_PASSWORD: password,
          MYSQL_DATABASE: kplus.EnvValue.fromValue(WordPress.DATABASE_NAME),
          MYSQL_USER: kplus.EnvValue.fromValue(WordPress.DATABASE_USER),
          MYSQL_PASSWORD: password,
        }
      : { MYSQL_ROOT_PASSWORD: password },
    ports: [{ number: WordPress.MYSQL_PORT, name: 'mysql' }],
    volumeMounts: [{ path: WordPress.MYSQL_DATA_DIR, volume }],
    // Besides the data directory, mysqld writes its socket and pid to /var/run/mysqld and
    // temporary tables to /tmp; a read-only root filesystem with emptyDirs there has not
    // been proven on this image, so the root filesystem stays writable (docs/images.md §4a).
    //
    // No probes, as in the tutorial, and deliberately no cdk8s-plus startup probe (it kills
    // after 30 s): on first start the entrypoint runs mysql_install_db, then a temporary
    // mysqld with --skip-networking (waiting up to 30 s for it), loads the time zone tables
    // and restarts mysqld, so 3306 stays closed for tens of seconds, longer on a slow
    // Persistent Disk (docker-library/mysql 5.6 docker-entrypoint.sh).
    runtime: ROOT_WRITABLE,
    // Requests only (docs/images.md §4a): memory for the default 128 MiB InnoDB buffer pool
    // plus performance_schema and per-connection buffers; CPU the project's 10m floor.
    resources: MYSQL_REQUESTS,
  });
}

/** The scan findings the tutorial's MySQL Deployment keeps, each with its reason. */
function skipMysqlChecks(deployment: kplus.Deployment): void {
  const mysqlRoot =
    'the mysql entrypoint runs as root to chown -R the data directory on every start, then runs mysqld as mysql through gosu';
  const mysqlSize =
    'MySQL is a database whose memory grows with its buffers, connections and data: a memory limit would OOM-kill mysqld mid-write, a CPU limit throttle its first-start initialisation';
  skipChecks(deployment, {
    CKV_K8S_8:
      'the tutorial sets no probes: on first start 3306 stays closed for tens of seconds while the entrypoint initialises the data directory, and a liveness probe could kill that start',
    CKV_K8S_9: 'the tutorial sets no probes; WordPress retries the database by itself while MySQL initialises',
    CKV_K8S_11: mysqlSize,
    CKV_K8S_13: mysqlSize,
    CKV_K8S_22:
      'mysqld writes its socket and pid to /var/run/mysqld and temporary tables to /tmp; a read-only root filesystem is unproven on this image (docs/images.md)',
    CKV_K8S_23: mysqlRoot,
    CKV_K8S_35:
      "the tutorial passes the mysql-pass Secret as MYSQL_ROOT_PASSWORD, which the mysql image reads from its environment; the tutorial's env is kept",
    CKV_K8S_37: `${mysqlRoot}: chown and setuid use the runtime's default capabilities (NET_RAW is dropped)`,
    CKV_K8S_40: mysqlRoot,
  });
}

/** `wordpress`: Apache with WordPress on `volume`, connecting to the Service `mysqlServiceName`. */
function wordpressContainer(
  s: WordPressSettings,
  volume: kplus.Volume,
  password: kplus.EnvValue,
  mysqlServiceName: string,
): kplus.ContainerProps {
  return tutorialContainer({
    name: 'wordpress',
    image: s.wordpressImage,
    envVariables: {
      // The Service name, resolved in the Pod's own namespace; the tutorial's contract (decision D1).
      WORDPRESS_DB_HOST: kplus.EnvValue.fromValue(mysqlServiceName),
      WORDPRESS_DB_PASSWORD: password,
      // CURRENT: the dedicated user, not root. The database name is the image's default,
      // `wordpress`, which MYSQL_DATABASE creates; upstream leaves WORDPRESS_DB_NAME unset too.
      ...(s.current ? { WORDPRESS_DB_USER: kplus.EnvValue.fromValue(WordPress.DATABASE_USER) } : {}),
    },
    ports: [{ number: WordPress.WORDPRESS_PORT, name: 'wordpress' }],
    volumeMounts: [{ path: WordPress.WORDPRESS_DIR, volume }],
    // Apache writes pid and lock files under /var/run/apache2 and /var/lock/apache2 and PHP
    // its sessions and uploads under /tmp; not proven with a read-only root filesystem, so
    // it stays writable (docs/images.md §4b).
    //
    // No probes, as in the tutorial. The entrypoint tries the database 10 times, 3 s apart,
    // and exits if MySQL is not up yet; while MySQL initialises, this Pod restarts with
    // back-off and then starts. A cdk8s-plus startup probe would only add restarts.
    // No init container waits for MySQL either: the restarts converge without one (the
    // back-off stays short while MySQL initialises, about a minute), a crash loop names
    // its reason where a waiting init container would hang silently if MySQL never
    // started, and the tutorial's Pod stays exactly its one container (docs/images.md §4b).
    runtime: ROOT_WRITABLE,
    // Requests only (docs/images.md §4b): Apache's prefork children with mod_php; CPU the
    // project's 10m floor.
    resources: WORDPRESS_REQUESTS,
  });
}

/** The scan findings the tutorial's WordPress Deployment keeps, each with its reason. */
function skipWordPressChecks(deployment: kplus.Deployment): void {
  const wpRoot =
    'the wordpress entrypoint runs as root to copy WordPress into the empty volume and chown it, and Apache starts as root to bind port 80 before switching to www-data';
  const wpSize =
    "WordPress's PHP memory grows with its Apache children, plugins, themes and uploads: a memory limit would OOM-kill requests mid-way, a CPU limit throttle every page";
  skipChecks(deployment, {
    CKV_K8S_8:
      'the tutorial sets no probes: the entrypoint exits and restarts until MySQL answers, and a probe would only add restarts',
    CKV_K8S_9: 'the tutorial sets no probes; Apache opens port 80 within seconds once the database answers',
    CKV_K8S_11: wpSize,
    CKV_K8S_13: wpSize,
    CKV_K8S_22:
      'Apache writes pid and lock files under /var/run/apache2 and /var/lock/apache2 and PHP its sessions under /tmp; a read-only root filesystem is unproven on this image (docs/images.md)',
    CKV_K8S_23: wpRoot,
    CKV_K8S_35:
      "the tutorial passes the mysql-pass Secret as WORDPRESS_DB_PASSWORD, which the wordpress image reads from its environment; the tutorial's env is kept",
    CKV_K8S_37: `${wpRoot}: chown, setuid and binding port 80 use the runtime's default capabilities (NET_RAW is dropped)`,
    CKV_K8S_40: wpRoot,
  });
}
