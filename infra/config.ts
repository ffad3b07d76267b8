import { machineTypeProblem } from '../lib/contracts/machine-types';
import { Problem, checkSetting, cidrProblem, closestName, editDistance, failSetting } from '../lib/shared';
import { DEFAULT_NETWORK_RANGES } from './network';

/**
 * The settings of the cdktf app. Each comes from an environment variable, else from cdktf
 * context (`cdktf.json` "context"),
 * else from its default. The defaults synthesize without any cloud credentials; only the
 * project must be given before `cdktf deploy` (checked by Terraform at plan time, see
 * `ClusterStack`).
 */
export interface InfraConfig {
  /** Google Cloud project id. `GKE_PROJECT` / context `project`. @default empty: synth works, deploy refuses */
  readonly project: string;
  /** Region of the subnet and the reserved addresses. `GKE_REGION` / `region`. @default us-central1 */
  readonly region: string;
  /** Zone of the zonal cluster. `GKE_ZONE` / `zone`. @default us-central1-c, the zone of the tutorials' sample GKE nodes; required for any other region */
  readonly zone: string;
  /** Cluster name, also the prefix of every other resource name. `GKE_CLUSTER_NAME` / `clusterName`. @default tutorials */
  readonly clusterName: string;
  /** Node machine type. `GKE_MACHINE_TYPE` / `machineType`. @default e2-standard-2 (2 vCPUs, 8 GiB; D8) */
  readonly machineType: string;
  /** Nodes the tutorials get, at least. `GKE_NODE_COUNT` / `nodeCount`. @default 4, the ZooKeeper tutorial's cluster (D8); a regional cluster rounds it up to a multiple of its zones */
  readonly nodeCount: number;
  /** CIDR ranges allowed to reach NodePorts. `GKE_ALLOWED_SOURCE_RANGES` (comma-separated) / `allowedSourceRanges`. @default none: no firewall rule */
  readonly allowedSourceRanges: readonly string[];
  /** GCS bucket for remote state. `GKE_STATE_BUCKET` / `stateBucket`. @default none: local state files */
  readonly stateBucket?: string;
  /** Refuse `terraform destroy` of the cluster. `GKE_DELETION_PROTECTION` / `deletionProtection`. @default true */
  readonly deletionProtection: boolean;
  /**
   * CIDR ranges allowed to reach the control plane (master authorized networks, CIS GKE 5.6.3).
   * `GKE_MASTER_AUTHORIZED_RANGES` / `masterAuthorizedRanges`. See {@link controlPlaneRanges}.
   * @default undefined: the same ranges as allowedSourceRanges (decision D9: one setting); with neither set, any address
   */
  readonly masterAuthorizedRanges?: readonly string[];
  /** Nodes without external addresses, behind Cloud NAT (CIS GKE 5.6.5). `GKE_PRIVATE_NODES` / `privateNodes`. @default false: the tutorials' NodePort checks reach the nodes directly */
  readonly privateNodes: boolean;
  /** The control plane's /28 when nodes are private. `GKE_MASTER_CIDR` / `masterCidr`. @default 172.16.0.0/28, outside the network's ranges */
  readonly masterCidr: string;
  /** Encrypt Secrets in etcd with a Cloud KMS key of this stack (CIS GKE 5.3.1). `GKE_SECRETS_KMS` / `secretsKms`. @default false: GKE's default encryption at rest */
  readonly secretsKms: boolean;
  /** NetworkPolicy enforcement (GKE Dataplane V2, no kube-proxy; CIS GKE 5.6.7). `GKE_NETWORK_POLICY` / `networkPolicy`. @default false */
  readonly networkPolicy: boolean;
  /** A regional cluster (control plane in every zone of the region). `GKE_REGIONAL` / `regional`. @default false: zonal (D8) */
  readonly regional: boolean;
  /** Zones of the region the regional cluster's nodes run in. `GKE_NODE_LOCATIONS` (comma-separated) / `nodeLocations`. @default none; required when regional */
  readonly nodeLocations: readonly string[];
  /** When GKE may upgrade and repair automatically, UTC: `<days> HH:MM-HH:MM`. `GKE_MAINTENANCE_WINDOW` / `maintenanceWindow`. @default "SA,SU 02:00-10:00" */
  readonly maintenanceWindow: string;
  /** Labels on every resource that takes them, over {@link DEFAULT_LABELS}. `GKE_LABELS` (`k=v,k=v`) / `labels` (object). @default DEFAULT_LABELS */
  readonly labels: Readonly<Record<string, string>>;
}

/** Labels every labelled resource carries unless GKE_LABELS overrides a key. */
export const DEFAULT_LABELS: Readonly<Record<string, string>> = { app: 'k8s-tutorials', 'managed-by': 'cdktf' };

export const DEFAULT_CONFIG: InfraConfig = {
  project: '',
  region: 'us-central1',
  zone: 'us-central1-c',
  clusterName: 'tutorials',
  machineType: 'e2-standard-2',
  nodeCount: 4,
  allowedSourceRanges: [],
  deletionProtection: true,
  privateNodes: false,
  masterCidr: '172.16.0.0/28',
  secretsKms: false,
  networkPolicy: false,
  regional: false,
  nodeLocations: [],
  // 8 hours on each weekend day: at least 64 hours in any 32 days. GKE refuses a window with
  // less than 48 hours of availability in a rolling 32 days (in stretches of at least 4 hours),
  // so Saturdays and Sundays 02:00-06:00 (32 hours in the worst 32 days) would fail at apply time.
  maintenanceWindow: 'SA,SU 02:00-10:00',
  labels: DEFAULT_LABELS,
};

/** Where a bad setting's message says it came from. */
const APP = 'cdktf app settings';

/** Every setting: its environment variable and its cdktf context key. */
export const SETTINGS = [
  { variable: 'GKE_PROJECT', key: 'project' },
  { variable: 'GKE_REGION', key: 'region' },
  { variable: 'GKE_ZONE', key: 'zone' },
  { variable: 'GKE_CLUSTER_NAME', key: 'clusterName' },
  { variable: 'GKE_MACHINE_TYPE', key: 'machineType' },
  { variable: 'GKE_NODE_COUNT', key: 'nodeCount' },
  { variable: 'GKE_ALLOWED_SOURCE_RANGES', key: 'allowedSourceRanges' },
  { variable: 'GKE_STATE_BUCKET', key: 'stateBucket' },
  { variable: 'GKE_DELETION_PROTECTION', key: 'deletionProtection' },
  { variable: 'GKE_MASTER_AUTHORIZED_RANGES', key: 'masterAuthorizedRanges' },
  { variable: 'GKE_PRIVATE_NODES', key: 'privateNodes' },
  { variable: 'GKE_MASTER_CIDR', key: 'masterCidr' },
  { variable: 'GKE_SECRETS_KMS', key: 'secretsKms' },
  { variable: 'GKE_NETWORK_POLICY', key: 'networkPolicy' },
  { variable: 'GKE_REGIONAL', key: 'regional' },
  { variable: 'GKE_NODE_LOCATIONS', key: 'nodeLocations' },
  { variable: 'GKE_MAINTENANCE_WINDOW', key: 'maintenanceWindow' },
  { variable: 'GKE_LABELS', key: 'labels' },
] as const;

/**
 * Context keys cdktf itself sets or reads (cdktf 0.21 `App`, `TerraformAsset`, the CLI's
 * CDKTF_CONTEXT_JSON, and the feature flags older `cdktf init` wrote into cdktf.json). They are
 * never refused, even when they look like a setting.
 */
export const CDKTF_CONTEXT_KEYS: readonly string[] = [
  'cdktfVersion',
  'cdktfJsonPath',
  'cdktfRelativeModules',
  'cdktfStaticModuleAssetHash',
  '@cdktf/disable_stack_trace_in_metadata',
  'excludeStackIdFromLogicalIds',
  'allowSepCharsInLogicalIds',
];

// ---- rules, shared by the settings check (which names the variable) and the constructs (which name the prop)

/** The ZooKeeper tutorial's minimum: "at least four nodes" (D8). */
export const MIN_NODE_COUNT = 4;

export function nodeCountProblem(n: number): Problem {
  if (!Number.isInteger(n) || n < MIN_NODE_COUNT || n > 100) {
    return `must be an integer between ${MIN_NODE_COUNT} and 100 (the ZooKeeper tutorial needs at least four nodes, decision D8)`;
  }
  return undefined;
}

/** GKE cluster names: RFC 1035, at most 40; 24 here so that `<name>-nodes` fits a service account id (30). */
export function clusterNameProblem(name: string): Problem {
  if (!/^[a-z]([-a-z0-9]{0,22}[a-z0-9])?$/.test(name)) {
    return 'must be 1-24 lower-case letters, digits and "-", starting with a letter and not ending with "-" (it prefixes the network, node pool, service account and address names)';
  }
  return undefined;
}

/** Project ids: 6-30 characters, lower-case letters, digits and hyphens, starting with a letter. */
export function projectProblem(project: string): Problem {
  if (project !== '' && !/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(project)) {
    return 'must be a Google Cloud project id: 6-30 lower-case letters, digits and "-", starting with a letter';
  }
  return undefined;
}

export function regionProblem(region: string): Problem {
  return /^[a-z]+-[a-z]+\d+$/.test(region)
    ? undefined
    : 'must be a Compute Engine region such as "us-central1" or "europe-west4"';
}

export function zoneProblem(zone: string, region: string): Problem {
  return new RegExp(`^${region}-[a-z]$`).test(zone)
    ? undefined
    : `must be a zone of the region ${region}, such as "${region}-c"`;
}

export function bucketProblem(bucket: string): Problem {
  return /^[a-z0-9][-_.a-z0-9]{1,61}[a-z0-9]$/.test(bucket)
    ? undefined
    : 'must be a Cloud Storage bucket name (3-63 lower-case letters, digits, "-", "_" and ".")';
}

/** The zones a regional cluster's nodes run in: at least one, each a zone of the region, none twice. */
export function nodeLocationsProblem(zones: readonly string[], region: string): Problem {
  if (zones.length === 0)
    return `must list at least one zone of the region ${region} (see \`gcloud compute zones list --filter=region:${region}\`)`;
  for (const z of zones) {
    const p = zoneProblem(z, region);
    if (p) return `has "${z}", which ${p}`;
  }
  if (new Set(zones).size !== zones.length) return 'must list each zone once';
  return undefined;
}

/** [first address, last address] of an IPv4 CIDR range (already checked by cidrProblem). */
export function cidrBounds(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const first = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return [first, first + 2 ** (32 - Number(bits)) - 1];
}

export function cidrsOverlap(a: string, b: string): boolean {
  const [a0, a1] = cidrBounds(a);
  const [b0, b1] = cidrBounds(b);
  return a0 <= b1 && b0 <= a1;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/**
 * The control plane's range of a cluster with private nodes: a /28 (GKE requires exactly that
 * size) in the RFC 1918 private ranges, overlapping none of the network's ranges (`others`, by name).
 */
export function masterCidrProblem(
  cidr: string,
  others: Readonly<Record<string, string>> = DEFAULT_NETWORK_RANGES,
): Problem {
  const p = cidrProblem(cidr);
  if (p) return p;
  if (!cidr.endsWith('/28')) return 'must be a /28 (GKE gives the control plane exactly 16 addresses)';
  if (!PRIVATE_RANGES.some((r) => cidrsOverlap(r, cidr)))
    return `must be inside a private range (${PRIVATE_RANGES.join(', ')})`;
  for (const [name, other] of Object.entries(others)) {
    if (cidrsOverlap(cidr, other)) return `must not overlap the network's ${name} ${other}`;
  }
  return undefined;
}

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
/** GKE's rule: at least 48 hours of maintenance availability in any 32 days, counting stretches of at least 4 hours. */
const MIN_HOURS_PER_32_DAYS = 48;
const MIN_WINDOW_HOURS = 4;

export interface MaintenanceWindow {
  /** RFC 5545 RRULE, such as `FREQ=WEEKLY;BYDAY=SA,SU`. */
  readonly recurrence: string;
  /** RFC 3339 start; only its time of day matters for a weekly or daily recurrence. */
  readonly startTime: string;
  readonly endTime: string;
  /** Hours per occurrence. */
  readonly hours: number;
  /** The fewest hours any 32 consecutive days hold. */
  readonly hoursPer32Days: number;
}

const WINDOW =
  /^(daily|(?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)\s+([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** `SA,SU 02:00-10:00` or `daily 03:00-07:00` (UTC; an end before the start ends the next day), or undefined when malformed. */
export function parseMaintenanceWindow(spec: string): MaintenanceWindow | undefined {
  const m = WINDOW.exec(typeof spec === 'string' ? spec.trim() : '');
  if (!m) return undefined;
  const days = m[1] === 'daily' ? [...DAYS] : m[1].split(',');
  const start = Number(m[2]) * 60 + Number(m[3]);
  const end = Number(m[4]) * 60 + Number(m[5]);
  if (end > 24 * 60 || new Set(days).size !== days.length) return undefined;
  const minutes = (end - start + 24 * 60) % (24 * 60);
  if (minutes === 0) return undefined;
  // Fewest chosen days in any 32 consecutive days: 4 whole weeks plus the worst 4 extra days.
  const chosen = DAYS.map((d) => days.includes(d));
  let fewest = Infinity;
  for (let offset = 0; offset < 7; offset++) {
    let n = 0;
    for (let i = 0; i < 32; i++) if (chosen[(offset + i) % 7]) n++;
    fewest = Math.min(fewest, n);
  }
  const hours = minutes / 60;
  // A Saturday in January 2025, so that the first window is a chosen day; GKE uses the time of
  // day and the recurrence. A fixed date keeps the synthesized JSON the same on every run.
  const day = 4;
  const at = (min: number, plusDays: number) =>
    new Date(Date.UTC(2025, 0, day + plusDays, 0, min)).toISOString().replace('.000Z', 'Z');
  return {
    recurrence: m[1] === 'daily' ? 'FREQ=DAILY' : `FREQ=WEEKLY;BYDAY=${days.join(',')}`,
    startTime: at(start, 0),
    endTime: at(start + minutes, 0),
    hours,
    hoursPer32Days: hours >= MIN_WINDOW_HOURS ? fewest * hours : 0,
  };
}

export function maintenanceWindowProblem(spec: string): Problem {
  const w = parseMaintenanceWindow(spec);
  if (!w)
    return 'must be "<days> HH:MM-HH:MM" in UTC, days "daily" or a comma-separated list of MO,TU,WE,TH,FR,SA,SU, such as "SA,SU 02:00-10:00"';
  if (w.hours < MIN_WINDOW_HOURS)
    return `must be at least ${MIN_WINDOW_HOURS} hours long (GKE only counts stretches of ${MIN_WINDOW_HOURS} hours or more); this one is ${w.hours} hours`;
  if (w.hoursPer32Days < MIN_HOURS_PER_32_DAYS) {
    return `must allow at least ${MIN_HOURS_PER_32_DAYS} hours of maintenance in any 32 days (GKE refuses less); this one allows ${w.hoursPer32Days} in the worst 32 days`;
  }
  return undefined;
}

/** Google Cloud label keys and values (ASCII subset): keys start with a letter, both at most 63 of a-z 0-9 _ -. */
export function gcpLabelsProblem(labels: Readonly<Record<string, string>>): Problem {
  const entries = Object.entries(labels);
  if (entries.length > 64) return 'must have at most 64 labels';
  for (const [k, v] of entries) {
    if (!/^[a-z][-_a-z0-9]{0,62}$/.test(k))
      return `has the key "${k}"; keys must be 1-63 lower-case letters, digits, "_" and "-", starting with a letter`;
    if (typeof v !== 'string' || !/^[-_a-z0-9]{0,63}$/.test(v))
      return `has "${k}=${String(v)}"; values must be at most 63 lower-case letters, digits, "_" and "-"`;
  }
  return undefined;
}

/** Boolean settings: `true` or `false` (strings from the environment, booleans or strings from context). */
function booleanProblem(value: unknown): Problem {
  return value === true || value === false || value === 'true' || value === 'false'
    ? undefined
    : 'must be "true" or "false"';
}

// ---- derived facts, used by the stacks, the notes and the contract tests

/**
 * The control plane's authorized networks: GKE_MASTER_AUTHORIZED_RANGES when set, else the
 * NodePort ranges (decision D9: the user's ranges are one setting, and the control plane takes
 * it where set). Empty: no authorized networks, the endpoint answers any address.
 */
export function controlPlaneRanges(config: InfraConfig): readonly string[] {
  return config.masterAuthorizedRanges ?? config.allowedSourceRanges;
}

/** Zones the nodes run in: the one zone of a zonal cluster, or the regional cluster's node locations. */
export function nodeZones(config: InfraConfig): readonly string[] {
  return config.regional ? config.nodeLocations : [config.zone];
}

/** Nodes per zone: a regional pool's `node_count` is per zone, so the count is rounded up to reach nodeCount. */
export function nodesPerZone(config: InfraConfig): number {
  return Math.ceil(config.nodeCount / nodeZones(config).length);
}

/** Nodes the pool has in all: at least nodeCount. */
export function totalNodes(config: InfraConfig): number {
  return nodesPerZone(config) * nodeZones(config).length;
}

/**
 * What `cdktf synth` should tell the user about the settings, one line each: risky defaults
 * they have not changed, and settings whose effect is easy to miss. Pure; `infra/main.ts`
 * prints each as `note: <line>` on stderr.
 */
export function configNotes(config: InfraConfig): string[] {
  const notes: string[] = [];
  const ranges = controlPlaneRanges(config);
  if (ranges.length === 0) {
    notes.push(
      'the control plane endpoint is reachable from any address (no master authorized networks, CIS GKE 5.6.3); ' +
        'restrict it with GKE_MASTER_AUTHORIZED_RANGES="$(curl -4 -s https://ifconfig.me)/32" (or GKE_ALLOWED_SOURCE_RANGES, which it follows when unset)',
    );
  } else if (config.masterAuthorizedRanges === undefined) {
    notes.push(
      `the control plane accepts only GKE_ALLOWED_SOURCE_RANGES (${ranges.join(', ')}), as GKE_MASTER_AUTHORIZED_RANGES is unset (decision D9); ` +
        'the machine that runs cdktf deploy and kubectl must be in them',
    );
  }
  if (config.privateNodes && config.allowedSourceRanges.length > 0) {
    notes.push(
      'GKE_PRIVATE_NODES=true: the nodes have no external addresses, so the NodePort firewall rule of GKE_ALLOWED_SOURCE_RANGES ' +
        'opens nothing reachable from outside; run the NodePort checks from inside the VPC (docs/infrastructure.md)',
    );
  }
  if (config.secretsKms) {
    notes.push(
      'GKE_SECRETS_KMS=true: Cloud KMS key rings cannot be deleted; after cdktf destroy the key ring stays, ' +
        'and deploying again with the same cluster name needs it imported (docs/infrastructure.md)',
    );
  }
  if (config.networkPolicy) {
    notes.push(
      'GKE_NETWORK_POLICY=true: GKE Dataplane V2 enforces NetworkPolicy and replaces kube-proxy, so the Source IP ' +
        "tutorial's `curl localhost:10249/proxyMode` step finds no kube-proxy (decision D8)",
    );
  }
  if (config.regional && totalNodes(config) !== config.nodeCount) {
    notes.push(
      `GKE_REGIONAL=true: ${nodesPerZone(config)} nodes in each of ${nodeZones(config).length} zones, ${totalNodes(config)} in all (GKE_NODE_COUNT=${config.nodeCount} rounded up)`,
    );
  }
  return notes;
}

// ---- reading

type Env = Readonly<Record<string, string | undefined>>;
type Context = (key: string) => unknown;
type Setting = { name: string; value: unknown };

/** One setting: the environment variable wins over the context key. */
function raw(env: Env, context: Context, variable: string, key: string): Setting | undefined {
  const fromEnv = env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return { name: variable, value: fromEnv };
  const fromContext = context(key);
  if (fromContext !== undefined && fromContext !== '') return { name: `context '${key}'`, value: fromContext };
  return undefined;
}

function check<T>(setting: Setting, parsed: T, problem: Problem): T {
  checkSetting(APP, setting.name, setting.value, problem);
  return parsed;
}

function str(setting: Setting): string {
  if (typeof setting.value !== 'string') failSetting(APP, setting.name, setting.value, 'must be a string');
  return setting.value.trim();
}

function bool(setting: Setting | undefined, fallback: boolean): boolean {
  if (!setting) return fallback;
  const v = typeof setting.value === 'string' ? setting.value.trim() : setting.value;
  check(setting, v, booleanProblem(v));
  return v === true || v === 'true';
}

/** A comma-separated string or a JSON array (context), trimmed, empty items dropped. */
function list(setting: Setting, what: string): string[] {
  const items = Array.isArray(setting.value)
    ? setting.value
    : typeof setting.value === 'string'
      ? setting.value.split(',')
      : undefined;
  if (!items)
    failSetting(APP, setting.name, setting.value, `must be a comma-separated list (or a JSON array) of ${what}`);
  return items.map((x) => String(x).trim()).filter((x) => x !== '');
}

/** IPv4 CIDR ranges without host bits, never the whole internet. */
function cidrList(setting: Setting, why: string): string[] {
  const ranges = list(setting, 'IPv4 CIDR ranges').map((cidr) => {
    const problem = cidrProblem(cidr);
    if (problem) failSetting(APP, setting.name, setting.value, `has "${cidr}", which ${problem}`);
    return cidr;
  });
  if (ranges.some((r) => r.endsWith('/0')))
    failSetting(APP, setting.name, setting.value, `must not include 0.0.0.0/0: ${why}`);
  return ranges;
}

/** `k=v,k=v` (environment) or an object (context). */
function labelMap(setting: Setting): Record<string, string> {
  if (typeof setting.value === 'object' && setting.value !== null && !Array.isArray(setting.value)) {
    return Object.fromEntries(
      Object.entries(setting.value).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]),
    );
  }
  const out: Record<string, string> = {};
  for (const pair of list(setting, 'key=value labels')) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      failSetting(
        APP,
        setting.name,
        setting.value,
        `has "${pair}"; must be key=value pairs separated by commas, such as "team=platform,env=dev"`,
      );
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

// ---- unknown settings

/**
 * Refuses a `GKE_*` variable the app does not read, and a context key that looks like one of
 * the app's keys but is not (a different case, a typo, or the variable's name used as a key).
 * Other context keys are left alone: cdktf and its CLI keep their own there
 * ({@link CDKTF_CONTEXT_KEYS}), and so may other tools.
 */
function refuseUnknown(env: Env, context: Context, contextKeys: readonly string[]): void {
  const variables = SETTINGS.map((s) => s.variable as string);
  const keys = SETTINGS.map((s) => s.key as string);
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('GKE_') || variables.includes(name)) continue;
    const guess = closestName(name, variables);
    failSetting(
      APP,
      name,
      env[name],
      `no such setting${guess ? `; did you mean ${guess}?` : ''} (docs/infrastructure.md lists the settings; unset other tools' GKE_* variables for cdktf)`,
    );
  }
  for (const key of contextKeys) {
    if (keys.includes(key) || CDKTF_CONTEXT_KEYS.includes(key)) continue;
    const asVariable = SETTINGS.find((s) => s.variable === key);
    const sameButCase = keys.find((k) => k.toLowerCase() === key.toLowerCase());
    const typo = keys.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
    const guess = asVariable?.key ?? sameButCase ?? typo;
    if (guess) failSetting(APP, `context '${key}'`, context(key), `no such context key; did you mean '${guess}'?`);
  }
}

/**
 * Reads and checks every setting. A bad one throws an {@link ValidationError} naming the
 * variable (or context key), its value and the rule, before any construct is built.
 * `contextKeys` are the keys present in cdktf context, checked for near misses of the app's keys.
 */
export function configFromEnv(
  env: Env,
  context: Context = () => undefined,
  contextKeys: readonly string[] = [],
): InfraConfig {
  refuseUnknown(env, context, contextKeys);
  const d = DEFAULT_CONFIG;
  const get = (variable: (typeof SETTINGS)[number]['variable']) => {
    const s = SETTINGS.find((x) => x.variable === variable)!;
    return raw(env, context, s.variable, s.key);
  };

  const p = get('GKE_PROJECT');
  const project = p ? check(p, str(p), projectProblem(str(p))) : d.project;

  const r = get('GKE_REGION');
  const region = r ? check(r, str(r), regionProblem(str(r))) : d.region;

  const regional = bool(get('GKE_REGIONAL'), d.regional);

  const z = get('GKE_ZONE');
  // A zone default only makes sense for the default region. Zone letters differ by region
  // (us-east1 and europe-west1 have b, c and d, no "-a"), so another region needs its zone named
  // here rather than a guess that fails minutes into `cdktf deploy`. A regional cluster takes
  // its zones from GKE_NODE_LOCATIONS instead.
  if (!z && region !== d.region && !regional) {
    failSetting(
      APP,
      "GKE_ZONE (context 'zone')",
      undefined,
      `must be set when the region is not ${d.region} (the region is ${region}; zone letters differ by region, see \`gcloud compute zones list --filter=region:${region}\`)`,
    );
  }

  const nl = get('GKE_NODE_LOCATIONS');
  let nodeLocations = d.nodeLocations;
  if (nl && !regional)
    failSetting(
      APP,
      nl.name,
      nl.value,
      'only applies to a regional cluster: set GKE_REGIONAL=true too, or unset it (a zonal cluster runs its nodes in GKE_ZONE)',
    );
  if (regional) {
    if (!nl) {
      failSetting(
        APP,
        "GKE_NODE_LOCATIONS (context 'nodeLocations')",
        undefined,
        `must list the zones of ${region} the nodes run in when GKE_REGIONAL=true (zone letters differ by region; see \`gcloud compute zones list --filter=region:${region}\`)`,
      );
    }
    const zones = list(nl, 'zones');
    nodeLocations = check(nl, zones, nodeLocationsProblem(zones, region));
  }
  // A regional cluster outside the default region without GKE_ZONE: its first node zone.
  const zone = z ? check(z, str(z), zoneProblem(str(z), region)) : region === d.region ? d.zone : nodeLocations[0];

  const c = get('GKE_CLUSTER_NAME');
  const clusterName = c ? check(c, str(c), clusterNameProblem(str(c))) : d.clusterName;

  const m = get('GKE_MACHINE_TYPE');
  const machineType = m ? check(m, str(m), machineTypeProblem(str(m))) : d.machineType;

  const n = get('GKE_NODE_COUNT');
  let nodeCount = d.nodeCount;
  if (n) {
    const asNumber =
      typeof n.value === 'number' ? n.value : /^\s*\d+\s*$/.test(String(n.value)) ? Number(n.value) : NaN;
    nodeCount = check(n, asNumber, nodeCountProblem(asNumber));
  }

  const s = get('GKE_ALLOWED_SOURCE_RANGES');
  const allowedSourceRanges = s
    ? cidrList(s, 'the NodePort rule is for your own addresses, not the internet')
    : d.allowedSourceRanges;

  const ma = get('GKE_MASTER_AUTHORIZED_RANGES');
  const masterAuthorizedRanges = ma
    ? cidrList(
        ma,
        'the authorized networks are for your own addresses; leave GKE_MASTER_AUTHORIZED_RANGES and GKE_ALLOWED_SOURCE_RANGES unset for a control plane open to any address',
      )
    : undefined;

  const b = get('GKE_STATE_BUCKET');
  const stateBucket = b ? check(b, str(b), bucketProblem(str(b))) : undefined;

  const deletionProtection = bool(get('GKE_DELETION_PROTECTION'), d.deletionProtection);

  const privateNodes = bool(get('GKE_PRIVATE_NODES'), d.privateNodes);
  const mc = get('GKE_MASTER_CIDR');
  if (mc && !privateNodes)
    failSetting(APP, mc.name, mc.value, 'only applies with private nodes: set GKE_PRIVATE_NODES=true too, or unset it');
  const masterCidr = mc ? check(mc, str(mc), masterCidrProblem(str(mc))) : d.masterCidr;

  const secretsKms = bool(get('GKE_SECRETS_KMS'), d.secretsKms);
  const networkPolicy = bool(get('GKE_NETWORK_POLICY'), d.networkPolicy);

  const mw = get('GKE_MAINTENANCE_WINDOW');
  const maintenanceWindow = mw ? check(mw, str(mw), maintenanceWindowProblem(str(mw))) : d.maintenanceWindow;

  const l = get('GKE_LABELS');
  let labels = d.labels;
  if (l) {
    const merged = { ...DEFAULT_LABELS, ...labelMap(l) };
    labels = check(l, merged, gcpLabelsProblem(merged));
  }

  return {
    project,
    region,
    zone,
    clusterName,
    machineType,
    nodeCount,
    allowedSourceRanges,
    stateBucket,
    deletionProtection,
    masterAuthorizedRanges,
    privateNodes,
    masterCidr,
    secretsKms,
    networkPolicy,
    regional,
    nodeLocations,
    maintenanceWindow,
    labels,
  };
}
