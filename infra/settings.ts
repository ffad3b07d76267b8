import { machineTypeProblem } from '../lib/contracts/machine-types';
import { Problem, checkSetting, cidrProblem, closestName, editDistance, failSetting } from '../lib/shared';
import { DEFAULT_CONFIG, DEFAULT_LABELS, InfraConfig } from './config';
import {
  bucketProblem,
  clusterNameProblem,
  gcpLabelsProblem,
  maintenanceWindowProblem,
  masterCidrProblem,
  nodeCountProblem,
  nodeLocationsProblem,
  projectProblem,
  regionProblem,
  zoneProblem,
} from './rules';

// Reading the cdktf app's settings (infra/config.ts says what each one is) from the environment
// and cdktf context, each checked by its rule (infra/rules.ts).

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
// Stryker disable ArrayDeclaration,StringLiteral: equivalent while no setting's key is within two edits of one of these; the list keeps a future key's near-miss check off cdktf's own keys
export const CDKTF_CONTEXT_KEYS: readonly string[] = [
  'cdktfVersion',
  'cdktfJsonPath',
  'cdktfRelativeModules',
  'cdktfStaticModuleAssetHash',
  '@cdktf/disable_stack_trace_in_metadata',
  'excludeStackIdFromLogicalIds',
  'allowSepCharsInLogicalIds',
];
// Stryker restore ArrayDeclaration,StringLiteral

/** Boolean settings: `true` or `false` (strings from the environment, booleans or strings from context). */
function booleanProblem(value: unknown): Problem {
  return value === true || value === false || value === 'true' || value === 'false'
    ? undefined
    : 'must be "true" or "false"';
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
function list(setting: Setting, what: string, app = APP): string[] {
  const items = Array.isArray(setting.value)
    ? setting.value
    : typeof setting.value === 'string'
      ? setting.value.split(',')
      : undefined;
  if (!items)
    failSetting(app, setting.name, setting.value, `must be a comma-separated list (or a JSON array) of ${what}`);
  return items.map((x) => String(x).trim()).filter((x) => x !== '');
}

/** IPv4 CIDR ranges without host bits, never the whole internet; `app` names the app in errors. */
function cidrList(setting: Setting, why: string, app = APP): string[] {
  const ranges = list(setting, 'IPv4 CIDR ranges', app).map((cidr) => {
    const problem = cidrProblem(cidr);
    if (problem) failSetting(app, setting.name, setting.value, `has "${cidr}", which ${problem}`);
    return cidr;
  });
  if (ranges.some((r) => r.endsWith('/0')))
    failSetting(app, setting.name, setting.value, `must not include 0.0.0.0/0: ${why}`);
  return ranges;
}

/**
 * `GKE_ALLOWED_SOURCE_RANGES` (context `allowedSourceRanges`), or undefined when unset: the
 * user's own addresses, which open the NodePort firewall rule and, unless
 * `LOAD_BALANCER_SOURCE_RANGES` is set, limit the cdk8s app's load balancers too (decision D9).
 * Both apps read it here, with one rule; `app` names the one that reads it in errors.
 */
export function readAllowedSourceRanges(
  env: Env,
  context: Context = () => undefined,
  app: string = APP,
): string[] | undefined {
  const setting = raw(env, context, 'GKE_ALLOWED_SOURCE_RANGES', 'allowedSourceRanges');
  return (
    setting &&
    cidrList(setting, 'the NodePort rule and the load balancers are for your own addresses, not the internet', app)
  );
}

/** `k=v,k=v` (environment) or an object (context). */
function labelMap(setting: Setting): Record<string, string> {
  if (typeof setting.value === 'object' && setting.value !== null && !Array.isArray(setting.value)) {
    return Object.fromEntries(Object.entries(setting.value).map(([k, v]) => [k, String(v)]));
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
  // Stryker disable next-line ArrayDeclaration: equivalent, as a context key that is no near miss of a setting is ignored
  contextKeys: readonly string[] = [],
): InfraConfig {
  refuseUnknown(env, context, contextKeys);
  const d = DEFAULT_CONFIG;
  const get: Get = (variable) => {
    const s = SETTINGS.find((x) => x.variable === variable)!;
    return raw(env, context, s.variable, s.key);
  };

  const p = get('GKE_PROJECT');
  const project = p ? check(p, str(p), projectProblem(str(p))) : d.project;

  const { region, regional, zone, nodeLocations } = readLocation(get);

  const c = get('GKE_CLUSTER_NAME');
  const clusterName = c ? check(c, str(c), clusterNameProblem(str(c))) : d.clusterName;

  const m = get('GKE_MACHINE_TYPE');
  const machineType = m ? check(m, str(m), machineTypeProblem(str(m))) : d.machineType;

  const nodeCount = readNodeCount(get);

  const { allowedSourceRanges, masterAuthorizedRanges } = readAddressRanges(env, context, get);

  const b = get('GKE_STATE_BUCKET');
  const stateBucket = b ? check(b, str(b), bucketProblem(str(b))) : undefined;

  const deletionProtection = bool(get('GKE_DELETION_PROTECTION'), d.deletionProtection);

  const { privateNodes, masterCidr } = readPrivateNodes(get);

  const secretsKms = bool(get('GKE_SECRETS_KMS'), d.secretsKms);
  const networkPolicy = bool(get('GKE_NETWORK_POLICY'), d.networkPolicy);

  const mw = get('GKE_MAINTENANCE_WINDOW');
  const maintenanceWindow = mw ? check(mw, str(mw), maintenanceWindowProblem(str(mw))) : d.maintenanceWindow;

  const labels = readLabels(get);

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

/** One setting by its variable: from the environment, else from cdktf context. */
type Get = (variable: (typeof SETTINGS)[number]['variable']) => Setting | undefined;

/** Where the cluster runs: its region, zonal or regional, and the zone or the nodes' zones. */
function readLocation(get: Get): Pick<InfraConfig, 'region' | 'regional' | 'zone' | 'nodeLocations'> {
  const d = DEFAULT_CONFIG;
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

  const nodeLocations = readNodeLocations(get, region, regional);
  // A regional cluster outside the default region without GKE_ZONE: its first node zone.
  const zone = z ? check(z, str(z), zoneProblem(str(z), region)) : region === d.region ? d.zone : nodeLocations[0];
  return { region, regional, zone, nodeLocations };
}

/** GKE_NODE_LOCATIONS: required by a regional cluster, refused by a zonal one. */
function readNodeLocations(get: Get, region: string, regional: boolean): readonly string[] {
  const nl = get('GKE_NODE_LOCATIONS');
  if (nl && !regional)
    failSetting(
      APP,
      nl.name,
      nl.value,
      'only applies to a regional cluster: set GKE_REGIONAL=true too, or unset it (a zonal cluster runs its nodes in GKE_ZONE)',
    );
  if (!regional) return DEFAULT_CONFIG.nodeLocations;
  if (!nl) {
    failSetting(
      APP,
      "GKE_NODE_LOCATIONS (context 'nodeLocations')",
      undefined,
      `must list the zones of ${region} the nodes run in when GKE_REGIONAL=true (zone letters differ by region; see \`gcloud compute zones list --filter=region:${region}\`)`,
    );
  }
  const zones = list(nl, 'zones');
  return check(nl, zones, nodeLocationsProblem(zones, region));
}

/** GKE_NODE_COUNT: a whole number (a string from the environment; a number or a string from context). */
function readNodeCount(get: Get): number {
  const n = get('GKE_NODE_COUNT');
  if (!n) return DEFAULT_CONFIG.nodeCount;
  const asNumber = typeof n.value === 'number' ? n.value : /^\s*\d+\s*$/.test(String(n.value)) ? Number(n.value) : NaN;
  return check(n, asNumber, nodeCountProblem(asNumber));
}

/** The user's own addresses: those the NodePort rule admits, and those that reach the control plane (D9). */
function readAddressRanges(
  env: Env,
  context: Context,
  get: Get,
): Pick<InfraConfig, 'allowedSourceRanges' | 'masterAuthorizedRanges'> {
  const allowedSourceRanges = readAllowedSourceRanges(env, context) ?? DEFAULT_CONFIG.allowedSourceRanges;

  const ma = get('GKE_MASTER_AUTHORIZED_RANGES');
  const masterAuthorizedRanges = ma
    ? cidrList(
        ma,
        'the authorized networks are for your own addresses; leave GKE_MASTER_AUTHORIZED_RANGES and GKE_ALLOWED_SOURCE_RANGES unset for a control plane open to any address',
      )
    : undefined;
  return { allowedSourceRanges, masterAuthorizedRanges };
}

/** GKE_PRIVATE_NODES, and the control plane's range, which only a cluster with private nodes takes. */
function readPrivateNodes(get: Get): Pick<InfraConfig, 'privateNodes' | 'masterCidr'> {
  const privateNodes = bool(get('GKE_PRIVATE_NODES'), DEFAULT_CONFIG.privateNodes);
  const mc = get('GKE_MASTER_CIDR');
  if (mc && !privateNodes)
    failSetting(APP, mc.name, mc.value, 'only applies with private nodes: set GKE_PRIVATE_NODES=true too, or unset it');
  const masterCidr = mc ? check(mc, str(mc), masterCidrProblem(str(mc))) : DEFAULT_CONFIG.masterCidr;
  return { privateNodes, masterCidr };
}

/** GKE_LABELS over {@link DEFAULT_LABELS}. */
function readLabels(get: Get): Readonly<Record<string, string>> {
  const l = get('GKE_LABELS');
  if (!l) return DEFAULT_CONFIG.labels;
  const merged = { ...DEFAULT_LABELS, ...labelMap(l) };
  return check(l, merged, gcpLabelsProblem(merged));
}
