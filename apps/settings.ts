import * as fs from 'fs';
import * as path from 'path';
import {
  DYNAMIC_LOGGING_KEYS,
  DynamicLoggingCredentials,
  LOAD_BALANCER_SERVICES,
  TlsMaterial,
  ValidationError,
  WordPressRelease,
  loadBalancerKey,
} from '../lib';
import { failSetting, isIpv4, sourceRangeProblem } from '../lib/shared';
import { readAllowedSourceRanges } from '../infra/settings';
import { Cdk8sSetting, cdk8sSettings } from './settings-table';

/**
 * Everything the cdk8s app reads from its environment, read and checked in one place before
 * any chart is built. A bad setting fails here with the variable, its value and the rule.
 */
export interface Settings {
  /** Mirror registry for every image (decision D3). `IMAGE_REGISTRY`. */
  readonly imageRegistry?: string;
  /** Certificate and key for `nginxsecret` (decision D6). `NGINX_TLS_CERT_FILE` + `NGINX_TLS_KEY_FILE`. */
  readonly nginxTls?: TlsMaterial;
  /**
   * MySQL root password for the `mysql-pass` Secret of the wordpress chart (decision D6): the
   * file's content without one trailing newline. `MYSQL_PASSWORD_FILE`.
   */
  readonly mysqlPassword?: string;
  /**
   * The `dynamic-logging` Secret of the guestbook-logging chart (decision D6): the tutorial's
   * files (ELASTICSEARCH_HOSTS, ... or ELASTIC_CLOUD_ID, ELASTIC_CLOUD_AUTH) read from one
   * directory, each without one trailing newline. `DYNAMIC_LOGGING_DIR`.
   */
  readonly dynamicLogging?: DynamicLoggingCredentials;
  /**
   * Reserved LoadBalancer addresses by `<chart>/<service>`, from the file that
   * `npx cdktf output --outputs-file addresses.json` writes. `LOAD_BALANCER_ADDRESSES_FILE`.
   */
  readonly loadBalancerAddresses?: Readonly<Record<string, string>>;
  /**
   * Client ranges (IPv4 CIDRs) every LoadBalancer Service admits (decision D9).
   * `LOAD_BALANCER_SOURCE_RANGES` (comma-separated), else the infrastructure's
   * `GKE_ALLOWED_SOURCE_RANGES`, so one variable can open the NodePort firewall rule and the
   * load balancers to the same addresses. Unset: every address, and synth warns.
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  /**
   * The wordpress chart's image pair: `tutorial` (mysql:5.6 + wordpress:4.8, the default) or
   * `current` (MySQL 8.0 + WordPress 6.x with a dedicated database user). `WORDPRESS_RELEASE`.
   */
  readonly wordpressRelease?: WordPressRelease;
}

/** Where a bad setting's message says it came from. */
const APP = 'cdk8s app settings';

function settingError(variable: string, value: string | undefined, rule: string): never {
  return failSetting(APP, variable, value, rule);
}

type Env = Readonly<Record<string, string | undefined>>;
type KnownEnv = ReturnType<typeof cdk8sSettings>;

function readFile(variable: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    settingError(variable, file, `must name a readable file (${(e as Error).message})`);
  }
}

/** Both variables of a pair, or neither. */
function pair(env: KnownEnv, a: Cdk8sSetting, b: Cdk8sSetting): [string, string] | undefined {
  const va = env[a] || undefined;
  const vb = env[b] || undefined;
  if (va === undefined && vb === undefined) return undefined;
  if (va === undefined) settingError(a, undefined, `must be set together with ${b}`);
  if (vb === undefined) settingError(b, undefined, `must be set together with ${a}`);
  return [va, vb];
}

export function settingsFromEnv(environment: Env): Settings {
  // Every name read below is checked against the settings table at compile time.
  const env = cdk8sSettings(environment);
  const imageRegistry = env.IMAGE_REGISTRY || undefined;
  if (imageRegistry !== undefined && !/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*\/?$/.test(imageRegistry)) {
    settingError(
      'IMAGE_REGISTRY',
      imageRegistry,
      'must be a registry host with an optional path, such as "europe-docker.pkg.dev/my-project/mirror"',
    );
  }
  const tlsFiles = pair(env, 'NGINX_TLS_CERT_FILE', 'NGINX_TLS_KEY_FILE');
  const nginxTls = tlsFiles && {
    certificatePem: readFile('NGINX_TLS_CERT_FILE', tlsFiles[0]),
    privateKeyPem: readFile('NGINX_TLS_KEY_FILE', tlsFiles[1]),
  };
  const mysqlPassword = env.MYSQL_PASSWORD_FILE
    ? readPassword('MYSQL_PASSWORD_FILE', env.MYSQL_PASSWORD_FILE)
    : undefined;
  const addressesFile = env.LOAD_BALANCER_ADDRESSES_FILE || undefined;
  const loadBalancerAddresses = addressesFile === undefined ? undefined : readAddresses(addressesFile);
  const dynamicLogging = env.DYNAMIC_LOGGING_DIR ? readDynamicLogging(env.DYNAMIC_LOGGING_DIR) : undefined;
  const loadBalancerSourceRanges = readSourceRanges(env);
  const release = env.WORDPRESS_RELEASE || undefined;
  const releases = Object.values(WordPressRelease) as string[];
  if (release !== undefined && !releases.includes(release))
    settingError('WORDPRESS_RELEASE', release, `must be one of ${releases.map((r) => JSON.stringify(r)).join(', ')}`);
  const wordpressRelease = release as WordPressRelease | undefined;
  return {
    imageRegistry,
    nginxTls,
    mysqlPassword,
    dynamicLogging,
    loadBalancerAddresses,
    loadBalancerSourceRanges,
    wordpressRelease,
  };
}

/**
 * `LOAD_BALANCER_SOURCE_RANGES`: comma-separated IPv4 CIDRs, each checked by the rule the
 * Services use, 0.0.0.0/0 refused. Else `GKE_ALLOWED_SOURCE_RANGES`, read by the infrastructure
 * app's own reader (infra/settings.ts), so both apps take the same ranges from it by one rule.
 * The error names the variable that was read.
 */
function readSourceRanges(env: KnownEnv): readonly string[] | undefined {
  const variable = 'LOAD_BALANCER_SOURCE_RANGES';
  const value = env.LOAD_BALANCER_SOURCE_RANGES;
  if (!value?.trim()) {
    const nodePortRanges = { GKE_ALLOWED_SOURCE_RANGES: env.GKE_ALLOWED_SOURCE_RANGES };
    const ranges = readAllowedSourceRanges(nodePortRanges, undefined, APP);
    return ranges?.length ? ranges : undefined;
  }
  const ranges = value
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (ranges.length === 0)
    settingError(
      variable,
      value,
      'must be a comma-separated list of IPv4 CIDR ranges such as "203.0.113.0/24,198.51.100.7/32"',
    );
  for (const cidr of ranges) {
    const problem = sourceRangeProblem(cidr);
    if (problem) settingError(variable, value, `has "${cidr}", which ${problem}`);
  }
  return ranges;
}

/** The tutorial's `dynamic-logging` files that exist in `dir`; the construct checks the key set. */
function readDynamicLogging(dir: string): DynamicLoggingCredentials {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    settingError(
      'DYNAMIC_LOGGING_DIR',
      dir,
      "must name a directory holding the tutorial's files (ELASTICSEARCH_HOSTS, ... or ELASTIC_CLOUD_ID, ELASTIC_CLOUD_AUTH)",
    );
  const out: Record<string, string> = {};
  for (const key of DYNAMIC_LOGGING_KEYS) {
    const file = path.join(dir, key);
    // Stryker disable next-line Regex: equivalent, as the construct refuses a credential with a newline left in it either way
    if (fs.existsSync(file)) out[key] = readFile('DYNAMIC_LOGGING_DIR', file).replace(/\r?\n$/, '');
  }
  if (Object.keys(out).length === 0)
    settingError('DYNAMIC_LOGGING_DIR', dir, `holds none of ${DYNAMIC_LOGGING_KEYS.join(', ')}`);
  return out;
}

/** A password file (`echo secret > f` or `printf`): one trailing newline is dropped; never echoed in errors. */
function readPassword(variable: string, file: string): string {
  const password = readFile(variable, file).replace(/\r?\n$/, '');
  if (password.length === 0) settingError(variable, file, 'must name a file that holds a non-empty password');
  return password;
}

const ADDRESS_OUTPUT_NAMES = ['load_balancer_addresses', 'loadBalancerAddresses'];

/**
 * Reads the addresses map from a cdktf outputs file (`{ "<stack>": { "load_balancer_addresses":
 * { "<chart>/<service>": "<ip>" } } }`) or from a plain `{ "<chart>/<service>": "<ip>" }` file.
 */
function readAddresses(file: string): Record<string, string> {
  const variable = 'LOAD_BALANCER_ADDRESSES_FILE';
  let json: unknown;
  try {
    json = JSON.parse(readFile(variable, file));
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    settingError(variable, file, `must be a JSON file (${(e as Error).message})`);
  }
  const asRecord = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  let map = asRecord(json);
  for (const stack of Object.values(map ?? {})) {
    const outputs = asRecord(stack);
    const found = outputs && ADDRESS_OUTPUT_NAMES.map((n) => asRecord(outputs[n])).find((m) => m !== undefined);
    if (found) map = found;
  }
  const known = new Set<string>(LOAD_BALANCER_SERVICES.map(loadBalancerKey));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map ?? {})) {
    if (!known.has(key))
      settingError(
        variable,
        file,
        `names '${key}', which is not a LoadBalancer Service of the charts (${[...known].join(', ')})`,
      );
    if (typeof value !== 'string' || !isIpv4(value))
      settingError(variable, file, `gives '${key}' the address ${JSON.stringify(value)}, which is not an IPv4 address`);
    out[key] = value;
  }
  if (Object.keys(out).length === 0)
    settingError(
      variable,
      file,
      `gives no address for any LoadBalancer Service (${[...known].join(', ')}); expected the file that \`npx cdktf output --outputs-file\` writes`,
    );
  return out;
}
