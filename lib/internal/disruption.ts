import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { MUST_PLACE, NO_CONTROLLER, PRIORITY_CLASSES, howToCreatePriorityClass } from '../contracts/priority-classes';
import { declareExternal } from './external';

/**
 * What keeps a replicated workload up while the node pool changes under it (surge upgrades,
 * repairs and `kubectl drain` evict Pods node by node): its replicas spread over nodes, and a
 * PodDisruptionBudget so that an eviction waits until the Pod evicted before it is ready again.
 * The harness rules `replica-spread` and `disruption-budget` (test/harness/rules.ts) check
 * every chart for both.
 */

/** The node label the scheduler spreads and co-locates Pods by. */
export const HOSTNAME_TOPOLOGY = 'kubernetes.io/hostname';

function apiObjectOf(workload: IConstruct): ApiObject {
  return workload instanceof ApiObject ? workload : ApiObject.of(workload as Construct);
}

/**
 * Spreads a workload's Pods over nodes, as a preference: `topologySpreadConstraints` on
 * kubernetes.io/hostname with `whenUnsatisfiable: ScheduleAnyway`, so a full node never keeps a
 * replica from starting (every chart still fits the 4-node pool), and the scheduler otherwise
 * puts each replica on the node with the fewest of them. For a workload whose ensemble needs
 * distinct nodes (Cassandra's ring), write required anti-affinity in its Pod spec instead.
 */
export function spreadOverNodes(workload: IConstruct, podLabels: Readonly<Record<string, string>>): void {
  const constraint: k8s.TopologySpreadConstraint = {
    maxSkew: 1,
    topologyKey: HOSTNAME_TOPOLOGY,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...podLabels } },
  };
  apiObjectOf(workload).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [constraint]));
}

/** Required anti-affinity on kubernetes.io/hostname against the workload's own Pods: one Pod per node. */
export function onePodPerNode(podLabels: Readonly<Record<string, string>>): k8s.Affinity {
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { ...podLabels } }, topologyKey: HOSTNAME_TOPOLOGY },
      ],
    },
  };
}

export interface BudgetOptions {
  /**
   * How many of the Pods a voluntary eviction may take at once.
   * @default 1: a drain evicts the next Pod only when the one before is ready again
   */
  readonly maxUnavailable?: number | string;
}

/**
 * The PodDisruptionBudget `<workload>-pdb` (policy/v1) of a workload, in its namespace, whose
 * selector is exactly the workload's Pod labels (`podLabels`). The name follows the workload's,
 * so a prefixed workload gets a prefixed budget.
 */
export function addBudget(
  workload: IConstruct,
  podLabels: Readonly<Record<string, string>>,
  options: BudgetOptions = {},
): k8s.KubePodDisruptionBudget {
  const target = apiObjectOf(workload);
  const max = options.maxUnavailable ?? 1;
  return new k8s.KubePodDisruptionBudget(target.node.scope as Construct, `${target.node.id}-pdb`, {
    metadata: { name: `${target.name}-pdb`, namespace: target.metadata.namespace },
    spec: {
      selector: { matchLabels: { ...podLabels } },
      maxUnavailable: typeof max === 'number' ? k8s.IntOrString.fromNumber(max) : k8s.IntOrString.fromString(max),
    },
  });
}

/**
 * Names the PriorityClass {@link MUST_PLACE} (lib/contracts/priority-classes.ts) for a Pod that
 * can only run on particular nodes: co-located replicas (all on the node of the first, one
 * ReadWriteOnce disk) and one-per-node ensemble members. Created late or again after an
 * eviction, such a Pod finds those nodes filled in by smaller Pods; with the class it preempts a
 * Pod without a class there, whose controller recreates it elsewhere, instead of staying
 * Pending ("Insufficient cpu", "didn't match pod affinity rules"). The class is cluster-wide and
 * created by the infrastructure stack, so the chart declares it as external (decision D8); the
 * capacity contract keeps room in the pool for the preempted Pods. Returns the class name for
 * the Pod spec's `priorityClassName`.
 */
export function mustPlacePriority(scope: Construct): string {
  declareExternal(scope, {
    kind: 'PriorityClass',
    name: MUST_PLACE.name,
    howToCreate: howToCreatePriorityClass(MUST_PLACE),
  });
  return MUST_PLACE.name;
}

/**
 * Names the PriorityClass {@link NO_CONTROLLER} for a bare Pod, which no controller recreates:
 * a Pod of {@link MUST_PLACE} looking for room would otherwise preempt it for good. Declared as
 * external like {@link mustPlacePriority}'s class; returns the name for `priorityClassName`.
 */
export function barePodPriority(scope: Construct): string {
  declareExternal(scope, {
    kind: 'PriorityClass',
    name: NO_CONTROLLER.name,
    howToCreate: howToCreatePriorityClass(NO_CONTROLLER),
  });
  return NO_CONTROLLER.name;
}

/**
 * {@link spreadOverNodes} and {@link addBudget} for a workload of `replicas` Pods, when it has
 * two or more: what every replicated tutorial workload gets by default.
 */
export function keepUpAcrossNodes(
  workload: IConstruct,
  podLabels: Readonly<Record<string, string>>,
  replicas: number,
): k8s.KubePodDisruptionBudget | undefined {
  if (replicas < 2) return undefined;
  spreadOverNodes(workload, podLabels);
  return addBudget(workload, podLabels);
}

/**
 * Writes the PriorityClasses of the contract (`tutorials-must-place`) into `scope`, for a cluster
 * without this project's infrastructure stack, which otherwise creates them (decision D8). Use
 * it in one chart per cluster: the objects are cluster-wide, and `kubectl delete -f` of that
 * chart deletes them for every other chart (new Pods that name them are then refused).
 */
export function addPriorityClasses(scope: Construct): k8s.KubePriorityClass[] {
  return PRIORITY_CLASSES.map(
    (spec) =>
      new k8s.KubePriorityClass(scope, `priority-class-${spec.name}`, {
        metadata: { name: spec.name },
        value: spec.value,
        globalDefault: false,
        preemptionPolicy: spec.preemptionPolicy,
        description: spec.description,
      }),
  );
}
