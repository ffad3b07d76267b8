import { IConstruct } from 'constructs';

/**
 * Construct metadata type of a synth-time warning: a combination of props that is valid and
 * deliberate (often the tutorial's own) but probably not what a user adapting it wants.
 * cdk8s has no `Annotations.addWarning`; this is its equivalent: read the warnings of a tree
 * with {@link tutorialWarnings}.
 */
// Stryker disable next-line StringLiteral: a metadata key, read only through this constant; any value behaves the same
export const WARNING_METADATA = 'k8s-tutorials/warning';

/** Construct metadata type of a workload that may run at most one Pod per node (required anti-affinity). */
// Stryker disable next-line StringLiteral: a metadata key, read only through this constant; any value behaves the same
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

/** The words every open-load-balancer warning contains (service.ts writes them; the cdk8s app looks for them). */
export const OPEN_LOAD_BALANCER = 'is open to every address on the internet';

/** The warning for a Secret whose material the construct writes into its manifest (decision D6). */
export function secretInOutputWarning(secretName: string): string {
  return `writes Secret "${secretName}" with its secret material into the manifest: keep the output out of git`;
}

/** Records a warning on `scope`: {@link tutorialWarnings} returns it, and `app.synth()` prints it. */
export function addTutorialWarning(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING_METADATA, message);
  printAtSynth(scope.node.root);
}

/**
 * Context key that stops `app.synth()` from printing the warnings (set it to `false` before the
 * first construct is added): an app that prints them itself, as the repository's does, sets it.
 * See {@link printTutorialWarnings}.
 */
// Stryker disable next-line StringLiteral: a context key, set and read only through this constant; any value behaves the same
export const PRINT_WARNINGS_CONTEXT = 'k8s-tutorials/printWarnings';

/** The lines a synth prints for `warnings`: one `warning: ...` line each. */
export function formatWarnings(warnings: readonly string[]): string[] {
  return warnings.map((w) => `warning: ${w}`);
}

/**
 * Prints every warning below `scope`, one `warning: <construct path>: <message>` line each, to
 * `write` (standard error by default: the cdk8s CLI reads the manifests from standard output).
 * `app.synth()` prints the same lines for every app with a tutorial construct unless
 * {@link PRINT_WARNINGS_CONTEXT} is `false`.
 */
export function printTutorialWarnings(
  scope: IConstruct,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  for (const line of formatWarnings(tutorialWarnings(scope))) write(line);
}

const PRINTED = new WeakMap<IConstruct, Set<string>>();

/**
 * Makes `root` print its warnings when the app synthesizes: cdk8s validates every construct
 * before it writes, and this validation prints (and never fails). cdk8s validates the whole app
 * again for each chart, so each warning is printed once per app, the first time.
 */
export function printAtSynth(root: IConstruct): void {
  if (PRINTED.has(root)) return;
  const printed = new Set<string>();
  PRINTED.set(root, printed);
  root.node.addValidation({
    validate: () => {
      if (root.node.tryGetContext(PRINT_WARNINGS_CONTEXT) === false) return [];
      const fresh = tutorialWarnings(root).filter((w) => !printed.has(w));
      for (const w of fresh) printed.add(w);
      for (const line of formatWarnings(fresh)) process.stderr.write(`${line}\n`);
      return [];
    },
  });
}

/** Every warning recorded anywhere below `scope`, as "<construct path>: <message>". */
export function tutorialWarnings(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => `${c.node.path}: ${String(m.data)}`),
    );
}
