/**
 * kube-state-metrics of GuestbookLogging, as its `examples/standard` (v2.19.1) writes it:
 * ServiceAccount, ClusterRole, ClusterRoleBinding, Deployment and headless Service, all named
 * `kube-state-metrics`. Raw `k8s` API so the upstream security context (seccomp, dropped
 * capabilities) is written exactly.
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { skipChecks } from '../internal/scan';
import { tutorialService } from '../internal/service';
import { RUNTIME_DEFAULT_SECCOMP } from '../internal/workload';

/** Where and how kube-state-metrics is written. */
export interface KubeStateMetricsOptions {
  /** The name of every object (`kube-state-metrics`, prefixed). */
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  /** The objects' and Pods' labels. */
  readonly labels: Record<string, string>;
  /** The Deployment's and the Service's selector. */
  readonly selector: Record<string, string>;
}

/** kube-state-metrics' objects, written into `scope`; returns its Service. */
export function addKubeStateMetrics(scope: Construct, o: KubeStateMetricsOptions): k8s.KubeService {
  const { name, namespace, labels, selector } = o;
  new k8s.KubeServiceAccount(scope, 'ksm-sa', {
    metadata: { name, namespace, labels },
    automountServiceAccountToken: false,
  });
  new k8s.KubeClusterRole(scope, 'ksm-role', { metadata: { name, labels }, rules: kubeStateMetricsRules() });
  new k8s.KubeClusterRoleBinding(scope, 'ksm-binding', {
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  });
  const ksm = new k8s.KubeDeployment(scope, 'ksm-deployment', {
    metadata: { name, namespace, labels },
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
          containers: [kubeStateMetricsContainer(name, o.image)],
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
  return tutorialService(scope, 'ksm-service', {
    name,
    namespace,
    labels,
    selector,
    headless: true,
    ports: [
      { name: 'http-metrics', port: 8080, targetPort: 'http-metrics' },
      { name: 'telemetry', port: 8081, targetPort: 'telemetry' },
    ],
  });
}

/** The ClusterRole's rules of v2.19.1: list and watch what it reports on, and its own auth checks. */
function kubeStateMetricsRules(): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
  const list = ['list', 'watch'];
  return [
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
}

/** The `kube-state-metrics` container: upstream's ports, probes and security context. */
function kubeStateMetricsContainer(name: string, image: string): k8s.Container {
  return {
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
  };
}
