import { Chart } from 'cdk8s';
import {
  AppArmor,
  BlogNetworking,
  BlogSidecarLogging,
  BlogStatefulSet,
  BlogStorage,
  Cassandra,
  ExternalIp,
  Guestbook,
  GuestbookLogging,
  HelloMinikube,
  Kubia,
  KubernetesBootcamp,
  NginxHttps,
  PodTermination,
  RedisConfig,
  SourceIp,
  StatefulSetBasics,
  WordPress,
  ZooKeeper,
  reservedAddress,
} from '../lib';
import { Settings } from './settings';
import { BUSYBOX_IMAGE, TutorialCheck, curlJob, exec } from './checks';

/** What sets one copy of a tutorial apart from another. */
export interface TutorialCopy {
  readonly namePrefix?: string;
}

/** One tutorial: one chart, written to `dist/<id>.k8s.yaml`. */
export interface TutorialChart {
  /** The chart id: the output file name, and the name of the tutorial's construct file `lib/<id>.ts`. */
  readonly id: string;
  /** The tutorial's title, as the README's tutorial table shows it. */
  readonly title: string;
  /**
   * Adds the tutorial's constructs to `chart`, with the settings the app read from its
   * environment; `copy` names a further copy of the tutorial (its `namePrefix`, so that two
   * copies can share a namespace or write the same cluster-wide objects).
   */
  readonly build: (chart: Chart, settings: Settings, copy?: TutorialCopy) => void;
  /**
   * The checks the tutorial ends with, in its words, which `npm run verify` runs on a live
   * cluster after the chart is ready (`apps/checks.ts`). None: only readiness. They use
   * the tutorial's names: these charts set no `namePrefix` (docs/name-prefix.md says what a
   * prefix changes in them).
   */
  readonly checks?: readonly TutorialCheck[];
}

/**
 * The registry: every tutorial of the app, once, in the order the README lists them. The
 * harness, the contract and cross-chart tests, and the README check all read this list.
 */
export const TUTORIAL_CHARTS: readonly TutorialChart[] = [
  {
    id: 'nginx-https',
    title: 'Connecting Applications with Services',
    build: (chart, s, copy) => new NginxHttps(chart, 'app', { ...copy, tls: s.nginxTls }),
    checks: [
      {
        name: 'https from curl pod',
        expect: 'curl https://my-nginx --cacert /etc/nginx/ssl/tls.crt from the curl Pod prints the nginx welcome page',
        run: exec(
          { app: 'curlpod' },
          ['curl', '-sS', 'https://my-nginx', '--cacert', '/etc/nginx/ssl/tls.crt'],
          // Stryker disable next-line StringLiteral: the Pod's only container, which kubectl exec also picks without a name
          'curlpod',
        ),
        match: { contains: 'Welcome to nginx!' },
      },
    ],
  },
  {
    id: 'source-ip',
    title: 'Using Source IP',
    build: (chart, s, copy) =>
      new SourceIp(chart, 'app', {
        ...copy,
        loadBalancerIP: reservedAddress(s.loadBalancerAddresses, 'source-ip/loadbalancer'),
      }),
    checks: [
      {
        name: 'clusterip client address',
        expect: "curl clusterip from a Pod answers client_address=<that Pod's IP> (no source NAT inside the cluster)",
        run: curlJob('echo "pod_ip=$(hostname -i)"; curl -sS http://clusterip/'),
        match: { regex: '^pod_ip=(\\S+)\\s[\\s\\S]*^client_address=\\1\\r?$' },
        // Stryker disable next-line StringLiteral: what the check does not prove, printed by --list for people
        note: "the load balancer steps (client_address=<your address> with externalTrafficPolicy: Local, the node's address without it) need a client outside the cluster and are not run",
      },
    ],
  },
  {
    id: 'zookeeper',
    title: 'Running ZooKeeper, A CP Distributed System',
    build: (chart, _s, copy) => new ZooKeeper(chart, 'app', copy),
    checks: [
      {
        name: 'zk-0 dns name',
        expect: 'kubectl exec zk-0 -- hostname -f prints zk-0.zk-hs.<namespace>.svc.cluster.local',
        run: exec('zk-0', ['hostname', '-f']),
        match: { regex: '^zk-0\\.zk-hs\\.[a-z0-9-]+\\.svc\\.cluster\\.local$' },
      },
      {
        name: 'create /hello on zk-0',
        expect: 'kubectl exec zk-0 -- zkCli.sh create /hello world prints Created /hello',
        run: exec('zk-0', ['zkCli.sh', 'create', '/hello', 'world']),
        match: { regex: '^Created /hello$' },
      },
      {
        name: 'get /hello on zk-1',
        expect: 'kubectl exec zk-1 -- zkCli.sh get /hello prints world: the ensemble replicated the write',
        run: exec('zk-1', ['zkCli.sh', 'get', '/hello']),
        match: { regex: '^world$' },
      },
    ],
  },
  {
    id: 'cassandra',
    title: 'Example: Deploying Cassandra with Stateful Sets',
    // The StorageClass `fast` comes from the infrastructure stack (decision D7).
    build: (chart, _s, copy) => new Cassandra(chart, 'app', copy),
    checks: [
      {
        name: 'nodetool status',
        expect: 'kubectl exec cassandra-0 -- nodetool status shows 3 nodes UN (Up, Normal) in DC1-K8Demo',
        run: exec('cassandra-0', ['nodetool', 'status']),
        match: { contains: 'Datacenter: DC1-K8Demo', lines: { regex: '^UN ', count: 3 } },
      },
    ],
  },
  {
    id: 'guestbook',
    title: 'Example: Deploying PHP Guestbook application with Redis',
    // The frontend Service is NodePort, as in the tutorial: no LoadBalancer, no reserved address.
    build: (chart, _s, copy) => new Guestbook(chart, 'app', copy),
    checks: [
      {
        name: 'store and read a message',
        expect:
          'a message submitted on the guestbook page is stored (redis-master) and shown again (read from redis-slave)',
        run: curlJob(
          "curl -sS 'http://frontend/guestbook.php?cmd=set&key=messages&value=verify-hello' && sleep 3 && curl -sS 'http://frontend/guestbook.php?cmd=get&key=messages'",
        ),
        // guestbook.php answers {"message": "Updated"} to set and {"data": "<value>"} to get.
        match: { regex: '\\{"message": "Updated"\\}\\s*\\{"data": "verify-hello"\\}' },
      },
      {
        name: 'replicated to a redis-slave',
        expect:
          'redis-cli GET messages on a redis-slave Pod, which never received the write, returns the stored message',
        run: exec({ app: 'redis', role: 'slave' }, ['redis-cli', 'GET', 'messages']),
        match: { regex: '^verify-hello$' },
      },
    ],
  },
  {
    id: 'guestbook-logging',
    title: 'Example: Add logging and metrics to the PHP / Redis Guestbook example',
    build: (chart, s, copy) => new GuestbookLogging(chart, 'app', { ...copy, credentials: s.dynamicLogging }),
    // The tutorial's own check is Kibana showing the guestbook's logs and metrics, which needs the
    // user's Elasticsearch and Kibana; verify's throw-away Secret points at unreachable ones. What
    // these checks prove without them: each Beat DaemonSet is ready (none loads dashboards at
    // start; the one-shot *-setup Jobs do, and retry until Kibana answers) and accepts its
    // configuration file. Shipping is not shown.
    checks: (['filebeat', 'packetbeat'] as const).map((beat) => ({
      name: `${beat} runs without kibana`,
      expect: `\`${beat} test config\` in a ${beat}-dynamic Pod prints "Config OK" while Elasticsearch and Kibana are unreachable`,
      run: {
        exec: {
          pod: { 'k8s-app': `${beat}-dynamic` },
          namespace: 'kube-system',
          command: [beat, 'test', 'config', '-c', `/etc/${beat}.yml`],
        },
      },
      // The whole line: `<beat> test config` prints it alone when the file is valid.
      match: { regex: '^Config OK$' },
      // Stryker disable next-line StringLiteral: what the check does not prove, printed by --list for people
      note: 'proves the DaemonSet runs and reads its configuration without Kibana; sending logs and loading dashboards need your Elasticsearch and Kibana',
    })),
  },
  {
    id: 'wordpress',
    title: 'Example: Deploying WordPress and MySQL with Persistent Volumes',
    build: (chart, s, copy) =>
      new WordPress(chart, 'app', {
        ...copy,
        // Written into the manifest only when MYSQL_PASSWORD_FILE is set (decision D6).
        mysqlPassword: s.mysqlPassword,
        // WORDPRESS_RELEASE=current: MySQL 8.0 + WordPress 6.x, recommended when reachable from the internet.
        release: s.wordpressRelease,
        loadBalancerIP: reservedAddress(s.loadBalancerAddresses, 'wordpress/wordpress'),
      }),
    checks: [
      {
        name: 'setup page',
        expect: 'opening the wordpress Service shows the WordPress installation page',
        run: curlJob("curl -sS -L -o /dev/null -w '%{http_code} %{url_effective}' http://wordpress/"),
        match: { regex: '^200 \\S*/wp-admin/install\\.php$' },
        // Stryker disable next-line StringLiteral: what the check does not prove, printed by --list for people
        note: 'from inside the cluster through the Service, not the load balancer address',
      },
    ],
  },
  {
    id: 'redis-config',
    title: 'Configuring Redis using a ConfigMap',
    build: (chart, _s, copy) => new RedisConfig(chart, 'app', copy),
    checks: [
      {
        name: 'maxmemory',
        expect: 'kubectl exec -it redis -- redis-cli CONFIG GET maxmemory returns 2097152 (2mb from the ConfigMap)',
        run: exec('redis', ['redis-cli', 'CONFIG', 'GET', 'maxmemory']),
        match: { regex: '^maxmemory\\s+^2097152$' },
      },
      {
        name: 'maxmemory-policy',
        expect: 'redis-cli CONFIG GET maxmemory-policy returns allkeys-lru',
        run: exec('redis', ['redis-cli', 'CONFIG', 'GET', 'maxmemory-policy']),
        match: { regex: '^allkeys-lru$' },
      },
    ],
  },
  {
    id: 'external-ip',
    title: 'Exposing an External IP Address to Access an Application in a Cluster',
    build: (chart, s, copy) =>
      new ExternalIp(chart, 'app', {
        ...copy,
        loadBalancerIP: reservedAddress(s.loadBalancerAddresses, 'external-ip/my-service'),
      }),
    checks: [
      {
        name: 'hello world',
        expect: 'curl http://<external-ip>:8080 answers Hello, world!',
        run: curlJob('curl -sS http://my-service:8080/'),
        match: { regex: '^Hello, world!$' },
        // Stryker disable next-line StringLiteral: what the check does not prove, printed by --list for people
        note: 'through the Service name from inside the cluster, not the external address',
      },
    ],
  },
  {
    id: 'statefulset-basics',
    title: 'StatefulSet Basics',
    build: (chart, _s, copy) => new StatefulSetBasics(chart, 'app', copy),
    checks: [
      {
        name: 'web-0 hostname',
        expect: 'kubectl exec web-0 -- sh -c hostname prints web-0',
        run: exec('web-0', ['sh', '-c', 'hostname']),
        match: { regex: '^web-0$' },
      },
      {
        name: 'web-1 hostname',
        expect: 'kubectl exec web-1 -- sh -c hostname prints web-1',
        run: exec('web-1', ['sh', '-c', 'hostname']),
        match: { regex: '^web-1$' },
      },
      {
        name: 'stable dns names',
        expect: "nslookup web-0.nginx and web-1.nginx from busybox:1.28 resolve to the Pods' addresses",
        run: { job: { image: BUSYBOX_IMAGE, command: ['sh', '-c', 'nslookup web-0.nginx && nslookup web-1.nginx'] } },
        // busybox 1.28: `Name: web-0.nginx` then `Address 1: <ip> web-0.nginx.<namespace>.svc.cluster.local`.
        match: {
          regex:
            '^Name:\\s+web-0\\.nginx\\s+^Address 1: \\S+ web-0\\.nginx\\.[\\s\\S]*^Name:\\s+web-1\\.nginx\\s+^Address 1: \\S+ web-1\\.nginx\\.',
        },
      },
    ],
  },
  {
    id: 'hello-minikube',
    title: 'Hello Minikube',
    build: (chart, s, copy) =>
      new HelloMinikube(chart, 'app', {
        ...copy,
        loadBalancerIP: reservedAddress(s.loadBalancerAddresses, 'hello-minikube/hello-node'),
      }),
    checks: [
      {
        name: 'hello world',
        expect: 'opening the hello-node Service answers Hello World!',
        run: curlJob('curl -sS http://hello-node:8080/'),
        match: { contains: 'Hello World!' },
      },
    ],
  },
  {
    id: 'kubernetes-bootcamp',
    title: 'Learn Kubernetes Basics',
    build: (chart, _s, copy) => new KubernetesBootcamp(chart, 'app', copy),
    checks: [
      {
        name: 'hello bootcamp',
        expect: 'curl to the kubernetes-bootcamp Service answers Hello Kubernetes bootcamp! | Running on: <pod>',
        run: curlJob('curl -sS http://kubernetes-bootcamp:8080/'),
        match: { regex: 'Hello Kubernetes bootcamp! \\| Running on: kubernetes-bootcamp-' },
      },
    ],
  },
  {
    id: 'pod-termination',
    title: 'Explore Termination Behavior for Pods and their Endpoints',
    build: (chart, _s, copy) => new PodTermination(chart, 'app', copy),
    checks: [
      {
        name: 'nginx answers',
        expect: 'the nginx-service endpoint serves the nginx welcome page',
        run: curlJob('curl -sS http://nginx-service/'),
        match: { contains: 'Welcome to nginx!' },
      },
    ],
  },
  {
    id: 'apparmor',
    title: 'AppArmor',
    build: (chart, _s, copy) => new AppArmor(chart, 'app', copy),
    checks: [
      {
        name: 'profile enforced',
        expect:
          'kubectl exec hello-apparmor -- cat /proc/1/attr/current prints k8s-apparmor-example-deny-write (enforce)',
        run: exec('hello-apparmor', ['cat', '/proc/1/attr/current']),
        match: { contains: 'k8s-apparmor-example-deny-write (enforce)' },
      },
      {
        name: 'write denied',
        expect: 'kubectl exec hello-apparmor -- touch /tmp/test fails with Permission denied',
        run: exec('hello-apparmor', ['sh', '-c', 'touch /tmp/test 2>&1; echo "exit=$?"']),
        match: { contains: 'Permission denied' },
      },
    ],
  },
  {
    id: 'blog-statefulset',
    title: 'Kubernetes StatefulSets (supergiant.io blog)',
    build: (chart, _s, copy) => new BlogStatefulSet(chart, 'app', copy),
    checks: [
      {
        name: 'httpd answers',
        // The claim is mounted over htdocs, so Apache lists the new, empty volume rather than its It works! page.
        expect:
          "httpd-service serves the document root from each Pod's claim (Apache's Index of / listing of the new volume)",
        run: curlJob('curl -sS http://httpd-service/'),
        match: { regex: '<h1>Index of /</h1>' },
      },
    ],
  },
  {
    id: 'blog-storage',
    title: 'Persistent Volumes and Kubernetes Volumes (supergiant.io blog)',
    build: (chart, _s, copy) => {
      new BlogStorage(chart, 'persistent-volume', copy);
      new BlogSidecarLogging(chart, 'sidecar-logging', copy);
    },
    checks: [
      {
        name: 'nginx answers',
        expect:
          'the sidecar-logging Service answers with nginx (the request the busybox sidecar then shows in its log)',
        run: curlJob('curl -sS -o /dev/null -w "%{http_code}" http://sidecar-logging/'),
        match: { regex: '^200$' },
        // Stryker disable next-line StringLiteral: what the check does not prove, printed by --list for people
        note: "shows the request is served; the sidecar's log stream is read with kubectl logs sidecar-logging -c busybox, not by verify",
      },
    ],
  },
  {
    id: 'blog-networking',
    title: 'Kubernetes Networking: Services (supergiant.io blog)',
    build: (chart, _s, copy) => new BlogNetworking(chart, 'app', copy),
    checks: [
      {
        name: 'service answers',
        expect: 'curl tut-service:4000 from the client Pod prints Hello from <a backend Pod>',
        run: curlJob('curl -sS http://tut-service:4000/'),
        match: { regex: 'Hello from service-tut-deployment-' },
      },
      {
        name: 'multi-port service',
        expect: 'tut-service-multiport answers on port 80 and on port 8080',
        run: curlJob('curl -sS http://tut-service-multiport:80/ && curl -sS http://tut-service-multiport:8080/'),
        match: { lines: { regex: 'Hello from service-tut-deployment-', count: 2 } },
      },
    ],
  },
  {
    id: 'kubia',
    title: 'Kubernetes in Action: the kubia examples',
    build: (chart, s, copy) =>
      new Kubia(chart, 'app', {
        ...copy,
        loadBalancerIP: reservedAddress(s.loadBalancerAddresses, 'kubia/kubia-loadbalancer'),
      }),
    checks: [
      {
        name: 'kubia answers',
        expect: "curl to the kubia Service answers You've hit kubia-<pod>",
        run: curlJob('curl -sS http://kubia/'),
        match: { regex: "You've hit kubia-" },
      },
    ],
  },
];
