import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { resolveImage } from './internal/images';
import { skipChecks } from './internal/scan';
import { mustPlacePriority } from './internal/disruption';
import { ServiceType, serviceDnsName, serviceTypeProp, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { declareOnePerNode } from './internal/warnings';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

/** Dropped capabilities and seccomp for the ZooKeeper containers; see the server container. */
const ZK_CONTAINER_HARDENING = { capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };

export interface ZooKeeperProps extends NamePrefixProps {
  /** Namespace for every object; the Pods' DNS names follow it. @default none: the kubectl context's namespace ("default") */
  readonly namespace?: string;
  /**
   * Number of ZooKeeper servers. It sets both the StatefulSet's replicas and `start-zookeeper
   * --servers`, which writes one `server.N` line per replica into `zoo.cfg`. Must be odd
   * (a quorum is a majority, so an even ensemble tolerates no more failures than the odd one
   * below it) unless {@link allowEvenEnsemble} is set. @default 3, as in the tutorial
   */
  readonly replicas?: number;
  /** Accept an even {@link replicas} count. @default false: an even ensemble is refused */
  readonly allowEvenEnsemble?: boolean;
  /** The ZooKeeper image; its `start-zookeeper` and `zookeeper-ready` scripts are the contract. @default {@link ZooKeeper.IMAGE}, the tutorial's */
  readonly image?: string;
  /** JVM heap (`start-zookeeper --heap`, becomes `-Xmx`/`-Xms`), in the JVM's format. @default "512M", as in the tutorial */
  readonly heap?: string;
  /** CPU request. The tutorial's "updating the ensemble" step patches exactly this field. @default "0.5", the tutorial's manifest */
  readonly cpuRequest?: string;
  /** Memory request. @default "1Gi", the tutorial's manifest */
  readonly memoryRequest?: string;
  /** CPU limit. @default none, as in the tutorial */
  readonly cpuLimit?: string;
  /** Memory limit; the heap must be smaller. @default none, as in the tutorial */
  readonly memoryLimit?: string;
  /** Size of each server's `datadir` claim. @default "20Gi", the tutorial's text (decision D4) */
  readonly storageSize?: string;
  /** StorageClass of the `datadir` claims. @default none: the cluster's default class (decision D7) */
  readonly storageClassName?: string;
  /**
   * Run the sidecar `zk-purge`, which does what the tutorial's `--purge_interval=12
   * --snap_retain_count=3` mean to do: every 12 hours it runs the image's own `zkCleanup.sh -n 3`
   * on the server's data directory. ZooKeeper's own purge never runs: `start-zookeeper` writes
   * the key `autopurge.purgeInteval` (sic), which ZooKeeper ignores, so snapshots and
   * transaction logs would fill the claim. @default true
   */
  readonly purgeSidecar?: boolean;
  /** Type of the client Service `zk-cs`: ClusterIP, NodePort or LoadBalancer. @default ServiceType.CLUSTER_IP, as in the tutorial */
  readonly serviceType?: ServiceType;
  /**
   * Client ranges (IPv4 CIDRs) a LoadBalancer the client Service `zk-cs` admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
}

/** Every prop of {@link ZooKeeperProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<ZooKeeperProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'allowEvenEnsemble',
  'image',
  'heap',
  'cpuRequest',
  'memoryRequest',
  'cpuLimit',
  'memoryLimit',
  'storageSize',
  'storageClassName',
  'purgeSidecar',
  'serviceType',
  'loadBalancerSourceRanges',
);

/**
 * "Running ZooKeeper, A Distributed System Coordinator": a ZooKeeper ensemble as the
 * StatefulSet `zk` behind the headless Service `zk-hs` (peer and election ports) and the client
 * Service `zk-cs`, with the PodDisruptionBudget `zk-pdb` and one server per node.
 */
export class ZooKeeper extends Construct {
  /** The tutorial's image (upstream `zookeeper.yaml`; the seeds name none), `k8s.gcr.io` written as `registry.k8s.io`. */
  static readonly TUTORIAL_IMAGE = 'registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10';
  /** The default image: the tutorial's (decision D3). */
  static readonly IMAGE = ZooKeeper.TUTORIAL_IMAGE;
  static readonly CLIENT_PORT = 2181;
  static readonly SERVER_PORT = 2888;
  static readonly ELECTION_PORT = 3888;
  /** Where the `datadir` claim is mounted; `--data_dir` and `--data_log_dir` are below it. */
  static readonly DATA_MOUNT = '/var/lib/zookeeper';
  /** Where `start-zookeeper` writes `zoo.cfg`, `log4j.properties` and `java.env`. */
  static readonly CONF_DIR = '/opt/zookeeper/conf';
  /** UID and GID of the image's `zookeeper` user (the tutorial's `runAsUser`/`fsGroup`). */
  static readonly USER_ID = 1000;
  /** The tutorial's `--purge_interval`, in hours. */
  static readonly PURGE_INTERVAL_HOURS = 12;
  /** The tutorial's `--snap_retain_count`: snapshots (and the logs they need) to keep. */
  static readonly SNAP_RETAIN_COUNT = 3;
  /** The purge script of the image's ZooKeeper 3.4.10 (kow3ns/kubernetes-zookeeper docker/Dockerfile: `/opt/zookeeper/bin`). */
  static readonly CLEANUP_SCRIPT = '/opt/zookeeper/bin/zkCleanup.sh';
  static readonly PURGE_CONTAINER = 'zk-purge';

  /** `app: zk`: every object and every `kubectl ... -l app=zk` command of the tutorial selects on it. */
  readonly podLabels: Readonly<Record<string, string>> = { app: 'zk' };
  readonly headlessService: k8s.KubeService;
  readonly clientService: k8s.KubeService;
  readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  readonly statefulSet: k8s.KubeStatefulSet;
  /** Number of servers (Pods). */
  readonly replicas: number;
  /** The PDB's `maxUnavailable`: one server at a time, as in the tutorial. */
  readonly maxUnavailable = 1;
  /** Per-Pod resource requests, for the cluster capacity contract. */
  readonly requests: Readonly<{ cpu: string; memory: string }>;
  /** Per-Pod resource limits (empty when none). */
  readonly limits: Readonly<{ cpu?: string; memory?: string }>;
  /** Per-Pod persistent storage. */
  readonly storage: Readonly<{ size: string; storageClassName?: string }>;
  /** `zk-cs.<namespace>.svc.cluster.local`, the address clients connect to on port 2181. */
  readonly clientDnsName: string;
  /** `zk-<i>.zk-hs.<namespace>.svc.cluster.local` for each server, as `zoo.cfg` lists them. */
  readonly podDnsNames: readonly string[];
  /** The full `start-zookeeper` command line (`sh -c` runs it). */
  readonly startCommand: string;
  /** The `zk-purge` sidecar's script (`sh -c` runs it), when {@link ZooKeeperProps.purgeSidecar} is on. */
  readonly purgeScript?: string;
  constructor(scope: Construct, id: string, props: ZooKeeperProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    const s = this.checkProps(props);
    this.replicas = s.replicas;
    this.requests = { cpu: s.cpuRequest, memory: s.memoryRequest };
    this.limits = { ...(s.cpuLimit && { cpu: s.cpuLimit }), ...(s.memoryLimit && { memory: s.memoryLimit }) };
    this.storage = { size: s.storageSize, ...(s.storageClassName && { storageClassName: s.storageClassName }) };
    this.podLabels = n.labels(this.podLabels);
    this.clientDnsName = serviceDnsName(n.name('zk-cs'), s.namespace);
    this.podDnsNames = Array.from(
      { length: this.replicas },
      (_, i) => `${n.name('zk')}-${i}.${serviceDnsName(n.name('zk-hs'), s.namespace)}`,
    );
    this.startCommand = startZooKeeperCommand(this.replicas, s.heap);
    if (props.purgeSidecar ?? true) this.purgeScript = purgeLoopScript();

    const labels = { ...this.podLabels };
    this.headlessService = this.addHeadlessService(n, s, labels);
    this.clientService = this.addClientService(n, s, labels, props.loadBalancerSourceRanges);
    this.podDisruptionBudget = this.addBudget(n, s, labels);
    this.statefulSet = this.addEnsemble(n, s, labels);
    this.skipScanChecks(s);
  }

  /** Checks every prop, in the order of the props, and returns them with their defaults. */
  private checkProps(props: ZooKeeperProps): EnsembleSettings {
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 3);
    if (replicas % 2 === 0 && !props.allowEvenEnsemble) {
      v.fail(
        this,
        'replicas',
        replicas,
        'must be odd: a ZooKeeper quorum is a majority, so an even ensemble survives no more failures than one server fewer (set allowEvenEnsemble: true to accept it)',
      );
    }
    const image = resolveImage(this, 'image', props.image ?? ZooKeeper.IMAGE);
    const heap = props.heap ?? '512M';
    const heapBytes = v.jvmMemorySize(this, 'heap', heap);
    const cpuRequest = v.quantity(this, 'cpuRequest', props.cpuRequest ?? '0.5');
    const memoryRequest = v.quantity(this, 'memoryRequest', props.memoryRequest ?? '1Gi');
    const cpuLimit = props.cpuLimit === undefined ? undefined : v.quantity(this, 'cpuLimit', props.cpuLimit);
    const memoryLimit =
      props.memoryLimit === undefined ? undefined : v.quantity(this, 'memoryLimit', props.memoryLimit);
    v.requestWithinLimit(this, 'cpuRequest', cpuRequest, 'cpuLimit', cpuLimit);
    v.requestWithinLimit(this, 'memoryRequest', memoryRequest, 'memoryLimit', memoryLimit);
    if (memoryLimit !== undefined && heapBytes >= v.parseQuantity(memoryLimit)) {
      v.fail(
        this,
        'heap',
        heap,
        `must be smaller than memoryLimit (${JSON.stringify(memoryLimit)}): the JVM needs memory beyond its heap, and the kernel kills a container above its limit`,
      );
    }
    const storageSize = v.storageSize(this, 'storageSize', props.storageSize ?? '20Gi');
    const storageClassName =
      props.storageClassName === undefined ? undefined : v.objectName(this, 'storageClassName', props.storageClassName);
    const serviceType = serviceTypeProp(this, props.serviceType ?? ServiceType.CLUSTER_IP);
    return {
      namespace,
      replicas,
      image,
      heap,
      cpuRequest,
      memoryRequest,
      cpuLimit,
      memoryLimit,
      storageSize,
      storageClassName,
      serviceType,
    };
  }

  /** `zk-hs`: the headless Service that gives each server its DNS name, on the peer and election ports. */
  private addHeadlessService(n: Names, s: EnsembleSettings, labels: Record<string, string>): k8s.KubeService {
    return tutorialService(this, 'zk-hs', {
      name: n.name('zk-hs'),
      namespace: s.namespace,
      labels,
      selector: labels,
      headless: true,
      // Not publishNotReadyAddresses: the tutorial relies on a server's A record appearing
      // only once it is Ready ("Achieving consensus").
      ports: [
        { port: ZooKeeper.SERVER_PORT, name: 'server' },
        { port: ZooKeeper.ELECTION_PORT, name: 'leader-election' },
      ],
    });
  }

  /** `zk-cs`: the Service clients connect to on the client port. */
  private addClientService(
    n: Names,
    s: EnsembleSettings,
    labels: Record<string, string>,
    loadBalancerSourceRanges: readonly string[] | undefined,
  ): k8s.KubeService {
    return tutorialService(this, 'zk-cs', {
      name: n.name('zk-cs'),
      namespace: s.namespace,
      labels,
      selector: labels,
      type: s.serviceType,
      loadBalancerSourceRanges,
      ports: [{ port: ZooKeeper.CLIENT_PORT, name: 'client' }],
    });
  }

  /** `zk-pdb`: one server at a time may be evicted. */
  private addBudget(n: Names, s: EnsembleSettings, labels: Record<string, string>): k8s.KubePodDisruptionBudget {
    // policy/v1 for the tutorial's policy/v1beta1, removed in Kubernetes 1.25 (decision D2).
    return new k8s.KubePodDisruptionBudget(this, 'zk-pdb', {
      metadata: { name: n.name('zk-pdb'), namespace: s.namespace },
      spec: {
        selector: { matchLabels: labels },
        maxUnavailable: k8s.IntOrString.fromNumber(this.maxUnavailable),
      },
    });
  }

  /** `zk`: the StatefulSet of the servers, one per node, each with its `datadir` claim. */
  private addEnsemble(n: Names, s: EnsembleSettings, labels: Record<string, string>): k8s.KubeStatefulSet {
    declareOnePerNode(this, { workload: `StatefulSet/${n.name('zk')}`, replicas: this.replicas });
    return new k8s.KubeStatefulSet(this, 'zk', {
      metadata: { name: n.name('zk'), namespace: s.namespace },
      spec: {
        selector: { matchLabels: labels },
        serviceName: this.headlessService.name,
        replicas: this.replicas,
        updateStrategy: { type: 'RollingUpdate' },
        // One server at a time, each Ready before the next starts, as the tutorial watches.
        podManagementPolicy: 'OrderedReady',
        template: this.serverPod(s, labels),
        volumeClaimTemplates: [dataClaim(s)],
      },
    });
  }

  /** The Pod of one server: the server's container, the purge sidecar when on, one Pod per node. */
  private serverPod(s: EnsembleSettings, labels: Record<string, string>): k8s.PodTemplateSpec {
    const purgeScript = this.purgeScript;
    return {
      // With the sidecar, `kubectl exec zk-0 -- ...` and `kubectl logs zk-0` (the tutorial's
      // commands, without -c) go to the server's container.
      metadata: {
        labels,
        annotations:
          purgeScript !== undefined ? { 'kubectl.kubernetes.io/default-container': 'kubernetes-zookeeper' } : undefined,
      },
      spec: {
        // start-zookeeper derives the ensemble from `hostname -d` and never calls the
        // Kubernetes API (kow3ns/kubernetes-zookeeper docker/scripts/start-zookeeper), so
        // the Pods get no service account token (docs/images.md section 5).
        automountServiceAccountToken: false,
        // A server needs 0.5 CPU on a node of its own; created last, it would find every node
        // filled in by smaller Pods. Its PriorityClass lets it preempt one (decision D8).
        priorityClassName: mustPlacePriority(this),
        affinity: oneServerPerNode(labels),
        containers: [
          serverContainer(s, this.startCommand),
          ...(purgeScript === undefined ? [] : [purgeContainer(s.image, purgeScript)]),
        ],
        volumes: purgeScript === undefined ? undefined : [{ name: 'zk-purge-tmp', emptyDir: {} }],
        // Exactly the tutorial's: UID/GID 1000 is the image's `zookeeper` user, and
        // fsGroup makes the datadir volume writable for it (decision D5).
        securityContext: { runAsUser: ZooKeeper.USER_ID, fsGroup: ZooKeeper.USER_ID },
      },
    };
  }

  /** The scan findings the tutorial's ensemble keeps, each with its reason. */
  private skipScanChecks(s: EnsembleSettings): void {
    const purge = this.purgeScript !== undefined;
    skipChecks(this.statefulSet, {
      ...(purge
        ? {
            CKV_K8S_8:
              "the server has the tutorial's liveness probe; the purge sidecar is a sleep loop with no port, and a failed purge is retried on the next round",
            CKV_K8S_9: "the server has the tutorial's readiness probe; the purge sidecar serves nothing",
          }
        : {}),
      ...(purge || !s.cpuLimit
        ? {
            CKV_K8S_11:
              "the tutorial sets CPU requests only: a CPU limit would throttle the ZooKeeper JVM (and the purge sidecar's short-lived JVM) during leader election",
          }
        : {}),
      ...(!s.memoryLimit
        ? {
            CKV_K8S_13:
              'the tutorial sets a memory request and sizes the JVM heap itself (-Xmx); no container limit is added to a JVM the tutorial does not limit',
          }
        : {}),
      CKV_K8S_22:
        "start-zookeeper writes zoo.cfg, log4j.properties and java.env into /opt/zookeeper/conf, and the tutorial's liveness test deletes /opt/zookeeper/bin/zookeeper-ready from the running container",
      CKV_K8S_40:
        "the tutorial's own security context: runAsUser 1000, the image's zookeeper user, which owns /opt/zookeeper/conf (decision D5)",
    });
  }
}

/** The props of one ensemble, checked, with their defaults. */
interface EnsembleSettings {
  readonly namespace?: string;
  readonly replicas: number;
  readonly image: string;
  readonly heap: string;
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit?: string;
  readonly memoryLimit?: string;
  readonly storageSize: string;
  readonly storageClassName?: string;
  readonly serviceType: ServiceType;
}

/** The tutorial's 17 flags in its order; only --servers and --heap follow the props. */
function startZooKeeperCommand(replicas: number, heap: string): string {
  return [
    'start-zookeeper',
    `--servers=${replicas}`,
    `--data_dir=${ZooKeeper.DATA_MOUNT}/data`,
    `--data_log_dir=${ZooKeeper.DATA_MOUNT}/data/log`,
    `--conf_dir=${ZooKeeper.CONF_DIR}`,
    `--client_port=${ZooKeeper.CLIENT_PORT}`,
    `--election_port=${ZooKeeper.ELECTION_PORT}`,
    `--server_port=${ZooKeeper.SERVER_PORT}`,
    '--tick_time=2000',
    '--init_limit=10',
    '--sync_limit=5',
    `--heap=${heap}`,
    '--max_client_cnxns=60',
    `--snap_retain_count=${ZooKeeper.SNAP_RETAIN_COUNT}`,
    `--purge_interval=${ZooKeeper.PURGE_INTERVAL_HOURS}`,
    '--max_session_timeout=40000',
    '--min_session_timeout=4000',
    '--log_level=INFO',
  ].join(' ');
}

/**
 * The `zk-purge` sidecar's loop. zkCleanup.sh (ZooKeeper 3.4.10 bin/) sources zkEnv.sh, reads
 * dataDir and dataLogDir from $ZOOCFGDIR/zoo.cfg and runs `PurgeTxnLog <dataLogDir> <dataDir> -n
 * <count>`. The server's zoo.cfg lives on the other container's root filesystem, so this
 * container writes its own with the same two directories (start-zookeeper's --data_dir and
 * --data_log_dir) into an emptyDir. ZooKeeper's own autopurge would purge at start and then
 * every interval; so does this loop, once the server has written its data (version-2), and it
 * exits at once on SIGTERM instead of holding up a drain.
 */
function purgeLoopScript(): string {
  const dataDir = `${ZooKeeper.DATA_MOUNT}/data`;
  const dataLogDir = `${ZooKeeper.DATA_MOUNT}/data/log`;
  return [
    'trap "exit 0" TERM',
    'mkdir -p "$ZOOCFGDIR"',
    `printf 'dataDir=%s\\ndataLogDir=%s\\n' ${dataDir} ${dataLogDir} > "$ZOOCFGDIR/zoo.cfg"`,
    // PurgeTxnLog logs through log4j; without a configuration it would print nothing.
    `printf 'log4j.rootLogger=INFO, CONSOLE\\nlog4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender\\nlog4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout\\nlog4j.appender.CONSOLE.layout.ConversionPattern=%%d{ISO8601} %%-5p %%m%%n\\n' > "$ZOOCFGDIR/log4j.properties"`,
    'while true; do',
    `  if [ -d ${dataDir}/version-2 ]; then ${ZooKeeper.CLEANUP_SCRIPT} -n ${ZooKeeper.SNAP_RETAIN_COUNT}; fi`,
    `  sleep ${ZooKeeper.PURGE_INTERVAL_HOURS * 3600} & wait $!`,
    'done',
  ].join('\n');
}

/**
 * Required, not preferred: no node may hold two servers, so one node failure costs at most one
 * vote ("Tolerating node failure").
 */
function oneServerPerNode(labels: Record<string, string>): k8s.Affinity {
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: {
            matchExpressions: Object.entries(labels).map(([key, value]) => ({
              key,
              operator: 'In',
              values: [value],
            })),
          },
          topologyKey: 'kubernetes.io/hostname',
        },
      ],
    },
  };
}

/**
 * Both probes run the image's `zookeeper-ready`, which sends `ruok` to the client port and
 * succeeds on `imok` (kow3ns/kubernetes-zookeeper docker/scripts/zookeeper-ready). ZooKeeper
 * answers `imok` as soon as the server runs, before it has a quorum, and the tutorial shows a
 * server Ready about 20 s after it starts; 15 s delay (the tutorial's text, decision D4) and 3
 * failures 10 s apart (the defaults, left as the tutorial leaves them): the liveness probe fails
 * at 15, 25 and 35 s, so a cold JVM has about 35 s to answer before its first restart. No
 * startup probe, which would only shorten that.
 */
function serverProbe(): k8s.Probe {
  return {
    exec: { command: ['sh', '-c', `zookeeper-ready ${ZooKeeper.CLIENT_PORT}`] },
    initialDelaySeconds: 15,
    timeoutSeconds: 5,
  };
}

/** `kubernetes-zookeeper`: the server, started by `startCommand`. */
function serverContainer(s: EnsembleSettings, startCommand: string): k8s.Container {
  const probe = serverProbe();
  return {
    name: 'kubernetes-zookeeper',
    // The tutorial's manifest says Always; IfNotPresent is the default for a tagged
    // image and lets a restarted server come back without the registry.
    imagePullPolicy: 'IfNotPresent',
    image: s.image,
    resources: {
      requests: {
        cpu: k8s.Quantity.fromString(s.cpuRequest),
        memory: k8s.Quantity.fromString(s.memoryRequest),
      },
      limits:
        s.cpuLimit || s.memoryLimit
          ? {
              ...(s.cpuLimit && { cpu: k8s.Quantity.fromString(s.cpuLimit) }),
              ...(s.memoryLimit && { memory: k8s.Quantity.fromString(s.memoryLimit) }),
            }
          : undefined,
    },
    ports: [
      { containerPort: ZooKeeper.CLIENT_PORT, name: 'client' },
      { containerPort: ZooKeeper.SERVER_PORT, name: 'server' },
      { containerPort: ZooKeeper.ELECTION_PORT, name: 'leader-election' },
    ],
    // `sh -c` stays PID 1 and start-zookeeper execs zkServer.sh, so killing java
    // ends the container and the kubelet restarts it ("Handling process failure").
    command: ['sh', '-c', startCommand],
    readinessProbe: probe,
    livenessProbe: probe,
    volumeMounts: [{ name: 'datadir', mountPath: ZooKeeper.DATA_MOUNT }],
    // No read-only root filesystem: start-zookeeper writes zoo.cfg, log4j.properties
    // and java.env into /opt/zookeeper/conf, which the image's Dockerfile chowns to
    // zookeeper (1000); the JVM writes /tmp; and the tutorial's liveness test deletes
    // /opt/zookeeper/bin/zookeeper-ready from the running container. The server runs
    // as uid 1000 from the first process on and never switches user, so it needs no
    // setuid escalation (the ubuntu:16.04 base still ships setuid binaries such as su).
    // Sources: kow3ns/kubernetes-zookeeper docker/Dockerfile and
    // docker/scripts/start-zookeeper.
    // Drop ALL (uid 1000 holds no capability anyway) and the runtime's
    // default seccomp filter, per container so the Pod's context stays the tutorial's.
    securityContext: { allowPrivilegeEscalation: false, ...ZK_CONTAINER_HARDENING },
  };
}

/** `zk-purge`: the sidecar that runs `script`, the purge loop, next to the server. */
function purgeContainer(image: string, script: string): k8s.Container {
  return {
    name: ZooKeeper.PURGE_CONTAINER,
    // The server's own image: its zkCleanup.sh and ZooKeeper jars match the data format.
    image,
    imagePullPolicy: 'IfNotPresent',
    command: ['sh', '-c', script],
    env: [
      { name: 'ZOOCFGDIR', value: '/tmp/zk-purge' },
      // zkCleanup.sh passes JVMFLAGS to a short-lived JVM; PurgeTxnLog only lists and deletes files.
      { name: 'JVMFLAGS', value: '-Xmx64m' },
    ],
    // Asleep nearly always; a JVM for a few seconds every 12 hours.
    resources: {
      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') },
      limits: { memory: k8s.Quantity.fromString('256Mi') },
    },
    volumeMounts: [
      { name: 'datadir', mountPath: ZooKeeper.DATA_MOUNT },
      { name: 'zk-purge-tmp', mountPath: '/tmp' },
    ],
    // Runs as the Pod's 1000 like the server (files it deletes are the server's); it
    // writes only /tmp (its zoo.cfg, the JVM's perf data), so the root filesystem is read-only.
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      ...ZK_CONTAINER_HARDENING,
    },
    // No probes: the loop has no port, and a failed purge is retried on the next round.
  };
}

/**
 * The `datadir` claim of each server. The tutorial's `volume.alpha.kubernetes.io/storage-class:
 * anything` annotation is left out: it only switched on alpha dynamic provisioning in Kubernetes
 * 1.4-1.5, and a claim without a class now gets the cluster's default class, which is what the
 * annotation asked for (Kubernetes 1.6 release notes: the alpha annotation was replaced by
 * storageClassName).
 */
function dataClaim(s: EnsembleSettings): k8s.KubePersistentVolumeClaimProps {
  return {
    metadata: { name: 'datadir' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: s.storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(s.storageSize) } },
    },
  };
}
