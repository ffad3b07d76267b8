import { IConstruct } from 'constructs';

/**
 * Construct metadata type of a synth-time warning: a combination of props that is valid and
 * deliberate (often the tutorial's own) but probably not what a user adapting it wants.
 * cdk8s has no `Annotations.addWarning`; this is its equivalent: read the warnings of a tree
 * with {@link tutorialWarnings}.
 */
export const WARNING_METADATA = 'k8s-tutorials/warning';

/** Construct metadata type of a workload that may run at most one Pod per node (required anti-affinity). */
export const ONE_PER_NODE_METADATA = 'k8s-tutorials/one-per-node';

/** A workload whose Pods must each land on a different node. */
export interface OnePerNodeWorkload {
  /** `<Kind>/<name>`, as `kubectl get` names it. */
  readonly workload: string;
  readonly replicas: number;
}

/** Records that `scope` writes a workload with at most one Pod per node, so an app can check it against its node pool. */
export function declareOnePerNode(scope: IConstruct, workload: OnePerNodeWorkload): void {
  scope.node.addMetadata(ONE_PER_NODE_METADATA, workload);
}

/**
 * Warnings for every one-per-node workload below `scope` with more replicas than `nodes`: the
 * API server accepts it, and the surplus Pods stay Pending for ever.
 */
export function onePerNodeWarnings(scope: IConstruct, nodes: number, nodesSetting: string): string[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === ONE_PER_NODE_METADATA)
      .map((m) => m.data as OnePerNodeWorkload)
      .filter((w) => w.replicas > nodes)
      .map(
        (w) =>
          `${c.node.path}: ${w.workload} has ${w.replicas} replicas that must each run on their own node, but the node pool has ${nodes} (${nodesSetting}): ${w.replicas - nodes} Pod(s) can never be scheduled`,
      ),
  );
}

/** Every warning recorded anywhere below `scope`, as "<construct path>: <message>". */
export function tutorialWarnings(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => `${c.node.path}: ${String(m.data)}`),
    );
}
