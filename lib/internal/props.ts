import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError, closestName, describeConstruct, fail } from './validation';
import { printAtSynth } from './warnings';

/**
 * The common start of every tutorial construct's constructor:
 * - refuses a prop the construct does not have, naming the closest one it does (TypeScript
 *   users get that from the compiler; JavaScript users, and props built from JSON, do not);
 * - makes the construct's chart refuse, at synth, two objects of the same kind, namespace and
 *   name (two ZooKeepers in one chart would both write `zk` and `zk-hs`, and the second
 *   `kubectl apply` would silently overwrite the first), naming both constructs.
 */
export function tutorialProps(
  scope: IConstruct,
  props: object | undefined,
  known: readonly string[],
  /** Props the construct deliberately lacks, with the reason (a tutorial that exists to show one Service type). */
  refused: Readonly<Record<string, string>> = {},
): void {
  TUTORIAL_CONSTRUCTS.add(scope);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (known.includes(key)) continue;
    if (refused[key] !== undefined) fail(scope, key, value, refused[key]);
    const guess = closestName(key, known);
    fail(
      scope,
      key,
      value,
      `is not a prop of ${scope.constructor.name}${guess ? ` (did you mean '${guess}'?)` : ''}; its props are ${known.join(', ')}`,
    );
  }
  const chart = Chart.of(scope);
  // Stryker disable next-line ConditionalExpression: equivalent; adding the check again repeats a check that finds the same
  if (!CHECKED_CHARTS.has(chart)) {
    CHECKED_CHARTS.add(chart);
    chart.node.addValidation({ validate: () => refuseDuplicates(chart) });
  }
  const root = scope.node.root;
  // Stryker disable next-line ConditionalExpression: equivalent; adding the check again repeats a check that finds the same
  if (!CHECKED_CHARTS.has(root)) {
    CHECKED_CHARTS.add(root);
    root.node.addValidation({ validate: () => refuseDuplicatesAcrossCharts(root) });
  }
  printAtSynth(root);
}

/**
 * The keys of a props interface, exhaustively: the compiler refuses a list that misses a key of
 * `T`, or names a key `T` lacks, so the list {@link tutorialProps} checks cannot drift from the
 * interface. Usage: `const KEYS = propKeys<ZooKeeperProps>()('namespace', 'replicas', ...)`.
 */
export function propKeys<T extends object>() {
  return <const K extends ReadonlyArray<keyof T & string>>(
    ...keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> })
  ): readonly string[] => keys;
}

const TUTORIAL_CONSTRUCTS = new WeakSet<IConstruct>();
const CHECKED_CHARTS = new WeakSet<IConstruct>();

/** The tutorial construct an object belongs to: the nearest registered ancestor. */
function ownerOf(obj: IConstruct): IConstruct {
  for (let c: IConstruct | undefined = obj; c !== undefined; c = c.node.scope) {
    if (TUTORIAL_CONSTRUCTS.has(c)) return c;
  }
  return obj;
}

/** Kind, API group, namespace and name: what `kubectl apply` identifies an object by. */
function objectKey(obj: ApiObject): string {
  // "apps/v1" -> "apps"; "v1" (the core group) -> "".
  const group = obj.apiVersion.slice(0, Math.max(0, obj.apiVersion.indexOf('/')));
  // Stryker disable next-line StringLiteral: equivalent; any marker for no namespace that no namespace can be
  return `${group}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.name}`;
}

function apiObjects(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

/**
 * Charts of one app are applied together (`kubectl apply -f dist/`), into the same namespace
 * when they set none: an object that two charts write is applied twice, and the second wins
 * silently. Same kind, namespace and name in two charts of the app is refused, naming both.
 */
function refuseDuplicatesAcrossCharts(root: IConstruct): string[] {
  const seen = new Map<string, ApiObject>();
  for (const obj of apiObjects(root)) {
    const key = objectKey(obj);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, obj);
      continue;
    }
    const [chartA, chartB] = [Chart.of(first), Chart.of(obj)];
    if (chartA === chartB) continue; // the chart's own check names it
    const where = obj.metadata.namespace === undefined ? 'the same namespace' : `namespace ${obj.metadata.namespace}`;
    throw new ValidationError(
      describeConstruct(ownerOf(obj)),
      'object',
      `${obj.kind} "${obj.name}"`,
      `must be the only one of its kind and name in ${where} across the charts of the app, but ${describeConstruct(ownerOf(first))} in chart '${chartA.node.path}' writes it too (give one of them another namespace or namePrefix)`,
    );
  }
  return [];
}

function refuseDuplicates(chart: Chart): string[] {
  const seen = new Map<string, ApiObject>();
  for (const obj of apiObjects(chart)) {
    const key = objectKey(obj);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, obj);
      continue;
    }
    const where = obj.metadata.namespace === undefined ? 'the same namespace' : `namespace ${obj.metadata.namespace}`;
    throw new ValidationError(
      describeConstruct(ownerOf(obj)),
      'object',
      `${obj.kind} "${obj.name}"`,
      `must be the only one of its kind and name in ${where} of chart '${chart.node.path}', but ${describeConstruct(ownerOf(first))} writes it too (give one of them another namespace or namePrefix)`,
    );
  }
  return [];
}
