import { IConstruct } from 'constructs';

/**
 * Prop validation shared by every construct.
 *
 * Every message has the same four parts, so a user can act on it without reading code:
 * the construct (class and path), the prop, the value it got, and the rule it broke.
 * Constructs validate in their constructor, which runs before `app.synth()` writes a
 * byte, so bad input never leaves half-written output behind.
 */
export class PropValidationError extends Error {
  constructor(
    readonly construct: string,
    readonly prop: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${construct}: prop '${prop}' is ${show(value)}; ${rule}`);
    this.name = 'PropValidationError';
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

/** "NginxHttps at 'nginx-https/app'": the class a user wrote and where it sits in the tree. */
export function describeConstruct(scope: IConstruct): string {
  return `${scope.constructor.name} at '${scope.node.path}'`;
}

/** Throws a {@link PropValidationError} for `scope`. */
export function fail(scope: IConstruct, prop: string, value: unknown, rule: string): never {
  throw new PropValidationError(describeConstruct(scope), prop, value, rule);
}

/** An integer within [min, max]. Returns the value so callers can validate and assign in one step. */
export function integerInRange(
  scope: IConstruct,
  prop: string,
  value: number,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (!Number.isInteger(value)) fail(scope, prop, value, `must be an integer between ${min} and ${max}`);
  if (value < min || value > max) fail(scope, prop, value, `must be an integer between ${min} and ${max}`);
  return value;
}

/** A replica count: an integer >= 1 (a tutorial workload with no Pods demonstrates nothing). */
export function replicas(scope: IConstruct, prop: string, value: number): number {
  return integerInRange(scope, prop, value, 1, 1000);
}

/** A TCP/UDP port number. */
export function port(scope: IConstruct, prop: string, value: number): number {
  return integerInRange(scope, prop, value, 1, 65535);
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}
export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

/** A namespace name: an RFC 1123 label (it becomes part of every Pod and Service DNS name). */
export function namespace(scope: IConstruct, prop: string, value: string): string {
  if (!isDns1123Label(value)) {
    fail(scope, prop, value, 'must be an RFC 1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit');
  }
  return value;
}

/** The `namespace` prop every construct has: undefined (the kubectl context's) or a valid namespace. */
export function optionalNamespace(scope: IConstruct, value: string | undefined): string | undefined {
  return value === undefined ? undefined : namespace(scope, 'namespace', value);
}

/** An object name: an RFC 1123 subdomain. */
export function objectName(scope: IConstruct, prop: string, value: string): string {
  if (!isDns1123Subdomain(value)) {
    fail(scope, prop, value, 'must be an RFC 1123 subdomain: lower-case letters, digits, "-" and ".", at most 253 characters, starting and ending with a letter or digit');
  }
  return value;
}

/**
 * A name prefix for running two copies side by side (decision D1). Empty means none.
 * The prefixed names must still be valid Service names, which are RFC 1035 labels.
 */
export function namePrefix(scope: IConstruct, prop: string, value: string): string {
  if (value !== '' && !/^[a-z]([-a-z0-9]*)$/.test(value)) {
    fail(scope, prop, value, 'must be empty or start with a lower-case letter and contain only lower-case letters, digits and "-"');
  }
  return value;
}

// The Kubernetes quantity grammar (k8s.io/apimachinery/pkg/api/resource): a signed decimal
// number with an optional binary (Ki..Ei), decimal (n, u, m, k, M..E) or exponent suffix.
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** A Kubernetes resource quantity such as `20Gi`, `500m` or `1.5`. */
export function quantity(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !QUANTITY.test(value)) {
    fail(scope, prop, value, 'must be a Kubernetes quantity such as "20Gi", "512Mi" or "500m"');
  }
  return value;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The numeric value of a quantity string (bytes for memory, cores for CPU). Throws on bad input. */
export function parseQuantity(value: string): number {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(value);
  if (!m) throw new Error(`'${value}' is not a Kubernetes quantity`);
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) return n * BINARY[suffix];
  if (suffix in DECIMAL) return n * DECIMAL[suffix];
  return n * 10 ** Number(suffix.slice(1));
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** A dotted-quad IPv4 address, such as a reserved regional load balancer address. */
export function ipv4(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !IPV4.test(value)) {
    fail(scope, prop, value, 'must be an IPv4 address such as "203.0.113.20" (a reserved regional address)');
  }
  return value;
}

/** One of a closed set of values (used where a prop comes from untyped input such as env vars). */
export function oneOf<T extends string>(scope: IConstruct, prop: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) fail(scope, prop, value, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  return value;
}
