import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { FAST, howToCreateStorageClass } from './contracts/storage-classes';
import { declareExternal } from './internal/external';
import { resolveImage } from './internal/images';
import { serviceDnsName, tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { skipChecks } from './internal/scan';
import { declareOnePerNode } from './internal/warnings';
import { mustPlacePriority, onePodPerNode } from './internal/disruption';
import { RUNTIME_DEFAULT_SECCOMP } from './internal/workload';
import { NamePrefixProps, Names } from './internal/names';

/** The downward-API variable that carries the Pod's namespace into `CASSANDRA_SEEDS`. */
const POD_NAMESPACE = 'POD_NAMESPACE';

export interface CassandraProps extends NamePrefixProps {
  /**
   * Namespace for every object; `CASSANDRA_SEEDS` names it (decision D1). @default none: the
   * namespace `kubectl apply -n` chooses; the seed's namespace then comes from the downward API
   */
  readonly namespace?: string;
  /** Number of Cassandra nodes. @default 3, as in the tutorial (its scaling step makes it 4) */
  readonly replicas?: number;
  /** The Cassandra image; its `/run.sh` and `/ready-probe.sh` are the contract. @default {@link Cassandra.IMAGE}, the tutorial's */
  readonly image?: string;
  /** CPU request and limit (equal, so the Pods get Guaranteed QoS as in the tutorial). @default "500m", as in the tutorial */
  readonly cpu?: string;
  /** Memory request and limit; the heap must be smaller. @default "1Gi", as in the tutorial */
  readonly memory?: string;
  /** `MAX_HEAP_SIZE`, the JVM heap, in the JVM's format. @default "512M", as in the tutorial */
  readonly maxHeapSize?: string;
  /** `HEAP_NEWSIZE`, the young generation, in the JVM's format; smaller than the heap. @default "100M", as in the tutorial */
  readonly heapNewSize?: string;
  /** Size of each node's `cassandra-data` claim. @default "1Gi", as in the tutorial */
  readonly storageSize?: string;
  /** StorageClass of the claims. @default "fast", as in the tutorial */
  readonly storageClassName?: string;
  /**
   * Write the StorageClass {@link storageClassName} into this chart. On GKE the infrastructure
   * stack creates `fast` (PD CSI, `pd-ssd`; decision D7), so the chart only refers to it; set
   * this for other clusters (minikube, kind). @default false
   */
  readonly emitStorageClass?: boolean;
  /** Provisioner of the emitted class (requires emitStorageClass). @default "k8s.io/minikube-hostpath", the tutorial's */
  readonly storageClassProvisioner?: string;
  /**
   * Parameters of the emitted class (requires emitStorageClass). @default `{ type: "pd-ssd" }`
   * (the tutorial's) with the tutorial's provisioner, none with any other provisioner, since
   * `type` means something else, or nothing, to other drivers
   */
  readonly storageClassParameters?: Readonly<Record<string, string>>;
  /**
   * How long a Pod may take to stop; the preStop `nodetool drain` flushes memtables in it.
   * The tutorial's cleanup sleeps this long before deleting the claims. @default 1800, the tutorial's text (decision D4)
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Write the PodDisruptionBudget `cassandra-pdb` (policy/v1, `maxUnavailable: 1`), which the
   * tutorial does not have: a node pool's surge upgrade drains nodes one after another, and
   * without a budget a drain may evict a second node while the first is still rejoining the
   * ring. @default true
   */
  readonly podDisruptionBudget?: boolean;
}

/** Every prop of {@link CassandraProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<CassandraProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'image',
  'cpu',
  'memory',
  'maxHeapSize',
  'heapNewSize',
  'storageSize',
  'storageClassName',
  'emitStorageClass',
  'storageClassProvisioner',
  'storageClassParameters',
  'terminationGracePeriodSeconds',
  'podDisruptionBudget',
);

/**
 * "Example: Deploying Cassandra with Stateful Sets": a Cassandra ring as the StatefulSet
 * `cassandra` behind the headless Service `cassandra`, each node with a `cassandra-data` claim
 * of the StorageClass `fast`.
 */
export class Cassandra extends Construct {
  /** The tutorial's image. */
  static readonly TUTORIAL_IMAGE = 'gcr.io/google-samples/cassandra:v13';
  /** The default image: the tutorial's (decision D3). */
  static readonly IMAGE = Cassandra.TUTORIAL_IMAGE;
  /** The provisioner of the tutorial's `fast` class (upstream `cassandra-statefulset.yaml`): minikube only. */
  static readonly TUTORIAL_PROVISIONER = 'k8s.io/minikube-hostpath';
  static readonly TUTORIAL_STORAGE_PARAMETERS: Readonly<Record<string, string>> = { type: 'pd-ssd' };
  static readonly CQL_PORT = 9042;
  /** Where the image keeps its data (`CASSANDRA_DATA` in its Dockerfile). */
  static readonly DATA_MOUNT = '/cassandra_data';

  /** `app: cassandra`: the tutorial lists Pods and deletes everything by this label. */
  readonly podLabels: Readonly<Record<string, string>> = { app: 'cassandra' };
  readonly service: k8s.KubeService;
  readonly statefulSet: k8s.KubeStatefulSet;
  /** `cassandra-pdb`, unless {@link CassandraProps.podDisruptionBudget} is false. */
  readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The emitted StorageClass, when {@link CassandraProps.emitStorageClass} is set. */
  readonly storageClass?: k8s.KubeStorageClass;
  /** Number of nodes (Pods). */
  readonly replicas: number;
  /** Per-Pod resource requests, for the cluster capacity contract (the limits are equal). */
  readonly requests: Readonly<{ cpu: string; memory: string }>;
  /** Per-Pod persistent storage. */
  readonly storage: Readonly<{ size: string; storageClassName: string }>;
  /**
   * `cassandra-0.cassandra.<namespace>.svc.cluster.local`, the seed (namespace "default" when
   * none is set; the manifest then names no namespace, see {@link seedsEnvValue}).
   */
  readonly seedDnsName: string;
  /**
   * The `CASSANDRA_SEEDS` value as written: {@link seedDnsName} when a namespace is set, else
   * `cassandra-0.cassandra.$(POD_NAMESPACE).svc.cluster.local`, which the kubelet expands from
   * the Pod's own namespace (decision D1).
   */
  readonly seedsEnvValue: string;
  /** `cassandra-<i>.cassandra.<namespace>.svc.cluster.local` for each node. */
  readonly podDnsNames: readonly string[];

  constructor(scope: Construct, id: string, props: CassandraProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS, {
      serviceType:
        'is not a prop of Cassandra: its only Service is the headless governing Service cassandra (clusterIP: None) that gives each node its DNS name for the seeds',
    });
    const n = Names.of(this, props.namePrefix);
    const s = this.checkProps(props, n);
    this.podLabels = n.labels(this.podLabels);
    this.replicas = s.replicas;
    this.requests = { cpu: s.cpu, memory: s.memory };
    this.storage = { size: s.storageSize, storageClassName: s.storageClassName };
    const name = n.name('cassandra');
    const domain = serviceDnsName(name, s.namespace);
    this.podDnsNames = Array.from({ length: this.replicas }, (_, i) => `${name}-${i}.${domain}`);
    this.seedDnsName = `${name}-0.${domain}`;
    // Without a namespace prop the objects land wherever `kubectl apply -n` puts them, so a
    // namespace fixed here would name the wrong one: the seed would never resolve, and each
    // node would bootstrap a ring of its own and still pass its readiness probe.
    this.seedsEnvValue =
      s.namespace === undefined ? `${name}-0.${name}.$(${POD_NAMESPACE}).svc.cluster.local` : this.seedDnsName;

    this.storageClass = this.addStorageClass(s, props);
    const labels = { ...this.podLabels };
    this.service = this.addService(name, s, labels);
    if (props.podDisruptionBudget ?? true) this.podDisruptionBudget = this.addBudget(n, s, labels);
    this.statefulSet = this.addRing(name, s, labels);
    this.skipScanChecks();
  }

  /** Checks every prop but the emitted class's provisioner and returns them with their defaults. */
  private checkProps(props: CassandraProps, n: Names): RingSettings {
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 3);
    const image = resolveImage(this, 'image', props.image ?? Cassandra.IMAGE);
    const cpu = v.quantity(this, 'cpu', props.cpu ?? '500m');
    const memory = v.quantity(this, 'memory', props.memory ?? '1Gi');
    const maxHeapSize = props.maxHeapSize ?? '512M';
    const heapNewSize = props.heapNewSize ?? '100M';
    const heapBytes = v.jvmMemorySize(this, 'maxHeapSize', maxHeapSize);
    const newBytes = v.jvmMemorySize(this, 'heapNewSize', heapNewSize);
    if (heapBytes >= v.parseQuantity(memory)) {
      v.fail(
        this,
        'maxHeapSize',
        maxHeapSize,
        `must be smaller than memory (${JSON.stringify(memory)}, the container's limit): the JVM needs memory beyond its heap, and the kernel kills a container above its limit`,
      );
    }
    if (newBytes >= heapBytes) {
      v.fail(
        this,
        'heapNewSize',
        heapNewSize,
        `must be smaller than maxHeapSize (${JSON.stringify(maxHeapSize)}): the young generation is part of the heap`,
      );
    }
    const storageSize = v.storageSize(this, 'storageSize', props.storageSize ?? '1Gi');
    const className = v.objectName(this, 'storageClassName', props.storageClassName ?? FAST.name);
    // A StorageClass the construct writes is an object of its own, cluster-wide: prefixed too.
    const storageClassName = props.emitStorageClass ? n.name(className) : className;
    const grace = v.integerInRange(
      this,
      'terminationGracePeriodSeconds',
      props.terminationGracePeriodSeconds ?? 1800,
      0,
      86400,
    );
    if (!props.emitStorageClass) {
      for (const prop of ['storageClassProvisioner', 'storageClassParameters'] as const) {
        if (props[prop] !== undefined) v.fail(this, prop, props[prop], 'only applies when emitStorageClass is true');
      }
    }
    return { namespace, replicas, image, cpu, memory, maxHeapSize, heapNewSize, storageSize, storageClassName, grace };
  }

  /**
   * The StorageClass of the claims, written when {@link CassandraProps.emitStorageClass} is set
   * (after its provisioner is checked), else declared as one the cluster must have.
   */
  private addStorageClass(s: RingSettings, props: CassandraProps): k8s.KubeStorageClass | undefined {
    if (!props.emitStorageClass) {
      declareExternal(this, {
        kind: 'StorageClass',
        name: s.storageClassName,
        howToCreate: howToCreateStorageClass(s.storageClassName),
      });
      return undefined;
    }
    const provisioner = props.storageClassProvisioner ?? Cassandra.TUTORIAL_PROVISIONER;
    if (
      !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[a-z0-9]([-a-z0-9._]*[a-z0-9])?)?$/.test(provisioner) ||
      provisioner.length > 253
    ) {
      v.fail(
        this,
        'storageClassProvisioner',
        provisioner,
        'must be a provisioner name such as "pd.csi.storage.gke.io" or "rancher.io/local-path"',
      );
    }
    const parameters =
      props.storageClassParameters ??
      (provisioner === Cassandra.TUTORIAL_PROVISIONER ? Cassandra.TUTORIAL_STORAGE_PARAMETERS : undefined);
    return new k8s.KubeStorageClass(this, 'storage-class', {
      metadata: { name: s.storageClassName },
      provisioner,
      parameters: parameters && { ...parameters },
    });
  }

  /** `cassandra`: the headless Service that gives each node the DNS name the seeds use. */
  private addService(name: string, s: RingSettings, labels: Record<string, string>): k8s.KubeService {
    return tutorialService(this, 'service', {
      name,
      namespace: s.namespace,
      labels,
      selector: labels,
      headless: true,
      // Unnamed, as in the tutorial.
      ports: [{ port: Cassandra.CQL_PORT }],
    });
  }

  /**
   * `cassandra-pdb`: one node at a time, as ZooKeeper's zk-pdb: with the keyspaces of the
   * tutorial's replication, a second node down at once loses quorum for its ranges. A drain waits
   * until the evicted node's replacement is Ready (ready-probe.sh: Up/Normal) again.
   */
  private addBudget(n: Names, s: RingSettings, labels: Record<string, string>): k8s.KubePodDisruptionBudget {
    return new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: n.name('cassandra-pdb'), namespace: s.namespace, labels },
      spec: { selector: { matchLabels: labels }, maxUnavailable: k8s.IntOrString.fromNumber(1) },
    });
  }

  /** `cassandra`: the StatefulSet of the ring's nodes, one per node, each with its `cassandra-data` claim. */
  private addRing(name: string, s: RingSettings, labels: Record<string, string>): k8s.KubeStatefulSet {
    // One member per node (below): more replicas than nodes leave the surplus Pending; synth warns.
    declareOnePerNode(this, { workload: 'StatefulSet/cassandra', replicas: this.replicas });
    return new k8s.KubeStatefulSet(this, 'statefulset', {
      // Labelled so that the tutorial's cleanup, `kubectl delete statefulset -l app=cassandra`, finds it.
      metadata: { name, namespace: s.namespace, labels },
      spec: {
        serviceName: this.service.name,
        replicas: this.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            // automountServiceAccountToken is left at its default (true), as in the tutorial:
            // the image ships the KubernetesSeedProvider (/kubernetes-cassandra.jar), which
            // asks the API for the Service's endpoints when cassandra.yaml selects it; run.sh
            // in kubernetes/examples selects SimpleSeedProvider with CASSANDRA_SEEDS unless
            // CASSANDRA_SEED_PROVIDER says otherwise (docs/images.md section 6).
            terminationGracePeriodSeconds: s.grace,
            // One ring member per node (required): two members on one node would leave with it,
            // and with the tutorial's replication a ring that loses two of three members at once
            // loses quorum for their ranges. A drain then moves one member at a time (cassandra-pdb).
            affinity: onePodPerNode(labels),
            // 500m on a node of its own: its PriorityClass lets a member preempt a smaller Pod
            // when the other tutorials have filled every node in (decision D8).
            priorityClassName: mustPlacePriority(this),
            // Pod level: only the runtime's default seccomp filter; it allows
            // mlock, which IPC_LOCK below is for. The container's context stays the tutorial's.
            securityContext: { ...RUNTIME_DEFAULT_SECCOMP },
            containers: [cassandraContainer(s, this.seedsEnvValue)],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'cassandra-data' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: s.storageClassName,
              resources: { requests: { storage: k8s.Quantity.fromString(s.storageSize) } },
            },
          },
        ],
      },
    });
  }

  /** The scan findings the tutorial's ring keeps, each with its reason. */
  private skipScanChecks(): void {
    const v13 = "the tutorial's cassandra:v13 image";
    const root = `${v13} starts as root and edits /etc/cassandra before dropping to the cassandra user`;
    skipChecks(this.statefulSet, {
      CKV_K8S_8:
        'the tutorial sets a readiness probe only: a new node needs well over a minute to join the ring and a liveness probe could kill that first start',
      CKV_K8S_20: `the container's security context is exactly the tutorial's (IPC_LOCK only); ${v13}'s run.sh switches to the cassandra user with su`,
      CKV_K8S_22: `${v13}'s run.sh rewrites cassandra.yaml and jvm.options in /etc/cassandra with sed -i on every start`,
      CKV_K8S_23: root,
      CKV_K8S_25: 'the tutorial adds IPC_LOCK so that Cassandra can mlock its memory',
      CKV_K8S_28: "the container's security context is exactly the tutorial's (IPC_LOCK added, nothing dropped)",
      CKV_K8S_37: `the container's security context is exactly the tutorial's; ${root} (chown of its data and config directories)`,
      CKV_K8S_38:
        "kept as in the tutorial: the image ships the KubernetesSeedProvider, which reads the Service's endpoints from the API, and which seed provider v13 selects is unconfirmed",
      CKV_K8S_40: root,
    });
  }
}

/** The props of one ring, checked, with their defaults. */
interface RingSettings {
  readonly namespace?: string;
  readonly replicas: number;
  readonly image: string;
  readonly cpu: string;
  readonly memory: string;
  readonly maxHeapSize: string;
  readonly heapNewSize: string;
  readonly storageSize: string;
  /** The claims' class: prefixed when the construct writes it. */
  readonly storageClassName: string;
  /** The Pods' terminationGracePeriodSeconds. */
  readonly grace: number;
}

/** `cassandra`: one ring member, with the tutorial's resources, environment and security context. */
function cassandraContainer(s: RingSettings, seedsEnvValue: string): k8s.Container {
  const quantities = { cpu: k8s.Quantity.fromString(s.cpu), memory: k8s.Quantity.fromString(s.memory) };
  return {
    name: 'cassandra',
    image: s.image,
    // The tutorial's manifest says Always; IfNotPresent is the default for a tagged image.
    imagePullPolicy: 'IfNotPresent',
    ports: [
      { containerPort: 7000, name: 'intra-node' },
      { containerPort: 7001, name: 'tls-intra-node' },
      { containerPort: 7199, name: 'jmx' },
      { containerPort: Cassandra.CQL_PORT, name: 'cql' },
    ],
    resources: { limits: quantities, requests: quantities },
    // Exactly the tutorial's (decision D5): IPC_LOCK lets Cassandra mlock its memory.
    // No runAsNonRoot and no read-only root filesystem: the image's /run.sh runs as
    // root, rewrites /etc/cassandra (cassandra.yaml, jvm.options, cassandra-env.sh,
    // cassandra-rackdc.properties) with sed -i on every start, chowns the data and
    // config directories and only then drops to the `cassandra` user with `su`; the
    // JVM also writes /var/log/cassandra. Sources: kubernetes/examples
    // cassandra/image/Dockerfile and cassandra/image/files/run.sh.
    securityContext: { capabilities: { add: ['IPC_LOCK'] } },
    lifecycle: {
      // Flushes memtables and stops accepting writes before the Pod goes away.
      preStop: { exec: { command: ['/bin/sh', '-c', 'nodetool drain'] } },
    },
    env: cassandraEnv(s, seedsEnvValue),
    readinessProbe: ringMemberProbe(),
    volumeMounts: [{ name: 'cassandra-data', mountPath: Cassandra.DATA_MOUNT }],
  };
}

/** The environment run.sh configures the node from: heap, seeds, cluster, data center and rack, Pod IP. */
function cassandraEnv(s: RingSettings, seedsEnvValue: string): k8s.EnvVar[] {
  return [
    { name: 'MAX_HEAP_SIZE', value: s.maxHeapSize },
    { name: 'HEAP_NEWSIZE', value: s.heapNewSize },
    // Declared before CASSANDRA_SEEDS: the kubelet expands $(VAR) only from
    // earlier entries of the list.
    ...(s.namespace === undefined
      ? [{ name: POD_NAMESPACE, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }]
      : []),
    // run.sh writes this into cassandra.yaml's seed list (decision D1).
    { name: 'CASSANDRA_SEEDS', value: seedsEnvValue },
    { name: 'CASSANDRA_CLUSTER_NAME', value: 'K8Demo' },
    // With DC and RACK set, run.sh switches to GossipingPropertyFileSnitch; the
    // tutorial's `nodetool status` output shows these names.
    { name: 'CASSANDRA_DC', value: 'DC1-K8Demo' },
    { name: 'CASSANDRA_RACK', value: 'Rack1-K8Demo' },
    // run.sh listens and broadcasts on POD_IP, and /ready-probe.sh greps
    // `nodetool status` for it.
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
  ];
}

/**
 * Ready once `nodetool status` shows this node Up/Normal. A new node needs well over a minute to
 * join the ring (run.sh sets ring_delay_ms 30000, then bootstrap streams data), so there is
 * deliberately no liveness or startup probe that could kill a slow first start; a failing
 * readiness probe only holds back the next ordinal (the image's files/ready-probe.sh; upstream
 * manifest: 15 s delay).
 */
function ringMemberProbe(): k8s.Probe {
  return {
    exec: { command: ['/bin/bash', '-c', '/ready-probe.sh'] },
    initialDelaySeconds: 15,
    // 10 s, not the upstream manifest's 5 s: the kubelet enforces exec probe
    // timeouts only since Kubernetes 1.20 (ExecProbeTimeout), and `nodetool
    // status` starts a second JVM inside a 500m CPU limit, which can take longer
    // than 5 s (bitnami/charts#14162 shows it timing out); a timeout would hold
    // back the next ordinal.
    timeoutSeconds: 10,
  };
}
