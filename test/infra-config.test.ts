import { DEFAULT_CONFIG, configFromEnv } from '../infra/config';
import { ValidationError } from '../lib';
import { MACHINE_TYPES, machineTypeProblem } from '../lib/contracts/machine-types';
import { UNEXPLAINED_RESERVED_MIB, gkeReserved, kubeletMemoryMiB, nodeAllocatable, poolCapacity } from '../lib/contracts/capacity';

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

describe('GKE node allocatable (plan-node-sizes formula on the memory the kubelet reports)', () => {
  // A real e2-standard-2 node of GKE Standard (`kubectl get node -o yaml`, issue #12): written
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
    expect(memTotalGiB).toBeCloseTo(32 * 8152028 / 8388608, 6);
    expect(r.memoryMiB).toBeCloseTo((1 + 0.8 + 0.8 + 0.06 * (memTotalGiB - 16)) * 1024 + 100 + UNEXPLAINED_RESERVED_MIB, 6);
  });

  it('crosses the 128 GiB tier on n2-highmem-32 (256 GiB nominal, about 248.8 GiB reported)', () => {
    const t = MACHINE_TYPES.get('n2-highmem-32')!;
    const memTotalGiB = kubeletMemoryMiB(t) / 1024;
    expect(gkeReserved(t).memoryMiB).toBeCloseTo((9.32 + 0.02 * (memTotalGiB - 128)) * 1024 + 100 + UNEXPLAINED_RESERVED_MIB, 6);
  });

  it('leaves 4 x (1930 - 350) - 700 = 5620m and 4 x (6042 - 450) - 650 = 21718 MiB for the tutorials on the default pool', () => {
    const c = poolCapacity(MACHINE_TYPES.get('e2-standard-2')!, 4);
    expect(c.forWorkloads.cpuMillis).toBeCloseTo(5620, 6);
    expect(c.forWorkloads.memoryMiB).toBeCloseTo(4 * (6186972 / 1024 - 450) - 650, 0);
  });
});
