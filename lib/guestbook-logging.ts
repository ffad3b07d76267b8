import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  BeatsRelease,
  DYNAMIC_LOGGING_KEYS,
  DynamicLoggingKey,
  filebeatConfig,
  metricbeatDaemonSetConfig,
  metricbeatDeploymentConfig,
  metricbeatKubeletModule,
  metricbeatSetupConfig,
  metricbeatStateModule,
  metricbeatSystemModule,
  packetbeatConfig,
} from './guestbook-logging/beats-configs';
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
  withoutTemplateAddressLabel,
  RUNTIME_DEFAULT_SECCOMP,
} from './internal/workload';
import { tutorialService } from './internal/service';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

export { BeatsRelease, DYNAMIC_LOGGING_KEYS, DynamicLoggingKey } from './guestbook-logging/beats-configs';

/**
 * The contents of the `dynamic-logging` Secret: the tutorial's files, by file name. Either the
 * four self-managed keys or the two Elastic Cloud keys, as in the tutorial's two tabs.
 */
export type DynamicLoggingCredentials = { readonly [K in DynamicLoggingKey]?: string };

export interface GuestbookLoggingProps extends NamePrefixProps {
  /** Namespace of the Beats, kube-state-metrics and the Secret. @default "kube-system", as in the tutorial */
  readonly namespace?: string;
  /**
   * Which Beats release, and so which configuration dialect, to write.
   * @default BeatsRelease.V8_19: the tutorial's {@link BeatsRelease.TUTORIAL_6_7} reads Docker's
   * log files, which containerd nodes (GKE 1.24+) do not have (decision D3)
   */
  readonly release?: BeatsRelease;
  /** Filebeat image. @default docker.elastic.co/beats/filebeat of the release */
  readonly filebeatImage?: string;
  /** Metricbeat image (DaemonSet, Deployment and setup Job). @default docker.elastic.co/beats/metricbeat of the release */
  readonly metricbeatImage?: string;
  /** Packetbeat image. @default docker.elastic.co/beats/packetbeat of the release */
  readonly packetbeatImage?: string;
  /**
   * The Elasticsearch and Kibana endpoints and credentials. When given, the `dynamic-logging`
   * Secret is written; otherwise the Pods only refer to it and the user creates it with the
   * tutorial's `kubectl create secret generic` command (decision D6). @default none
   */
  readonly credentials?: DynamicLoggingCredentials;
  /**
   * Write kube-state-metrics (`examples/standard` of kube-state-metrics v2.19.1). The tutorial
   * installs it only "if needed". @default true
   */
  readonly kubeStateMetrics?: boolean;
  /** kube-state-metrics image. @default {@link GuestbookLogging.KUBE_STATE_METRICS_IMAGE} */
  readonly kubeStateMetricsImage?: string;
  /**
   * The user for the tutorial's `cluster-admin-binding` (its `--user=<your email>`). When given,
   * that ClusterRoleBinding is written. @default none: the user runs the tutorial's command
   */
  readonly clusterAdminUser?: string;
}

/** Every prop of {@link GuestbookLoggingProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<GuestbookLoggingProps>()(
  'namePrefix',
  'namespace',
  'release',
  'filebeatImage',
  'metricbeatImage',
  'packetbeatImage',
  'credentials',
  'kubeStateMetrics',
  'kubeStateMetricsImage',
  'clusterAdminUser',
);

interface BeatImages {
  readonly filebeat: string;
  readonly metricbeat: string;
  readonly packetbeat: string;
}

const beatImages = (version: string): BeatImages => ({
  filebeat: `docker.elastic.co/beats/filebeat:${version}`,
  metricbeat: `docker.elastic.co/beats/metricbeat:${version}`,
  packetbeat: `docker.elastic.co/beats/packetbeat:${version}`,
});

/**
 * Every Beat container: root (see each use), and a writable root filesystem, as in the source.
 * A Beat writes its state to path.data (/usr/share/<beat>/data, always mounted here) and, with
 * `-e`, logs to stderr; a read-only root filesystem is plausible but unconfirmed (docs/images.md
 * section 12: possible /tmp use), and a wrong guess would crash-loop every node's Beat.
 */
const BEAT_RUNTIME = ROOT_WRITABLE;

/**
 * Why every Beat's checks are suppressed; each object adds the facts of its own
 * (root, capabilities, API calls) with {@link beatRootSkips}.
 */
const BEAT_SKIPS = {
  CKV_K8S_8:
    'the source sets no probes; a Beat has no HTTP endpoint unless http.enabled, and it retries its outputs by itself',
  CKV_K8S_9: 'the source sets no probes; a Beat serves nothing: no Service sends it traffic',
  CKV_K8S_22:
    'as in the source: a read-only root filesystem for a Beat is unconfirmed (docs/images.md section 12: possible /tmp use), and a wrong guess would crash-loop it',
  CKV_K8S_35:
    "the source passes the dynamic-logging Secret's Elastic credentials as env, which the Beats configuration reads as ${VAR}; the tutorial's env is kept",
} as const;
/** CKV_K8S_23/37/40 (root, as in the source, because `why`) and CKV_K8S_38 (the API calls `api`). */
function beatRootSkips(why: string, api?: string): Record<string, string> {
  const root = `runAsUser 0, as in the source and elastic/beats' own manifests: ${why}`;
  return {
    CKV_K8S_23: root,
    CKV_K8S_37: `${root}; it keeps the runtime's default capabilities (NET_RAW dropped), as the source drops none`,
    CKV_K8S_40: root,
    ...(api ? { CKV_K8S_38: `the Beat calls the Kubernetes API with its service account's token: ${api}` } : {}),
  };
}
/**
 * Requests of the Beats the source leaves without any: Filebeat, Packetbeat and the one-shot
 * setup Jobs (docs/images.md section 12). Memory 100Mi, the request of Elastic's reference
 * manifests for the same Beats framework (elastic/beats deploy/kubernetes/filebeat-kubernetes.yaml
 * and metricbeat-kubernetes.yaml). CPU 10m, the project's floor, not the reference's 100m: none
 * of them gets a CPU limit, so each uses the node's idle CPU, and a request only orders shares
 * on a busy node. At the reference's 100m the two DaemonSets on four nodes and the three Jobs
 * would add about 1 CPU of requests, 0.2 CPU more than the 4-node pool has left with every chart
 * applied (decision D8, docs/capacity.md).
 */
const BEAT_REQUESTS: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(10) },
  memory: { request: Size.mebibytes(100) },
};
const FILEBEAT_REQUESTS = BEAT_REQUESTS;
const PACKETBEAT_REQUESTS = BEAT_REQUESTS;
const SETUP_REQUESTS = BEAT_REQUESTS;
/** Why a Beat has no limits (CKV_K8S_11, CKV_K8S_13). */
const BEAT_NO_LIMITS = {
  CKV_K8S_11:
    "a CPU limit would throttle the Beat while it catches up with the node's logs, metrics or traffic; the request (docs/images.md) orders its share",
  CKV_K8S_13:
    "a Beat's memory grows with the node's logs, Pods or traffic (its queue holds events while the output is down); a memory limit would OOM-kill it on every node",
} as const;
/** A setup Job's limits (CKV_K8S_11, CKV_K8S_13). */
const SETUP_NO_LIMITS = {
  CKV_K8S_11: 'a CPU limit would only slow the one-off upload of templates and dashboards; its deadline is 300 s',
  CKV_K8S_13:
    'the dashboards it uploads are read into memory at once; a memory limit could OOM-kill the one-off Job before Kibana has them',
} as const;
/** Metricbeat's DaemonSet and Deployment: the source's requests and memory limit, no CPU limit. */
const METRICBEAT_NO_CPU_LIMIT =
  'the source sets requests (100m, 100Mi) and a 200Mi memory limit but no CPU limit, which would throttle metric collection';
const BEAT_HOST_NETWORK = {
  metricbeat: "hostNetwork, as in the source: the system module's network metricset reports the node's interfaces",
  packetbeat:
    'hostNetwork, as in the source: packetbeat sniffs every interface of the node to see the traffic of all its Pods',
} as const;

/** [apiGroups, resources, verbs] */
type Rule = readonly [readonly string[], readonly string[], readonly string[]];
const READ = ['get', 'watch', 'list'] as const;

/**
 * "Example: Add logging and metrics to the PHP / Redis Guestbook example": Filebeat, Metricbeat
 * and Packetbeat in `kube-system`, with their ServiceAccounts and RBAC, and kube-state-metrics,
 * all sending to the Elasticsearch and Kibana named in the `dynamic-logging` Secret. The Beats
 * find the guestbook's Pods through its labels (`app: redis`, `tier: backend|frontend`).
 *
 * Built from `elastic/examples` `beats-k8s-send-anywhere/` (the manifests the tutorial links
 * to) on current APIs; see docs/guestbook-logging.md for every change.
 */
export class GuestbookLogging extends Construct {
  static readonly SECRET_NAME = 'dynamic-logging';
  /** The Secret keys of the tutorial's "Self managed" tab. */
  static readonly SELF_MANAGED_KEYS: readonly DynamicLoggingKey[] = [
    'ELASTICSEARCH_HOSTS',
    'ELASTICSEARCH_PASSWORD',
    'ELASTICSEARCH_USERNAME',
    'KIBANA_HOST',
  ];
  /** The Secret keys of the tutorial's "Managed service" (Elastic Cloud) tab. */
  static readonly CLOUD_KEYS: readonly DynamicLoggingKey[] = ['ELASTIC_CLOUD_ID', 'ELASTIC_CLOUD_AUTH'];
  /** The tutorial's images (elastic/examples beats-k8s-send-anywhere). */
  static readonly TUTORIAL_IMAGES: BeatImages = beatImages(BeatsRelease.TUTORIAL_6_7);
  /** The default images: Beats 8.19, the 8.x line that ships to Elasticsearch 8.19 and 9.x. */
  static readonly IMAGES: BeatImages = beatImages(BeatsRelease.V8_19);
  /**
   * kube-state-metrics v2.19.1 (`examples/standard` of that release; client-go 1.35, June 2026).
   * v2.10.0 (client-go 1.28) predates every GKE version served today. Not v2.20.0 (client-go
   * 1.36): it also watches admissionregistration.k8s.io/v1 MutatingAdmissionPolicies by
   * default, an API that clusters before 1.36 do not serve. The tutorial clones the
   * repository's default branch.
   */
  static readonly KUBE_STATE_METRICS_IMAGE = 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.19.1';
  static readonly KUBE_STATE_METRICS_VERSION = '2.19.1';

  /**
   * `k8s-app` labels: the tutorial's `kubectl get pods -n kube-system -l k8s-app=...` checks.
   * The source also labels these objects (and the setup ConfigMap)
   * `kubernetes.io/cluster-service: "true"`; it is dropped everywhere, selectors included. GKE's
   * addon manager runs `kubectl apply -l kubernetes.io/cluster-service=true --prune` on
   * kube-system, and an object created with `kubectl apply` carries the last-applied annotation
   * that makes it prunable, so the addon manager deletes it about a minute later
   * (elastic/beats#7271, kubernetes/kubernetes#51376). No check of the tutorial selects on it.
   */
  static readonly FILEBEAT_LABELS = { 'k8s-app': 'filebeat-dynamic' } as const;
  static readonly PACKETBEAT_LABELS = { 'k8s-app': 'packetbeat-dynamic' } as const;
  /** The label GKE's addon manager prunes by in kube-system; no object of this construct carries it. */
  static readonly ADDON_MANAGER_LABEL = 'kubernetes.io/cluster-service';
  /**
   * The source gives the Metricbeat DaemonSet and Deployment the same Pod labels and no
   * selector (extensions/v1beta1 derived it). apps/v1 needs a selector, and two controllers
   * with the same selector would count each other's Pods, so each adds a component label;
   * `k8s-app=metricbeat` still lists both, as the tutorial's check expects.
   */
  static readonly METRICBEAT_DAEMONSET_LABELS = {
    'k8s-app': 'metricbeat',
    'app.kubernetes.io/component': 'daemonset',
  } as const;
  static readonly METRICBEAT_DEPLOYMENT_LABELS = {
    'k8s-app': 'metricbeat',
    'app.kubernetes.io/component': 'deployment',
  } as const;
  static readonly KUBE_STATE_METRICS_LABELS = { 'app.kubernetes.io/name': 'kube-state-metrics' } as const;

  /** The tutorial's `kubectl create secret generic` command for each tab (D6: the user runs one). */
  static createSecretCommand(
    keys: readonly DynamicLoggingKey[],
    namespace = 'kube-system',
    secretName: string = GuestbookLogging.SECRET_NAME,
  ): string {
    return `kubectl create secret generic ${secretName} ${keys.map((k) => `--from-file=./${k}`).join(' ')} --namespace=${namespace}`;
  }

  readonly namespace: string;
  readonly release: BeatsRelease;
  readonly filebeat: kplus.DaemonSet;
  readonly packetbeat: kplus.DaemonSet;
  readonly metricbeatDaemonSet: kplus.DaemonSet;
  readonly metricbeatDeployment: kplus.Deployment;
  readonly metricbeatSetup: kplus.Job;
  /** `filebeat setup`: index template, ingest pipelines and the Filebeat dashboards, once. */
  readonly filebeatSetup: kplus.Job;
  /** `packetbeat setup`: index template and the Packetbeat dashboards, once. */
  readonly packetbeatSetup: kplus.Job;
  /** `kube-state-metrics:8080`, where Metricbeat's state_* metricsets read, if written. */
  readonly kubeStateMetricsService?: k8s.KubeService;

  private readonly secret: kplus.ISecret;
  /** The names of this copy (namePrefix). */
  private readonly n: Names;

  constructor(scope: Construct, id: string, props: GuestbookLoggingProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    this.n = Names.of(this, props.namePrefix);
    this.namespace = v.namespace(this, 'namespace', props.namespace ?? 'kube-system');
    this.release = v.oneOf(this, 'release', props.release ?? BeatsRelease.V8_19, Object.values(BeatsRelease));
    const defaults = beatImages(this.release);
    const images: BeatImages = {
      filebeat: resolveImage(this, 'filebeatImage', props.filebeatImage ?? defaults.filebeat),
      metricbeat: resolveImage(this, 'metricbeatImage', props.metricbeatImage ?? defaults.metricbeat),
      packetbeat: resolveImage(this, 'packetbeatImage', props.packetbeatImage ?? defaults.packetbeat),
    };
    const withKsm = props.kubeStateMetrics ?? true;
    if (!withKsm && props.kubeStateMetricsImage !== undefined) {
      v.fail(this, 'kubeStateMetricsImage', props.kubeStateMetricsImage, 'only applies when kubeStateMetrics is true');
    }
    const ksmImage = withKsm
      ? resolveImage(
          this,
          'kubeStateMetricsImage',
          props.kubeStateMetricsImage ?? GuestbookLogging.KUBE_STATE_METRICS_IMAGE,
        )
      : undefined;
    if (props.clusterAdminUser !== undefined && !/^\S+$/.test(props.clusterAdminUser)) {
      v.fail(
        this,
        'clusterAdminUser',
        props.clusterAdminUser,
        'must be a non-empty user name without whitespace, such as the e-mail address of your Google account',
      );
    }
    if (props.credentials) this.validateCredentials(props.credentials);

    this.secret = this.dynamicLoggingSecret(props.credentials);
    this.filebeat = this.addFilebeat(images.filebeat);
    this.filebeatSetup = this.addSetupJob('filebeat', images.filebeat, 'filebeat-dynamic-config');
    // Where the state_* metricsets read: the kube-state-metrics written here, in this namespace;
    // without it, the one the tutorial installs (`kubectl create -f examples/standard`), which
    // upstream puts in kube-system, so the short name would not resolve from another namespace.
    const ksmHost = withKsm
      ? `${this.n.name('kube-state-metrics')}:8080`
      : this.namespace === 'kube-system'
        ? 'kube-state-metrics:8080'
        : 'kube-state-metrics.kube-system:8080';
    const metricbeat = this.addMetricbeat(images.metricbeat, ksmHost);
    this.metricbeatDaemonSet = metricbeat.daemonSet;
    this.metricbeatDeployment = metricbeat.deployment;
    this.metricbeatSetup = metricbeat.setup;
    this.packetbeat = this.addPacketbeat(images.packetbeat);
    this.packetbeatSetup = this.addSetupJob('packetbeat', images.packetbeat, 'packetbeat-dynamic-config');
    if (ksmImage) this.kubeStateMetricsService = this.addKubeStateMetrics(ksmImage);
    if (props.clusterAdminUser !== undefined) {
      // `kubectl create clusterrolebinding cluster-admin-binding --clusterrole=cluster-admin --user=<email>`
      new k8s.KubeClusterRoleBinding(this, 'cluster-admin-binding', {
        metadata: { name: this.n.name('cluster-admin-binding') },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: props.clusterAdminUser }],
      });
    }
  }

  /** One of the tutorial's two key sets, complete, with non-empty single-line values. Never echoes a value. */
  private validateCredentials(credentials: DynamicLoggingCredentials): void {
    const given = Object.keys(credentials)
      .filter((k) => credentials[k as DynamicLoggingKey] !== undefined)
      .sort();
    const unknown = given.filter((k) => !(DYNAMIC_LOGGING_KEYS as readonly string[]).includes(k));
    const variants = [GuestbookLogging.SELF_MANAGED_KEYS, GuestbookLogging.CLOUD_KEYS];
    const rule = `must hold exactly the keys of one of the tutorial's two tabs: ${variants.map((keys) => keys.join(', ')).join(' (self managed), or ')} (Elastic Cloud)`;
    if (
      unknown.length > 0 ||
      !variants.some((keys) => keys.length === given.length && keys.every((k) => given.includes(k)))
    ) {
      v.fail(this, 'credentials', `<keys ${given.join(', ')}>`, rule);
    }
    for (const key of given as DynamicLoggingKey[]) {
      const value = credentials[key]!;
      if (value.trim() === '' || /[\r\n]/.test(value)) {
        v.fail(
          this,
          `credentials.${key}`,
          '<redacted>',
          'must be a non-empty single line (the tutorial: "no whitespace, quotes or <>")',
        );
      }
    }
  }

  private dynamicLoggingSecret(credentials: DynamicLoggingCredentials | undefined): kplus.ISecret {
    if (credentials) {
      const stringData: Record<string, string> = {};
      for (const key of DYNAMIC_LOGGING_KEYS) if (credentials[key] !== undefined) stringData[key] = credentials[key]!;
      const secret = new kplus.Secret(this, 'dynamic-logging', {
        metadata: { name: this.n.name(GuestbookLogging.SECRET_NAME), namespace: this.namespace },
        stringData,
      });
      addTutorialWarning(this, secretInOutputWarning(secret.name));
      return secret;
    }
    declareExternal(this, {
      kind: 'Secret',
      name: this.n.name(GuestbookLogging.SECRET_NAME),
      namespace: this.namespace,
      howToCreate:
        `${GuestbookLogging.createSecretCommand(GuestbookLogging.SELF_MANAGED_KEYS, this.namespace, this.n.name(GuestbookLogging.SECRET_NAME))} (self managed), or ` +
        `${GuestbookLogging.createSecretCommand(GuestbookLogging.CLOUD_KEYS, this.namespace, this.n.name(GuestbookLogging.SECRET_NAME))} (Elastic Cloud)`,
    });
    return kplus.Secret.fromSecretName(this, 'dynamic-logging-ref', this.n.name(GuestbookLogging.SECRET_NAME));
  }

  /**
   * The source's environment: every key of `dynamic-logging`, each `optional: true` because
   * only one tab's keys exist; Beats' `cloud.id`/`cloud.auth` override the output when set.
   */
  private beatEnv(extra: Record<string, kplus.EnvValue> = {}): Record<string, kplus.EnvValue> {
    const env: Record<string, kplus.EnvValue> = {};
    for (const key of DYNAMIC_LOGGING_KEYS)
      env[key] = kplus.EnvValue.fromSecretValue({ secret: this.secret, key }, { optional: true });
    return { ...env, ...extra };
  }

  private serviceAccountAndRole(
    name: string,
    labels: Record<string, string>,
    rules: readonly Rule[],
    nonResourceGets: readonly string[] = [],
  ): kplus.ServiceAccount {
    const sa = new kplus.ServiceAccount(this, `${name}-sa`, {
      metadata: { name: this.n.name(name), namespace: this.namespace, labels },
      // The Beats call the API server (autodiscover, add_kubernetes_metadata) and the kubelet
      // with this account's token.
      automountToken: true,
    });
    const role = new kplus.ClusterRole(this, `${name}-role`, { metadata: { name: this.n.name(name), labels } });
    for (const [groups, resources, verbs] of rules) {
      for (const group of groups) {
        role.allow([...verbs], ...resources.map((r) => kplus.ApiResource.custom({ apiGroup: group, resourceType: r })));
      }
    }
    for (const url of nonResourceGets) role.allow(['get'], kplus.NonApiResource.of(url));
    const binding = new kplus.ClusterRoleBinding(this, `${name}-binding`, {
      metadata: { name: this.n.name(name) },
      role,
    });
    binding.addSubjects(sa);
    return sa;
  }

  private configMap(name: string, labels: Record<string, string>, data: Record<string, string>): kplus.ConfigMap {
    return new kplus.ConfigMap(this, name, {
      metadata: { name: this.n.name(name), namespace: this.namespace, labels },
      data,
    });
  }

  /**
   * A Beat's config file from a ConfigMap key at /etc/<beat>.yml (the source's `-c` path). Mode
   * 0600: Beats refuse a config file that others can write or that another user owns
   * ("Config file ownership and permissions", Beats reference), and they run as root here.
   */
  private configVolume(id: string, cm: kplus.IConfigMap, name = 'config'): kplus.Volume {
    return kplus.Volume.fromConfigMap(this, id, cm, { name, defaultMode: 0o600 });
  }

  private hostPath(id: string, name: string, path: string, type?: kplus.HostPathVolumeType): kplus.Volume {
    return kplus.Volume.fromHostPath(this, id, name, { path, type });
  }

  private addFilebeat(image: string): kplus.DaemonSet {
    const legacy = this.release === BeatsRelease.TUTORIAL_6_7;
    const labels = this.n.labels({ ...GuestbookLogging.FILEBEAT_LABELS });
    const sa = this.serviceAccountAndRole(
      'filebeat-dynamic',
      { 'k8s-app': 'filebeat-dynamic' },
      podMetadataRules(legacy),
    );
    const cm = this.configMap('filebeat-dynamic-config', labels, { 'filebeat.yml': filebeatConfig(this.release) });
    const config = this.configVolume('filebeat-config', cm);
    // Filebeat's registry (which lines it already sent) lives in path.data; the source keeps it
    // on an emptyDir, so it survives container restarts but not a new Pod.
    const data = kplus.Volume.fromEmptyDir(this, 'filebeat-data', 'data');
    // The node's logs: /var/log holds the system logs and, on containerd nodes, the kubelet's
    // /var/log/containers links into /var/log/pods. Docker-runtime nodes (the tutorial's
    // release) keep container logs in /var/lib/docker/containers, and add_docker_metadata
    // reads the Docker socket; neither exists on containerd nodes, where a hostPath without a
    // type would create an empty directory in its place.
    const varlog = this.hostPath('filebeat-varlog', 'varlog', '/var/log');
    const mounts: kplus.VolumeMount[] = [
      { path: '/etc/filebeat.yml', volume: config, readOnly: true, subPath: 'filebeat.yml' },
      { path: '/usr/share/filebeat/data', volume: data },
      { path: '/var/log', volume: varlog, readOnly: true },
    ];
    if (legacy) {
      mounts.push(
        {
          path: '/var/lib/docker/containers',
          volume: this.hostPath('filebeat-docker-containers', 'varlibdockercontainers', '/var/lib/docker/containers'),
          readOnly: true,
        },
        {
          path: '/var/run/docker.sock',
          volume: this.hostPath('filebeat-docker-sock', 'dockersock', '/var/run/docker.sock'),
        },
      );
    }
    const ds = new kplus.DaemonSet(this, 'filebeat', {
      metadata: { name: this.n.name('filebeat-dynamic'), namespace: this.namespace, labels },
      select: false,
      serviceAccount: sa,
      automountServiceAccountToken: true,
      terminationGracePeriod: Duration.seconds(30),
      securityContext: podSecurity(BEAT_RUNTIME),
      containers: [
        tutorialContainer({
          name: 'filebeat-dynamic',
          image,
          args: ['-c', '/etc/filebeat.yml', '-e'],
          envVariables: this.beatEnv(
            legacy ? {} : { NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) },
          ),
          volumeMounts: mounts,
          resources: FILEBEAT_REQUESTS,
          // runAsUser 0, as in the source and in elastic/beats' own manifests: the files under
          // /var/log/pods are owned by root and not world-readable, and the image's own user is
          // filebeat (UID 1000; Beats Dockerfile). Root filesystem: see BEAT_RUNTIME.
          runtime: BEAT_RUNTIME,
          securityContext: { user: 0 },
        }),
      ],
    });
    runtimeDefaultSeccomp(ds);
    skipChecks(ds, {
      ...BEAT_SKIPS,
      ...beatRootSkips(
        "the files under /var/log/pods are root's and not world-readable",
        'autodiscover and add_kubernetes_metadata',
      ),
      ...BEAT_NO_LIMITS,
    });
    selectByLabels(ds, labels);
    return ds;
  }

  /**
   * `<beat> setup` as a one-shot Job (`<beat>-setup`), with the DaemonSet's own configuration
   * file: it loads the index template and the dashboards, which the DaemonSet no longer does at
   * start (see NO_DASHBOARDS in lib/guestbook-logging/beats-configs.ts). The `setup` command
   * loads dashboards whatever `setup.dashboards.enabled` says (libbeat's Setup calls
   * loadDashboards with force). Like `metricbeat-setup`, it fails and retries while Kibana is
   * unreachable, and nothing else waits for it.
   */
  private addSetupJob(beat: 'filebeat' | 'packetbeat', image: string, configMapName: string): kplus.Job {
    const cm = kplus.ConfigMap.fromConfigMapName(this, `${beat}-setup-config-ref`, this.n.name(configMapName));
    const config = this.configVolume(`${beat}-setup-config-volume`, cm);
    const data = kplus.Volume.fromEmptyDir(this, `${beat}-setup-data`, 'data');
    const job = new kplus.Job(this, `${beat}-setup`, {
      metadata: { name: this.n.name(`${beat}-setup`), namespace: this.namespace },
      activeDeadline: Duration.seconds(300),
      backoffLimit: 6,
      securityContext: podSecurity(BEAT_RUNTIME),
      containers: [
        tutorialContainer({
          name: `${beat}-setup`,
          image,
          args: ['-c', `/etc/${beat}.yml`, '-e', 'setup'],
          // NODE_NAME: the configuration file names it (autodiscover, add_kubernetes_metadata).
          envVariables: this.beatEnv({ NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) }),
          volumeMounts: [
            { path: `/etc/${beat}.yml`, volume: config, readOnly: true, subPath: `${beat}.yml` },
            { path: `/usr/share/${beat}/data`, volume: data },
          ],
          // runAsUser 0: the configuration file is root's, mode 0600, as for the DaemonSet.
          runtime: BEAT_RUNTIME,
          securityContext: { user: 0 },
          resources: SETUP_REQUESTS,
        }),
      ],
    });
    runtimeDefaultSeccomp(job);
    // Its Pods carry the copy's instance label too, as every Pod of a prefixed copy does.
    for (const [key, value] of Object.entries(this.n.labels<Record<string, string>>({})))
      job.podMetadata.addLabel(key, value);
    skipChecks(job, {
      ...SETUP_NO_LIMITS,
      CKV_K8S_22: BEAT_SKIPS.CKV_K8S_22,
      CKV_K8S_35: BEAT_SKIPS.CKV_K8S_35,
      ...beatRootSkips("its config file is root's, mode 0600"),
    });
    withoutTemplateAddressLabel(job);
    return job;
  }

  private addMetricbeat(
    image: string,
    kubeStateMetricsHost: string,
  ): { daemonSet: kplus.DaemonSet; deployment: kplus.Deployment; setup: kplus.Job } {
    const legacy = this.release === BeatsRelease.TUTORIAL_6_7;
    const cmLabels = { 'k8s-app': 'metricbeat' };
    const sa = this.serviceAccountAndRole(
      'metricbeat',
      cmLabels,
      legacy
        ? [
            [[''], ['nodes', 'namespaces', 'events', 'pods'], READ],
            // The source's own groups: Beats 6.7 asks for "extensions" replicasets.
            [['extensions'], ['replicasets'], READ],
            [['apps'], ['statefulsets', 'deployments'], READ],
            // The kubelet authorizes /stats/summary on port 10250 as nodes/stats.
            [[''], ['nodes/stats'], ['get']],
          ]
        : METRICBEAT_8_RULES,
      legacy ? [] : ['/metrics'],
    );
    const nodeName = { NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) };

    // The setup Job: `metricbeat setup` loads the index template and the Kibana dashboards.
    // Without the source's `kubernetes.io/cluster-service` label (see FILEBEAT_LABELS).
    const setupCm = this.configMap(
      'metricbeat-setup-config',
      { 'k8s-app': 'metricbeat' },
      { 'metricbeat.yml': metricbeatSetupConfig() },
    );
    const setupConfig = this.configVolume('metricbeat-setup-config-volume', setupCm);
    const setupData = kplus.Volume.fromEmptyDir(this, 'metricbeat-setup-data', 'data');
    const setup = new kplus.Job(this, 'metricbeat-setup', {
      metadata: { name: this.n.name('metricbeat-setup'), namespace: this.namespace },
      activeDeadline: Duration.seconds(300),
      backoffLimit: 6,
      securityContext: podSecurity(BEAT_RUNTIME),
      containers: [
        tutorialContainer({
          name: 'metricbeat-setup',
          image,
          args: ['-c', '/etc/metricbeat.yml', '-e', 'setup'],
          envVariables: { ...nodeName, ...this.beatEnv() },
          // The source also mounts the Docker socket here, which `setup` never uses.
          volumeMounts: [
            { path: '/etc/metricbeat.yml', volume: setupConfig, readOnly: true, subPath: 'metricbeat.yml' },
            { path: '/usr/share/metricbeat/data', volume: setupData },
          ],
          // runAsUser 0, as in the source (the config file is root's, mode 0600). Every Beat,
          // `setup` included, writes its UUID to path.data/meta.json, hence the emptyDir.
          runtime: BEAT_RUNTIME,
          securityContext: { user: 0 },
          resources: SETUP_REQUESTS,
        }),
      ],
    });
    runtimeDefaultSeccomp(setup);
    skipChecks(setup, {
      ...SETUP_NO_LIMITS,
      CKV_K8S_22: BEAT_SKIPS.CKV_K8S_22,
      CKV_K8S_35: BEAT_SKIPS.CKV_K8S_35,
      ...beatRootSkips("its config file is root's, mode 0600"),
    });

    // cdk8s-plus labels a Job's Pods with its generated address; the source's Job has none.
    withoutTemplateAddressLabel(setup);

    // The DaemonSet: node, Pod and container metrics from each node's kubelet and /proc, and
    // the guestbook's Redis and Apache through autodiscover.
    const dsCm = this.configMap('metricbeat-daemonset-config', cmLabels, {
      'metricbeat.yml': metricbeatDaemonSetConfig(this.release),
    });
    const dsModules = this.configMap('metricbeat-daemonset-modules', cmLabels, {
      'system.yml': metricbeatSystemModule(this.release),
      'kubernetes.yml': metricbeatKubeletModule(this.release),
    });
    const dsConfig = this.configVolume('metricbeat-ds-config', dsCm);
    const dsModulesVolume = this.configVolume('metricbeat-ds-modules', dsModules, 'modules');
    const proc = this.hostPath('metricbeat-proc', 'proc', '/proc');
    const cgroup = this.hostPath('metricbeat-cgroup', 'cgroup', '/sys/fs/cgroup');
    // The source declares this hostPath but never mounts it; mounted on path.data it keeps the
    // Beat's identity across Pod restarts, as its name intends.
    const dsData = this.hostPath(
      'metricbeat-ds-data',
      'data',
      '/var/lib/metricbeat-data',
      kplus.HostPathVolumeType.DIRECTORY_OR_CREATE,
    );
    const dsMounts: kplus.VolumeMount[] = [
      { path: '/etc/metricbeat.yml', volume: dsConfig, readOnly: true, subPath: 'metricbeat.yml' },
      { path: '/usr/share/metricbeat/modules.d', volume: dsModulesVolume, readOnly: true },
      { path: '/usr/share/metricbeat/data', volume: dsData },
      // hostfs: the system module reads the node's /proc and cgroups here.
      { path: '/hostfs/proc', volume: proc, readOnly: true },
      { path: '/hostfs/sys/fs/cgroup', volume: cgroup, readOnly: true },
    ];
    if (legacy)
      dsMounts.push({
        path: '/var/run/docker.sock',
        volume: this.hostPath('metricbeat-docker-sock', 'dockersock', '/var/run/docker.sock'),
      });
    const dsLabels = this.n.labels({ ...GuestbookLogging.METRICBEAT_DAEMONSET_LABELS });
    const daemonSet = new kplus.DaemonSet(this, 'metricbeat-daemonset', {
      metadata: { name: this.n.name('metricbeat'), namespace: this.namespace, labels: cmLabels },
      select: false,
      serviceAccount: sa,
      automountServiceAccountToken: true,
      terminationGracePeriod: Duration.seconds(30),
      // hostNetwork, as in the source: the system module's network metricset reports the node's
      // interfaces, and the tutorial's release reads the kubelet on localhost:10255.
      // ClusterFirstWithHostNet keeps cluster DNS for kube-state-metrics and Elasticsearch.
      hostNetwork: true,
      dns: { policy: kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET },
      securityContext: podSecurity(BEAT_RUNTIME),
      containers: [
        tutorialContainer({
          name: 'metricbeat',
          image,
          args: ['-c', '/etc/metricbeat.yml', '-e', ...(legacy ? ['-system.hostfs=/hostfs'] : [])],
          envVariables: this.beatEnv({
            ...nodeName,
            ...(legacy ? {} : { NODE_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_IP) }),
          }),
          // The source's requests and limit.
          resources: {
            cpu: { request: kplus.Cpu.millis(100) },
            memory: { request: Size.mebibytes(100), limit: Size.mebibytes(200) },
          },
          volumeMounts: dsMounts,
          // runAsUser 0, as in the source and elastic/beats' manifests: the system module reads
          // every process under /hostfs/proc. Root filesystem: see BEAT_RUNTIME.
          runtime: BEAT_RUNTIME,
          securityContext: { user: 0 },
        }),
      ],
    });
    runtimeDefaultSeccomp(daemonSet);
    skipChecks(daemonSet, {
      ...BEAT_SKIPS,
      ...beatRootSkips(
        'the system module reads every process under /hostfs/proc',
        'autodiscover, and the kubelet module authenticates to the kubelet with the token',
      ),
      CKV_K8S_11: METRICBEAT_NO_CPU_LIMIT,
      CKV_K8S_19: BEAT_HOST_NETWORK.metricbeat,
    });
    selectByLabels(daemonSet, dsLabels);

    // The Deployment: one instance for cluster-wide state from kube-state-metrics.
    const depCm = this.configMap('metricbeat-deployment-config', cmLabels, {
      'metricbeat.yml': metricbeatDeploymentConfig(),
    });
    const depModules = this.configMap('metricbeat-deployment-modules', cmLabels, {
      'kubernetes.yml': metricbeatStateModule(this.release, kubeStateMetricsHost),
    });
    const depConfig = this.configVolume('metricbeat-dep-config', depCm);
    const depModulesVolume = this.configVolume('metricbeat-dep-modules', depModules, 'modules');
    const depData = kplus.Volume.fromEmptyDir(this, 'metricbeat-dep-data', 'data');
    const depLabels = this.n.labels({ ...GuestbookLogging.METRICBEAT_DEPLOYMENT_LABELS });
    const deployment = new kplus.Deployment(this, 'metricbeat-deployment', {
      metadata: { name: this.n.name('metricbeat'), namespace: this.namespace, labels: cmLabels },
      replicas: 1,
      select: false,
      serviceAccount: sa,
      automountServiceAccountToken: true,
      // As in the source; the kube-state-metrics name resolves through cluster DNS (the short
      // name in the Pod's namespace), which ClusterFirstWithHostNet keeps.
      hostNetwork: true,
      dns: { policy: kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET },
      securityContext: podSecurity(BEAT_RUNTIME),
      containers: [
        tutorialContainer({
          name: 'metricbeat',
          image,
          args: ['-c', '/etc/metricbeat.yml', '-e'],
          envVariables: this.beatEnv(nodeName),
          resources: {
            cpu: { request: kplus.Cpu.millis(100) },
            memory: { request: Size.mebibytes(100), limit: Size.mebibytes(200) },
          },
          volumeMounts: [
            { path: '/etc/metricbeat.yml', volume: depConfig, readOnly: true, subPath: 'metricbeat.yml' },
            { path: '/usr/share/metricbeat/modules.d', volume: depModulesVolume, readOnly: true },
            { path: '/usr/share/metricbeat/data', volume: depData },
          ],
          // runAsUser 0 as in the source (root-owned 0600 config).
          runtime: BEAT_RUNTIME,
          securityContext: { user: 0 },
        }),
      ],
    });
    runtimeDefaultSeccomp(deployment);
    skipChecks(deployment, {
      ...BEAT_SKIPS,
      ...beatRootSkips(
        "its config file is root's, mode 0600",
        "the kubernetes module's state metricsets add Pod and node metadata from the API",
      ),
      CKV_K8S_11: METRICBEAT_NO_CPU_LIMIT,
      CKV_K8S_19:
        "hostNetwork, as in the source's metricbeat Deployment; cluster DNS still resolves kube-state-metrics (ClusterFirstWithHostNet)",
    });
    selectByLabels(deployment, depLabels);
    for (const [key, value] of Object.entries(this.n.labels<Record<string, string>>({})))
      setup.podMetadata.addLabel(key, value);
    return { daemonSet, deployment, setup };
  }

  private addPacketbeat(image: string): kplus.DaemonSet {
    const legacy = this.release === BeatsRelease.TUTORIAL_6_7;
    const labels = this.n.labels({ ...GuestbookLogging.PACKETBEAT_LABELS });
    const sa = this.serviceAccountAndRole(
      'packetbeat-dynamic',
      { 'k8s-app': 'packetbeat-dynamic' },
      podMetadataRules(legacy),
    );
    const cm = this.configMap('packetbeat-dynamic-config', labels, {
      'packetbeat.yml': packetbeatConfig(this.release),
    });
    const config = this.configVolume('packetbeat-config', cm);
    const data = kplus.Volume.fromEmptyDir(this, 'packetbeat-data', 'data');
    const ds = new kplus.DaemonSet(this, 'packetbeat', {
      metadata: { name: this.n.name('packetbeat-dynamic'), namespace: this.namespace, labels },
      select: false,
      serviceAccount: sa,
      automountServiceAccountToken: true,
      terminationGracePeriod: Duration.seconds(30),
      // hostNetwork, as in the source: `packetbeat.interfaces.device: any` then sniffs every
      // interface of the node, so it sees the traffic of all Pods on it, the guestbook's
      // Redis (6379) and HTTP (80) included; in the Pod's own network namespace it would see
      // only its own traffic. ClusterFirstWithHostNet keeps cluster DNS.
      hostNetwork: true,
      dns: { policy: kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET },
      securityContext: podSecurity(BEAT_RUNTIME),
      containers: [
        tutorialContainer({
          name: 'packetbeat-dynamic',
          image,
          args: ['-c', '/etc/packetbeat.yml', '-e'],
          envVariables: this.beatEnv(
            legacy ? {} : { NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) },
          ),
          volumeMounts: [
            { path: '/etc/packetbeat.yml', volume: config, readOnly: true, subPath: 'packetbeat.yml' },
            { path: '/usr/share/packetbeat/data', volume: data },
          ],
          resources: PACKETBEAT_REQUESTS,
          // runAsUser 0 and NET_ADMIN, exactly the source's security context: capturing packets
          // needs root with NET_ADMIN and NET_RAW ("Run Packetbeat on Docker": --cap-add=NET_ADMIN
          // --cap-add=NET_RAW); NET_RAW is in containerd's default capability set.
          runtime: BEAT_RUNTIME,
          securityContext: { user: 0 },
        }),
      ],
    });
    runtimeDefaultSeccomp(ds);
    selectByLabels(ds, labels);
    // cdk8s-plus spells capabilities CAP_NET_ADMIN; the source's, and Kubernetes' documented,
    // form is NET_ADMIN.
    ApiObject.of(ds).addJsonPatch(
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { add: ['NET_ADMIN'] }),
    );
    const sniffs =
      "exactly the source's security context: capturing packets needs root with NET_ADMIN and NET_RAW (Run Packetbeat on Docker)";
    skipChecks(ds, {
      ...BEAT_SKIPS,
      ...beatRootSkips('capturing packets needs root', 'add_kubernetes_metadata'),
      ...BEAT_NO_LIMITS,
      CKV_K8S_19: BEAT_HOST_NETWORK.packetbeat,
      CKV_K8S_25: `the source adds NET_ADMIN: ${sniffs}`,
      CKV_K8S_28: `NET_RAW is kept: ${sniffs}`,
      CKV_K8S_37: sniffs,
    });
    return ds;
  }

  /**
   * kube-state-metrics as its `examples/standard` (v2.19.1) writes it: ServiceAccount,
   * ClusterRole, ClusterRoleBinding, Deployment and headless Service, all named
   * `kube-state-metrics`. Raw `k8s` API so the upstream security context (seccomp, dropped
   * capabilities) is written exactly.
   */
  private addKubeStateMetrics(image: string): k8s.KubeService {
    const name = this.n.name('kube-state-metrics');
    const labels = this.n.labels({
      ...GuestbookLogging.KUBE_STATE_METRICS_LABELS,
      'app.kubernetes.io/version': GuestbookLogging.KUBE_STATE_METRICS_VERSION,
    });
    const selector = this.n.labels({ ...GuestbookLogging.KUBE_STATE_METRICS_LABELS });
    new k8s.KubeServiceAccount(this, 'ksm-sa', {
      metadata: { name, namespace: this.namespace, labels },
      automountServiceAccountToken: false,
    });
    const list = ['list', 'watch'];
    const rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> = [
      {
        apiGroups: [''],
        resources: [
          'configmaps',
          'secrets',
          'nodes',
          'pods',
          'services',
          'serviceaccounts',
          'resourcequotas',
          'replicationcontrollers',
          'limitranges',
          'persistentvolumeclaims',
          'persistentvolumes',
          'namespaces',
          'endpoints',
        ],
        verbs: list,
      },
      { apiGroups: ['apps'], resources: ['statefulsets', 'daemonsets', 'deployments', 'replicasets'], verbs: list },
      { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: list },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: list },
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: list },
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: list },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: list },
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses', 'volumeattachments'], verbs: list },
      {
        apiGroups: ['admissionregistration.k8s.io'],
        resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
        verbs: list,
      },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingressclasses', 'ingresses'], verbs: list },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: list },
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
        verbs: list,
      },
    ];
    new k8s.KubeClusterRole(this, 'ksm-role', { metadata: { name, labels }, rules });
    new k8s.KubeClusterRoleBinding(this, 'ksm-binding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: this.namespace }],
    });
    const ksm = new k8s.KubeDeployment(this, 'ksm-deployment', {
      metadata: { name, namespace: this.namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            // It lists every object through the API server with this account's token.
            automountServiceAccountToken: true,
            serviceAccountName: name,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            // Pod level: the runtime's default seccomp filter, which upstream sets on the
            // container (below) too.
            securityContext: { ...RUNTIME_DEFAULT_SECCOMP },
            containers: [
              {
                name,
                image,
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  { containerPort: 8080, name: 'http-metrics' },
                  { containerPort: 8081, name: 'telemetry' },
                ],
                // Upstream's probes (v2.19.1): /livez on the metrics port, /readyz on the telemetry
                // port (v2.10's /healthz and / are gone from the example); the Go binary serves
                // both within a second of starting, so 5 s initial delay is ample.
                livenessProbe: {
                  httpGet: { path: '/livez', port: k8s.IntOrString.fromString('http-metrics') },
                  initialDelaySeconds: 5,
                  timeoutSeconds: 5,
                },
                readinessProbe: {
                  httpGet: { path: '/readyz', port: k8s.IntOrString.fromString('telemetry') },
                  initialDelaySeconds: 5,
                  timeoutSeconds: 5,
                },
                // kube-state-metrics' README ("Resource recommendation"): 250MiB memory and 0.1
                // cores as a general rule; no limit (a low CPU limit backs its queues up, which
                // then grows its memory, the README warns).
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('250Mi') },
                },
                // Upstream's security context: the image is distroless and runs as nobody (65534),
                // writes nothing and needs no capability.
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: 65534,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
              },
            ],
          },
        },
      },
    });
    skipChecks(ksm, {
      CKV_K8S_11:
        "kube-state-metrics' README: a CPU limit set too low keeps its internal queues from being worked off, which grows its memory",
      CKV_K8S_13:
        "kube-state-metrics' memory grows with the number of objects in the cluster (its README sizes it per node); a memory limit could OOM-kill it",
      CKV_K8S_38: "kube-state-metrics lists every object through the API server with its service account's token",
    });
    return tutorialService(this, 'ksm-service', {
      name,
      namespace: this.namespace,
      labels,
      selector,
      headless: true,
      ports: [
        { name: 'http-metrics', port: 8080, targetPort: 'http-metrics' },
        { name: 'telemetry', port: 8081, targetPort: 'telemetry' },
      ],
    });
  }
}

/**
 * Metricbeat 8.x's ClusterRole, as Elastic's reference manifest for 8.x writes it
 * (elastic/beats deploy/kubernetes/metricbeat-kubernetes.yaml and metricbeat/metricbeat-role.yaml):
 * the state_* and event metricsets and autodiscover watch services, persistent volumes and
 * claims, daemonsets, jobs, cronjobs and storage classes besides the 6.x list, and the
 * apiserver metricset reads /metrics; narrower, and Metricbeat logs forbidden watches. Left
 * out: the reference's `extensions` replicasets (no longer served; `apps` has them) and its two
 * namespaced Roles, for leader election (leases; this chart runs the cluster-wide metricsets
 * in its own Deployment, not through `unique: true` autodiscover) and for reading the
 * `kubeadm-config` ConfigMap (GKE is not a kubeadm cluster; it has none).
 */
const METRICBEAT_8_RULES: Rule[] = [
  [[''], ['nodes', 'namespaces', 'events', 'pods', 'services', 'persistentvolumes', 'persistentvolumeclaims'], READ],
  [['apps'], ['statefulsets', 'deployments', 'replicasets', 'daemonsets'], READ],
  [['batch'], ['jobs', 'cronjobs'], READ],
  [['storage.k8s.io'], ['storageclasses'], READ],
  // The kubelet authorizes /stats/summary on port 10250 as nodes/stats.
  [[''], ['nodes/stats'], ['get']],
];

/**
 * What add_kubernetes_metadata reads: namespaces and Pods; Beats 8.x also reads nodes and the
 * owners of Pods, to name their Deployment and CronJob
 * (elastic/beats deploy/kubernetes/filebeat-kubernetes.yaml).
 */
function podMetadataRules(legacy: boolean): Rule[] {
  return [
    [[''], ['namespaces', 'pods'], READ],
    ...(legacy
      ? []
      : ([
          [[''], ['nodes'], READ],
          [['apps'], ['replicasets'], READ],
          [['batch'], ['jobs'], READ],
        ] as Rule[])),
  ];
}
