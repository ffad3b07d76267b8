import { IConstruct } from 'constructs';

/**
 * Objects a chart refers to but deliberately does not write (decision D6): the user creates
 * them, usually because they hold secret material. Constructs declare them here; the test
 * harness accepts a reference only when it is written by the chart or declared this way, and
 * the README lists each with the command that creates it.
 */
// Stryker disable next-line StringLiteral: a metadata key, read only through this constant; any value behaves the same
export const EXTERNAL_METADATA = 'k8s-tutorials/external';

export type ExternalKind =
  'Secret' | 'ConfigMap' | 'PersistentVolumeClaim' | 'ServiceAccount' | 'StorageClass' | 'PriorityClass';

export interface ExternalObject {
  readonly kind: ExternalKind;
  readonly name: string;
  /** The namespace it must exist in; undefined for cluster-scoped objects. */
  readonly namespace?: string;
  /** How the user creates it: a command or an npm script. */
  readonly howToCreate: string;
}

export function declareExternal(scope: IConstruct, obj: ExternalObject): void {
  scope.node.addMetadata(EXTERNAL_METADATA, obj);
}

/** Every external object declared anywhere below `scope`. */
export function externalObjects(scope: IConstruct): ExternalObject[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === EXTERNAL_METADATA).map((m) => m.data as ExternalObject));
}
