/**
 * Metricbeat of GuestbookLogging: the setup Job `metricbeat-setup`, the DaemonSet `metricbeat`
 * (node, Pod and container metrics, and the guestbook's Redis and Apache) and the Deployment
 * `metricbeat` (cluster-wide state from kube-state-metrics), with their ServiceAccount, RBAC and
 * configuration.
 */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { skipChecks } from '../internal/scan';
import {
  podSecurity,
  runtimeDefaultSeccomp,
  selectByLabels,
  tutorialContainer,
  withoutTemplateAddressLabel,
} from '../internal/workload';
import {
  metricbeatDaemonSetConfig,
  metricbeatDeploymentConfig,
  metricbeatKubeletModule,
  metricbeatSetupConfig,
  metricbeatStateModule,
  metricbeatSystemModule,
} from './beats-configs';
import {
  BEAT_HOST_NETWORK,
  BEAT_RUNTIME,
  BEAT_SKIPS,
  BeatsContext,
  READ,
  Rule,
  SETUP_NO_LIMITS,
  SETUP_REQUESTS,
  beatRootSkips,
} from './beats';

/** Metricbeat's DaemonSet and Deployment: the source's requests and memory limit, no CPU limit. */
const METRICBEAT_NO_CPU_LIMIT =
  'the source sets requests (100m, 100Mi) and a 200Mi memory limit but no CPU limit, which would throttle metric collection';

/** The Pod labels of Metricbeat's two workloads. */
export interface MetricbeatLabels {
  readonly daemonSet: Record<string, string>;
  readonly deployment: Record<string, string>;
}

/** Metricbeat's objects that the construct exposes. */
export interface Metricbeat {
  readonly daemonSet: kplus.DaemonSet;
  readonly deployment: kplus.Deployment;
  readonly setup: kplus.Job;
}

/**
 * Metricbeat: its ServiceAccount and RBAC, the setup Job, the DaemonSet and the Deployment, which
 * reads kube-state-metrics at `kubeStateMetricsHost`.
 */
export function addMetricbeat(
  b: BeatsContext,
  image: string,
  kubeStateMetricsHost: string,
  labels: MetricbeatLabels,
): Metricbeat {
  const sa = b.serviceAccountAndRole(
    'metricbeat',
    { 'k8s-app': 'metricbeat' },
    b.legacy ? METRICBEAT_6_RULES : METRICBEAT_8_RULES,
    b.legacy ? [] : ['/metrics'],
  );
  const setup = addSetupJob(b, image);
  const daemonSet = addDaemonSet(b, image, sa, labels.daemonSet);
  const deployment = addDeployment(b, image, sa, kubeStateMetricsHost, labels.deployment);
  // The setup Job's Pods carry the copy's instance label too, as every Pod of a prefixed copy does.
  for (const [key, value] of Object.entries(b.n.labels<Record<string, string>>({})))
    setup.podMetadata.addLabel(key, value);
  return { daemonSet, deployment, setup };
}

/** `NODE_NAME` from the Pod's node: the configuration files name it (autodiscover, add_kubernetes_metadata). */
function nodeNameEnv(): Record<string, kplus.EnvValue> {
  return { NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) };
}

/**
 * The setup Job: `metricbeat setup` loads the index template and the Kibana dashboards.
 * Without the source's `kubernetes.io/cluster-service` label (see GuestbookLogging.FILEBEAT_LABELS).
 */
function addSetupJob(b: BeatsContext, image: string): kplus.Job {
  const setupCm = b.configMap(
    'metricbeat-setup-config',
    { 'k8s-app': 'metricbeat' },
    { 'metricbeat.yml': metricbeatSetupConfig() },
  );
  const setupConfig = b.configVolume('metricbeat-setup-config-volume', setupCm);
  const setupData = kplus.Volume.fromEmptyDir(b.scope, 'metricbeat-setup-data', 'data');
  const setup = new kplus.Job(b.scope, 'metricbeat-setup', {
    metadata: { name: b.n.name('metricbeat-setup'), namespace: b.namespace },
    activeDeadline: Duration.seconds(300),
    backoffLimit: 6,
    securityContext: podSecurity(BEAT_RUNTIME),
    containers: [
      tutorialContainer({
        name: 'metricbeat-setup',
        image,
        args: ['-c', '/etc/metricbeat.yml', '-e', 'setup'],
        envVariables: { ...nodeNameEnv(), ...b.beatEnv() },
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
  return setup;
}

/**
 * The DaemonSet: node, Pod and container metrics from each node's kubelet and /proc, and the
 * guestbook's Redis and Apache through autodiscover.
 */
function addDaemonSet(
  b: BeatsContext,
  image: string,
  sa: kplus.ServiceAccount,
  labels: Record<string, string>,
): kplus.DaemonSet {
  const cmLabels = { 'k8s-app': 'metricbeat' };
  const dsCm = b.configMap('metricbeat-daemonset-config', cmLabels, {
    'metricbeat.yml': metricbeatDaemonSetConfig(b.release),
  });
  const dsModules = b.configMap('metricbeat-daemonset-modules', cmLabels, {
    'system.yml': metricbeatSystemModule(b.release),
    'kubernetes.yml': metricbeatKubeletModule(b.release),
  });
  const daemonSet = new kplus.DaemonSet(b.scope, 'metricbeat-daemonset', {
    // hostNetwork, as in the source: the system module's network metricset reports the node's
    // interfaces, and the tutorial's release reads the kubelet on localhost:10255.
    // ClusterFirstWithHostNet keeps cluster DNS for kube-state-metrics and Elasticsearch.
    ...b.workloadProps('metricbeat', cmLabels, sa, { hostNetwork: true }),
    terminationGracePeriod: Duration.seconds(30),
    containers: [
      tutorialContainer({
        name: 'metricbeat',
        image,
        args: ['-c', '/etc/metricbeat.yml', '-e', ...(b.legacy ? ['-system.hostfs=/hostfs'] : [])],
        envVariables: b.beatEnv({
          ...nodeNameEnv(),
          ...(b.legacy ? {} : { NODE_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_IP) }),
        }),
        // The source's requests and limit.
        resources: METRICBEAT_RESOURCES,
        volumeMounts: daemonSetMounts(b, dsCm, dsModules),
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
  selectByLabels(daemonSet, labels);
  return daemonSet;
}

/** The DaemonSet's mounts: its configuration and modules, its data, and the node's /proc and cgroups. */
function daemonSetMounts(b: BeatsContext, dsCm: kplus.ConfigMap, dsModules: kplus.ConfigMap): kplus.VolumeMount[] {
  const dsConfig = b.configVolume('metricbeat-ds-config', dsCm);
  const dsModulesVolume = b.configVolume('metricbeat-ds-modules', dsModules, 'modules');
  const proc = b.hostPath('metricbeat-proc', 'proc', '/proc');
  const cgroup = b.hostPath('metricbeat-cgroup', 'cgroup', '/sys/fs/cgroup');
  // The source declares this hostPath but never mounts it; mounted on path.data it keeps the
  // Beat's identity across Pod restarts, as its name intends.
  const dsData = b.hostPath(
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
  if (b.legacy)
    dsMounts.push({
      path: '/var/run/docker.sock',
      volume: b.hostPath('metricbeat-docker-sock', 'dockersock', '/var/run/docker.sock'),
    });
  return dsMounts;
}

/** The Deployment: one instance for cluster-wide state from kube-state-metrics. */
function addDeployment(
  b: BeatsContext,
  image: string,
  sa: kplus.ServiceAccount,
  kubeStateMetricsHost: string,
  labels: Record<string, string>,
): kplus.Deployment {
  const cmLabels = { 'k8s-app': 'metricbeat' };
  const depCm = b.configMap('metricbeat-deployment-config', cmLabels, {
    'metricbeat.yml': metricbeatDeploymentConfig(),
  });
  const depModules = b.configMap('metricbeat-deployment-modules', cmLabels, {
    'kubernetes.yml': metricbeatStateModule(b.release, kubeStateMetricsHost),
  });
  const depConfig = b.configVolume('metricbeat-dep-config', depCm);
  const depModulesVolume = b.configVolume('metricbeat-dep-modules', depModules, 'modules');
  const depData = kplus.Volume.fromEmptyDir(b.scope, 'metricbeat-dep-data', 'data');
  const deployment = new kplus.Deployment(b.scope, 'metricbeat-deployment', {
    // hostNetwork as in the source; the kube-state-metrics name resolves through cluster DNS
    // (the short name in the Pod's namespace), which ClusterFirstWithHostNet keeps.
    ...b.workloadProps('metricbeat', cmLabels, sa, { hostNetwork: true }),
    replicas: 1,
    containers: [
      tutorialContainer({
        name: 'metricbeat',
        image,
        args: ['-c', '/etc/metricbeat.yml', '-e'],
        envVariables: b.beatEnv(nodeNameEnv()),
        resources: METRICBEAT_RESOURCES,
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
  selectByLabels(deployment, labels);
  return deployment;
}

/** The source's requests and memory limit of the DaemonSet's and the Deployment's Metricbeat. */
const METRICBEAT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(100), limit: Size.mebibytes(200) },
};

/** Metricbeat 6.7's ClusterRole, the source's. */
const METRICBEAT_6_RULES: Rule[] = [
  [[''], ['nodes', 'namespaces', 'events', 'pods'], READ],
  // The source's own groups: Beats 6.7 asks for "extensions" replicasets.
  [['extensions'], ['replicasets'], READ],
  [['apps'], ['statefulsets', 'deployments'], READ],
  // The kubelet authorizes /stats/summary on port 10250 as nodes/stats.
  [[''], ['nodes/stats'], ['get']],
];

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
