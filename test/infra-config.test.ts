import { DEFAULT_CONFIG, configFromEnv } from '../infra/config';
import { ValidationError } from '../lib';
import { MACHINE_TYPES, machineTypeProblem } from '../lib/contracts/machine-types';
import { gkeReserved, nodeAllocatable, poolCapacity } from '../lib/contracts/capacity';

describe('infra settings from the environment and cdktf context', () => {
  it('defaults to the D8 cluster and synthesizes without any setting', () => {
    expect(configFromEnv({})).toEqual({
      project: '', region: 'us-central1', zone: 'us-central1-c', clusterName: 'tutorials', machineType: 'e2-standard-2',
      nodeCount: 4, allowedSourceRanges: [], stateBucket: undefined, deletionProtection: true,
    });
    expect(DEFAULT_CONFIG.nodeCount).toBe(4);
  });

  it('reads every variable', () => {
    expect(configFromEnv({
      GKE_PROJECT: 'my-project-1', GKE_REGION: 'europe-west4', GKE_ZONE: 'europe-west4-b', GKE_CLUSTER_NAME: 'demo',
      GKE_MACHINE_TYPE: 'n2-standard-4', GKE_NODE_COUNT: '5', GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24, 198.51.100.7/32',
      GKE_STATE_BUCKET: 'my-tf-state', GKE_DELETION_PROTECTION: 'false',
    })).toEqual({
      project: 'my-project-1', region: 'europe-west4', zone: 'europe-west4-b', clusterName: 'demo', machineType: 'n2-standard-4',
      nodeCount: 5, allowedSourceRanges: ['203.0.113.0/24', '198.51.100.7/32'], stateBucket: 'my-tf-state', deletionProtection: false,
    });
  });

  it('reads cdktf context when the variable is not set, and lets the variable win', () => {
    const context: Record<string, unknown> = { project: 'ctx-project', nodeCount: 6, allowedSourceRanges: ['10.0.0.0/8'] };
    const cfg = configFromEnv({ GKE_NODE_COUNT: '7' }, (k) => context[k]);
    expect([cfg.project, cfg.nodeCount, cfg.allowedSourceRanges]).toEqual(['ctx-project', 7, ['10.0.0.0/8']]);
  });

  it('requires the zone when the region is not the default one, instead of guessing a zone that may not exist', () => {
    // us-east1 has zones b, c and d: a guessed "us-east1-a" would fail only at deploy time.
    expect(() => configFromEnv({ GKE_REGION: 'us-east1' }))
      .toThrow(/^cdktf app settings: GKE_ZONE \(context 'zone'\) is not set; must be set when the region is not us-central1 \(the region is us-east1;/);
    expect(configFromEnv({ GKE_REGION: 'us-east1', GKE_ZONE: 'us-east1-b' }).zone).toBe('us-east1-b');
    expect(configFromEnv({}, (k) => ({ region: 'us-east1', zone: 'us-east1-c' } as Record<string, unknown>)[k]).zone).toBe('us-east1-c');
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['node count below 4', { GKE_NODE_COUNT: '3' }, /^cdktf app settings: GKE_NODE_COUNT is "3"; must be an integer between 4 and 100/],
    ['node count not a number', { GKE_NODE_COUNT: 'four' }, /GKE_NODE_COUNT is "four"; must be an integer between 4 and 100/],
    ['machine type below 4 GiB', { GKE_MACHINE_TYPE: 'e2-highcpu-2' }, /GKE_MACHINE_TYPE is "e2-highcpu-2"; must have at least 2 vCPUs and 4 GiB/],
    ['machine type below 2 vCPUs', { GKE_MACHINE_TYPE: 'n1-standard-1' }, /GKE_MACHINE_TYPE is "n1-standard-1"; must have at least 2 vCPUs and 4 GiB.*has 1 vCPUs and 3.75 GiB/],
    ['shared-core machine type', { GKE_MACHINE_TYPE: 'e2-medium' }, /GKE_MACHINE_TYPE is "e2-medium"; must not be a shared-core machine type/],
    ['Arm machine type', { GKE_MACHINE_TYPE: 't2a-standard-4' }, /GKE_MACHINE_TYPE is "t2a-standard-4"; must be an amd64 machine type/],
    ['unknown machine type', { GKE_MACHINE_TYPE: 'e2-standard-3' }, /GKE_MACHINE_TYPE is "e2-standard-3"; must be a known amd64 machine type/],
    ['malformed CIDR', { GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24,10.0.0/8' }, /GKE_ALLOWED_SOURCE_RANGES is "203.0.113.0\/24,10.0.0\/8"; has "10.0.0\/8", which must be an IPv4 CIDR range/],
    ['CIDR prefix too long', { GKE_ALLOWED_SOURCE_RANGES: '10.0.0.0/33' }, /has "10.0.0.0\/33", which must be an IPv4 CIDR range/],
    ['CIDR with host bits', { GKE_ALLOWED_SOURCE_RANGES: '203.0.113.5/24' }, /has "203.0.113.5\/24", which must have no host bits set/],
    ['the whole internet', { GKE_ALLOWED_SOURCE_RANGES: '0.0.0.0/0' }, /GKE_ALLOWED_SOURCE_RANGES is "0.0.0.0\/0"; must not include 0.0.0.0\/0/],
    ['malformed project', { GKE_PROJECT: 'My_Project' }, /GKE_PROJECT is "My_Project"; must be a Google Cloud project id/],
    ['malformed region', { GKE_REGION: 'us central' }, /GKE_REGION is "us central"; must be a Compute Engine region/],
    ['zone outside the region', { GKE_ZONE: 'europe-west4-a' }, /GKE_ZONE is "europe-west4-a"; must be a zone of the region us-central1/],
    ['cluster name too long', { GKE_CLUSTER_NAME: 'a-very-long-cluster-name-x' }, /GKE_CLUSTER_NAME is "a-very-long-cluster-name-x"; must be 1-24 lower-case letters/],
    ['malformed bucket', { GKE_STATE_BUCKET: 'Bad Bucket' }, /GKE_STATE_BUCKET is "Bad Bucket"; must be a Cloud Storage bucket name/],
    ['deletion protection not a boolean', { GKE_DELETION_PROTECTION: 'no' }, /GKE_DELETION_PROTECTION is "no"; must be "true" or "false"/],
  ];
  it.each(bad)('refuses %s, naming the variable, the value and the rule', (_name, env, message) => {
    expect(() => configFromEnv(env)).toThrow(ValidationError);
    expect(() => configFromEnv(env)).toThrow(message);
  });

  it('names the context key when the bad value came from cdktf context', () => {
    expect(() => configFromEnv({}, (k) => (k === 'nodeCount' ? 2 : undefined))).toThrow(/^cdktf app settings: context 'nodeCount' is 2; must be an integer between 4/);
  });
});

describe('machine types', () => {
  it('knows the sizes of the usual types (Compute Engine machine family pages)', () => {
    expect(MACHINE_TYPES.get('e2-standard-2')).toEqual({ name: 'e2-standard-2', vcpus: 2, memoryGiB: 8 });
    expect(MACHINE_TYPES.get('n1-standard-2')).toEqual({ name: 'n1-standard-2', vcpus: 2, memoryGiB: 7.5 });
    expect(MACHINE_TYPES.get('e2-highmem-16')).toEqual({ name: 'e2-highmem-16', vcpus: 16, memoryGiB: 128 });
    expect(MACHINE_TYPES.has('e2-highmem-32')).toBe(false);
  });

  it('accepts the D8 default and larger standard types', () => {
    expect(machineTypeProblem('e2-standard-2')).toBeUndefined();
    expect(machineTypeProblem('n2d-standard-8')).toBeUndefined();
  });
});

describe('GKE node allocatable (plan-node-sizes formula)', () => {
  it('e2-standard-2: 2000m - (60m + 10m) = 1930m; 8192 MiB - (1024 + 819.2) - 100 = 6248.8 MiB', () => {
    const a = nodeAllocatable(MACHINE_TYPES.get('e2-standard-2')!);
    expect(a.cpuMillis).toBeCloseTo(1930, 6);
    expect(a.memoryMiB).toBeCloseTo(6248.8, 6);
  });

  it('e2-standard-8: CPU 60+10+2*5+4*2.5 = 90m reserved; memory (32 GiB) 4*0.25 + 4*0.2 + 8*0.1 + 16*0.06 = 3.56 GiB + 100 MiB', () => {
    const r = gkeReserved(MACHINE_TYPES.get('e2-standard-8')!);
    expect(r.cpuMillis).toBeCloseTo(90, 6);
    expect(r.memoryMiB).toBeCloseTo(3.56 * 1024 + 100, 6);
  });

  it('e2-highmem-16 fills the tiers up to 128 GiB: 1 + 0.8 + 0.8 + 112*0.06 = 9.32 GiB reserved', () => {
    expect(gkeReserved(MACHINE_TYPES.get('e2-highmem-16')!).memoryMiB).toBeCloseTo(9.32 * 1024 + 100, 6);
  });

  it('n2-highmem-32 (256 GiB) crosses the 128 GiB tier: 9.32 + 128*0.02 = 11.88 GiB reserved', () => {
    expect(gkeReserved(MACHINE_TYPES.get('n2-highmem-32')!).memoryMiB).toBeCloseTo(11.88 * 1024 + 100, 6);
  });

  it('leaves 4 x (1930 - 350) - 700 = 5620m and 4 x (6248.8 - 450) - 650 = 22545.2 MiB for the tutorials on the default pool', () => {
    const c = poolCapacity(MACHINE_TYPES.get('e2-standard-2')!, 4);
    expect(c.forWorkloads.cpuMillis).toBeCloseTo(5620, 6);
    expect(c.forWorkloads.memoryMiB).toBeCloseTo(22545.2, 6);
  });
});
