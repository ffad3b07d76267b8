import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { main } from '../apps/synth';
import { CDK8S_SETTINGS, Cdk8sSetting } from '../apps/settings-table';
import { SETTINGS } from '../infra/settings';
import { findOne, inDirectory, K8sObject, tempDir, testCertificate } from './harness';

/**
 * Every setting, read the way users set it: an environment variable, through `main()` of
 * apps/synth.ts (what `npm run synth` runs), into the files it writes. One row per setting:
 * the environment in, the effect on the output out; the effect must be absent from the
 * default output, so a setting that stops being read fails its row. A setting without a row
 * fails the first test.
 */

type Env = Record<string, string>;

/**
 * What one synth wrote: the manifests by chart id (parsed on first read, since most rows read one
 * chart), the text of every manifest, and the Terraform JSON by stack.
 */
interface Output {
  chart(id: string): K8sObject[];
  /** Every manifest file's text, in file order. */
  allText(): string;
  readonly stacks: Record<string, any>;
}

/**
 * The names of the settings the apps read from the environment. The cdk8s app reads its
 * environment only through `cdk8sSettings`, whose type admits the table's names and
 * GKE_ALLOWED_SOURCE_RANGES alone, so reading any other name is a compile error; a name in the
 * table that is no longer read fails its row. The infrastructure settings are infra/settings.ts's
 * table.
 */
function settingNames(): { app: string[]; infra: string[] } {
  const app: Cdk8sSetting[] = [...CDK8S_SETTINGS.map((s) => s.name), 'GKE_ALLOWED_SOURCE_RANGES'];
  return { app: [...app].sort(), infra: SETTINGS.map((s) => s.variable as string).sort() };
}

const tmp = tempDir('settings-env-');
function file(name: string, content: string): string {
  const p = path.join(tmp, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

const cache = new Map<string, Output>();
/** Runs `main([mode], env)` in an empty directory and reads what it wrote. */
function synth(mode: 'k8s' | 'infra', env: Env): Output {
  const key = `${mode} ${JSON.stringify(env)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = fs.mkdtempSync(path.join(tmp, 'run-'));
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  const code = inDirectory(dir, () => main([mode], env, io));
  if (code !== 0) throw new Error(`synth ${mode} with ${JSON.stringify(env)} exited ${code}: ${lines.join('\n')}`);
  const dist = path.join(dir, 'dist');
  const files = fs.existsSync(dist) ? fs.readdirSync(dist) : [];
  const parsed = new Map<string, K8sObject[]>();
  const chart = (id: string): K8sObject[] => {
    const f = `${id}.k8s.yaml`;
    if (!files.includes(f)) throw new Error(`synth ${mode} wrote no ${f}`);
    if (!parsed.has(id))
      parsed.set(
        id,
        parseAllDocuments(fs.readFileSync(path.join(dist, f), 'utf8')).map((d) => d.toJSON() as K8sObject),
      );
    return parsed.get(id)!;
  };
  let text: string | undefined;
  const stacks: Record<string, any> = {};
  const out = path.join(dir, 'cdktf.out', 'stacks');
  if (fs.existsSync(out))
    for (const s of fs.readdirSync(out))
      stacks[s] = JSON.parse(fs.readFileSync(path.join(out, s, 'cdk.tf.json'), 'utf8'));
  const result: Output = {
    chart,
    allText: () => (text ??= files.map((f) => fs.readFileSync(path.join(dist, f), 'utf8')).join('')),
    stacks,
  };
  cache.set(key, result);
  return result;
}

/** The bodies of every Terraform resource of `type`, over both stacks. */
function resources(o: Output, type: string): any[] {
  return Object.values(o.stacks).flatMap((s) => Object.values(s.resource?.[type] ?? {}));
}
const cluster = (o: Output) => resources(o, 'google_container_cluster')[0];
const pool = (o: Output) => resources(o, 'google_container_node_pool')[0];
/** The image of every container in every manifest, as written: `image: <reference>` (cdk8s quotes none). */
const images = (o: Output) => [...o.allText().matchAll(/^ *(?:- )?image: (.*)$/gm)].map((m) => m[1]);
const service = (o: Output, chart: string, name: string) => findOne(o.chart(chart), 'Service', name);

/** A Secret's values, decoded; empty when the chart has no such Secret. */
function secretValues(o: Output, chart: string, name: string): Record<string, string> {
  const secret = o.chart(chart).find((d) => d.kind === 'Secret' && d.metadata.name === name);
  const data = Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString()]);
  return { ...Object.fromEntries(data), ...(secret?.stringData ?? {}) };
}

interface Row {
  /** The setting this row is for. */
  readonly setting: string;
  readonly mode: 'k8s' | 'infra';
  /** The environment: the setting, and any other setting it needs. */
  readonly env: () => Env;
  /** The part of the output the setting decides. */
  readonly read: (o: Output) => unknown;
  readonly expected: unknown;
}

const ROWS: Row[] = [
  // ---- the cdk8s app (apps/settings.ts)
  {
    setting: 'IMAGE_REGISTRY',
    mode: 'k8s',
    env: () => ({ IMAGE_REGISTRY: 'mirror.example.com/hub' }),
    read: (o) => images(o).every((i) => i.startsWith('mirror.example.com/hub/')),
    expected: true,
  },
  ...(['NGINX_TLS_CERT_FILE', 'NGINX_TLS_KEY_FILE'] as const).map((setting): Row => ({
    setting,
    mode: 'k8s',
    env: () => ({ NGINX_TLS_CERT_FILE: testCertificate().certificate, NGINX_TLS_KEY_FILE: testCertificate().key }),
    read: (o) => {
      const { certificatePem, privateKeyPem } = testCertificate();
      const values = secretValues(o, 'nginx-https', 'nginxsecret');
      return [values['tls.crt'] === certificatePem, values['tls.key'] === privateKeyPem];
    },
    expected: [true, true],
  })),
  {
    setting: 'MYSQL_PASSWORD_FILE',
    mode: 'k8s',
    env: () => ({ MYSQL_PASSWORD_FILE: file('mysql-password', 'not-a-real-password\n') }),
    read: (o) => secretValues(o, 'wordpress', 'mysql-pass').password,
    expected: 'not-a-real-password',
  },
  {
    setting: 'LOAD_BALANCER_ADDRESSES_FILE',
    mode: 'k8s',
    env: () => ({
      LOAD_BALANCER_ADDRESSES_FILE: file(
        'addresses.json',
        JSON.stringify({ 'tutorials-gke': { load_balancer_addresses: { 'source-ip/loadbalancer': '203.0.113.10' } } }),
      ),
    }),
    read: (o) => service(o, 'source-ip', 'loadbalancer').spec.loadBalancerIP,
    expected: '203.0.113.10',
  },
  {
    setting: 'DYNAMIC_LOGGING_DIR',
    mode: 'k8s',
    env: () => {
      file('logging/ELASTIC_CLOUD_ID', 'not-a-real-id\n');
      file('logging/ELASTIC_CLOUD_AUTH', 'not-a-real-auth\n');
      return { DYNAMIC_LOGGING_DIR: path.join(tmp, 'logging') };
    },
    read: (o) => secretValues(o, 'guestbook-logging', 'dynamic-logging'),
    expected: { ELASTIC_CLOUD_AUTH: 'not-a-real-auth', ELASTIC_CLOUD_ID: 'not-a-real-id' },
  },
  {
    setting: 'LOAD_BALANCER_SOURCE_RANGES',
    mode: 'k8s',
    env: () => ({ LOAD_BALANCER_SOURCE_RANGES: '203.0.113.0/24, 198.51.100.7/32' }),
    read: (o) => service(o, 'wordpress', 'wordpress').spec.loadBalancerSourceRanges,
    expected: ['203.0.113.0/24', '198.51.100.7/32'],
  },
  {
    // The cdk8s app falls back to the infrastructure's NodePort ranges for its load balancers.
    setting: 'GKE_ALLOWED_SOURCE_RANGES',
    mode: 'k8s',
    env: () => ({ GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24' }),
    read: (o) => service(o, 'source-ip', 'loadbalancer').spec.loadBalancerSourceRanges,
    expected: ['203.0.113.0/24'],
  },
  {
    setting: 'WORDPRESS_RELEASE',
    mode: 'k8s',
    env: () => ({ WORDPRESS_RELEASE: 'current' }),
    read: (o) => images(o).some((i) => /^(?:[^/]+\/)*mysql:8\.0/.test(i)),
    expected: true,
  },
  // ---- the infrastructure app (infra/settings.ts)
  {
    setting: 'GKE_PROJECT',
    mode: 'infra',
    env: () => ({ GKE_PROJECT: 'tutorials-lab-123' }),
    read: (o) => o.stacks['tutorials-gke'].variable.project.default,
    expected: 'tutorials-lab-123',
  },
  {
    setting: 'GKE_REGION',
    mode: 'infra',
    env: () => ({ GKE_REGION: 'europe-west1', GKE_ZONE: 'europe-west1-b' }),
    read: (o) => resources(o, 'google_compute_subnetwork')[0].region,
    expected: 'europe-west1',
  },
  {
    setting: 'GKE_ZONE',
    mode: 'infra',
    env: () => ({ GKE_ZONE: 'us-central1-a' }),
    read: (o) => [cluster(o).location, pool(o).location],
    expected: ['us-central1-a', 'us-central1-a'],
  },
  {
    setting: 'GKE_CLUSTER_NAME',
    mode: 'infra',
    env: () => ({ GKE_CLUSTER_NAME: 'lab' }),
    read: (o) => [cluster(o).name, pool(o).name],
    expected: ['lab', 'lab-pool'],
  },
  {
    setting: 'GKE_MACHINE_TYPE',
    mode: 'infra',
    env: () => ({ GKE_MACHINE_TYPE: 'e2-standard-4' }),
    read: (o) => pool(o).node_config.machine_type,
    expected: 'e2-standard-4',
  },
  {
    setting: 'GKE_NODE_COUNT',
    mode: 'infra',
    env: () => ({ GKE_NODE_COUNT: '6' }),
    read: (o) => pool(o).node_count,
    expected: 6,
  },
  {
    setting: 'GKE_ALLOWED_SOURCE_RANGES',
    mode: 'infra',
    env: () => ({ GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24' }),
    read: (o) =>
      resources(o, 'google_compute_firewall').some((f) => JSON.stringify(f.source_ranges) === '["203.0.113.0/24"]'),
    expected: true,
  },
  {
    setting: 'GKE_STATE_BUCKET',
    mode: 'infra',
    env: () => ({ GKE_STATE_BUCKET: 'tutorials-lab-state' }),
    read: (o) => o.stacks['tutorials-gke'].terraform.backend.gcs?.bucket,
    expected: 'tutorials-lab-state',
  },
  {
    setting: 'GKE_DELETION_PROTECTION',
    mode: 'infra',
    env: () => ({ GKE_DELETION_PROTECTION: 'false' }),
    read: (o) => cluster(o).deletion_protection,
    expected: false,
  },
  {
    setting: 'GKE_MASTER_AUTHORIZED_RANGES',
    mode: 'infra',
    env: () => ({ GKE_MASTER_AUTHORIZED_RANGES: '198.51.100.7/32' }),
    read: (o) => cluster(o).master_authorized_networks_config?.cidr_blocks?.map((b: any) => b.cidr_block),
    expected: ['198.51.100.7/32'],
  },
  {
    setting: 'GKE_PRIVATE_NODES',
    mode: 'infra',
    env: () => ({ GKE_PRIVATE_NODES: 'true' }),
    read: (o) => [
      cluster(o).private_cluster_config?.enable_private_nodes,
      resources(o, 'google_compute_router_nat').length,
    ],
    expected: [true, 1],
  },
  {
    setting: 'GKE_MASTER_CIDR',
    mode: 'infra',
    env: () => ({ GKE_PRIVATE_NODES: 'true', GKE_MASTER_CIDR: '172.16.32.0/28' }),
    read: (o) => cluster(o).private_cluster_config?.master_ipv4_cidr_block,
    expected: '172.16.32.0/28',
  },
  {
    setting: 'GKE_SECRETS_KMS',
    mode: 'infra',
    env: () => ({ GKE_SECRETS_KMS: 'true' }),
    read: (o) => [cluster(o).database_encryption?.state, resources(o, 'google_kms_crypto_key').length],
    expected: ['ENCRYPTED', 1],
  },
  {
    setting: 'GKE_NETWORK_POLICY',
    mode: 'infra',
    env: () => ({ GKE_NETWORK_POLICY: 'true' }),
    // GKE Dataplane V2 enforces network policy (decision D8), on the default four nodes.
    read: (o) => cluster(o).datapath_provider,
    expected: 'ADVANCED_DATAPATH',
  },
  {
    setting: 'GKE_REGIONAL',
    mode: 'infra',
    env: () => ({ GKE_REGIONAL: 'true', GKE_NODE_LOCATIONS: 'us-central1-a,us-central1-b' }),
    read: (o) => cluster(o).location,
    expected: 'us-central1',
  },
  {
    setting: 'GKE_NODE_LOCATIONS',
    mode: 'infra',
    env: () => ({ GKE_REGIONAL: 'true', GKE_NODE_LOCATIONS: 'us-central1-a,us-central1-f' }),
    read: (o) => pool(o).node_locations ?? cluster(o).node_locations,
    expected: ['us-central1-a', 'us-central1-f'],
  },
  {
    setting: 'GKE_MAINTENANCE_WINDOW',
    mode: 'infra',
    env: () => ({ GKE_MAINTENANCE_WINDOW: 'MO,TU,WE 01:00-09:00' }),
    read: (o) => cluster(o).maintenance_policy.recurring_window.recurrence,
    expected: 'FREQ=WEEKLY;BYDAY=MO,TU,WE',
  },
  {
    setting: 'GKE_LABELS',
    mode: 'infra',
    env: () => ({ GKE_LABELS: 'team=platform,app=lab' }),
    read: (o) => cluster(o).resource_labels,
    expected: { app: 'lab', 'managed-by': 'cdktf', team: 'platform' },
  },
];

describe('every setting, set in the environment, reaches the output', () => {
  it('has a row for every setting the apps read, and none for a setting they do not', () => {
    const { app, infra } = settingNames();
    expect(app.length).toBeGreaterThanOrEqual(8);
    expect(infra.length).toBeGreaterThanOrEqual(18);
    const k8sRows = new Set(ROWS.filter((r) => r.mode === 'k8s').map((r) => r.setting));
    const infraRows = new Set(ROWS.filter((r) => r.mode === 'infra').map((r) => r.setting));
    expect(app.filter((s) => !k8sRows.has(s))).toEqual([]);
    expect(infra.filter((s) => !infraRows.has(s))).toEqual([]);
    expect([...k8sRows].filter((s) => !app.includes(s))).toEqual([]);
    expect([...infraRows].filter((s) => !infra.includes(s))).toEqual([]);
  });

  it.each(ROWS.map((r) => [r.setting, r.mode, r] as const))('%s (%s synth)', (_setting, mode, row) => {
    expect(row.read(synth(mode, row.env()))).toEqual(row.expected);
    // Without the setting, the output differs: the row shows the setting's own effect.
    expect(row.read(synth(mode, {}))).not.toEqual(row.expected);
  });
});
