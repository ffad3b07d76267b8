import { ValidationError } from '../lib';
import { editDistance } from '../lib/shared';
import { SETTINGS as INFRA_SETTINGS } from '../infra/settings';

/**
 * Every environment variable the repository's synth app reads, once: its name, type, default,
 * effect and an example. `settingsFromEnv` and `configFromEnv` read through these names,
 * `docs/settings.md` is generated from this table (`npm run docs:settings`), and a variable a
 * few edits from one of these names gets "did you mean" on every synth ({@link settingTypos}).
 */
export interface SettingSpec {
  readonly name: string;
  /** Which app reads it. */
  readonly app: 'cdk8s app' | 'cdktf app' | 'both apps' | 'synth';
  readonly type: string;
  readonly default: string;
  readonly effect: string;
  readonly example: string;
}

export const CDK8S_SETTINGS = [
  {
    name: 'IMAGE_REGISTRY',
    app: 'cdk8s app',
    type: 'registry host and path',
    default: 'none: the tutorials’ registries',
    effect:
      'Mirror registry for every image: `nginx:1.28` becomes `$IMAGE_REGISTRY/library/nginx:1.28`, `registry.k8s.io/x:t` becomes `$IMAGE_REGISTRY/x:t`.',
    example: 'europe-docker.pkg.dev/my-project/mirror',
  },
  {
    name: 'NGINX_TLS_CERT_FILE',
    app: 'cdk8s app',
    type: 'file (PEM)',
    default: 'none: the user creates `nginxsecret`',
    effect:
      'Certificate for the `nginxsecret` Secret of nginx-https, written into the manifest; with NGINX_TLS_KEY_FILE.',
    example: '.secrets/nginx.crt',
  },
  {
    name: 'NGINX_TLS_KEY_FILE',
    app: 'cdk8s app',
    type: 'file (PEM)',
    default: 'none',
    effect: 'Private key for `nginxsecret`; with NGINX_TLS_CERT_FILE.',
    example: '.secrets/nginx.key',
  },
  {
    name: 'MYSQL_PASSWORD_FILE',
    app: 'cdk8s app',
    type: 'file',
    default: 'none: the user creates `mysql-pass`',
    effect:
      'MySQL root password for the `mysql-pass` Secret of wordpress (one trailing newline dropped), written into the manifest.',
    example: '.secrets/mysql-password',
  },
  {
    name: 'DYNAMIC_LOGGING_DIR',
    app: 'cdk8s app',
    type: 'directory',
    default: 'none: the user creates `dynamic-logging`',
    effect:
      'Directory holding the tutorial’s `dynamic-logging` files (ELASTICSEARCH_HOSTS, ... or ELASTIC_CLOUD_ID, ELASTIC_CLOUD_AUTH).',
    example: '.secrets/dynamic-logging',
  },
  {
    name: 'LOAD_BALANCER_ADDRESSES_FILE',
    app: 'cdk8s app',
    type: 'file (JSON)',
    default: 'none: ephemeral addresses',
    effect: 'The file `npx cdktf output --outputs-file` writes: each LoadBalancer Service’s reserved address.',
    example: 'addresses.json',
  },
  {
    name: 'LOAD_BALANCER_SOURCE_RANGES',
    app: 'cdk8s app',
    type: 'comma-separated IPv4 CIDRs',
    default: 'GKE_ALLOWED_SOURCE_RANGES; with neither, every address (and synth warns)',
    effect:
      '`loadBalancerSourceRanges` of every LoadBalancer Service (`setLoadBalancerSourceRanges`); never `0.0.0.0/0`.',
    example: '203.0.113.0/24,198.51.100.7/32',
  },
  {
    name: 'WORDPRESS_RELEASE',
    app: 'cdk8s app',
    type: '`tutorial` or `current`',
    default: 'tutorial',
    effect:
      '`tutorial`: `mysql:5.6` + `wordpress:4.8-apache`; `current`: `mysql:8.0` + `wordpress:6.8-apache` with a dedicated database user (recommended for anything reachable from the internet).',
    example: 'current',
  },
] as const satisfies readonly SettingSpec[];

/** Descriptions of the infrastructure settings (read by infra/settings.ts, which also takes them from cdktf context). */
const INFRA_DOCS: Record<(typeof INFRA_SETTINGS)[number]['variable'], Omit<SettingSpec, 'name' | 'app'>> = {
  GKE_PROJECT: {
    type: 'project id',
    default: 'empty: synth works, deploy refuses',
    effect: 'Google Cloud project of every resource.',
    example: 'my-project',
  },
  GKE_REGION: {
    type: 'region',
    default: 'us-central1',
    effect: 'Region of the subnet and the reserved addresses.',
    example: 'europe-west1',
  },
  GKE_ZONE: {
    type: 'zone',
    default: 'us-central1-c',
    effect: 'Zone of the zonal cluster; required for any other region.',
    example: 'europe-west1-b',
  },
  GKE_CLUSTER_NAME: {
    type: 'name',
    default: 'tutorials',
    effect: 'Cluster name, also the prefix of every other resource name.',
    example: 'tutorials-dev',
  },
  GKE_MACHINE_TYPE: {
    type: 'machine type',
    default: 'e2-standard-2',
    effect: 'Node machine type.',
    example: 'e2-standard-4',
  },
  GKE_NODE_COUNT: {
    type: 'integer (at least 4)',
    default: '4',
    effect: 'Nodes the tutorials get, at least.',
    example: '5',
  },
  GKE_ALLOWED_SOURCE_RANGES: {
    type: 'comma-separated IPv4 CIDRs',
    default: 'none: no NodePort firewall rule',
    effect:
      'Ranges allowed to reach NodePorts; also the load balancers’ (unless LOAD_BALANCER_SOURCE_RANGES) and the control plane’s (unless GKE_MASTER_AUTHORIZED_RANGES).',
    example: '203.0.113.7/32',
  },
  GKE_STATE_BUCKET: {
    type: 'bucket name',
    default: 'none: local state',
    effect: 'GCS bucket for remote Terraform state.',
    example: 'my-tf-state',
  },
  GKE_DELETION_PROTECTION: {
    type: '`true` or `false`',
    default: 'true',
    effect: 'Refuse `terraform destroy` of the cluster.',
    example: 'false',
  },
  GKE_MASTER_AUTHORIZED_RANGES: {
    type: 'comma-separated IPv4 CIDRs',
    default: 'GKE_ALLOWED_SOURCE_RANGES',
    effect: 'Ranges allowed to reach the control plane endpoint.',
    example: '203.0.113.7/32',
  },
  GKE_PRIVATE_NODES: {
    type: '`true` or `false`',
    default: 'false',
    effect: 'Nodes without external addresses, behind Cloud NAT.',
    example: 'true',
  },
  GKE_MASTER_CIDR: {
    type: 'IPv4 /28',
    default: '172.16.0.0/28',
    effect: 'The control plane’s range when nodes are private.',
    example: '172.16.0.16/28',
  },
  GKE_SECRETS_KMS: {
    type: '`true` or `false`',
    default: 'false',
    effect: 'Encrypt Secrets in etcd with a Cloud KMS key of the stack.',
    example: 'true',
  },
  GKE_NETWORK_POLICY: {
    type: '`true` or `false`',
    default: 'false',
    effect: 'NetworkPolicy enforcement (Calico).',
    example: 'true',
  },
  GKE_REGIONAL: {
    type: '`true` or `false`',
    default: 'false: zonal',
    effect: 'A regional cluster (control plane in every zone of the region).',
    example: 'true',
  },
  GKE_NODE_LOCATIONS: {
    type: 'comma-separated zones',
    default: 'none; required when regional',
    effect: 'Zones of the region the regional cluster’s nodes run in.',
    example: 'us-central1-a,us-central1-b',
  },
  GKE_MAINTENANCE_WINDOW: {
    type: '`<days> HH:MM-HH:MM` (UTC)',
    default: 'SA,SU 02:00-10:00',
    effect: 'When GKE may upgrade and repair automatically.',
    example: 'SA,SU 01:00-09:00',
  },
  GKE_LABELS: {
    type: '`k=v,k=v`',
    default: 'app=k8s-tutorials,managed-by=cdktf',
    effect: 'Labels on every resource that takes them.',
    example: 'team=platform',
  },
};

/** The switch that turns "did you mean" into an error. */
export const STRICT_SETTINGS = 'TUTORIALS_STRICT_SETTINGS';

export const SYNTH_SETTINGS = [
  {
    name: STRICT_SETTINGS,
    app: 'synth',
    type: '`1` or unset',
    default: 'unset: a warning',
    effect:
      'A variable a few letters from a known setting (`WORDPRES_RELEASE`) stops the synth with an error instead of a warning; CI sets it.',
    example: '1',
  },
  {
    name: 'DEBUG',
    app: 'synth',
    type: 'any value',
    default: 'unset',
    effect: 'An unexpected error prints its stack trace.',
    example: '1',
  },
] as const satisfies readonly SettingSpec[];

/** The table: every setting, in the order docs/settings.md lists them. */
export const KNOWN_SETTINGS: readonly SettingSpec[] = [
  ...CDK8S_SETTINGS,
  ...INFRA_SETTINGS.map((s) => ({ name: s.variable, app: 'cdktf app' as const, ...INFRA_DOCS[s.variable] })),
  ...SYNTH_SETTINGS,
];

/** The name of a setting the cdk8s app reads (its own, and the infrastructure's source ranges). */
export type Cdk8sSetting = (typeof CDK8S_SETTINGS)[number]['name'] | 'GKE_ALLOWED_SOURCE_RANGES';

/** The environment as the cdk8s app sees it: only the table's names, so reading any other is a compile error. */
export function cdk8sSettings(
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Partial<Record<Cdk8sSetting, string>>> {
  return env;
}

/** The largest edit distance that still counts as a typo of a known name. */
export const TYPO_DISTANCE = 2;

/** A variable that is not a setting but is close to one. */
export interface SettingTypo {
  readonly variable: string;
  readonly meant: string;
}

/** Variables of `env` within {@link TYPO_DISTANCE} edits of a known setting that are not known themselves. */
export function settingTypos(env: Readonly<Record<string, string | undefined>>): SettingTypo[] {
  const known = KNOWN_SETTINGS.map((s) => s.name);
  const out: SettingTypo[] = [];
  for (const variable of Object.keys(env).sort()) {
    if (known.includes(variable) || env[variable] === undefined) continue;
    const ranked = known
      .map((k) => ({ k, d: editDistance(variable.toUpperCase(), k) }))
      .filter(({ d }) => d <= TYPO_DISTANCE)
      .sort((a, b) => a.d - b.d);
    if (ranked.length > 0) out.push({ variable, meant: ranked[0].k });
  }
  return out;
}

/** One typo in words. */
function typoRule(t: SettingTypo): string {
  return `is not a setting of this app; did you mean ${t.meant}? (docs/settings.md lists the settings)`;
}

/**
 * The "did you mean" lines for the variables of `env` (warnings), or, with
 * TUTORIALS_STRICT_SETTINGS=1, an error for the first one, before anything is written.
 */
export function checkSettingNames(env: Readonly<Record<string, string | undefined>>): string[] {
  const typos = settingTypos(env);
  if (typos.length > 0 && env[STRICT_SETTINGS] === '1') {
    const t = typos[0];
    throw new ValidationError(
      'synth settings',
      t.variable,
      JSON.stringify(env[t.variable]),
      `${typoRule(t)}; refused because ${STRICT_SETTINGS}=1`,
    );
  }
  if (env[STRICT_SETTINGS] !== undefined && !['', '1', '0'].includes(env[STRICT_SETTINGS]!))
    throw new ValidationError(
      'synth settings',
      STRICT_SETTINGS,
      JSON.stringify(env[STRICT_SETTINGS]),
      'must be "1" or unset',
    );
  return typos.map((t) => `${t.variable} ${typoRule(t)} (${STRICT_SETTINGS}=1 makes this an error)`);
}

/** docs/settings.md, generated from the table. */
export function settingsMarkdown(): string {
  // Stryker disable next-line StringLiteral: equivalent while no cell of the table holds a '|'; it keeps a future one from splitting its row
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '# Settings',
    '',
    '<!-- Generated from apps/settings-table.ts by `npm run docs:settings`; a test checks they agree. -->',
    '',
    'Environment variables the repository’s apps read (`npm run synth`, `synth:k8s`, `synth:infra`,',
    '`npx cdk8s synth`, `npx cdktf ...`). A variable a few letters from one of these names',
    `(\`WORDPRES_RELEASE\`) gets “did you mean” on every synth: a warning, or an error with \`${STRICT_SETTINGS}=1\`.`,
    'The infrastructure settings can also come from cdktf context (`cdktf.json`), see docs/infrastructure.md.',
    '',
    '| Name | App | Type | Default | Effect | Example |',
    '| --- | --- | --- | --- | --- | --- |',
    ...KNOWN_SETTINGS.map(
      (s) =>
        `| \`${s.name}\` | ${s.app} | ${cell(s.type)} | ${cell(s.default)} | ${cell(s.effect)} | \`${cell(s.example)}\` |`,
    ),
    '',
  ];
  return lines.join('\n');
}
