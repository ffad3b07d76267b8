import { Chart } from 'cdk8s';
import {
  AppArmor, BlogNetworking, BlogSidecarLogging, BlogStatefulSet, BlogStorage, Cassandra, ExternalIp, Guestbook,
  GuestbookLogging, HelloMinikube, Kubia, KubernetesBootcamp, NginxHttps, PodTermination, RedisConfig, SourceIp,
  StatefulSetBasics, WordPress, ZooKeeper, reservedAddress,
} from '../lib';
import { Settings } from './settings';

/** One tutorial: one chart, written to `dist/<id>.k8s.yaml`. */
export interface TutorialChart {
  /** The chart id: the output file name, and the name of the tutorial's construct file `lib/<id>.ts`. */
  readonly id: string;
  /** The tutorial's title, as the README's tutorial table shows it. */
  readonly title: string;
  /** Adds the tutorial's constructs to `chart`, with the settings the app read from its environment. */
  readonly build: (chart: Chart, settings: Settings) => void;
}

/**
 * The registry: every tutorial of the app, once, in the order the README lists them. The
 * harness, the contract and cross-chart tests, and the README check all read this list.
 */
export const TUTORIAL_CHARTS: readonly TutorialChart[] = [
  {
    id: 'nginx-https',
    title: 'Connecting Applications with Services',
    build: (chart, s) => new NginxHttps(chart, 'app', { tls: s.nginxTls }),
  },
  {
    id: 'source-ip',
    title: 'Using Source IP',
    build: (chart, s) => new SourceIp(chart, 'app', { loadBalancerIP: reservedAddress(s.loadBalancerAddresses, 'source-ip/loadbalancer') }),
  },
  {
    id: 'zookeeper',
    title: 'Running ZooKeeper, A CP Distributed System',
    build: (chart) => new ZooKeeper(chart, 'app'),
  },
  {
    id: 'cassandra',
    title: 'Example: Deploying Cassandra with Stateful Sets',
    // The StorageClass `fast` comes from the infrastructure stack (decision D7).
    build: (chart) => new Cassandra(chart, 'app'),
  },
  {
    id: 'guestbook',
    title: 'Example: Deploying PHP Guestbook application with Redis',
    // The frontend Service is NodePort, as in the tutorial: no LoadBalancer, no reserved address.
    build: (chart) => new Guestbook(chart, 'app'),
  },
  {
    id: 'guestbook-logging',
    title: 'Example: Add logging and metrics to the PHP / Redis Guestbook example',
    build: (chart, s) => new GuestbookLogging(chart, 'app', { credentials: s.dynamicLogging }),
  },
  {
    id: 'wordpress',
    title: 'Example: Deploying WordPress and MySQL with Persistent Volumes',
    build: (chart, s) => new WordPress(chart, 'app', {
      // Written into the manifest only when MYSQL_PASSWORD_FILE is set (decision D6).
      mysqlPassword: s.mysqlPassword,
      // WORDPRESS_RELEASE=current: MySQL 8.0 + WordPress 6.x, recommended when reachable from the internet.
      release: s.wordpressRelease,
      loadBalancerIP: reservedAddress(s.loadBalancerAddresses, 'wordpress/wordpress'),
    }),
  },
  {
    id: 'redis-config',
    title: 'Configuring Redis using a ConfigMap',
    build: (chart) => new RedisConfig(chart, 'app'),
  },
  {
    id: 'external-ip',
    title: 'Exposing an External IP Address to Access an Application in a Cluster',
    build: (chart, s) => new ExternalIp(chart, 'app', { loadBalancerIP: reservedAddress(s.loadBalancerAddresses, 'external-ip/my-service') }),
  },
  {
    id: 'statefulset-basics',
    title: 'StatefulSet Basics',
    build: (chart) => new StatefulSetBasics(chart, 'app'),
  },
  {
    id: 'hello-minikube',
    title: 'Hello Minikube',
    build: (chart, s) => new HelloMinikube(chart, 'app', { loadBalancerIP: reservedAddress(s.loadBalancerAddresses, 'hello-minikube/hello-node') }),
  },
  {
    id: 'kubernetes-bootcamp',
    title: 'Learn Kubernetes Basics',
    build: (chart) => new KubernetesBootcamp(chart, 'app'),
  },
  {
    id: 'pod-termination',
    title: 'Explore Termination Behavior for Pods and their Endpoints',
    build: (chart) => new PodTermination(chart, 'app'),
  },
  {
    id: 'apparmor',
    title: 'AppArmor',
    build: (chart) => new AppArmor(chart, 'app'),
  },
  {
    id: 'blog-statefulset',
    title: 'Kubernetes StatefulSets (supergiant.io blog)',
    build: (chart) => new BlogStatefulSet(chart, 'app'),
  },
  {
    id: 'blog-storage',
    title: 'Persistent Volumes and Kubernetes Volumes (supergiant.io blog)',
    build: (chart) => {
      new BlogStorage(chart, 'persistent-volume');
      new BlogSidecarLogging(chart, 'sidecar-logging');
    },
  },
  {
    id: 'blog-networking',
    title: 'Kubernetes Networking: Services (supergiant.io blog)',
    build: (chart) => new BlogNetworking(chart, 'app'),
  },
  {
    id: 'kubia',
    title: 'Kubernetes in Action: the kubia examples',
    build: (chart, s) => new Kubia(chart, 'app', { loadBalancerIP: reservedAddress(s.loadBalancerAddresses, 'kubia/kubia-loadbalancer') }),
  },
];
