import { DEFAULT_CONFIG, configNotes, controlPlaneRanges, nodesPerZone, totalNodes } from '../infra/config';
import {
  bucketProblem,
  cidrsOverlap,
  gcpLabelsProblem,
  masterCidrProblem,
  maintenanceWindowProblem,
  parseMaintenanceWindow,
  regionProblem,
} from '../infra/rules';
import { CDKTF_CONTEXT_KEYS, SETTINGS, configFromEnv } from '../infra/settings';
import { ValidationError } from '../lib';
import { closestName } from '../lib/internal/validation';
import { MACHINE_TYPES, machineTypeProblem } from '../lib/contracts/machine-types';
import {
  UNEXPLAINED_RESERVED_MIB,
  gkeReserved,
  kubeletMemoryMiB,
  nodeAllocatable,
  poolCapacity,
} from '../lib/contracts/capacity';

describe('infra settings from the environment and cdktf context', () => {
  it('defaults to the D8 cluster and synthesizes without any setting', () => {
    expect(configFromEnv({})).toEqual({
      project: '',
      region: 'us-central1',
      zone: 'us-central1-c',
      clusterName: 'tutorials',
      machineType: 'e2-standard-2',
      nodeCount: 4,
      allowedSourceRanges: [],
      stateBucket: undefined,
      deletionProtection: true,
      masterAuthorizedRanges: undefined,
      privateNodes: false,
      masterCidr: '172.16.0.0/28',
      secretsKms: false,
      networkPolicy: false,
      regional: false,
      nodeLocations: [],
      maintenanceWindow: 'SA,SU 02:00-10:00',
      labels: { app: 'k8s-tutorials', 'managed-by': 'cdktf' },
    });
    expect(DEFAULT_CONFIG.nodeCount).toBe(4);
  });

  it('reads every variable', () => {
    expect(
      configFromEnv({
        GKE_PROJECT: 'my-project-1',
        GKE_REGION: 'europe-west4',
        GKE_ZONE: 'europe-west4-b',
        GKE_CLUSTER_NAME: 'demo',
        GKE_MACHINE_TYPE: 'n2-standard-4',
        GKE_NODE_COUNT: '5',
        GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24, 198.51.100.7/32',
        GKE_STATE_BUCKET: 'my-tf-state',
        GKE_DELETION_PROTECTION: 'false',
        GKE_MASTER_AUTHORIZED_RANGES: '192.0.2.0/28',
        GKE_PRIVATE_NODES: 'true',
        GKE_MASTER_CIDR: '192.168.100.16/28',
        GKE_SECRETS_KMS: 'true',
        GKE_NETWORK_POLICY: 'true',
        GKE_REGIONAL: 'true',
        GKE_NODE_LOCATIONS: 'europe-west4-a, europe-west4-b,europe-west4-c',
        GKE_MAINTENANCE_WINDOW: 'daily 03:00-07:00',
        GKE_LABELS: 'team=platform,managed-by=terraform',
      }),
    ).toEqual({
      project: 'my-project-1',
      region: 'europe-west4',
      zone: 'europe-west4-b',
      clusterName: 'demo',
      machineType: 'n2-standard-4',
      nodeCount: 5,
      allowedSourceRanges: ['203.0.113.0/24', '198.51.100.7/32'],
      stateBucket: 'my-tf-state',
      deletionProtection: false,
      masterAuthorizedRanges: ['192.0.2.0/28'],
      privateNodes: true,
      masterCidr: '192.168.100.16/28',
      secretsKms: true,
      networkPolicy: true,
      regional: true,
      nodeLocations: ['europe-west4-a', 'europe-west4-b', 'europe-west4-c'],
      maintenanceWindow: 'daily 03:00-07:00',
      labels: { app: 'k8s-tutorials', 'managed-by': 'terraform', team: 'platform' },
    });
  });

  it('reads cdktf context when the variable is not set, and lets the variable win', () => {
    const context: Record<string, unknown> = {
      project: 'ctx-project',
      nodeCount: 6,
      allowedSourceRanges: ['10.0.0.0/8'],
    };
    const cfg = configFromEnv({ GKE_NODE_COUNT: '7' }, (k) => context[k]);
    expect([cfg.project, cfg.nodeCount, cfg.allowedSourceRanges]).toEqual(['ctx-project', 7, ['10.0.0.0/8']]);
  });

  it('requires the zone when the region is not the default one, instead of guessing a zone that may not exist', () => {
    // us-east1 has zones b, c and d: a guessed "us-east1-a" would fail only at deploy time.
    expect(() => configFromEnv({ GKE_REGION: 'us-east1' })).toThrow(
      /^cdktf app settings: GKE_ZONE \(context 'zone'\) is not set; must be set when the region is not us-central1 \(the region is us-east1;/,
    );
    expect(configFromEnv({ GKE_REGION: 'us-east1', GKE_ZONE: 'us-east1-b' }).zone).toBe('us-east1-b');
    expect(
      configFromEnv({}, (k) => (({ region: 'us-east1', zone: 'us-east1-c' }) as Record<string, unknown>)[k]).zone,
    ).toBe('us-east1-c');
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    [
      'node count below 4',
      { GKE_NODE_COUNT: '3' },
      /^cdktf app settings: GKE_NODE_COUNT is "3"; must be an integer between 4 and 100/,
    ],
    [
      'node count above 100',
      { GKE_NODE_COUNT: '101' },
      /^cdktf app settings: GKE_NODE_COUNT is "101"; must be an integer between 4 and 100 \(the ZooKeeper tutorial needs at least four nodes, decision D8\)$/,
    ],
    [
      'node count not a number',
      { GKE_NODE_COUNT: 'four' },
      /GKE_NODE_COUNT is "four"; must be an integer between 4 and 100/,
    ],
    [
      'machine type below 4 GiB',
      { GKE_MACHINE_TYPE: 'e2-highcpu-2' },
      /GKE_MACHINE_TYPE is "e2-highcpu-2"; must have at least 2 vCPUs and 4 GiB/,
    ],
    [
      'machine type below 2 vCPUs',
      { GKE_MACHINE_TYPE: 'n1-standard-1' },
      /GKE_MACHINE_TYPE is "n1-standard-1"; must have at least 2 vCPUs and 4 GiB.*has 1 vCPUs and 3.75 GiB/,
    ],
    [
      'shared-core machine type',
      { GKE_MACHINE_TYPE: 'e2-medium' },
      /GKE_MACHINE_TYPE is "e2-medium"; must not be a shared-core machine type/,
    ],
    [
      'Arm machine type',
      { GKE_MACHINE_TYPE: 't2a-standard-4' },
      /GKE_MACHINE_TYPE is "t2a-standard-4"; must be an amd64 machine type/,
    ],
    [
      'unknown machine type',
      { GKE_MACHINE_TYPE: 'e2-standard-3' },
      /GKE_MACHINE_TYPE is "e2-standard-3"; must be a known amd64 machine type/,
    ],
    [
      'malformed CIDR',
      { GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24,10.0.0/8' },
      /GKE_ALLOWED_SOURCE_RANGES is "203.0.113.0\/24,10.0.0\/8"; has "10.0.0\/8", which must be an IPv4 CIDR range/,
    ],
    [
      'CIDR prefix too long',
      { GKE_ALLOWED_SOURCE_RANGES: '10.0.0.0/33' },
      /has "10.0.0.0\/33", which must be an IPv4 CIDR range/,
    ],
    [
      'CIDR with host bits',
      { GKE_ALLOWED_SOURCE_RANGES: '203.0.113.5/24' },
      /has "203.0.113.5\/24", which must have no host bits set/,
    ],
    [
      'the whole internet',
      { GKE_ALLOWED_SOURCE_RANGES: '0.0.0.0/0' },
      /GKE_ALLOWED_SOURCE_RANGES is "0.0.0.0\/0"; must not include 0.0.0.0\/0: the NodePort rule and the load balancers are for your own addresses, not the internet$/,
    ],
    [
      'malformed project',
      { GKE_PROJECT: 'My_Project' },
      /GKE_PROJECT is "My_Project"; must be a Google Cloud project id/,
    ],
    ['malformed region', { GKE_REGION: 'us central' }, /GKE_REGION is "us central"; must be a Compute Engine region/],
    [
      'zone outside the region',
      { GKE_ZONE: 'europe-west4-a' },
      /GKE_ZONE is "europe-west4-a"; must be a zone of the region us-central1/,
    ],
    [
      'cluster name too long',
      { GKE_CLUSTER_NAME: 'a-very-long-cluster-name-x' },
      /GKE_CLUSTER_NAME is "a-very-long-cluster-name-x"; must be 1-24 lower-case letters/,
    ],
    [
      'malformed bucket',
      { GKE_STATE_BUCKET: 'Bad Bucket' },
      /GKE_STATE_BUCKET is "Bad Bucket"; must be a Cloud Storage bucket name/,
    ],
    [
      'deletion protection not a boolean',
      { GKE_DELETION_PROTECTION: 'no' },
      /GKE_DELETION_PROTECTION is "no"; must be "true" or "false"/,
    ],
    [
      'authorized range malformed',
      { GKE_MASTER_AUTHORIZED_RANGES: '198.51.100.0/33' },
      /^cdktf app settings: GKE_MASTER_AUTHORIZED_RANGES is "198.51.100.0\/33"; has "198.51.100.0\/33", which must be an IPv4 CIDR range/,
    ],
    [
      'authorized range with host bits',
      { GKE_MASTER_AUTHORIZED_RANGES: '198.51.100.7/24' },
      /GKE_MASTER_AUTHORIZED_RANGES is "198.51.100.7\/24"; has "198.51.100.7\/24", which must have no host bits set/,
    ],
    [
      'authorized ranges that open the control plane to all',
      { GKE_MASTER_AUTHORIZED_RANGES: '198.51.100.0/24,0.0.0.0/0' },
      /GKE_MASTER_AUTHORIZED_RANGES is "198.51.100.0\/24,0.0.0.0\/0"; must not include 0.0.0.0\/0: the authorized networks are for your own addresses/,
    ],
    [
      'private nodes not a boolean',
      { GKE_PRIVATE_NODES: 'yes' },
      /^cdktf app settings: GKE_PRIVATE_NODES is "yes"; must be "true" or "false"$/,
    ],
    [
      'a control-plane range without private nodes',
      { GKE_MASTER_CIDR: '172.16.0.16/28' },
      /GKE_MASTER_CIDR is "172.16.0.16\/28"; only applies with private nodes: set GKE_PRIVATE_NODES=true/,
    ],
    [
      'a control-plane range that is not a /28',
      { GKE_PRIVATE_NODES: 'true', GKE_MASTER_CIDR: '172.16.0.0/24' },
      /GKE_MASTER_CIDR is "172.16.0.0\/24"; must be a \/28/,
    ],
    [
      'a control-plane range overlapping the Pods range',
      { GKE_PRIVATE_NODES: 'true', GKE_MASTER_CIDR: '10.21.0.0/28' },
      /GKE_MASTER_CIDR is "10.21.0.0\/28"; must not overlap the network's podsCidr 10.20.0.0\/14/,
    ],
    [
      'a public control-plane range',
      { GKE_PRIVATE_NODES: 'true', GKE_MASTER_CIDR: '8.8.8.0/28' },
      /GKE_MASTER_CIDR is "8.8.8.0\/28"; must be inside a private range/,
    ],
    [
      'KMS not a boolean',
      { GKE_SECRETS_KMS: 'on' },
      /^cdktf app settings: GKE_SECRETS_KMS is "on"; must be "true" or "false"$/,
    ],
    [
      'network policy not a boolean',
      { GKE_NETWORK_POLICY: '1' },
      /^cdktf app settings: GKE_NETWORK_POLICY is "1"; must be "true" or "false"$/,
    ],
    [
      'regional not a boolean',
      { GKE_REGIONAL: 'TRUE' },
      /^cdktf app settings: GKE_REGIONAL is "TRUE"; must be "true" or "false"$/,
    ],
    [
      'regional without node zones',
      { GKE_REGIONAL: 'true' },
      /^cdktf app settings: GKE_NODE_LOCATIONS \(context 'nodeLocations'\) is not set; must list the zones of us-central1 the nodes run in when GKE_REGIONAL=true/,
    ],
    [
      'node zones of another region',
      { GKE_REGIONAL: 'true', GKE_NODE_LOCATIONS: 'us-central1-a,us-east1-b' },
      /GKE_NODE_LOCATIONS is "us-central1-a,us-east1-b"; has "us-east1-b", which must be a zone of the region us-central1/,
    ],
    [
      'a node zone twice',
      { GKE_REGIONAL: 'true', GKE_NODE_LOCATIONS: 'us-central1-a,us-central1-a' },
      /GKE_NODE_LOCATIONS is "us-central1-a,us-central1-a"; must list each zone once/,
    ],
    [
      'node zones for a zonal cluster',
      { GKE_NODE_LOCATIONS: 'us-central1-a' },
      /GKE_NODE_LOCATIONS is "us-central1-a"; only applies to a regional cluster: set GKE_REGIONAL=true/,
    ],
    [
      'a malformed maintenance window',
      { GKE_MAINTENANCE_WINDOW: 'weekends 2-6' },
      /^cdktf app settings: GKE_MAINTENANCE_WINDOW is "weekends 2-6"; must be "<days> HH:MM-HH:MM" in UTC/,
    ],
    [
      'a maintenance window of under 4 hours',
      { GKE_MAINTENANCE_WINDOW: 'daily 03:00-06:00' },
      /GKE_MAINTENANCE_WINDOW is "daily 03:00-06:00"; must be at least 4 hours long.*this one is 3 hours/,
    ],
    [
      'a maintenance window GKE would refuse (32 of 48 hours)',
      { GKE_MAINTENANCE_WINDOW: 'SA,SU 02:00-06:00' },
      /GKE_MAINTENANCE_WINDOW is "SA,SU 02:00-06:00"; must allow at least 48 hours of maintenance in any 32 days \(GKE refuses less\); this one allows 32 in the worst 32 days/,
    ],
    [
      'a label key with capitals',
      { GKE_LABELS: 'Team=platform' },
      /^cdktf app settings: GKE_LABELS is "Team=platform"; has the key "Team"; keys must be 1-63 lower-case letters/,
    ],
    [
      'a label value with a dot',
      { GKE_LABELS: 'version=1.2' },
      /GKE_LABELS is "version=1.2"; has "version=1.2"; values must be at most 63 lower-case letters/,
    ],
    ['a label without =', { GKE_LABELS: 'team' }, /GKE_LABELS is "team"; has "team"; must be key=value pairs/],
    [
      'labels that make 65 with the two defaults',
      { GKE_LABELS: Array.from({ length: 63 }, (_, i) => `k${i}=v`).join(',') },
      /GKE_LABELS is "k0=v,.*,k62=v"; must have at most 64 labels$/,
    ],
  ];
  it.each(bad)('refuses %s, naming the variable, the value and the rule', (_name, env, message) => {
    expect(() => configFromEnv(env)).toThrow(ValidationError);
    expect(() => configFromEnv(env)).toThrow(message);
  });

  it('takes the largest node pool, a one-letter cluster name, and labels that make 64 with the two defaults', () => {
    const config = configFromEnv({
      GKE_NODE_COUNT: '100',
      GKE_CLUSTER_NAME: 'a',
      GKE_LABELS: Array.from({ length: 62 }, (_, i) => `k${i}=v`).join(','),
    });
    expect([config.nodeCount, config.clusterName, Object.keys(config.labels).length]).toEqual([100, 'a', 64]);
  });

  it('reads booleans, lists and labels from cdktf context in their JSON types', () => {
    const context: Record<string, unknown> = {
      privateNodes: true,
      secretsKms: 'true',
      regional: true,
      nodeLocations: ['us-central1-a', 'us-central1-f'],
      labels: { team: 'platform' },
      masterAuthorizedRanges: ['192.0.2.0/24'],
    };
    const cfg = configFromEnv({}, (k) => context[k]);
    expect([
      cfg.privateNodes,
      cfg.secretsKms,
      cfg.regional,
      cfg.nodeLocations,
      cfg.labels.team,
      cfg.masterAuthorizedRanges,
    ]).toEqual([true, true, true, ['us-central1-a', 'us-central1-f'], 'platform', ['192.0.2.0/24']]);
    expect(() => configFromEnv({}, (k) => (k === 'networkPolicy' ? 'enabled' : undefined))).toThrow(
      /^cdktf app settings: context 'networkPolicy' is "enabled"; must be "true" or "false"$/,
    );
  });

  it("takes a regional cluster's zone from its node zones outside the default region", () => {
    const cfg = configFromEnv({
      GKE_REGION: 'us-east1',
      GKE_REGIONAL: 'true',
      GKE_NODE_LOCATIONS: 'us-east1-b,us-east1-c,us-east1-d',
    });
    expect([cfg.zone, cfg.nodeLocations]).toEqual(['us-east1-b', ['us-east1-b', 'us-east1-c', 'us-east1-d']]);
  });

  it('names the context key when the bad value came from cdktf context', () => {
    expect(() => configFromEnv({}, (k) => (k === 'nodeCount' ? 2 : undefined))).toThrow(
      /^cdktf app settings: context 'nodeCount' is 2; must be an integer between 4/,
    );
  });
});

describe('unknown settings', () => {
  it.each([
    ['GKE_NODES', '6', 'GKE_NODE_COUNT'],
    ['GKE_PROJECT_ID', 'my-project', 'GKE_PROJECT'],
    ['GKE_NUM_NODES', '6', 'GKE_NODE_COUNT'],
    ['GKE_CLUSTER', 'demo', 'GKE_CLUSTER_NAME'],
    ['GKE_AUTHORIZED_NETWORKS', '192.0.2.0/24', 'GKE_MASTER_AUTHORIZED_RANGES'],
    ['GKE_LABEL', 'a=b', 'GKE_LABELS'],
    ['GKE_ZONES', 'us-central1-a', 'GKE_ZONE'],
  ])('refuses %s=%s and names the closest setting, %s', (name, value, guess) => {
    expect(() => configFromEnv({ [name]: value })).toThrow(
      `cdktf app settings: ${name} is "${value}"; no such setting; did you mean ${guess}? (docs/infrastructure.md lists the settings`,
    );
  });

  it('refuses a GKE_ variable that resembles no setting without a guess, and ignores variables without the prefix', () => {
    expect(() => configFromEnv({ GKE_SA_KEY: 'x' })).toThrow(
      /^cdktf app settings: GKE_SA_KEY is "x"; no such setting \(docs/,
    );
    expect(() => configFromEnv({ USE_GKE_GCLOUD_AUTH_PLUGIN: 'True', PATH: '/bin', NODE_COUNT: '3' })).not.toThrow();
  });

  it('trims values and drops empty list items', () => {
    const config = configFromEnv({
      GKE_CLUSTER_NAME: ' lab ',
      GKE_SECRETS_KMS: ' true ',
      GKE_ALLOWED_SOURCE_RANGES: ',203.0.113.0/24,, ',
    });
    expect([config.clusterName, config.secretsKms, config.allowedSourceRanges]).toEqual([
      'lab',
      true,
      ['203.0.113.0/24'],
    ]);
  });

  it('takes a blank project as none (synth works, deploy asks for one), and checks any other', () => {
    expect(configFromEnv({ GKE_PROJECT: ' ' }).project).toBe('');
    expect(configFromEnv({ GKE_PROJECT: 'abcdef' }).project).toBe('abcdef');
    expect(() => configFromEnv({ GKE_PROJECT: 'abcde' })).toThrow(
      'cdktf app settings: GKE_PROJECT is "abcde"; must be a Google Cloud project id: 6-30 lower-case letters, digits and "-", starting with a letter',
    );
  });

  it('reads labels trimmed, context label values as strings, and names the first unknown GKE_ variable in order', () => {
    expect(configFromEnv({ GKE_LABELS: ' team = platform ' }).labels).toMatchObject({ team: 'platform' });
    expect(configFromEnv({}, (k) => (k === 'labels' ? { tier: 2 } : undefined)).labels).toMatchObject({ tier: '2' });
    expect(() => configFromEnv({ GKE_LABELS: '=platform' })).toThrow(
      'cdktf app settings: GKE_LABELS is "=platform"; has "=platform"; must be key=value pairs separated by commas',
    );
    expect(() => configFromEnv({ GKE_ZZZ: 'x', GKE_AAA: 'y' })).toThrow(/^cdktf app settings: GKE_AAA is "y"/);
  });

  it.each([' 5 ', '10'])('takes the node count %j', (n) => {
    expect(configFromEnv({ GKE_NODE_COUNT: n }).nodeCount).toBe(Number(n));
  });

  it.each(['0x10', '1e1', '5.0', '5x'])('refuses the node count %j, which is no whole number in digits', (n) => {
    expect(() => configFromEnv({ GKE_NODE_COUNT: n })).toThrow(
      `cdktf app settings: GKE_NODE_COUNT is "${n}"; must be an integer between 4 and 100`,
    );
  });

  it('refuses regional node locations from context that are no list', () => {
    expect(() => configFromEnv({ GKE_REGIONAL: 'true' }, (k) => (k === 'nodeLocations' ? 5 : undefined))).toThrow(
      "cdktf app settings: context 'nodeLocations' is 5; must be a comma-separated list (or a JSON array) of zones",
    );
  });

  it('takes booleans from context as booleans or strings', () => {
    for (const value of [true, 'true', false, 'false'])
      expect(configFromEnv({}, (k) => (k === 'secretsKms' ? value : undefined)).secretsKms).toBe(
        String(value) === 'true',
      );
  });

  it('treats a variable set to the empty string as unset, falling back to context and then the default', () => {
    expect(configFromEnv({ GKE_PROJECT: '' }, (k) => (k === 'project' ? 'from-context-1' : undefined)).project).toBe(
      'from-context-1',
    );
    expect(configFromEnv({ GKE_CLUSTER_NAME: '' }, (k) => (k === 'clusterName' ? '' : undefined)).clusterName).toBe(
      DEFAULT_CONFIG.clusterName,
    );
  });

  it.each([
    ['project', 5, 'must be a string'],
    ['allowedSourceRanges', 5, 'must be a comma-separated list (or a JSON array) of IPv4 CIDR ranges'],
    ['labels', true, 'must be a comma-separated list (or a JSON array) of key=value labels'],
  ])('refuses context %s of the wrong type (%j), naming key, value and rule', (key, value, rule) => {
    expect(() => configFromEnv({}, (k) => (k === key ? value : undefined))).toThrow(
      `cdktf app settings: context '${key}' is ${JSON.stringify(value)}; ${rule}`,
    );
  });

  it("refuses context keys that are near misses of the app's keys, including a variable name used as a key", () => {
    const keys = (ctx: Record<string, unknown>) => () => configFromEnv({}, (k) => ctx[k], Object.keys(ctx));
    expect(keys({ nodecount: 5 })).toThrow(
      /^cdktf app settings: context 'nodecount' is 5; no such context key; did you mean 'nodeCount'\?$/,
    );
    expect(keys({ GKE_NODE_COUNT: 5 })).toThrow(
      /context 'GKE_NODE_COUNT' is 5; no such context key; did you mean 'nodeCount'\?/,
    );
    expect(keys({ privateNode: true })).toThrow(
      /context 'privateNode' is true; no such context key; did you mean 'privateNodes'\?/,
    );
    // Two edits away, the most it guesses across.
    expect(keys({ nodeCnt: 5 })).toThrow(/context 'nodeCnt' is 5; no such context key; did you mean 'nodeCount'\?/);
    // The same key in another case, though 'region' comes first and is two edits away.
    expect(keys({ Regional: true })).toThrow(
      /context 'Regional' is true; no such context key; did you mean 'regional'\?/,
    );
  });

  it("accepts cdktf's own context keys and keys unlike any setting", () => {
    const ctx: Record<string, unknown> = Object.fromEntries(CDKTF_CONTEXT_KEYS.map((k) => [k, 'x']));
    ctx.someOtherToolKey = 1;
    expect(() => configFromEnv({}, () => undefined, Object.keys(ctx))).not.toThrow();
    // Every setting's own key and variable is accepted.
    const all = Object.fromEntries(SETTINGS.map((s) => [s.key, undefined]));
    expect(() => configFromEnv({}, () => undefined, Object.keys(all))).not.toThrow();
  });

  it('closestName prefers a shared word over fewer edits', () => {
    // GKE_LABELS is 4 edits from GKE_NODES, GKE_NODE_COUNT 6; the shared word wins.
    expect(
      closestName(
        'GKE_NODES',
        SETTINGS.map((s) => s.variable),
      ),
    ).toBe('GKE_NODE_COUNT');
    expect(
      closestName(
        'GKE_XYZZY_PLUGH',
        SETTINGS.map((s) => s.variable),
      ),
    ).toBeUndefined();
  });
});

describe('derived settings and notes', () => {
  it('the control plane follows GKE_ALLOWED_SOURCE_RANGES unless GKE_MASTER_AUTHORIZED_RANGES is set (D9)', () => {
    expect(controlPlaneRanges(configFromEnv({}))).toEqual([]);
    expect(controlPlaneRanges(configFromEnv({ GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24' }))).toEqual([
      '203.0.113.0/24',
    ]);
    expect(
      controlPlaneRanges(
        configFromEnv({ GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24', GKE_MASTER_AUTHORIZED_RANGES: '192.0.2.0/24' }),
      ),
    ).toEqual(['192.0.2.0/24']);
  });

  it('says the control plane is open, and how to restrict it, only when no range applies', () => {
    expect(configNotes(configFromEnv({}))).toEqual([
      expect.stringMatching(
        /^the control plane endpoint is reachable from any address \(no master authorized networks, CIS GKE 5.6.3\); restrict it with GKE_MASTER_AUTHORIZED_RANGES=/,
      ),
    ]);
    expect(configNotes(configFromEnv({ GKE_MASTER_AUTHORIZED_RANGES: '192.0.2.0/24' }))).toEqual([]);
    expect(configNotes(configFromEnv({ GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24' }))).toEqual([
      'the control plane accepts only GKE_ALLOWED_SOURCE_RANGES (203.0.113.0/24), as GKE_MASTER_AUTHORIZED_RANGES is unset (decision D9); ' +
        'the machine that runs cdktf deploy and kubectl must be in them',
    ]);
  });

  it("notes the NodePort rule that private nodes make unreachable, the KMS key ring that outlives destroy, Dataplane V2's missing kube-proxy, and a rounded-up regional count", () => {
    const notes = configNotes(
      configFromEnv({
        GKE_MASTER_AUTHORIZED_RANGES: '192.0.2.0/24',
        GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24',
        GKE_PRIVATE_NODES: 'true',
        GKE_SECRETS_KMS: 'true',
        GKE_NETWORK_POLICY: 'true',
        GKE_REGIONAL: 'true',
        GKE_NODE_LOCATIONS: 'us-central1-a,us-central1-b,us-central1-f',
      }),
    );
    expect(notes).toEqual([
      'GKE_PRIVATE_NODES=true: the nodes have no external addresses, so the NodePort firewall rule of GKE_ALLOWED_SOURCE_RANGES ' +
        'opens nothing reachable from outside; run the NodePort checks from inside the VPC (docs/infrastructure.md)',
      'GKE_SECRETS_KMS=true: Cloud KMS key rings cannot be deleted; after cdktf destroy the key ring stays, ' +
        'and deploying again with the same cluster name needs it imported (docs/infrastructure.md)',
      'GKE_NETWORK_POLICY=true: GKE Dataplane V2 enforces NetworkPolicy and replaces kube-proxy, so the Source IP ' +
        "tutorial's `curl localhost:10249/proxyMode` step finds no kube-proxy (decision D8)",
      'GKE_REGIONAL=true: 2 nodes in each of 3 zones, 6 in all (GKE_NODE_COUNT=4 rounded up)',
    ]);
  });

  it('says nothing of a regional pool whose node count divides evenly among its zones', () => {
    const config = configFromEnv({
      GKE_MASTER_AUTHORIZED_RANGES: '192.0.2.0/24',
      GKE_REGIONAL: 'true',
      GKE_NODE_LOCATIONS: 'us-central1-a,us-central1-b',
    });
    expect([totalNodes(config), configNotes(config)]).toEqual([4, []]);
  });

  it('says nothing of the NodePort rule for private nodes when no source range opens it', () => {
    expect(
      configNotes(configFromEnv({ GKE_MASTER_AUTHORIZED_RANGES: '192.0.2.0/24', GKE_PRIVATE_NODES: 'true' })),
    ).toEqual([]);
  });

  it('a regional pool has ceil(nodeCount / zones) nodes per zone, so at least nodeCount in all', () => {
    const regional = (zones: string, n = 4) => ({
      ...DEFAULT_CONFIG,
      regional: true,
      nodeLocations: zones.split(','),
      nodeCount: n,
    });
    expect([nodesPerZone(regional('us-central1-a')), totalNodes(regional('us-central1-a'))]).toEqual([4, 4]);
    expect([
      nodesPerZone(regional('us-central1-a,us-central1-b')),
      totalNodes(regional('us-central1-a,us-central1-b')),
    ]).toEqual([2, 4]);
    expect([
      nodesPerZone(regional('us-central1-a,us-central1-b,us-central1-c')),
      totalNodes(regional('us-central1-a,us-central1-b,us-central1-c')),
    ]).toEqual([2, 6]);
    expect(totalNodes(regional('us-central1-a,us-central1-b,us-central1-c', 7))).toBe(9);
    expect([nodesPerZone(DEFAULT_CONFIG), totalNodes(DEFAULT_CONFIG)]).toEqual([4, 4]);
  });

  it("turns the maintenance window into GKE's recurring window, and counts its worst 32 days", () => {
    expect(parseMaintenanceWindow('SA,SU 02:00-10:00')).toEqual({
      recurrence: 'FREQ=WEEKLY;BYDAY=SA,SU',
      startTime: '2025-01-04T02:00:00Z',
      endTime: '2025-01-04T10:00:00Z',
      hours: 8,
      hoursPer32Days: 64,
    });
    // Across midnight: the end is the next day.
    expect(parseMaintenanceWindow('FR 22:00-04:00')).toMatchObject({
      recurrence: 'FREQ=WEEKLY;BYDAY=FR',
      startTime: '2025-01-04T22:00:00Z',
      endTime: '2025-01-05T04:00:00Z',
      hoursPer32Days: 24,
    });
    expect(parseMaintenanceWindow('daily 03:00-07:00')).toMatchObject({
      recurrence: 'FREQ=DAILY',
      hoursPer32Days: 128,
    });
    // 6 hours on weekend days: the worst 32 days hold 8 weekend days, 48 hours: just enough.
    expect(maintenanceWindowProblem('SA,SU 02:00-08:00')).toBeUndefined();
    expect(maintenanceWindowProblem('FR 22:00-04:00')).toMatch(/this one allows 24 in the worst 32 days/);
    expect(parseMaintenanceWindow('SA,SA 02:00-10:00')).toBeUndefined();
    expect(parseMaintenanceWindow(5 as unknown as string)).toBeUndefined();
    expect(parseMaintenanceWindow(' SA 02:00-10:00 ')).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=SA' });
  });

  it.each([
    ['SA,SU  02:30-10:45', { startTime: '2025-01-04T02:30:00Z', endTime: '2025-01-04T10:45:00Z', hours: 8.25 }],
    ['daily 20:00-24:00', { startTime: '2025-01-04T20:00:00Z', endTime: '2025-01-05T00:00:00Z', hours: 4 }],
    ['MO 23:15-03:45', { startTime: '2025-01-04T23:15:00Z', endTime: '2025-01-05T03:45:00Z', hours: 4.5 }],
  ])('parses the window %j to its times and length', (spec, expected) => {
    expect(parseMaintenanceWindow(spec)).toMatchObject(expected);
  });

  it.each(['xSA 02:00-10:00', 'SA 02:00-10:00x', 'daily 20:00-24:30', 'daily 02:00-02:00', 'SA02:00-10:00'])(
    'parses no window from %j',
    (spec) => {
      expect(parseMaintenanceWindow(spec)).toBeUndefined();
    },
  );

  it('counts the fewest chosen days of any 32 in a row, whichever weekday they start on', () => {
    // One weekday: 4 or 5 of them in 32 days; 4 in the worst case, whatever the day.
    for (const day of ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])
      expect(parseMaintenanceWindow(`${day} 00:00-12:00`)?.hoursPer32Days).toBe(48);
    // Five weekdays: 32 days hold 22 to 24 of them.
    expect(parseMaintenanceWindow('MO,TU,WE,TH,FR 00:00-04:00')?.hoursPer32Days).toBe(88);
  });

  it('counts no hours towards the 32-day minimum for a window shorter than the 4 hours GKE counts', () => {
    expect(parseMaintenanceWindow('daily 02:00-05:00')).toMatchObject({ hours: 3, hoursPer32Days: 0 });
  });

  it('checks label keys whole and label values by type', () => {
    expect(gcpLabelsProblem({ 'team!': 'a' })).toMatch(/^has the key "team!"; keys must be/);
    expect(gcpLabelsProblem({ team: 5 as unknown as string })).toBe(
      'has "team=5"; values must be at most 63 lower-case letters, digits, "_" and "-"',
    );
  });

  it('takes regions and buckets by their whole name', () => {
    expect(regionProblem('europe-west10')).toBeUndefined();
    for (const region of ['us-central1-a', '1us-central1'])
      expect(regionProblem(region)).toBe('must be a Compute Engine region such as "us-central1" or "europe-west4"');
    expect(bucketProblem('tf-state')).toBeUndefined();
    for (const bucket of ['tf-state-', '-tf-state'])
      expect(bucketProblem(bucket)).toBe(
        'must be a Cloud Storage bucket name (3-63 lower-case letters, digits, "-", "_" and ".")',
      );
  });

  it('counts two ranges as overlapping when they share even one address, and adjacent ones as apart', () => {
    expect(cidrsOverlap('10.10.0.0/20', '10.10.15.255/32')).toBe(true);
    expect(cidrsOverlap('10.10.15.255/32', '10.10.0.0/20')).toBe(true);
    expect(cidrsOverlap('10.10.0.0/20', '10.10.16.0/28')).toBe(false);
    expect(cidrsOverlap('10.10.16.0/28', '10.10.0.0/20')).toBe(false);
    expect(masterCidrProblem('10.10.16.0/28')).toBeUndefined();
    expect(masterCidrProblem('8.8.8.0/28')).toBe(
      'must be inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)',
    );
  });

  it('checks the control-plane range against every range of the network', () => {
    expect(masterCidrProblem('172.16.0.0/28')).toBeUndefined();
    expect(masterCidrProblem('10.10.15.240/28')).toBe("must not overlap the network's nodesCidr 10.10.0.0/20");
    expect(masterCidrProblem('10.30.0.0/28')).toBe("must not overlap the network's servicesCidr 10.30.0.0/20");
    expect(masterCidrProblem('172.16.0.8/28')).toMatch(/must have no host bits set/);
  });
});

describe('machine types', () => {
  it('knows the sizes of the usual types (Compute Engine machine family pages)', () => {
    expect(MACHINE_TYPES.get('e2-standard-2')).toEqual({ name: 'e2-standard-2', vcpus: 2, memoryGiB: 8 });
    expect(MACHINE_TYPES.get('n1-standard-2')).toEqual({ name: 'n1-standard-2', vcpus: 2, memoryGiB: 7.5 });
    expect(MACHINE_TYPES.get('e2-highmem-16')).toEqual({ name: 'e2-highmem-16', vcpus: 16, memoryGiB: 128 });
    expect(MACHINE_TYPES.has('e2-highmem-32')).toBe(false);
  });

  // The largest size of each family and kind, and one more of each, as the Compute Engine
  // pages list them (vCPUs, GiB): a size or a kind left out of the table would refuse a type
  // that GKE accepts.
  it.each([
    ['n2-highcpu-96', 96, 96],
    ['n2-highmem-96', 96, 768],
    ['n2-highmem-128', 128, 864], // not 8 GiB per vCPU
    ['n2d-standard-224', 224, 896],
    ['n2d-highmem-96', 96, 768],
    ['n2d-highcpu-224', 224, 224],
    ['n1-standard-96', 96, 360],
    ['n1-highmem-96', 96, 624],
    ['n1-highmem-2', 2, 13],
    ['n1-highcpu-96', 96, 86.4],
    ['t2d-standard-60', 60, 240],
    ['t2d-standard-1', 1, 4],
  ])('knows %s: %d vCPUs and %d GiB', (name, vcpus, memoryGiB) => {
    expect(MACHINE_TYPES.get(name)?.vcpus).toBe(vcpus);
    expect(MACHINE_TYPES.get(name)?.memoryGiB).toBeCloseTo(memoryGiB, 6);
  });

  it('accepts the D8 default and larger standard types, and exactly 2 vCPUs with exactly 4 GiB', () => {
    expect(machineTypeProblem('e2-standard-2')).toBeUndefined();
    expect(machineTypeProblem('n2d-standard-8')).toBeUndefined();
    expect(machineTypeProblem('e2-highcpu-4')).toBeUndefined(); // 4 vCPUs, 4 GiB: the memory minimum itself
  });

  it.each([
    ['e2-highcpu-2', '2 vCPUs and 2 GiB'],
    ['n1-highcpu-2', '2 vCPUs and 1.8 GiB'],
    ['n1-standard-1', '1 vCPUs and 3.75 GiB'],
    ['t2d-standard-1', '1 vCPUs and 4 GiB'],
  ])('refuses %s, under the ZooKeeper minimum of 2 vCPUs and 4 GiB (%s)', (name, has) => {
    expect(machineTypeProblem(name)).toBe(
      `must have at least 2 vCPUs and 4 GiB of memory (the ZooKeeper tutorial's minimum node, decision D8); ${name} has ${has}`,
    );
  });

  it('names the reason for an Arm type and a shared-core type, and only for those names', () => {
    const arm = /must be an amd64 machine type/;
    const shared = /must not be a shared-core machine type/;
    const unknown = /must be a known amd64 machine type/;
    expect(machineTypeProblem('t2a-standard-4')).toMatch(arm);
    expect(machineTypeProblem('c4a-standard-4')).toMatch(arm);
    expect(machineTypeProblem('e2-medium')).toMatch(shared);
    expect(machineTypeProblem('e2-micro')).toMatch(shared);
    // Names that contain those words elsewhere are merely unknown.
    expect(machineTypeProblem('my-t2a-standard-4')).toMatch(unknown);
    expect(machineTypeProblem('my-e2-small')).toMatch(unknown);
    expect(machineTypeProblem('e2-small-2')).toMatch(unknown);
    expect(machineTypeProblem('e2-standard-3')).toMatch(unknown);
  });
});

describe('GKE node allocatable (plan-node-sizes formula on the memory the kubelet reports)', () => {
  // A real e2-standard-2 node of GKE Standard (`kubectl get node -o yaml`): written
  // here by hand, not read from lib/, so the model must reproduce the node, not itself.
  const REAL_NODE = { capacityKi: 8152028, allocatableKi: 6186972 };

  it('e2-standard-2: the kubelet reports 8152028Ki of the nominal 8 GiB, and 6186972Ki are allocatable (a real node, within 1 MiB)', () => {
    const t = MACHINE_TYPES.get('e2-standard-2')!;
    expect(Math.abs(kubeletMemoryMiB(t) * 1024 - REAL_NODE.capacityKi)).toBeLessThanOrEqual(1024);
    expect(Math.abs(nodeAllocatable(t).memoryMiB * 1024 - REAL_NODE.allocatableKi)).toBeLessThanOrEqual(1024);
    // The old model (tiers on the nominal 8192 MiB) said 6248.8 MiB: 207 MiB per node too high.
    expect(8192 - (1024 + 819.2) - 100 - nodeAllocatable(t).memoryMiB).toBeCloseTo(206.8, 0);
  });

  it('e2-standard-2 CPU: 2000m - (60m + 10m) = 1930m', () => {
    expect(nodeAllocatable(MACHINE_TYPES.get('e2-standard-2')!).cpuMillis).toBeCloseTo(1930, 6);
  });

  it('applies the memory tiers to MemTotal: e2-standard-8 (32 GiB nominal, 31844 MiB reported) 1 + 0.8 + 0.8 + 0.06 x (31.10 - 16) GiB', () => {
    const t = MACHINE_TYPES.get('e2-standard-8')!;
    const r = gkeReserved(t);
    expect(r.cpuMillis).toBeCloseTo(90, 6);
    const memTotalGiB = kubeletMemoryMiB(t) / 1024;
    expect(memTotalGiB).toBeCloseTo((32 * 8152028) / 8388608, 6);
    expect(r.memoryMiB).toBeCloseTo(
      (1 + 0.8 + 0.8 + 0.06 * (memTotalGiB - 16)) * 1024 + 100 + UNEXPLAINED_RESERVED_MIB,
      6,
    );
  });

  it('crosses the 128 GiB tier on n2-highmem-32 (256 GiB nominal, about 248.8 GiB reported)', () => {
    const t = MACHINE_TYPES.get('n2-highmem-32')!;
    const memTotalGiB = kubeletMemoryMiB(t) / 1024;
    expect(gkeReserved(t).memoryMiB).toBeCloseTo(
      (9.32 + 0.02 * (memTotalGiB - 128)) * 1024 + 100 + UNEXPLAINED_RESERVED_MIB,
      6,
    );
  });

  it('leaves 4 x (1930 - 350) - 700 = 5620m and 4 x (6042 - 450) - 650 = 21718 MiB for the tutorials on the default pool', () => {
    const c = poolCapacity(MACHINE_TYPES.get('e2-standard-2')!, 4);
    expect(c.forWorkloads.cpuMillis).toBeCloseTo(5620, 6);
    expect(c.forWorkloads.memoryMiB).toBeCloseTo(4 * (6186972 / 1024 - 450) - 650, 0);
  });
});
