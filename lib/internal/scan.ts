import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { podSpecOf } from './manifests';
import { checkCheckovId } from './validation';

/**
 * checkov suppressions (docs/scan.md): one annotation on one object for one check,
 * `checkov.io/skip-<ID>: <ID>=<reason>`, on the object's own metadata (checkov ignores Pod
 * template annotations; a graph check on the Pod it derives from a workload is suppressed on
 * the workload). `npm run scan` lists every suppression in docs/scan-suppressions.md and fails
 * on one whose check did not run on that object, so a suppression is only written where the
 * check fails.
 */
export function skipCheck(target: IConstruct, checkId: string, reason: string): void {
  checkCheckovId(checkId);
  const r = reason.trim();
  if (r === '' || /[=\r\n]/.test(r))
    throw new Error(
      `skipCheck ${checkId}: the reason must be one non-empty line without '=' (checkov splits on it): ${JSON.stringify(reason)}`,
    );
  apiObjectOf(target).metadata.addAnnotation(`checkov.io/skip-${checkId}`, `${checkId}=${r}`);
}

/** {@link skipCheck} for several checks on one object, each with its own reason. */
export function skipChecks(target: IConstruct, reasons: Readonly<Record<string, string>>): void {
  for (const [id, reason] of Object.entries(reasons)) skipCheck(target, id, reason);
}

function apiObjectOf(target: IConstruct): ApiObject {
  return target instanceof ApiObject ? target : ApiObject.of(target as Construct);
}

/**
 * The four checks that fail on every tutorial object for one repository-wide reason, each
 * suppressed on each object where it fails (README "Policy scan (checkov)").
 */
export const REPOSITORY_WIDE_SKIPS = {
  CKV_K8S_21:
    'decision D1: the manifests carry no namespace so that `kubectl apply -n <namespace>` chooses it at apply time',
  CKV_K8S_15:
    'decision D5: every image has a pinned tag, so the pull policy is IfNotPresent (Kubernetes default for a tagged image) and not Always',
  CKV_K8S_43:
    "decision D3: images are the tutorial's pinned tags, one IMAGE_REGISTRY setting away from a mirror; a digest would differ per registry",
  CKV2_K8S_6:
    'the tutorial defines no NetworkPolicy: its Pods are reached by the clients it shows (other Pods, kubectl, NodePort and LoadBalancer traffic)',
} as const;

/** Kinds checkov's CKV_K8S_21 (default namespace) reads. */
const NAMESPACED_CHECK_KINDS = new Set([
  'Pod',
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'Service',
  'Secret',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ConfigMap',
  'Ingress',
]);
/** Kinds checkov derives a Pod from for its graph check CKV2_K8S_6 (not CronJob). */
const DERIVED_POD_KINDS = new Set(['Pod', 'Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job']);

interface Manifest {
  kind: string;
  metadata?: { name?: string; namespace?: string };
  spec?: Record<string, unknown>;
}

/**
 * Adds the {@link REPOSITORY_WIDE_SKIPS} to every object of `chart` on which checkov 3.3.30
 * fails that check: CKV_K8S_21 on each object without a namespace, CKV_K8S_15 and CKV_K8S_43 on
 * each workload with a container pulled `IfNotPresent` or by tag, CKV2_K8S_6 on each workload
 * checkov derives a Pod from. Called once per chart by the cdk8s app, after the chart is built.
 */
export function addRepositoryWideSkips(chart: Chart): void {
  for (const obj of chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
    const o = obj.toJson() as Manifest;
    const ns = o.metadata?.namespace;
    if (
      NAMESPACED_CHECK_KINDS.has(o.kind) &&
      (ns === undefined || ns === 'default') &&
      !(o.kind === 'ServiceAccount' && o.metadata?.name === 'default')
    ) {
      skipCheck(obj, 'CKV_K8S_21', REPOSITORY_WIDE_SKIPS.CKV_K8S_21);
    }
    const pod = podSpecOf(o);
    if (!pod) continue;
    const containers = [...(pod.containers ?? []), ...(pod.initContainers ?? [])];
    if (containers.some((c) => !c.image?.includes('@') && c.imagePullPolicy !== 'Always')) {
      skipCheck(obj, 'CKV_K8S_15', REPOSITORY_WIDE_SKIPS.CKV_K8S_15);
    }
    if (containers.some((c) => !c.image?.includes('@'))) skipCheck(obj, 'CKV_K8S_43', REPOSITORY_WIDE_SKIPS.CKV_K8S_43);
    if (DERIVED_POD_KINDS.has(o.kind)) skipCheck(obj, 'CKV2_K8S_6', REPOSITORY_WIDE_SKIPS.CKV2_K8S_6);
  }
}
