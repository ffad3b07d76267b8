/**
 * What the Beats of one GuestbookLogging share: the scope, names, namespace, release and
 * `dynamic-logging` Secret their objects are written with ({@link BeatsContext}), the objects
 * every Beat has (ServiceAccount and RBAC, ConfigMaps, config volumes, the `<beat> setup` Job),
 * and the reasons of the scan findings they keep.
 */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Names } from '../internal/names';
import { skipChecks } from '../internal/scan';
import {
  ROOT_WRITABLE,
  podSecurity,
  runtimeDefaultSeccomp,
  tutorialContainer,
  withoutTemplateAddressLabel,
} from '../internal/workload';
import { BeatsRelease, DYNAMIC_LOGGING_KEYS } from './beats-configs';

/**
 * Every Beat container: root (see each use), and a writable root filesystem, as in the source.
 * A Beat writes its state to path.data (/usr/share/<beat>/data, always mounted here) and, with
 * `-e`, logs to stderr; a read-only root filesystem is plausible but unconfirmed (docs/images.md
 * section 12: possible /tmp use), and a wrong guess would crash-loop every node's Beat.
 */
export const BEAT_RUNTIME = ROOT_WRITABLE;

/**
 * Why every Beat's checks are suppressed; each object adds the facts of its own
 * (root, capabilities, API calls) with {@link beatRootSkips}.
 */
export const BEAT_SKIPS = {
  CKV_K8S_8:
    'the source sets no probes; a Beat has no HTTP endpoint unless http.enabled, and it retries its outputs by itself',
  CKV_K8S_9: 'the source sets no probes; a Beat serves nothing: no Service sends it traffic',
  CKV_K8S_22:
    'as in the source: a read-only root filesystem for a Beat is unconfirmed (docs/images.md section 12: possible /tmp use), and a wrong guess would crash-loop it',
  CKV_K8S_35:
    "the source passes the dynamic-logging Secret's Elastic credentials as env, which the Beats configuration reads as ${VAR}; the tutorial's env is kept",
} as const;
/** CKV_K8S_23/37/40 (root, as in the source, because `why`) and CKV_K8S_38 (the API calls `api`). */
export function beatRootSkips(why: string, api?: string): Record<string, string> {
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
export const BEAT_REQUESTS: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(10) },
  memory: { request: Size.mebibytes(100) },
};
export const FILEBEAT_REQUESTS = BEAT_REQUESTS;
export const PACKETBEAT_REQUESTS = BEAT_REQUESTS;
export const SETUP_REQUESTS = BEAT_REQUESTS;
/** Why a Beat has no limits (CKV_K8S_11, CKV_K8S_13). */
export const BEAT_NO_LIMITS = {
  CKV_K8S_11:
    "a CPU limit would throttle the Beat while it catches up with the node's logs, metrics or traffic; the request (docs/images.md) orders its share",
  CKV_K8S_13:
    "a Beat's memory grows with the node's logs, Pods or traffic (its queue holds events while the output is down); a memory limit would OOM-kill it on every node",
} as const;
/** A setup Job's limits (CKV_K8S_11, CKV_K8S_13). */
export const SETUP_NO_LIMITS = {
  CKV_K8S_11: 'a CPU limit would only slow the one-off upload of templates and dashboards; its deadline is 300 s',
  CKV_K8S_13:
    'the dashboards it uploads are read into memory at once; a memory limit could OOM-kill the one-off Job before Kibana has them',
} as const;
export const BEAT_HOST_NETWORK = {
  metricbeat: "hostNetwork, as in the source: the system module's network metricset reports the node's interfaces",
  packetbeat:
    'hostNetwork, as in the source: packetbeat sniffs every interface of the node to see the traffic of all its Pods',
} as const;

/** [apiGroups, resources, verbs] */
export type Rule = readonly [readonly string[], readonly string[], readonly string[]];
export const READ = ['get', 'watch', 'list'] as const;

/**
 * What add_kubernetes_metadata reads: namespaces and Pods; Beats 8.x also reads nodes and the
 * owners of Pods, to name their Deployment and CronJob
 * (elastic/beats deploy/kubernetes/filebeat-kubernetes.yaml).
 */
export function podMetadataRules(legacy: boolean): Rule[] {
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

/** Where the objects of one copy's Beats go, and what they read: its names, namespace, release and Secret. */
export class BeatsContext {
  constructor(
    /** The GuestbookLogging construct: every object is its child. */
    readonly scope: Construct,
    /** The names of this copy (namePrefix). */
    readonly n: Names,
    readonly namespace: string,
    readonly release: BeatsRelease,
    /** `dynamic-logging`, written or referred to. */
    private readonly secret: kplus.ISecret,
  ) {}

  /** The tutorial's Beats 6.7 dialect (Docker nodes, the kubelet's read-only port). */
  get legacy(): boolean {
    return this.release === BeatsRelease.TUTORIAL_6_7;
  }
  /**
   * The source's environment: every key of `dynamic-logging`, each `optional: true` because
   * only one tab's keys exist; Beats' `cloud.id`/`cloud.auth` override the output when set.
   */
  beatEnv(extra: Record<string, kplus.EnvValue> = {}): Record<string, kplus.EnvValue> {
    const env: Record<string, kplus.EnvValue> = {};
    for (const key of DYNAMIC_LOGGING_KEYS)
      env[key] = kplus.EnvValue.fromSecretValue({ secret: this.secret, key }, { optional: true });
    return { ...env, ...extra };
  }

  /**
   * What the Pods of every Beat workload share: the name `name` in the Beats' namespace, no
   * selector of cdk8s-plus's own (`selectByLabels` adds the source's), the Beat's ServiceAccount
   * with its token mounted, and the Pod security of BEAT_RUNTIME; with `hostNetwork` (each caller
   * says why), ClusterFirstWithHostNet keeps cluster DNS.
   */
  workloadProps(
    name: string,
    labels: Record<string, string>,
    serviceAccount: kplus.IServiceAccount,
    { hostNetwork = false } = {},
  ): kplus.WorkloadProps {
    return {
      metadata: { name: this.n.name(name), namespace: this.namespace, labels },
      select: false,
      serviceAccount,
      automountServiceAccountToken: true,
      securityContext: podSecurity(BEAT_RUNTIME),
      ...(hostNetwork ? { hostNetwork: true, dns: { policy: kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET } } : {}),
    };
  }

  /** The ServiceAccount `name` of a Beat, with its ClusterRole and ClusterRoleBinding: `rules`, and GET on `nonResourceGets`. */
  serviceAccountAndRole(
    name: string,
    labels: Record<string, string>,
    rules: readonly Rule[],
    nonResourceGets: readonly string[] = [],
  ): kplus.ServiceAccount {
    const sa = new kplus.ServiceAccount(this.scope, `${name}-sa`, {
      metadata: { name: this.n.name(name), namespace: this.namespace, labels },
      // The Beats call the API server (autodiscover, add_kubernetes_metadata) and the kubelet
      // with this account's token.
      automountToken: true,
    });
    const role = new kplus.ClusterRole(this.scope, `${name}-role`, { metadata: { name: this.n.name(name), labels } });
    for (const [groups, resources, verbs] of rules) {
      for (const group of groups) {
        role.allow([...verbs], ...resources.map((r) => kplus.ApiResource.custom({ apiGroup: group, resourceType: r })));
      }
    }
    for (const url of nonResourceGets) role.allow(['get'], kplus.NonApiResource.of(url));
    const binding = new kplus.ClusterRoleBinding(this.scope, `${name}-binding`, {
      metadata: { name: this.n.name(name) },
      role,
    });
    binding.addSubjects(sa);
    return sa;
  }

  /** The ConfigMap `name` in the Beats' namespace. */
  configMap(name: string, labels: Record<string, string>, data: Record<string, string>): kplus.ConfigMap {
    return new kplus.ConfigMap(this.scope, name, {
      metadata: { name: this.n.name(name), namespace: this.namespace, labels },
      data,
    });
  }

  /**
   * A Beat's config file from a ConfigMap key at /etc/<beat>.yml (the source's `-c` path). Mode
   * 0600: Beats refuse a config file that others can write or that another user owns
   * ("Config file ownership and permissions", Beats reference), and they run as root here.
   */
  configVolume(id: string, cm: kplus.IConfigMap, name = 'config'): kplus.Volume {
    return kplus.Volume.fromConfigMap(this.scope, id, cm, { name, defaultMode: 0o600 });
  }

  /** A hostPath volume of the node. */
  hostPath(id: string, name: string, path: string, type?: kplus.HostPathVolumeType): kplus.Volume {
    return kplus.Volume.fromHostPath(this.scope, id, name, { path, type });
  }
}

/**
 * `<beat> setup` as a one-shot Job (`<beat>-setup`), with the DaemonSet's own configuration
 * file: it loads the index template and the dashboards, which the DaemonSet no longer does at
 * start (see NO_DASHBOARDS in lib/guestbook-logging/beats-configs.ts). The `setup` command
 * loads dashboards whatever `setup.dashboards.enabled` says (libbeat's Setup calls
 * loadDashboards with force). Like `metricbeat-setup`, it fails and retries while Kibana is
 * unreachable, and nothing else waits for it.
 */
export function addSetupJob(
  b: BeatsContext,
  beat: 'filebeat' | 'packetbeat',
  image: string,
  configMapName: string,
): kplus.Job {
  const cm = kplus.ConfigMap.fromConfigMapName(b.scope, `${beat}-setup-config-ref`, b.n.name(configMapName));
  const config = b.configVolume(`${beat}-setup-config-volume`, cm);
  const data = kplus.Volume.fromEmptyDir(b.scope, `${beat}-setup-data`, 'data');
  const job = new kplus.Job(b.scope, `${beat}-setup`, {
    metadata: { name: b.n.name(`${beat}-setup`), namespace: b.namespace },
    activeDeadline: Duration.seconds(300),
    backoffLimit: 6,
    securityContext: podSecurity(BEAT_RUNTIME),
    containers: [
      tutorialContainer({
        name: `${beat}-setup`,
        image,
        args: ['-c', `/etc/${beat}.yml`, '-e', 'setup'],
        // NODE_NAME: the configuration file names it (autodiscover, add_kubernetes_metadata).
        envVariables: b.beatEnv({ NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) }),
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
  for (const [key, value] of Object.entries(b.n.labels<Record<string, string>>({})))
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
