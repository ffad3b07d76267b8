import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { barePodPriority } from './internal/disruption';
import { resolveImage } from './internal/images';
import { skipChecks } from './internal/scan';
import {
  ImageRuntime,
  podSecurity,
  runtimeDefaultSeccomp,
  tutorialContainer,
  withoutAddressLabel,
} from './internal/workload';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

/** Redis's `maxmemory-policy` values (Redis 4.0 and later; the tutorial's image is 5.0.4). */
export type RedisMaxmemoryPolicy =
  | 'volatile-lru'
  | 'allkeys-lru'
  | 'volatile-lfu'
  | 'allkeys-lfu'
  | 'volatile-random'
  | 'allkeys-random'
  | 'volatile-ttl'
  | 'noeviction';

export const REDIS_MAXMEMORY_POLICIES: readonly RedisMaxmemoryPolicy[] = [
  'volatile-lru',
  'allkeys-lru',
  'volatile-lfu',
  'allkeys-lfu',
  'volatile-random',
  'allkeys-random',
  'volatile-ttl',
  'noeviction',
];

export interface RedisConfigProps extends NamePrefixProps {
  /** Namespace for both objects. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /**
   * `maxmemory` in the ConfigMap, in Redis's own units (`b`, `k`, `kb`, `m`, `mb`, `g`, `gb`;
   * `mb` is 1024 * 1024 bytes). @default "2mb", as in the tutorial (CONFIG GET shows 2097152)
   */
  readonly maxmemory?: string;
  /** `maxmemory-policy` in the ConfigMap. @default "allkeys-lru", as in the tutorial */
  readonly maxmemoryPolicy?: RedisMaxmemoryPolicy;
  /** The Redis image. @default {@link RedisConfig.IMAGE}, the tutorial's `redis:5.0.4` */
  readonly image?: string;
  /** CPU limit of the Redis container, a Kubernetes quantity. @default "0.1", as in the tutorial */
  readonly cpuLimit?: string;
}

/** Every prop of {@link RedisConfigProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<RedisConfigProps>()(
  'namePrefix',
  'namespace',
  'maxmemory',
  'maxmemoryPolicy',
  'image',
  'cpuLimit',
);

/** The props of {@link RedisConfig} checked and completed with the tutorial's defaults. */
interface RedisConfigSettings {
  readonly namespace: string | undefined;
  readonly maxmemory: string;
  readonly policy: string;
  /** The CPU limit (and request), exactly as given. */
  readonly cpu: kplus.Cpu;
  readonly image: string;
}

/** The volumes of the Pod `redis`. */
interface RedisVolumes {
  readonly data: kplus.Volume;
  readonly config: kplus.Volume;
  readonly workdir: kplus.Volume;
}

/**
 * "Configuring Redis using a ConfigMap": the ConfigMap `example-redis-config` with a
 * `redis-config` key, and the Pod `redis` that mounts it as `/redis-master/redis.conf` and
 * starts `redis-server` with that file.
 *
 * The tutorial makes the ConfigMap with a kustomize `configMapGenerator`, which appends a
 * content hash (`example-redis-config-dgh9dg555m`) and rewrites the Pod's reference. Here the
 * ConfigMap keeps its plain name (decision D1), so after changing a config value the Pod has
 * to be recreated (`kubectl delete pod redis` and apply again) to read it, as Redis reads its
 * configuration file only at start.
 */
export class RedisConfig extends Construct {
  /** The tutorial's image; a Docker Hub official image with a schema 2 manifest (decision D3). */
  static readonly TUTORIAL_IMAGE = 'redis:5.0.4';
  /** The default image: the tutorial's. */
  static readonly IMAGE = RedisConfig.TUTORIAL_IMAGE;
  static readonly CONFIG_MAP_NAME = 'example-redis-config';
  /** The ConfigMap key, the file name of `configMapGenerator.files`. */
  static readonly CONFIG_KEY = 'redis-config';
  /** Where the ConfigMap is mounted, and the file the key becomes. */
  static readonly CONFIG_DIR = '/redis-master';
  static readonly CONFIG_FILE = 'redis.conf';
  /**
   * The UID and GID of the `redis` user in the official image (docker-library/redis 5.0
   * Dockerfile: `groupadd -r -g 999 redis && useradd -r -g redis -u 999 redis`).
   */
  static readonly REDIS_UID = 999;

  readonly configMap: kplus.ConfigMap;
  readonly pod: kplus.Pod;
  /** The text of `redis.conf`, as written into the ConfigMap. */
  readonly redisConfig: string;

  constructor(scope: Construct, id: string, props: RedisConfigProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    const s = this.settings(props);
    // The tutorial's pods/config/redis-config file, with its trailing newline.
    this.redisConfig = `maxmemory ${s.maxmemory}\nmaxmemory-policy ${s.policy}\n`;
    this.configMap = new kplus.ConfigMap(this, 'config-map', {
      metadata: { name: n.name(RedisConfig.CONFIG_MAP_NAME), namespace: s.namespace },
      data: { [RedisConfig.CONFIG_KEY]: this.redisConfig },
    });
    this.pod = this.addRedisPod(n, s, this.addVolumes(this.configMap));
  }

  /** The props checked and completed with the tutorial's defaults, before anything is written. */
  private settings(props: RedisConfigProps): RedisConfigSettings {
    const namespace = v.optionalNamespace(this, props.namespace);
    const maxmemory = props.maxmemory ?? '2mb';
    // Redis's memtoll(): digits with an optional case-insensitive unit; anything else makes
    // redis-server refuse the file at start ("Bad directive or wrong number of arguments").
    if (!/^\d+(b|k|kb|m|mb|g|gb)?$/i.test(maxmemory)) {
      v.fail(
        this,
        'maxmemory',
        maxmemory,
        'must be a Redis memory size: digits with an optional unit b, k, kb, m, mb, g or gb, such as "2mb"',
      );
    }
    const policy = v.oneOf(this, 'maxmemoryPolicy', props.maxmemoryPolicy ?? 'allkeys-lru', REDIS_MAXMEMORY_POLICIES);
    const cpuLimit = v.quantity(this, 'cpuLimit', props.cpuLimit ?? '0.1');
    if (!(v.parseQuantity(cpuLimit) > 0))
      v.fail(this, 'cpuLimit', cpuLimit, 'must be a positive CPU quantity such as "0.1" or "100m"');
    // The quantity exactly as given: Cpu.units() takes a float, which prints "700m" as
    // "0.7000000000000001" (700 * 0.001), a different limit once the API server rounds it up.
    const cpu = kplus.Cpu.units(0);
    cpu.amount = cpuLimit;
    const image = resolveImage(this, 'image', props.image ?? RedisConfig.IMAGE);
    return { namespace, maxmemory, policy, cpu, image };
  }

  /** The Pod's volumes: the tutorial's `data` and `config`, and Redis's working directory. */
  private addVolumes(configMap: kplus.ConfigMap): RedisVolumes {
    const data = kplus.Volume.fromEmptyDir(this, 'data', 'data');
    const config = kplus.Volume.fromConfigMap(this, 'config', configMap, {
      name: 'config',
      items: { [RedisConfig.CONFIG_KEY]: { path: RedisConfig.CONFIG_FILE } },
    });
    // redis-server's working directory is the image's WORKDIR /data: it writes dump.rdb there
    // when a save point is reached (the tutorial's config keeps Redis's default save points)
    // and on shutdown. With this emptyDir the root filesystem can stay read-only. The
    // tutorial's own `data` volume at /redis-master-data is not used by this configuration.
    const workdir = kplus.Volume.fromEmptyDir(this, 'workdir', 'workdir');
    return { data, config, workdir };
  }

  /** The Pod `redis`: redis-server started with the mounted `redis.conf`. */
  private addRedisPod(n: Names, s: RedisConfigSettings, { data, config, workdir }: RedisVolumes): kplus.Pod {
    const runtime: ImageRuntime = {
      user: RedisConfig.REDIS_UID,
      group: RedisConfig.REDIS_UID,
      writesRootFilesystem: false,
    };
    const pod = new kplus.Pod(this, 'pod', {
      metadata: { name: n.name('redis'), namespace: s.namespace },
      // The tutorial's `command` replaces the image's ENTRYPOINT (docker-entrypoint.sh), so
      // the entrypoint's usual step down from root to the `redis` user (gosu/su-exec) never
      // runs and redis-server would run as root. Running it as that user directly keeps
      // runAsNonRoot; it needs no root privilege: port 6379 is unprivileged, the ConfigMap
      // files are world-readable (mode 0644) and emptyDirs are world-writable.
      securityContext: podSecurity(runtime),
      containers: [
        tutorialContainer({
          name: 'redis',
          image: s.image,
          command: ['redis-server', `${RedisConfig.CONFIG_DIR}/${RedisConfig.CONFIG_FILE}`],
          envVariables: { MASTER: kplus.EnvValue.fromValue('true') },
          ports: [{ number: 6379 }],
          // The tutorial's CPU limit, written as the CPU request too (what Kubernetes would copy to
          // an unset request); 32Mi of memory requested (docs/images.md §10): redis-server idles at
          // a few MiB and maxmemory bounds its data, so no memory limit.
          resources: { cpu: { request: s.cpu, limit: s.cpu }, memory: { request: Size.mebibytes(32) } },
          volumeMounts: [
            { path: '/redis-master-data', volume: data },
            { path: RedisConfig.CONFIG_DIR, volume: config },
            { path: '/data', volume: workdir },
          ],
          // Numeric user (the image has no USER, so the kubelet could not check runAsNonRoot
          // otherwise); writes only to /data (above). Redis starts in well under a second
          // and the tutorial sets no probes, so none are added.
          runtime,
        }),
      ],
    });
    runtimeDefaultSeccomp(pod);
    // No controller recreates it: see barePodPriority (cdk8s-plus's Pod has no such prop).
    ApiObject.of(pod).addJsonPatch(JsonPatch.add('/spec/priorityClassName', barePodPriority(this)));
    skipChecks(pod, {
      CKV_K8S_8: 'the tutorial sets no probes; redis-server opens 6379 well within a second of starting',
      CKV_K8S_9:
        'the tutorial sets no probes; the tutorial reads the Pod with kubectl exec redis-cli, no Service sends it traffic',
      CKV_K8S_13:
        "the tutorial sets a CPU limit only and bounds Redis's memory with maxmemory in its ConfigMap; a container memory limit it does not set could OOM-kill Redis",
      CKV_K8S_40:
        "runs as the official redis image's own redis user, UID 999 (docker-library/redis); the UID is the image's",
    });
    // The tutorial's Pod has no labels; cdk8s-plus would add its generated one.
    withoutAddressLabel(pod);
    n.labelPod(pod);
    return pod;
  }
}
