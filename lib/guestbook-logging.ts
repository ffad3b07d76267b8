import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BeatsRelease, DYNAMIC_LOGGING_KEYS, DynamicLoggingKey } from './guestbook-logging/beats-configs';
import { BeatsContext, addSetupJob } from './guestbook-logging/beats';
import { addFilebeat } from './guestbook-logging/filebeat';
import { addKubeStateMetrics } from './guestbook-logging/kube-state-metrics';
import { addMetricbeat } from './guestbook-logging/metricbeat';
import { addPacketbeat } from './guestbook-logging/packetbeat';
import { declareExternal } from './internal/external';
import { addTutorialWarning, secretInOutputWarning } from './internal/warnings';
import { resolveImage } from './internal/images';
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

  /** The names of this copy (namePrefix). */
  private readonly n: Names;

  constructor(scope: Construct, id: string, props: GuestbookLoggingProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    this.n = Names.of(this, props.namePrefix);
    this.namespace = v.namespace(this, 'namespace', props.namespace ?? 'kube-system');
    this.release = v.oneOf(this, 'release', props.release ?? BeatsRelease.V8_19, Object.values(BeatsRelease));
    const { images, kubeStateMetricsImage } = this.checkProps(props);

    const secret = this.dynamicLoggingSecret(props.credentials);
    const beats = new BeatsContext(this, this.n, this.namespace, this.release, secret);
    this.filebeat = addFilebeat(beats, images.filebeat, this.n.labels({ ...GuestbookLogging.FILEBEAT_LABELS }));
    this.filebeatSetup = addSetupJob(beats, 'filebeat', images.filebeat, 'filebeat-dynamic-config');
    const metricbeat = addMetricbeat(beats, images.metricbeat, this.kubeStateMetricsHost(kubeStateMetricsImage), {
      daemonSet: this.n.labels({ ...GuestbookLogging.METRICBEAT_DAEMONSET_LABELS }),
      deployment: this.n.labels({ ...GuestbookLogging.METRICBEAT_DEPLOYMENT_LABELS }),
    });
    this.metricbeatDaemonSet = metricbeat.daemonSet;
    this.metricbeatDeployment = metricbeat.deployment;
    this.metricbeatSetup = metricbeat.setup;
    this.packetbeat = addPacketbeat(beats, images.packetbeat, this.n.labels({ ...GuestbookLogging.PACKETBEAT_LABELS }));
    this.packetbeatSetup = addSetupJob(beats, 'packetbeat', images.packetbeat, 'packetbeat-dynamic-config');
    if (kubeStateMetricsImage) {
      this.kubeStateMetricsService = addKubeStateMetrics(this, {
        name: this.n.name('kube-state-metrics'),
        namespace: this.namespace,
        image: kubeStateMetricsImage,
        labels: this.n.labels({
          ...GuestbookLogging.KUBE_STATE_METRICS_LABELS,
          'app.kubernetes.io/version': GuestbookLogging.KUBE_STATE_METRICS_VERSION,
        }),
        selector: this.n.labels({ ...GuestbookLogging.KUBE_STATE_METRICS_LABELS }),
      });
    }
    if (props.clusterAdminUser !== undefined) this.addClusterAdminBinding(props.clusterAdminUser);
  }

  /**
   * Checks the images, kube-state-metrics, the cluster-admin user and the credentials; returns
   * the Beats' images and kube-state-metrics' (undefined when it is not written).
   */
  private checkProps(props: GuestbookLoggingProps): { images: BeatImages; kubeStateMetricsImage?: string } {
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
    const kubeStateMetricsImage = withKsm
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
    return { images, kubeStateMetricsImage };
  }

  /**
   * Where the state_* metricsets read: the kube-state-metrics written here (when its image is
   * given), in this namespace; without it, the one the tutorial installs (`kubectl create -f
   * examples/standard`), which upstream puts in kube-system, so the short name would not
   * resolve from another namespace.
   */
  private kubeStateMetricsHost(kubeStateMetricsImage: string | undefined): string {
    return kubeStateMetricsImage !== undefined
      ? `${this.n.name('kube-state-metrics')}:8080`
      : this.namespace === 'kube-system'
        ? 'kube-state-metrics:8080'
        : 'kube-state-metrics.kube-system:8080';
  }

  /** `kubectl create clusterrolebinding cluster-admin-binding --clusterrole=cluster-admin --user=<email>` */
  private addClusterAdminBinding(user: string): void {
    new k8s.KubeClusterRoleBinding(this, 'cluster-admin-binding', {
      metadata: { name: this.n.name('cluster-admin-binding') },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    });
  }

  /** One of the tutorial's two key sets, complete, with non-empty single-line values. Never echoes a value. */
  private validateCredentials(credentials: DynamicLoggingCredentials): void {
    const given = Object.keys(credentials)
      .filter((k) => credentials[k as DynamicLoggingKey] !== undefined)
      .sort();
    // An unknown key also fails this: no tab's key set then matches the given keys.
    const variants = [GuestbookLogging.SELF_MANAGED_KEYS, GuestbookLogging.CLOUD_KEYS];
    const rule = `must hold exactly the keys of one of the tutorial's two tabs: ${variants.map((keys) => keys.join(', ')).join(' (self managed), or ')} (Elastic Cloud)`;
    if (!variants.some((keys) => keys.length === given.length && keys.every((k) => given.includes(k)))) {
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
      // Stryker disable next-line ConditionalExpression: equivalent, as cdk8s leaves a key whose value is undefined out of the manifest
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
}
