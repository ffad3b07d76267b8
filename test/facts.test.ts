import { TUTORIAL_CHARTS } from '../apps/charts';
import {
  AppArmor,
  BlogNetworking,
  BlogSidecarLogging,
  BlogStatefulSet,
  BlogStorage,
  BootcampVersion,
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
  splitImage,
} from '../lib';
import { K8sObject, containersOf, podTemplates, synthTutorial } from './harness';

/**
 * Facts that decide how a workload behaves on a cluster, asserted by name rather than left to
 * the snapshots: probe timings, grace periods, the users and groups Pods run as, and the
 * resources where the tutorial states them. Values are the tutorial's (seed line given), or a
 * decision with its reason. Every probe timing, grace period and user or group id in the output
 * must be named here (or follow the image-user rule below), so a new or changed one fails by name.
 * Demo resources that no tutorial states are left out.
 */

type Fact = readonly [value: unknown, source: string];

/** `<chart> <Kind>/<name> <container or "pod"> <field path>`: value, and where it comes from. */
const FACTS: Record<string, Fact> = {
  // ZooKeeper (seed S001 L5691-5692, L5897-5904, L5985-5992; resources L5501 ff.)
  'zookeeper StatefulSet/zk pod securityContext.runAsUser': [1000, 'tutorial: UID 1000 is the zookeeper user'],
  'zookeeper StatefulSet/zk pod securityContext.fsGroup': [1000, 'tutorial: the data volume belongs to GID 1000'],
  'zookeeper StatefulSet/zk kubernetes-zookeeper livenessProbe.exec.command': [
    ['sh', '-c', 'zookeeper-ready 2181'],
    'tutorial',
  ],
  'zookeeper StatefulSet/zk kubernetes-zookeeper livenessProbe.initialDelaySeconds': [15, 'tutorial (seed prose)'],
  'zookeeper StatefulSet/zk kubernetes-zookeeper livenessProbe.timeoutSeconds': [5, 'tutorial'],
  'zookeeper StatefulSet/zk kubernetes-zookeeper readinessProbe.exec.command': [
    ['sh', '-c', 'zookeeper-ready 2181'],
    'tutorial: identical to the liveness probe',
  ],
  'zookeeper StatefulSet/zk kubernetes-zookeeper readinessProbe.initialDelaySeconds': [15, 'tutorial (seed prose)'],
  'zookeeper StatefulSet/zk kubernetes-zookeeper readinessProbe.timeoutSeconds': [5, 'tutorial'],
  'zookeeper StatefulSet/zk kubernetes-zookeeper resources.requests': [{ cpu: '0.5', memory: '1Gi' }, 'tutorial'],
  // Cassandra (seed S001 L4602-4626; the upstream manifest's probe)
  'cassandra StatefulSet/cassandra pod terminationGracePeriodSeconds': [1800, 'tutorial: time for nodetool drain'],
  'cassandra StatefulSet/cassandra cassandra resources.limits': [{ cpu: '500m', memory: '1Gi' }, 'tutorial'],
  'cassandra StatefulSet/cassandra cassandra resources.requests': [{ cpu: '500m', memory: '1Gi' }, 'tutorial'],
  'cassandra StatefulSet/cassandra cassandra securityContext.capabilities.add': [['IPC_LOCK'], 'tutorial'],
  'cassandra StatefulSet/cassandra cassandra lifecycle.preStop.exec.command': [
    ['/bin/sh', '-c', 'nodetool drain'],
    'tutorial',
  ],
  'cassandra StatefulSet/cassandra cassandra readinessProbe.exec.command': [
    ['/bin/bash', '-c', '/ready-probe.sh'],
    'tutorial',
  ],
  'cassandra StatefulSet/cassandra cassandra readinessProbe.initialDelaySeconds': [15, 'tutorial'],
  'cassandra StatefulSet/cassandra cassandra readinessProbe.timeoutSeconds': [
    10,
    'tutorial says 5; nodetool starts a second JVM inside the 500m limit, and a timed-out probe holds back the next ordinal',
  ],
  // Guestbook (seed S001 L1151, L1286, L1432): every tier requests 100m and 100Mi.
  'guestbook Deployment/redis-master master resources.requests': [{ cpu: '100m', memory: '100Mi' }, 'tutorial'],
  'guestbook Deployment/redis-slave slave resources.requests': [{ cpu: '100m', memory: '100Mi' }, 'tutorial'],
  'guestbook Deployment/frontend php-redis resources.requests': [{ cpu: '100m', memory: '100Mi' }, 'tutorial'],
  // Redis ConfigMap (seed S001 L801): a CPU limit of 0.1. Requests added (docs/images.md,
  // "Requests per image"): the CPU request equal to the tutorial's limit (Kubernetes would copy
  // it anyway), and 32Mi of memory so the Pod is not BestEffort.
  'redis-config Pod/redis redis resources': [
    { limits: { cpu: '0.1' }, requests: { cpu: '0.1', memory: '32Mi' } },
    'tutorial limit; requests per docs/images.md',
  ],
  // Guestbook logging: the Beats manifests the tutorial applies.
  'guestbook-logging DaemonSet/metricbeat metricbeat resources': [
    { limits: { memory: '200Mi' }, requests: { cpu: '100m', memory: '100Mi' } },
    "tutorial's metricbeat manifest",
  ],
  'guestbook-logging Deployment/metricbeat metricbeat resources': [
    { limits: { memory: '200Mi' }, requests: { cpu: '100m', memory: '100Mi' } },
    "tutorial's metricbeat manifest",
  ],
  'guestbook-logging Deployment/kube-state-metrics kube-state-metrics livenessProbe.initialDelaySeconds': [
    5,
    "kube-state-metrics' own manifest",
  ],
  'guestbook-logging Deployment/kube-state-metrics kube-state-metrics livenessProbe.timeoutSeconds': [
    5,
    "kube-state-metrics' own manifest",
  ],
  'guestbook-logging Deployment/kube-state-metrics kube-state-metrics readinessProbe.initialDelaySeconds': [
    5,
    "kube-state-metrics' own manifest",
  ],
  'guestbook-logging Deployment/kube-state-metrics kube-state-metrics readinessProbe.timeoutSeconds': [
    5,
    "kube-state-metrics' own manifest",
  ],
  // Pod termination (seed S000 L77, S002 L697): 120 s grace, a preStop sleep longer than that.
  'pod-termination Deployment/nginx-deployment pod terminationGracePeriodSeconds': [120, 'tutorial'],
  'pod-termination Deployment/nginx-deployment nginx lifecycle.preStop.exec.command': [
    ['/bin/sh', '-c', 'sleep 180'],
    'tutorial',
  ],
  // The StatefulSet blog post (seed S003): terminationGracePeriodSeconds 10.
  'blog-statefulset StatefulSet/apache-http pod terminationGracePeriodSeconds': [10, 'tutorial'],
};

/**
 * The user (and group) each image runs as (decision D5: a container keeps its image's own
 * user, stated so that runAsNonRoot can hold). Keys are image paths without tag or registry.
 */
const IMAGE_USERS: Record<string, { user: number; group?: number }> = {
  'curlimages/curl': { user: 100, group: 101 },
  redis: { user: 999, group: 999 },
  'library/redis': { user: 999, group: 999 },
  'google-samples/gb-redis-follower': { user: 999, group: 999 },
  'google-samples/gb-redis-leader': { user: 999, group: 999 },
  'google_samples/gb-redisslave': { user: 999, group: 999 },
  'gke/hello-app': { user: 65532, group: 65532 },
  'e2e-test-images/agnhost': { user: 65534, group: 65534 },
  'minikube/kubernetes-bootcamp': { user: 65534, group: 65534 },
  busybox: { user: 65534, group: 65534 },
  'library/busybox': { user: 65534, group: 65534 },
  'luksa/kubia': { user: 1000 },
  'luksa/ssd-monitor': { user: 65534 },
  'luksa/batch-job': { user: 65534 },
  'kube-state-metrics/kube-state-metrics': { user: 65534 },
  // The tutorial's Beats manifests run them as root (`runAsUser: 0`) to read the nodes' logs.
  'beats/filebeat': { user: 0 },
  'beats/metricbeat': { user: 0 },
  'beats/packetbeat': { user: 0 },
};

function imageUser(image: string): { user: number; group?: number } | undefined {
  const { path } = splitImage(image);
  const bare = path.replace(/[:@].*$/, '');
  const key = Object.keys(IMAGE_USERS).find((k) => bare === k || bare.endsWith(`/${k}`));
  return key ? IMAGE_USERS[key] : undefined;
}

const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<any>((v, k) => (v === undefined || v === null ? undefined : v[k]), o);

/** Every fact-worthy field of a chart's output, keyed as FACTS is. */
function observed(chart: string, docs: K8sObject[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const put = (key: string, value: unknown) => {
    if (value !== undefined) out.set(key, value);
  };
  for (const pod of podTemplates(docs)) {
    const owner = `${chart} ${pod.owner.kind}/${pod.owner.metadata.name}`;
    const tgps = pod.podSpec.terminationGracePeriodSeconds;
    if (tgps !== undefined && tgps !== 30) put(`${owner} pod terminationGracePeriodSeconds`, tgps);
    for (const f of ['runAsUser', 'runAsGroup', 'fsGroup'])
      put(`${owner} pod securityContext.${f}`, pod.podSpec.securityContext?.[f]);
    for (const c of containersOf(pod.podSpec)) {
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'])
        for (const f of [
          'initialDelaySeconds',
          'timeoutSeconds',
          'periodSeconds',
          'failureThreshold',
          'successThreshold',
          'terminationGracePeriodSeconds',
        ])
          put(`${owner} ${c.name} ${probe}.${f}`, c[probe]?.[f]);
      for (const f of ['runAsUser', 'runAsGroup'])
        put(`${owner} ${c.name} securityContext.${f}`, c.securityContext?.[f]);
    }
  }
  return out;
}

const charts = TUTORIAL_CHARTS.map((c) => ({ id: c.id, docs: synthTutorial(c.id).docs }));

function valueOf(key: string): unknown {
  const [chart, owner, container, path] = key.split(' ');
  const docs = charts.find((c) => c.id === chart)?.docs ?? [];
  const pod = podTemplates(docs).find((p) => `${p.owner.kind}/${p.owner.metadata.name}` === owner);
  if (!pod) return `no ${owner} in ${chart}`;
  if (container === 'pod') return get(pod.podSpec, path);
  const c = containersOf(pod.podSpec).find((x) => x.name === container);
  return c ? get(c, path) : `no container ${container} in ${owner}`;
}

describe('facts that matter on a cluster, by name', () => {
  it.each(Object.entries(FACTS))('%s', (key, [value]) => {
    expect(valueOf(key)).toEqual(value);
  });

  it.each(charts.map((c) => [c.id, c.docs] as const))(
    '%s: every container that sets a user runs as its image user, with its group',
    (_id, docs) => {
      for (const pod of podTemplates(docs)) {
        for (const c of containersOf(pod.podSpec)) {
          const user = c.securityContext?.runAsUser ?? pod.podSpec.securityContext?.runAsUser;
          if (
            user === undefined ||
            FACTS[`${_id} ${pod.owner.kind}/${pod.owner.metadata.name} pod securityContext.runAsUser`]
          )
            continue;
          const expected = imageUser(c.image);
          expect([c.name, c.image, user]).toEqual([c.name, c.image, expected?.user]);
          const group = c.securityContext?.runAsGroup ?? pod.podSpec.securityContext?.runAsGroup;
          if (group !== undefined) expect([c.name, c.image, group]).toEqual([c.name, c.image, expected?.group]);
          // A non-root user is declared as such, so the kubelet refuses an image that turns out to be root.
          if (user !== 0)
            expect([c.name, c.securityContext?.runAsNonRoot ?? pod.podSpec.securityContext?.runAsNonRoot]).toEqual([
              c.name,
              true,
            ]);
        }
      }
    },
  );

  it('names every probe timing, grace period and pod-level user or group in the output', () => {
    const unnamed: string[] = [];
    for (const { id, docs } of charts)
      for (const [key, value] of observed(id, docs)) {
        const containerUser = / securityContext\.runAs(User|Group)$/.test(key) && !key.includes(' pod ');
        const podUser = / pod securityContext\.runAs(User|Group)$/.test(key);
        // Users and groups follow the image-user rule above unless a fact names them.
        if (!(key in FACTS) && !containerUser && !podUser) unnamed.push(`${key}: ${JSON.stringify(value)}`);
      }
    expect(unnamed).toEqual([]);
  });

  it('has no fact for an object or container the output does not have', () => {
    expect(
      Object.keys(FACTS).filter((k) => {
        const v = valueOf(k);
        return typeof v === 'string' && /^no /.test(v);
      }),
    ).toEqual([]);
  });
});

/**
 * The images each tutorial's own text names, which every construct keeps one prop away
 * (decision D3). Written from the tutorials (the seed, or the upstream manifest the seed notes
 * fill in), not from lib/: a constant that drifts from its tutorial fails by name.
 */
describe("the tutorials' own images, one prop away (decision D3)", () => {
  it.each<[string, string, string]>([
    ['HelloMinikube.TUTORIAL_IMAGE', 'gcr.io/hello-minikube-zero-install/hello-node', HelloMinikube.TUTORIAL_IMAGE],
    [
      'KubernetesBootcamp v1',
      'gcr.io/google-samples/kubernetes-bootcamp:v1',
      KubernetesBootcamp.TUTORIAL_IMAGES[BootcampVersion.V1],
    ],
    [
      'KubernetesBootcamp v2',
      'jocatalin/kubernetes-bootcamp:v2',
      KubernetesBootcamp.TUTORIAL_IMAGES[BootcampVersion.V2],
    ],
    ['ExternalIp.TUTORIAL_IMAGE', 'gcr.io/google-samples/node-hello:1.0', ExternalIp.TUTORIAL_IMAGE],
    ['RedisConfig.TUTORIAL_IMAGE', 'redis:5.0.4', RedisConfig.TUTORIAL_IMAGE],
    ['StatefulSetBasics.TUTORIAL_IMAGE', 'registry.k8s.io/nginx-slim:0.8', StatefulSetBasics.TUTORIAL_IMAGE],
    ['ZooKeeper.TUTORIAL_IMAGE', 'registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10', ZooKeeper.TUTORIAL_IMAGE],
    ['Cassandra.TUTORIAL_IMAGE', 'gcr.io/google-samples/cassandra:v13', Cassandra.TUTORIAL_IMAGE],
    ['Guestbook.TUTORIAL_MASTER_IMAGE', 'registry.k8s.io/redis:e2e', Guestbook.TUTORIAL_MASTER_IMAGE],
    ['Guestbook.TUTORIAL_SLAVE_IMAGE', 'gcr.io/google_samples/gb-redisslave:v3', Guestbook.TUTORIAL_SLAVE_IMAGE],
    ['Guestbook.TUTORIAL_FRONTEND_IMAGE', 'gcr.io/google-samples/gb-frontend:v4', Guestbook.TUTORIAL_FRONTEND_IMAGE],
    ['GuestbookLogging filebeat', 'docker.elastic.co/beats/filebeat:6.7.1', GuestbookLogging.TUTORIAL_IMAGES.filebeat],
    [
      'GuestbookLogging metricbeat',
      'docker.elastic.co/beats/metricbeat:6.7.1',
      GuestbookLogging.TUTORIAL_IMAGES.metricbeat,
    ],
    [
      'GuestbookLogging packetbeat',
      'docker.elastic.co/beats/packetbeat:6.7.1',
      GuestbookLogging.TUTORIAL_IMAGES.packetbeat,
    ],
    ['WordPress.TUTORIAL_MYSQL_IMAGE', 'mysql:5.6', WordPress.TUTORIAL_MYSQL_IMAGE],
    ['WordPress.TUTORIAL_WORDPRESS_IMAGE', 'wordpress:4.8-apache', WordPress.TUTORIAL_WORDPRESS_IMAGE],
    ['SourceIp.TUTORIAL_IMAGE', 'registry.k8s.io/echoserver:1.4', SourceIp.TUTORIAL_IMAGE],
    ['NginxHttps.TUTORIAL_SECURE_IMAGE', 'bprashanth/nginxhttps:1.0', NginxHttps.TUTORIAL_SECURE_IMAGE],
    ['NginxHttps.TUTORIAL_PLAIN_IMAGE', 'nginx', NginxHttps.TUTORIAL_PLAIN_IMAGE],
    ['NginxHttps.TUTORIAL_CURL_IMAGE', 'radial/busyboxplus:curl', NginxHttps.TUTORIAL_CURL_IMAGE],
    ['PodTermination.TUTORIAL_IMAGE', 'nginx:latest', PodTermination.TUTORIAL_IMAGE],
    ['AppArmor.TUTORIAL_IMAGE', 'busybox', AppArmor.TUTORIAL_IMAGE],
    ['BlogStatefulSet.TUTORIAL_IMAGE', 'httpd:latest', BlogStatefulSet.TUTORIAL_IMAGE],
    ['BlogStorage.TUTORIAL_IMAGE', 'httpd:latest', BlogStorage.TUTORIAL_IMAGE],
    ['BlogSidecarLogging.TUTORIAL_NGINX_IMAGE', 'nginx:latest', BlogSidecarLogging.TUTORIAL_NGINX_IMAGE],
    ['BlogSidecarLogging.TUTORIAL_BUSYBOX_IMAGE', 'busybox', BlogSidecarLogging.TUTORIAL_BUSYBOX_IMAGE],
    ['BlogNetworking.TUTORIAL_IMAGE', 'python:2.7', BlogNetworking.TUTORIAL_IMAGE],
    ['BlogNetworking.TUTORIAL_CLIENT_IMAGE', 'appropriate/curl', BlogNetworking.TUTORIAL_CLIENT_IMAGE],
    ['Kubia.TUTORIAL_IMAGE', 'luksa/kubia', Kubia.TUTORIAL_IMAGE],
    ['Kubia.TUTORIAL_SSD_MONITOR_IMAGE', 'luksa/ssd-monitor', Kubia.TUTORIAL_SSD_MONITOR_IMAGE],
    ['Kubia.TUTORIAL_BATCH_JOB_IMAGE', 'luksa/batch-job', Kubia.TUTORIAL_BATCH_JOB_IMAGE],
  ])("%s is the tutorial's %s", (_, tutorial, actual) => {
    expect(actual).toBe(tutorial);
  });
});
