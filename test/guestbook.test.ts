import { FrontendHostLookup, Guestbook, GuestbookProps, ServiceType } from '../lib';
import { K8sObject, findAll, findOne, harnessFindings, synthConstructs, synthTutorial } from './harness';

const env = (container: any): Record<string, string> =>
  Object.fromEntries((container.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
const containerOf = (deploy: K8sObject) => deploy.spec.template.spec.containers[0];

describe('guestbook chart', () => {
  const { docs, yaml } = synthTutorial('guestbook');
  const deploy = (name: string) => findOne(docs, 'Deployment', name);
  const svc = (name: string) => findOne(docs, 'Service', name);

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it("writes the tutorial's six objects in its apply order", () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Deployment/redis-master',
      'Service/redis-master',
      'Deployment/redis-slave',
      'PodDisruptionBudget/redis-slave-pdb',
      'Service/redis-slave',
      'Deployment/frontend',
      'PodDisruptionBudget/frontend-pdb',
      'Service/frontend',
    ]);
  });

  it.each([
    ['redis-master', 'master', 1, { app: 'redis', role: 'master', tier: 'backend' }],
    ['redis-slave', 'slave', 2, { app: 'redis', role: 'slave', tier: 'backend' }],
    ['frontend', 'php-redis', 3, { app: 'guestbook', tier: 'frontend' }],
  ])('%s: container %s, %i replicas, selected by exactly %j', (name, container, replicas, labels) => {
    const d = deploy(name);
    expect(d.spec.replicas).toBe(replicas);
    expect(d.spec.selector).toEqual({ matchLabels: labels });
    expect(d.spec.template.metadata.labels).toEqual(labels);
    expect(svc(name).spec.selector).toEqual(labels);
    expect(svc(name).metadata.labels).toEqual(labels);
    expect(containerOf(d).name).toBe(container);
    expect(containerOf(d).resources).toEqual({ requests: { cpu: '100m', memory: '100Mi' } });
  });

  it("labels every Deployment and Service for the tutorial's `kubectl delete -l app=redis` / `-l app=guestbook` clean-up", () => {
    const byApp = (app: string) =>
      docs
        .filter((d) => d.metadata.labels?.app === app)
        .map((d) => `${d.kind}/${d.metadata.name}`)
        .sort();
    expect(byApp('redis')).toEqual([
      'Deployment/redis-master',
      'Deployment/redis-slave',
      'Service/redis-master',
      'Service/redis-slave',
    ]);
    expect(byApp('guestbook')).toEqual(['Deployment/frontend', 'Service/frontend']);
    expect(deploy('redis-master').metadata.labels).toEqual({ app: 'redis' });
    expect(deploy('frontend').metadata.labels).toEqual({ app: 'guestbook' });
  });

  it('exposes Redis on 6379 and the frontend on 80 through a NodePort Service, matching the container ports', () => {
    expect(svc('redis-master').spec.ports).toEqual([{ port: 6379, targetPort: 6379, protocol: 'TCP' }]);
    expect(svc('redis-slave').spec.ports).toEqual([{ port: 6379, protocol: 'TCP' }]);
    expect(svc('frontend').spec.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect(svc('frontend').spec.type).toBe('NodePort');
    expect(svc('redis-master').spec.type).toBeUndefined();
    for (const name of ['redis-master', 'redis-slave', 'frontend']) {
      const target = svc(name).spec.ports[0].targetPort ?? svc(name).spec.ports[0].port;
      expect(containerOf(deploy(name)).ports).toEqual([{ containerPort: target }]);
    }
  });

  it('points the replicas at the redis-master Service by name', () => {
    const slave = containerOf(deploy('redis-slave'));
    const master = slave.args.indexOf('--replicaof');
    expect(master).toBeGreaterThanOrEqual(0);
    expect(slave.args.slice(master + 1)).toEqual([
      svc('redis-master').metadata.name,
      String(svc('redis-master').spec.ports[0].port),
    ]);
    // The official entrypoint handles the command only when it starts with redis-server.
    expect(slave.args[0]).toBe('redis-server');
    expect(env(slave)).toEqual({ GET_HOSTS_FROM: 'dns' });
  });

  it('makes gb-frontend v5 write to redis-master and read from redis-slave instead of redis-leader/redis-follower', () => {
    const frontend = containerOf(deploy('frontend'));
    expect(frontend.image).toBe('us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5');
    expect(env(frontend)).toEqual({
      GET_HOSTS_FROM: 'env',
      REDIS_LEADER_SERVICE_HOST: svc('redis-master').metadata.name,
      REDIS_FOLLOWER_SERVICE_HOST: svc('redis-slave').metadata.name,
    });
    expect(docs.some((d) => /redis-(leader|follower)/.test(d.metadata.name ?? ''))).toBe(false);
  });

  it('replaces the schema 1 redis:e2e and the deleted gb-frontend:v4 (decision D3)', () => {
    expect(containerOf(deploy('redis-master')).image).toBe('redis:6.0.5');
    expect(containerOf(deploy('redis-slave')).image).toBe('redis:6.0.5');
    expect(yaml).not.toMatch(/redis:e2e|gb-frontend:v4|gb-redisslave/);
  });

  it('runs Redis as uid 999 with only /data writable, and the frontend as root (decision D5)', () => {
    for (const name of ['redis-master', 'redis-slave']) {
      const pod = deploy(name).spec.template.spec;
      const c = pod.containers[0];
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 999,
        runAsGroup: 999,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 });
      const dataVolume = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/data')?.name;
      expect(pod.volumes.find((vol: { name: string }) => vol.name === dataVolume)).toEqual({
        name: dataVolume,
        emptyDir: {},
      });
    }
    const frontend = deploy('frontend').spec.template.spec;
    expect(frontend.securityContext.runAsNonRoot).toBe(false);
    expect(frontend.containers[0].securityContext).toMatchObject({
      runAsNonRoot: false,
      readOnlyRootFilesystem: false,
    });
    for (const d of findAll(docs, 'Deployment')) {
      const c = containerOf(d);
      expect([d.metadata.name, c.startupProbe, c.livenessProbe, c.readinessProbe]).toEqual([
        d.metadata.name,
        undefined,
        undefined,
        undefined,
      ]);
    }
  });
});

describe('Guestbook props', () => {
  it("scales the frontend (the tutorial's kubectl scale) while the Service still selects it, leaving Redis alone", () => {
    const result = synthConstructs((c) => new Guestbook(c, 'app', { replicas: 5 }));
    expect(harnessFindings(result)).toEqual([]);
    expect(findOne(result.docs, 'Deployment', 'frontend').spec.replicas).toBe(5);
    expect(findOne(result.docs, 'Deployment', 'redis-master').spec.replicas).toBe(1);
    expect(findOne(result.docs, 'Deployment', 'redis-slave').spec.replicas).toBe(2);
  });

  it("switches the frontend to LoadBalancer with a reserved address, as the tutorial's optional step does", () => {
    const result = synthConstructs(
      (c) =>
        new Guestbook(c, 'app', {
          serviceType: ServiceType.LOAD_BALANCER,
          loadBalancerIP: '203.0.113.20',
          slaveReplicas: 3,
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    expect(findOne(result.docs, 'Service', 'frontend').spec).toMatchObject({
      type: 'LoadBalancer',
      loadBalancerIP: '203.0.113.20',
    });
    expect(findOne(result.docs, 'Deployment', 'redis-slave').spec.replicas).toBe(3);
  });

  it("writes the tutorial's images with exactly its environment and no replica arguments", () => {
    const result = synthConstructs(
      (c) =>
        new Guestbook(c, 'app', {
          masterImage: Guestbook.TUTORIAL_MASTER_IMAGE,
          slaveImage: Guestbook.TUTORIAL_SLAVE_IMAGE,
          frontendImage: Guestbook.TUTORIAL_FRONTEND_IMAGE,
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const frontend = containerOf(findOne(result.docs, 'Deployment', 'frontend'));
    const slave = containerOf(findOne(result.docs, 'Deployment', 'redis-slave'));
    expect(frontend.image).toBe('gcr.io/google-samples/gb-frontend:v4');
    expect(env(frontend)).toEqual({ GET_HOSTS_FROM: 'dns' });
    expect(slave.image).toBe('gcr.io/google_samples/gb-redisslave:v3');
    expect(slave.args).toBeUndefined();
    expect(containerOf(findOne(result.docs, 'Deployment', 'redis-master')).image).toBe('registry.k8s.io/redis:e2e');
  });

  it.each([
    Guestbook.FRONTEND_IMAGE,
    'gcr.io/google_samples/gb-frontend:v5',
    'gb-frontend:v5', // loaded into the nodes by hand (kind load, minikube image load)
    `us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5@sha256:${'0'.repeat(64)}`,
  ])('points an explicitly chosen v5 frontend (%s) at redis-master/redis-slave too', (frontendImage) => {
    const { docs } = synthConstructs((c) => new Guestbook(c, 'app', { frontendImage }));
    expect(env(containerOf(findOne(docs, 'Deployment', 'frontend')))).toEqual({
      GET_HOSTS_FROM: 'env',
      REDIS_LEADER_SERVICE_HOST: 'redis-master',
      REDIS_FOLLOWER_SERVICE_HOST: 'redis-slave',
    });
  });

  it.each(['redis:6.2.14', 'docker.io/library/redis:7.2', 'docker.io/redis:7.2', 'redis'])(
    'still makes a pinned official image (%s) replicate from redis-master',
    (slaveImage) => {
      const { docs } = synthConstructs((c) => new Guestbook(c, 'app', { slaveImage }));
      expect(containerOf(findOne(docs, 'Deployment', 'redis-slave')).args).toEqual([
        'redis-server',
        '--replicaof',
        'redis-master',
        '6379',
      ]);
    },
  );

  it.each(['registry.example.com/redis:7', 'bitnami/redis:7', 'myredis:7', 'redis-stack:7'])(
    "treats only Docker Hub's redis as the official image: %s keeps its own command",
    (slaveImage) => {
      const { docs } = synthConstructs((c) => new Guestbook(c, 'app', { slaveImage }));
      expect(containerOf(findOne(docs, 'Deployment', 'redis-slave')).args).toBeUndefined();
    },
  );

  it("leaves the image's own command for an empty slaveArgs, writing no empty list", () => {
    const { docs } = synthConstructs((c) => new Guestbook(c, 'app', { slaveArgs: [] }));
    expect(containerOf(findOne(docs, 'Deployment', 'redis-slave'))).not.toHaveProperty('args');
  });

  it('points the replicas at the prefixed master, and prefixes nothing else of their command', () => {
    const { docs } = synthConstructs((c) => new Guestbook(c, 'app', { namePrefix: 'team-a' }));
    expect(containerOf(findOne(docs, 'Deployment', 'team-a-redis-slave')).args).toEqual([
      'redis-server',
      '--replicaof',
      'team-a-redis-master',
      '6379',
    ]);
  });

  it("keeps the tutorial's DNS lookup for a frontend tag that only starts with v5", () => {
    const { docs } = synthConstructs(
      (c) => new Guestbook(c, 'app', { frontendImage: 'registry.example.com/gb-frontend:v51' }),
    );
    expect(env(containerOf(findOne(docs, 'Deployment', 'frontend')))).toEqual({ GET_HOSTS_FROM: 'dns' });
  });

  it('keeps GET_HOSTS_FROM=dns on v5 when asked (the image then dials redis-leader)', () => {
    const { docs } = synthConstructs((c) => new Guestbook(c, 'app', { frontendHostLookup: FrontendHostLookup.DNS }));
    expect(env(containerOf(findOne(docs, 'Deployment', 'frontend')))).toEqual({ GET_HOSTS_FROM: 'dns' });
  });

  it('follows the namespace on every object and in its DNS names, and honours the mirror setting', () => {
    const result = synthConstructs((c) => {
      c.node.setContext('imageRegistry', 'mirror.example.com/hub');
      const gb = new Guestbook(c, 'app', { namespace: 'guestbook' });
      expect(gb.masterDnsName).toBe('redis-master.guestbook.svc.cluster.local');
      expect(gb.slaveDnsName).toBe('redis-slave.guestbook.svc.cluster.local');
    });
    expect(harnessFindings(result)).toEqual([]);
    expect(new Set(result.docs.map((d) => d.metadata.namespace))).toEqual(new Set(['guestbook']));
    expect(containerOf(findOne(result.docs, 'Deployment', 'redis-master')).image).toBe(
      'mirror.example.com/hub/library/redis:6.0.5',
    );
    expect(containerOf(findOne(result.docs, 'Deployment', 'frontend')).image).toBe(
      'mirror.example.com/hub/google-samples/containers/gke/gb-frontend:v5',
    );
  });

  it.each([
    [{ replicas: 0 }, /Guestbook at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ replicas: 2.5 }, /Guestbook at 'test\/app': prop 'replicas' is 2.5; must be an integer between 1 and 1000/],
    [
      { slaveReplicas: -1 },
      /Guestbook at 'test\/app': prop 'slaveReplicas' is -1; must be an integer between 1 and 1000/,
    ],
    [
      { namespace: 'Guest_Book' },
      /Guestbook at 'test\/app': prop 'namespace' is "Guest_Book"; must be an RFC 1123 label/,
    ],
    [
      { serviceType: ServiceType.EXTERNAL_NAME },
      /Guestbook at 'test\/app': prop 'serviceType' is "ExternalName"; must be one of "ClusterIP", "NodePort", "LoadBalancer"/,
    ],
    [
      { loadBalancerIP: '203.0.113.20' },
      /Guestbook at 'test\/app': prop 'loadBalancerIP' is "203.0.113.20"; is only valid with serviceType LoadBalancer/,
    ],
    [{ masterImage: 'Redis' }, /Guestbook at 'test\/app': prop 'masterImage' is "Redis"; must be an image reference/],
    [{ slaveImage: 'Redis' }, /Guestbook at 'test\/app': prop 'slaveImage' is "Redis"; must be an image reference/],
    [
      { frontendImage: 'GB Frontend' },
      /Guestbook at 'test\/app': prop 'frontendImage' is "GB Frontend"; must be an image reference/,
    ],
    [
      { frontendHostLookup: 'hosts' as FrontendHostLookup },
      /Guestbook at 'test\/app': prop 'frontendHostLookup' is "hosts"; must be one of "dns", "leader-follower-env"/,
    ],
    [
      { namePrefix: 'team-a', frontendHostLookup: FrontendHostLookup.DNS },
      /Guestbook at 'test\/app': prop 'namePrefix' is "team-a"; cannot be combined with frontendHostLookup "dns": that frontend dials the fixed names redis-master and redis-slave/,
    ],
  ] as [GuestbookProps, RegExp][])(
    'refuses %j with a message naming construct, prop, value and rule',
    (props, message) => {
      expect(() => synthConstructs((c) => new Guestbook(c, 'app', props))).toThrow(message);
    },
  );
});
