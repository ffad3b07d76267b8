import { IConstruct } from 'constructs';

/**
 * Construct metadata type of a synth-time warning: a combination of props that is valid and
 * deliberate (often the tutorial's own) but probably not what a user adapting it wants.
 * cdk8s has no `Annotations.addWarning`; this is its equivalent: read the warnings of a tree
 * with {@link tutorialWarnings}.
 */
export const WARNING_METADATA = 'k8s-tutorials/warning';

/** Every warning recorded anywhere below `scope`, as "<construct path>: <message>". */
export function tutorialWarnings(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === WARNING_METADATA)
    .map((m) => `${c.node.path}: ${String(m.data)}`));
}
