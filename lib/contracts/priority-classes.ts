/**
 * The PriorityClass the charts name and the infrastructure stack creates (decision D8), like the
 * StorageClass `fast` (D7): a PriorityClass is cluster-wide, so it belongs to whoever builds the
 * cluster; a chart that wrote it would delete it for every other copy on `kubectl delete -f`,
 * and the API server refuses a Pod whose class does not exist.
 */
export interface PriorityClassSpec {
  readonly name: string;
  readonly value: number;
  readonly preemptionPolicy: 'PreemptLowerPriority' | 'Never';
  readonly description: string;
}

/**
 * For Pods the scheduler must be able to place on one particular kind of node: co-located
 * replicas (blog-storage's `httpd`: one ReadWriteOnce disk, so one node) and members of a quorum
 * ensemble that each need a node of their own (ZooKeeper's servers, Cassandra's ring members).
 * Created late or again after an eviction, such a Pod finds the nodes it may use filled in by
 * the other tutorials' small Pods; with this class it preempts Pods without a class there
 * (priority 0), whose controllers recreate them elsewhere, instead of staying Pending. Its value
 * is far below GKE's system classes (system-cluster-critical is 2000000000), so GKE's own Pods
 * are never preempted, and the Pods that carry it never preempt each other.
 */
export const MUST_PLACE: PriorityClassSpec = {
  name: 'tutorials-must-place',
  value: 1000,
  preemptionPolicy: 'PreemptLowerPriority',
  description:
    'Tutorial Pods that can only run on particular nodes (co-located replicas, one-per-node ensemble members): they preempt Pods without a priority class there.',
};

/**
 * For the tutorials' bare Pods, which no controller recreates (AppArmor's hello Pods,
 * blog-sidecar-logging's Pod, redis-config's Pod, kubia's manual Pod, blog-networking's client):
 * the same value as
 * {@link MUST_PLACE}, so that class can never preempt them (a preempted bare Pod is gone for
 * good), and `Never`, so they preempt nothing themselves.
 */
export const NO_CONTROLLER: PriorityClassSpec = {
  name: 'tutorials-bare-pod',
  value: MUST_PLACE.value,
  preemptionPolicy: 'Never',
  description:
    'Tutorial Pods that no controller recreates: Pods of tutorials-must-place cannot preempt them, and they preempt nothing.',
};

/** Every PriorityClass the charts may name. */
export const PRIORITY_CLASSES: readonly PriorityClassSpec[] = [MUST_PLACE, NO_CONTROLLER];

/** The command that creates `spec` on a cluster without the infrastructure stack (kind, minikube). */
export function howToCreatePriorityClass(spec: PriorityClassSpec): string {
  return `kubectl create priorityclass ${spec.name} --value=${spec.value} --preemption-policy=${spec.preemptionPolicy} --description="${spec.description}" (the infrastructure stack tutorials-gke-config creates it on GKE)`;
}
