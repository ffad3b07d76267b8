import { RedisConfig, RedisMaxmemoryPolicy } from '../lib';
import { findOne, harnessFindings, synthConstructs, synthTutorial } from './harness';

// The tutorial's pods/config/redis-config file, as the seed text prints it.
const TUTORIAL_REDIS_CONFIG = 'maxmemory 2mb\nmaxmemory-policy allkeys-lru\n';

describe('redis-config chart', () => {
  const { docs, yaml } = synthTutorial('redis-config');
  const cm = findOne(docs, 'ConfigMap', 'example-redis-config');
  const pod = findOne(docs, 'Pod', 'redis');
  const container = pod.spec.containers[0];
  const mountOf = (path: string) => container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === path);
  const volume = (name: string) => pod.spec.volumes.find((v: { name: string }) => v.name === name);

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('writes exactly the two objects, with the plain ConfigMap name (no kustomize hash)', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ConfigMap/example-redis-config', 'Pod/redis']);
    expect(cm.data).toEqual({ 'redis-config': TUTORIAL_REDIS_CONFIG });
  });

  it('mounts the redis-config key as /redis-master/redis.conf, the file redis-server is started with', () => {
    expect(container.command).toEqual(['redis-server', '/redis-master/redis.conf']);
    const config = volume(mountOf('/redis-master').name);
    expect(config.configMap).toEqual({
      name: 'example-redis-config',
      items: [{ key: 'redis-config', path: 'redis.conf' }],
    });
    expect(mountOf('/redis-master').name).toBe('config');
  });

  it('keeps the rest of the tutorial Pod: image, env, port, CPU limit and the data emptyDir', () => {
    expect(container.name).toBe('redis');
    expect(container.image).toBe('redis:5.0.4');
    expect(container.env).toEqual([{ name: 'MASTER', value: 'true' }]);
    expect(container.ports).toEqual([{ containerPort: 6379 }]);
    // The tutorial's CPU limit, plus a memory request so that the Pod is not BestEffort for memory.
    expect(container.resources).toEqual({ limits: { cpu: '0.1' }, requests: { cpu: '0.1', memory: '32Mi' } });
    expect(mountOf('/redis-master-data').name).toBe('data');
    expect(volume('data')).toEqual({ name: 'data', emptyDir: {} });
  });

  it("runs redis-server as the image's redis user with only /data writable (decision D5)", () => {
    // `command` bypasses the entrypoint that would drop root, so the Pod sets the user.
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 });
    expect(volume(mountOf('/data').name).emptyDir).toEqual({});
    expect(container.startupProbe).toBeUndefined();
    expect(pod.spec.automountServiceAccountToken).toBe(false);
  });
});

describe('RedisConfig props', () => {
  it('writes other config values into the same key, and passes the harness', () => {
    const result = synthConstructs(
      (c) =>
        new RedisConfig(c, 'app', {
          maxmemory: '100MB',
          maxmemoryPolicy: 'volatile-lfu',
          namespace: 'cache',
          cpuLimit: '700m',
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    expect(findOne(result.docs, 'ConfigMap', 'example-redis-config').data['redis-config']).toBe(
      'maxmemory 100MB\nmaxmemory-policy volatile-lfu\n',
    );
    const pod = findOne(result.docs, 'Pod', 'redis');
    expect(pod.metadata.namespace).toBe('cache');
    // The user's quantity, not a float rendering of it (700m once came out as 0.7000000000000001).
    expect(pod.spec.containers[0].resources.limits.cpu).toBe('700m');
  });

  it('honours the mirror setting for the image', () => {
    const { docs } = synthConstructs((c) => {
      c.node.setContext('imageRegistry', 'mirror.example.com/hub');
      new RedisConfig(c, 'app');
    });
    expect(findOne(docs, 'Pod', 'redis').spec.containers[0].image).toBe('mirror.example.com/hub/library/redis:5.0.4');
  });

  it.each([
    [{ maxmemory: '2 mb' }, /RedisConfig at 'test\/app': prop 'maxmemory' is "2 mb"; must be a Redis memory size/],
    [{ maxmemory: '2tb' }, /prop 'maxmemory' is "2tb"; must be a Redis memory size/],
    [{ maxmemory: 'max 2mb' }, /prop 'maxmemory' is "max 2mb"; must be a Redis memory size/],
    [{ maxmemory: '2Mi' }, /prop 'maxmemory' is "2Mi"; must be a Redis memory size/],
    [
      { maxmemoryPolicy: 'lru' as RedisMaxmemoryPolicy },
      /prop 'maxmemoryPolicy' is "lru"; must be one of "volatile-lru", "allkeys-lru"/,
    ],
    [{ cpuLimit: 'lots' }, /prop 'cpuLimit' is "lots"; must be a Kubernetes quantity/],
    [{ cpuLimit: '0' }, /prop 'cpuLimit' is "0"; must be a positive CPU quantity/],
    [{ namespace: 'Cache' }, /prop 'namespace' is "Cache"; must be an RFC 1123 label/],
    [{ image: 'Redis 5' }, /prop 'image' is "Redis 5"; must be an image reference/],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new RedisConfig(c, 'app', props))).toThrow(message);
  });
});
