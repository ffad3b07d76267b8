import { machineTypeProblem } from '../lib/contracts/machine-types';
import { Problem, checkSetting, cidrProblem, failSetting } from '../lib/internal/validation';

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
  /** Nodes in the pool. `GKE_NODE_COUNT` / `nodeCount`. @default 4, the ZooKeeper tutorial's cluster (D8) */
  readonly nodeCount: number;
  /** CIDR ranges allowed to reach NodePorts. `GKE_ALLOWED_SOURCE_RANGES` (comma-separated) / `allowedSourceRanges`. @default none: no firewall rule */
  readonly allowedSourceRanges: readonly string[];
  /** GCS bucket for remote state. `GKE_STATE_BUCKET` / `stateBucket`. @default none: local state files */
  readonly stateBucket?: string;
  /** Refuse `terraform destroy` of the cluster. `GKE_DELETION_PROTECTION` / `deletionProtection`. @default true */
  readonly deletionProtection: boolean;
}

export const DEFAULT_CONFIG: InfraConfig = {
  project: '',
  region: 'us-central1',
  zone: 'us-central1-c',
  clusterName: 'tutorials',
  machineType: 'e2-standard-2',
  nodeCount: 4,
  allowedSourceRanges: [],
  deletionProtection: true,
};

/** Where a bad setting's message says it came from. */
const APP = 'cdktf app settings';

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
  return /^[a-z]+-[a-z]+\d+$/.test(region) ? undefined : 'must be a Compute Engine region such as "us-central1" or "europe-west4"';
}

export function zoneProblem(zone: string, region: string): Problem {
  return new RegExp(`^${region}-[a-z]$`).test(zone) ? undefined : `must be a zone of the region ${region}, such as "${region}-c"`;
}

export function bucketProblem(bucket: string): Problem {
  return /^[a-z0-9][-_.a-z0-9]{1,61}[a-z0-9]$/.test(bucket) ? undefined : 'must be a Cloud Storage bucket name (3-63 lower-case letters, digits, "-", "_" and ".")';
}

// ---- reading

type Env = Readonly<Record<string, string | undefined>>;
type Context = (key: string) => unknown;

/** One setting: the environment variable wins over the context key. */
function raw(env: Env, context: Context, variable: string, key: string): { name: string; value: unknown } | undefined {
  const fromEnv = env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return { name: variable, value: fromEnv };
  const fromContext = context(key);
  if (fromContext !== undefined && fromContext !== '') return { name: `context '${key}'`, value: fromContext };
  return undefined;
}

function check<T>(setting: { name: string; value: unknown }, parsed: T, problem: Problem): T {
  checkSetting(APP, setting.name, setting.value, problem);
  return parsed;
}

function str(setting: { name: string; value: unknown }): string {
  if (typeof setting.value !== 'string') failSetting(APP, setting.name, setting.value, 'must be a string');
  return setting.value.trim();
}

/**
 * Reads and checks every setting. A bad one throws an {@link ValidationError} naming the
 * variable (or context key), its value and the rule, before any construct is built.
 */
export function configFromEnv(env: Env, context: Context = () => undefined): InfraConfig {
  const d = DEFAULT_CONFIG;
  const get = (variable: string, key: string) => raw(env, context, variable, key);

  const p = get('GKE_PROJECT', 'project');
  const project = p ? check(p, str(p), projectProblem(str(p))) : d.project;

  const r = get('GKE_REGION', 'region');
  const region = r ? check(r, str(r), regionProblem(str(r))) : d.region;

  const z = get('GKE_ZONE', 'zone');
  // A zone default only makes sense for the default region. Zone letters differ by region
  // (us-east1 and europe-west1 have b, c and d, no "-a"), so another region needs its zone named
  // here rather than a guess that fails minutes into `cdktf deploy`.
  if (!z && region !== d.region) {
    failSetting(APP, 'GKE_ZONE (context \'zone\')', undefined,
      `must be set when the region is not ${d.region} (the region is ${region}; zone letters differ by region, see \`gcloud compute zones list --filter=region:${region}\`)`);
  }
  const zone = z ? check(z, str(z), zoneProblem(str(z), region)) : d.zone;

  const c = get('GKE_CLUSTER_NAME', 'clusterName');
  const clusterName = c ? check(c, str(c), clusterNameProblem(str(c))) : d.clusterName;

  const m = get('GKE_MACHINE_TYPE', 'machineType');
  const machineType = m ? check(m, str(m), machineTypeProblem(str(m))) : d.machineType;

  const n = get('GKE_NODE_COUNT', 'nodeCount');
  let nodeCount = d.nodeCount;
  if (n) {
    const asNumber = typeof n.value === 'number' ? n.value : /^\s*\d+\s*$/.test(String(n.value)) ? Number(n.value) : NaN;
    nodeCount = check(n, asNumber, nodeCountProblem(asNumber));
  }

  const s = get('GKE_ALLOWED_SOURCE_RANGES', 'allowedSourceRanges');
  let allowedSourceRanges = d.allowedSourceRanges;
  if (s) {
    const list = Array.isArray(s.value) ? s.value : typeof s.value === 'string' ? s.value.split(',') : undefined;
    if (!list) failSetting(APP, s.name, s.value, 'must be a comma-separated list (or a JSON array) of IPv4 CIDR ranges');
    allowedSourceRanges = list.map((x) => String(x).trim()).filter((x) => x !== '').map((cidr) => {
      const problem = cidrProblem(cidr);
      if (problem) failSetting(APP, s.name, s.value, `has "${cidr}", which ${problem}`);
      return cidr;
    });
    if (allowedSourceRanges.includes('0.0.0.0/0')) {
      failSetting(APP, s.name, s.value, 'must not include 0.0.0.0/0: the NodePort rule is for your own addresses, not the internet');
    }
  }

  const b = get('GKE_STATE_BUCKET', 'stateBucket');
  const stateBucket = b ? check(b, str(b), bucketProblem(str(b))) : undefined;

  const dp = get('GKE_DELETION_PROTECTION', 'deletionProtection');
  let deletionProtection = d.deletionProtection;
  if (dp) {
    const v = String(dp.value).trim();
    if (v !== 'true' && v !== 'false') failSetting(APP, dp.name, dp.value, 'must be "true" or "false"');
    deletionProtection = v === 'true';
  }

  return { project, region, zone, clusterName, machineType, nodeCount, allowedSourceRanges, stateBucket, deletionProtection };
}
