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
  apiObjectOf(target).metadata.addAnnotation(...skipAnnotation(checkId, r));
}

/** The annotation that suppresses `checkId` on its object: key and value. */
function skipAnnotation(checkId: string, reason: string): [string, string] {
  return [`checkov.io/skip-${checkId}`, `${checkId}=${reason}`];
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
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/**
 * Adds the {@link REPOSITORY_WIDE_SKIPS} to every object of `chart` on which checkov 3.3.30
 * fails that check: CKV_K8S_21 on each object without a namespace, CKV_K8S_15 and CKV_K8S_43 on
 * each workload with a container pulled `IfNotPresent` or by tag, CKV2_K8S_6 on each workload
 * checkov derives a Pod from. Called once per chart by the cdk8s app, after the chart is built.
 *
 * Each object decides when it is rendered (`toJson()`, which cdk8s's synth calls), from what it
 * renders: a container added later counts, no object is rendered twice to decide, and a second
 * call changes nothing.
 */
export function addRepositoryWideSkips(chart: Chart): void {
  for (const obj of chart.node.findAll()) {
    if (!(obj instanceof ApiObject)) continue;
    const render = obj.toJson.bind(obj);
    obj.toJson = () => annotated(render() as Manifest);
  }
}

/**
 * `o` with the annotations of the repository-wide checks it fails, keys sorted as cdk8s sorts
 * them in metadata (always, CDK8S_DISABLE_SORT or not).
 */
function annotated(o: Manifest): Manifest {
  const ids = repositoryWideFailures(o);
  if (ids.length === 0) return o;
  const annotations: Record<string, string> = {
    ...o.metadata?.annotations,
    ...Object.fromEntries(ids.map((id) => skipAnnotation(id, REPOSITORY_WIDE_SKIPS[id]))),
  };
  return { ...o, metadata: sortedKeys({ ...o.metadata, annotations: sortedKeys(annotations) }) };
}

function sortedKeys<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, value[k]]),
  ) as T;
}

/** The repository-wide checks that checkov fails on the rendered object `o`. */
function repositoryWideFailures(o: Manifest): Array<keyof typeof REPOSITORY_WIDE_SKIPS> {
  const ids: Array<keyof typeof REPOSITORY_WIDE_SKIPS> = [];
  const ns = o.metadata?.namespace;
  if (
    NAMESPACED_CHECK_KINDS.has(o.kind) &&
    (ns === undefined || ns === 'default') &&
    !(o.kind === 'ServiceAccount' && o.metadata?.name === 'default')
  )
    ids.push('CKV_K8S_21');
  const pod = podSpecOf(o);
  if (!pod) return ids;
  const containers = [...(pod.containers ?? []), ...(pod.initContainers ?? [])];
  if (containers.some((c) => !c.image?.includes('@') && c.imagePullPolicy !== 'Always')) ids.push('CKV_K8S_15');
  if (containers.some((c) => !c.image?.includes('@'))) ids.push('CKV_K8S_43');
  if (DERIVED_POD_KINDS.has(o.kind)) ids.push('CKV2_K8S_6');
  return ids;
}
