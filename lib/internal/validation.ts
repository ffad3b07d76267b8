import { IConstruct } from 'constructs';

/**
 * Validation for both apps, in one idiom.
 *
 * A rule is a *problem function*: it takes a value and returns why the value is wrong (the
 * rule, in words), or undefined when it is fine. Rules live here once; two thin reporters turn
 * a problem into the one error class, {@link ValidationError}:
 * - {@link check} (and the `replicas`, `port`, ... shorthands) for a construct's prop:
 *   `NginxHttps at 'nginx-https/app': prop 'replicas' is 0; must be ...`;
 * - {@link checkSetting} for a setting an app reads from its environment or context:
 *   `cdktf app settings: GKE_NODE_COUNT is "3"; must be ...`.
 * Every message has the same four parts (who, which prop or setting, the value, the rule), so a
 * user can act on it without reading code. Constructs validate in their constructor and apps
 * read their settings before building anything, so bad input throws before a byte is written.
 */
export class ValidationError extends Error {
  constructor(
    /** The construct ("NginxHttps at 'nginx-https/app'") or app ("cdk8s app settings"). */
    readonly subject: string,
    /** The prop (`prop 'replicas'`) or setting (`GKE_NODE_COUNT`, `context 'nodeCount'`). */
    readonly setting: string,
    /** The value as shown in the message. */
    readonly shownValue: string,
    readonly rule: string,
  ) {
    super(`${subject}: ${setting} is ${shownValue}; ${rule}`);
    this.name = 'ValidationError';
  }
}

/** Why a value breaks a rule, or undefined when it does not. */
export type Problem = string | undefined;

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

/** "NginxHttps at 'nginx-https/app'": the class a user wrote and where it sits in the tree. */
export function describeConstruct(scope: IConstruct): string {
  return `${scope.constructor.name} at '${scope.node.path}'`;
}

/** Throws a {@link ValidationError} for prop `prop` of `scope`. */
export function fail(scope: IConstruct, prop: string, value: unknown, rule: string): never {
  throw new ValidationError(describeConstruct(scope), `prop '${prop}'`, show(value), rule);
}

/** Returns `value` when `problem` is undefined; otherwise throws for prop `prop` of `scope`. */
export function check<T>(scope: IConstruct, prop: string, value: T, problem: Problem): T {
  if (problem !== undefined) fail(scope, prop, value, problem);
  return value;
}

/** Throws a {@link ValidationError} for a setting of `app` ("cdk8s app settings", "cdktf app settings"). */
export function failSetting(app: string, setting: string, value: unknown, rule: string): never {
  throw new ValidationError(app, setting, value === undefined ? 'not set' : JSON.stringify(value), rule);
}

/** Returns `value` when `problem` is undefined; otherwise throws for `setting` of `app`. */
export function checkSetting<T>(app: string, setting: string, value: T, problem: Problem): T {
  if (problem !== undefined) failSetting(app, setting, value, problem);
  return value;
}

// ---- rules (problem functions)

export function integerProblem(value: number, min: number, max: number = Number.MAX_SAFE_INTEGER): Problem {
  return Number.isInteger(value) && value >= min && value <= max
    ? undefined
    : `must be an integer between ${min} and ${max}`;
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

export function namespaceProblem(value: string): Problem {
  return typeof value === 'string' && isDns1123Label(value)
    ? undefined
    : 'must be an RFC 1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit';
}

export function objectNameProblem(value: string): Problem {
  return typeof value === 'string' && isDns1123Subdomain(value)
    ? undefined
    : 'must be an RFC 1123 subdomain: lower-case letters, digits, "-" and ".", at most 253 characters, starting and ending with a letter or digit';
}

// The Kubernetes quantity grammar (k8s.io/apimachinery/pkg/api/resource): a signed decimal
// number with an optional binary (Ki..Ei), decimal (n, u, m, k, M..E) or exponent suffix.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

export function quantityProblem(value: string): Problem {
  return typeof value === 'string' && QUANTITY.test(value)
    ? undefined
    : 'must be a Kubernetes quantity such as "20Gi", "512Mi" or "500m"';
}

/** The quantity suffixes below one: nano, micro and milli. */
const FRACTIONS = new Set(['n', 'u', 'm']);

/**
 * A storage request: a Kubernetes quantity of at least one byte, without a fractional suffix.
 * `500m` is a valid quantity but means half a byte, not 500 megabytes, and `0` asks for
 * nothing; a provisioner refuses both (or a claim stays Pending), long after synth.
 */
export function storageSizeProblem(value: string): Problem {
  const problem = quantityProblem(value);
  if (problem !== undefined) return problem;
  const [, number, suffix = ''] = QUANTITY.exec(value)!;
  const bytes = parseQuantity(value);
  // A number without a unit is bytes: "50" asks for 50 bytes, never what was meant. An exponent
  // ("5e3"), the only suffix with a digit, is no unit.
  if ((suffix === '' || /\d/.test(suffix)) && bytes > 0)
    return `must have a unit: ${value} is ${bytes} bytes (did you mean "${number}Gi"?)`;
  // n, u and m are fractions: "500m" is half a byte, "5000m" five bytes.
  if (FRACTIONS.has(suffix) || bytes < 1) return 'must be a positive amount of storage such as "20Gi" or "500Mi"';
  return undefined;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The numeric value of a quantity string (bytes for memory, cores for CPU). Throws on bad input. */
export function parseQuantity(value: string): number {
  const m = QUANTITY.exec(value);
  if (!m) throw new Error(`'${value}' is not a Kubernetes quantity`);
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) return n * BINARY[suffix];
  if (suffix in DECIMAL) return n * DECIMAL[suffix];
  return n * 10 ** Number(suffix.slice(1));
}

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);
const IPV4_CIDR = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}/(3[0-2]|[12]?\\d)$`);

export function isIpv4(value: string): boolean {
  return typeof value === 'string' && IPV4.test(value);
}

export function ipv4Problem(value: string): Problem {
  return isIpv4(value) ? undefined : 'must be an IPv4 address such as "203.0.113.20" (a reserved regional address)';
}

/** An IPv4 CIDR range with no host bits set after the prefix. */
export function cidrProblem(cidr: string): Problem {
  if (typeof cidr !== 'string' || !IPV4_CIDR.test(cidr)) return 'must be an IPv4 CIDR range such as "203.0.113.0/24"';
  const [ip, bits] = cidr.split('/');
  // Stryker disable next-line ArithmeticOperator: equivalent, as subtracting the octets gives the same sum negated, a multiple of the same powers of two
  const value = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  if (value % 2 ** (32 - Number(bits)) !== 0)
    return `must have no host bits set after the prefix (did you mean a /${bits} that starts at the network address?)`;
  return undefined;
}

// ---- names: suggesting the one that was meant

/** Edit distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Words of a name: `GKE_NODE_COUNT` and `nodeCount` both give node, count. `gke`, which every
 * infrastructure setting starts with, is no word; an empty one, between two separators, never
 * shares a word (too short).
 */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_\-\s.]/)
    .filter((w) => w !== 'gke');
}

/**
 * The known name closest to `name`: among the names sharing a word with it (one word the
 * start of the other, at least 3 letters: NODES and NODE, PROJECT and PROJECT), the fewest
 * edits; with no shared word, the fewest edits if they change at most a third of the name.
 * Plain edit distance alone would answer GKE_NODES with GKE_LABELS (4 edits) rather than
 * GKE_NODE_COUNT (6).
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const mine = words(name);
  const shares = (k: string) =>
    words(k).some((w) => mine.some((m) => Math.min(w.length, m.length) >= 3 && (w.startsWith(m) || m.startsWith(w))));
  const byDistance = (names: readonly string[]) =>
    [...names].sort(
      (a, b) => editDistance(name.toLowerCase(), a.toLowerCase()) - editDistance(name.toLowerCase(), b.toLowerCase()),
    )[0];
  const sharing = known.filter(shares);
  if (sharing.length > 0) return byDistance(sharing);
  const best = byDistance(known);
  return best !== undefined && editDistance(name.toLowerCase(), best.toLowerCase()) <= Math.floor(name.length / 3)
    ? best
    : undefined;
}

/**
 * A source range for a LoadBalancer Service (`loadBalancerSourceRanges`): an IPv4 CIDR, and
 * never 0.0.0.0/0, which is what leaving the ranges out already means (decision D9).
 */
export function sourceRangeProblem(cidr: string): Problem {
  const problem = cidrProblem(cidr);
  if (problem !== undefined) return problem;
  if (cidr.endsWith('/0'))
    return 'must not be 0.0.0.0/0: the ranges limit who reaches the Services; leave them out to stay open to every address';
  return undefined;
}

/** checkov's check ids: `CKV_K8S_21`, `CKV2_K8S_6`, `CKV_GCP_65`. */
const CHECKOV_ID = /^CKV2?_[A-Z0-9]+_\d+$/;

/**
 * Throws unless `checkId` is a checkov check id: the one id rule of both suppressions, on cdk8s
 * objects (scan.ts) and on cdktf resources (infra/checkov.ts).
 */
export function checkCheckovId(checkId: string): void {
  if (!CHECKOV_ID.test(checkId)) throw new Error(`skipCheck: '${checkId}' is not a checkov check id`);
}

// ---- prop shorthands for constructs (each one rule above, reported for `scope`)

/** An integer within [min, max]. Returns the value so callers can validate and assign in one step. */
export function integerInRange(scope: IConstruct, prop: string, value: number, min: number, max?: number): number {
  return check(scope, prop, value, integerProblem(value, min, max));
}

/** A replica count: an integer >= 1 (a tutorial workload with no Pods demonstrates nothing). */
export function replicas(scope: IConstruct, prop: string, value: number): number {
  return integerInRange(scope, prop, value, 1, 1000);
}

/** A TCP/UDP port number. */
export function port(scope: IConstruct, prop: string, value: number): number {
  return integerInRange(scope, prop, value, 1, 65535);
}

/** A namespace name: an RFC 1123 label (it becomes part of every Pod and Service DNS name). */
export function namespace(scope: IConstruct, prop: string, value: string): string {
  return check(scope, prop, value, namespaceProblem(value));
}

/** The `namespace` prop every construct has: undefined (the kubectl context's) or a valid namespace. */
export function optionalNamespace(scope: IConstruct, value: string | undefined): string | undefined {
  return value === undefined ? undefined : namespace(scope, 'namespace', value);
}

/** An object name: an RFC 1123 subdomain. */
export function objectName(scope: IConstruct, prop: string, value: string): string {
  return check(scope, prop, value, objectNameProblem(value));
}

/** A Kubernetes resource quantity such as `20Gi`, `500m` or `1.5`. */
export function quantity(scope: IConstruct, prop: string, value: string): string {
  return check(scope, prop, value, quantityProblem(value));
}

/** A storage request such as `20Gi` (see {@link storageSizeProblem}). */
export function storageSize(scope: IConstruct, prop: string, value: string): string {
  return check(scope, prop, value, storageSizeProblem(value));
}

/** Refuses a request above its limit (the API server would reject the Pod template). */
export function requestWithinLimit(
  scope: IConstruct,
  requestProp: string,
  request: string,
  limitProp: string,
  limit: string | undefined,
): void {
  if (limit !== undefined && parseQuantity(request) > parseQuantity(limit)) {
    fail(
      scope,
      requestProp,
      request,
      `must not exceed ${limitProp} (${JSON.stringify(limit)}); Kubernetes rejects a request above its limit`,
    );
  }
}

/**
 * A JVM memory size as `-Xmx`/`-Xms` take it (`512M`, `2G`, `1048576k`): digits and an optional
 * k/m/g suffix, which the JVM reads as binary units. ZooKeeper's `--heap` and Cassandra's
 * `MAX_HEAP_SIZE` take it this way, so a Kubernetes quantity such as `512Mi` would make the JVM
 * refuse to start. Returns the size in bytes.
 */
export function jvmMemorySize(scope: IConstruct, prop: string, value: string): number {
  const m = typeof value === 'string' ? /^([1-9]\d*)([kKmMgG]?)$/.exec(value) : null;
  if (!m)
    fail(
      scope,
      prop,
      value,
      'must be a JVM memory size such as "512M" or "2G" (digits and an optional k, m or g suffix, as -Xmx takes it)',
    );
  const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

/** A dotted-quad IPv4 address, such as a reserved regional load balancer address. */
export function ipv4(scope: IConstruct, prop: string, value: string): string {
  return check(scope, prop, value, ipv4Problem(value));
}

/** A list of IPv4 endpoint addresses (at least one). */
export function ipv4Addresses(scope: IConstruct, prop: string, value: readonly string[]): string[] {
  if (value.length === 0) fail(scope, prop, value, 'must list at least one IPv4 address');
  for (const ip of value) {
    if (!isIpv4(ip)) fail(scope, prop, value, `must list IPv4 addresses only; "${ip}" is not one`);
  }
  return [...value];
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * A map of node or Pod labels (at least one): keys are `[prefix/]name` with a DNS subdomain
 * prefix and a name of at most 63 alphanumerics, `-`, `_`, `.`; values are empty or the same
 * form as a name (Kubernetes "Labels and Selectors", syntax and character set).
 */
export function labels(scope: IConstruct, prop: string, value: Record<string, string>): Record<string, string> {
  if (Object.keys(value).length === 0) fail(scope, prop, value, 'must name at least one label');
  for (const [key, val] of Object.entries(value)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash === -1 ? undefined : key.slice(0, slash);
    const name = key.slice(slash + 1);
    if ((prefix !== undefined && !isDns1123Subdomain(prefix)) || !LABEL_NAME.test(name)) {
      fail(
        scope,
        prop,
        value,
        `must have label keys of the form [prefix/]name (name: at most 63 alphanumerics, '-', '_', '.'); "${key}" is not one`,
      );
    }
    if (typeof val !== 'string' || (val !== '' && !LABEL_NAME.test(val))) {
      fail(
        scope,
        prop,
        value,
        `must have label values of at most 63 alphanumerics, '-', '_', '.'; "${String(val)}" of "${key}" is not one`,
      );
    }
  }
  return { ...value };
}

/** One of a closed set of values (used where a prop comes from untyped input such as env vars). */
export function oneOf<T extends string>(scope: IConstruct, prop: string, value: T, allowed: readonly T[]): T {
  return check(
    scope,
    prop,
    value,
    allowed.includes(value) ? undefined : `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
  );
}
