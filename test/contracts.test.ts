/**
 * Contract checks between the two apps (test/harness/contracts.ts): every registered tutorial
 * chart (apps/charts.ts TUTORIAL_CHARTS, synthesized as `npm run synth` does) against the
 * synthesized cdktf stacks. Nothing here names today's charts, so the checks grow as charts
 * land. Each check has failing-case tests below.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TUTORIAL_CHARTS } from '../apps/charts';
import { settingsFromEnv } from '../apps/settings';
import { Resources, poolCapacity } from '../lib/contracts/capacity';
import { MACHINE_TYPES } from '../lib/contracts/machine-types';
import { CALICO_PODS, DATAPLANE_V2_PODS, clusterPoolCapacity, systemPods } from '../lib/contracts/system-pods';
import { LOAD_BALANCER_SERVICES } from '../lib/contracts/load-balancers';
import { PRIORITY_CLASSES, howToCreatePriorityClass } from '../lib/contracts/priority-classes';
import { howToCreateStorageClass } from '../lib/contracts/storage-classes';
import { DEFAULT_CONFIG, totalNodes } from '../infra/config';
import { MIN_NODE_COUNT } from '../infra/rules';
import { configFromEnv } from '../infra/settings';
import { CLUSTER_STACK, CONFIG_STACK } from '../infra/stacks';
import {
  BETA_CLASS_ANNOTATION,
  ChartDocs,
  capacityReport,
  loadBalancerFindings,
  poolFacts,
  priorityClassFindings,
  stackPriorityClasses,
  reservedKeys,
  stackStorageClasses,
  storageClassFindings,
} from './harness/contracts';
import { INFRA_VARIANTS, TerraformJson, resourcesOf, synthInfra } from './harness/infra';
import { K8sObject, synthTutorial, tempDir } from './harness';

// ---------------------------------------------------------------- the real outputs

const charts: ChartDocs[] = TUTORIAL_CHARTS.map((c) => ({ id: c.id, docs: synthTutorial(c.id).docs }));

describe('bare Pods, which no controller recreates', () => {
  const bare = charts.flatMap((c) => c.docs.filter((d) => d.kind === 'Pod').map((d) => [c.id, d] as const));

  it('name tutorials-bare-pod, so no tutorials-must-place Pod can preempt them, and preempt nothing', () => {
    expect(bare.map(([id, d]) => `${id}/${d.metadata.name}`).sort()).toEqual([
      'apparmor/hello-apparmor',
      'blog-networking/service-tut-client',
      'blog-storage/sidecar-logging',
      'kubia/kubia-manual-v2',
      'redis-config/redis',
    ]);
    expect(bare.filter(([, d]) => d.spec.priorityClassName !== 'tutorials-bare-pod')).toEqual([]);
    const classes = new Map(PRIORITY_CLASSES.map((c) => [c.name, c]));
    const barePod = classes.get('tutorials-bare-pod')!;
    const mustPlace = classes.get('tutorials-must-place')!;
    // The scheduler preempts only Pods of a lower priority than the preemptor's.
    expect(barePod.value).toBeGreaterThanOrEqual(mustPlace.value);
    expect(barePod.preemptionPolicy).toBe('Never');
  });
});
const { stacks } = synthInfra(DEFAULT_CONFIG);
const clusterStack = stacks[CLUSTER_STACK].parsed;
const pool = Object.values(resourcesOf(clusterStack, 'google_container_node_pool'))[0] as any;

/** Every variant of test/harness/infra.ts INFRA_VARIANTS (default, each posture setting, all on), synthesized once. */
const variants = Object.entries(INFRA_VARIANTS).map(([name, env]) => {
  const config = configFromEnv(env);
  const synthesized = synthInfra(config).stacks;
  return {
    name,
    config,
    all: Object.values(synthesized).map((s) => s.parsed),
    cluster: synthesized[CLUSTER_STACK].parsed,
  };
});

describe('contracts between the charts and the infrastructure stacks', () => {
  it('reads every registered chart and the synthesized node pool', () => {
    expect(charts.map((c) => c.id)).toEqual(TUTORIAL_CHARTS.map((c) => c.id));
    expect(charts.every((c) => c.docs.length > 0)).toBe(true);
    expect(typeof pool.node_config.machine_type).toBe('string');
    expect(variants.map((v) => v.name)).toEqual(
      expect.arrayContaining(['default', 'private-nodes', 'kms', 'network-policy', 'regional', 'all-on']),
    );
  });

  describe.each(variants)('variant $name', ({ name, config, all, cluster }) => {
    it('every storageClassName of a PVC or claim template is created by the stacks or provided by GKE', () => {
      expect(storageClassFindings(charts, stackStorageClasses(all))).toEqual([]);
      expect([...stackStorageClasses(all)]).toEqual(['fast']);
    });

    it('every priorityClassName is created by the stacks, with the values of the contract', () => {
      expect(priorityClassFindings(charts, stackPriorityClasses(all))).toEqual([]);
      expect([...stackPriorityClasses(all)]).toEqual([
        ['tutorials-bare-pod', { value: 1000, preemptionPolicy: 'Never' }],
        ['tutorials-must-place', { value: 1000, preemptionPolicy: 'PreemptLowerPriority' }],
      ]);
    });

    it('every LoadBalancer Service has a reserved address in the region, and no address is reserved for nothing', () => {
      expect(loadBalancerFindings(charts, LOAD_BALANCER_SERVICES, reservedKeys(cluster))).toEqual([]);
      // Network load balancers are regional: so are the addresses, for a zonal and a regional cluster alike.
      for (const a of Object.values(resourcesOf(cluster, 'google_compute_address')))
        expect(a.region).toBe(config.region);
    });

    it('the requests of all charts fit the node pool, and every required anti-affinity can be met', () => {
      const facts = poolFacts(cluster);
      expect(facts.nodes).toBe(totalNodes(config));
      expect(facts.nodes).toBeGreaterThanOrEqual(MIN_NODE_COUNT);
      const report = capacityReport(charts, facts.machineType, facts.nodes, facts.features, stackPriorityClasses(all));
      const f = (r: Resources) => `${(r.cpuMillis / 1000).toFixed(2)} CPU, ${(r.memoryMiB / 1024).toFixed(2)} GiB`;
      const lines = [
        `[${name}] capacity of ${facts.nodes} x ${facts.machineType}${facts.features.networkPolicy ? ' with Dataplane V2' : ''} (GKE allocatable ${f(report.capacity.perNodeAllocatable)} per node, minus system Pods):`,
        ...report.byChart
          .filter((c) => c.cpuMillis > 0 || c.memoryMiB > 0)
          .map((c) => `  ${c.chart.padEnd(22)} ${f(c)}`),
        `  requested by all charts ${f(report.requested)}`,
        `  left for the charts     ${f(report.capacity.forWorkloads)}`,
        `  headroom                ${f(report.headroom)} (${((100 * report.requested.cpuMillis) / report.capacity.forWorkloads.cpuMillis).toFixed(0)}% of CPU, ${((100 * report.requested.memoryMiB) / report.capacity.forWorkloads.memoryMiB).toFixed(0)}% of memory used)`,
        ...report.onePerNode.map(
          (d) => `  one Pod per node: ${d.chart} ${d.workload}, ${d.pods} replicas on ${facts.nodes} nodes`,
        ),
      ];
      console.log(lines.join('\n'));
      expect(report.findings).toEqual([]);
    });
  });

  it('the addresses from `cdktf output --outputs-file` reach every LoadBalancer Service as loadBalancerIP', () => {
    // The file as cdktf writes it: { <stack>: { <output name>: value } }, with the stack's real output name.
    const ips = Object.fromEntries(reservedKeys(clusterStack).map((k, i) => [k, `203.0.113.${i + 1}`]));
    const outputName = Object.keys(clusterStack.output!).find((n) => n.endsWith('addresses'))!;
    const file = path.join(tempDir('outputs-'), 'outputs.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ [CLUSTER_STACK]: { cluster_name: 'tutorials', [outputName]: ips }, 'tutorials-gke-config': {} }),
    );
    const settings = settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: file });
    expect(settings.loadBalancerAddresses).toEqual(ips);
    const set: string[] = [];
    for (const { id } of charts) {
      const lbs = synthTutorial(id, settings).docs.filter(
        (d) => d.kind === 'Service' && d.spec?.type === 'LoadBalancer',
      );
      for (const s of lbs) {
        expect([`${id}/${s.metadata.name}`, s.spec.loadBalancerIP]).toEqual([
          `${id}/${s.metadata.name}`,
          ips[`${id}/${s.metadata.name}`],
        ]);
        set.push(`${id}/${s.metadata.name}`);
      }
    }
    // Every address in the file reached a Service (not vacuous when no Service or key matched).
    expect(set.sort()).toEqual(Object.keys(ips).sort());
  });
});

// ---------------------------------------------------------------- the checks catch their mistakes

const pvc = (name: string, storageClassName?: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { storageClassName },
});
const sts = (name: string, cls: string): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name },
  spec: {
    replicas: 1,
    template: { metadata: { labels: { app: name } }, spec: { containers: [] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: cls } }],
  },
});
const service = (name: string, type: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { type },
});
const deployment = (name: string, replicas: number, requests: Record<string, string>, extra: any = {}): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'c', resources: { requests } }], ...extra },
    },
  },
});

describe('storage class check', () => {
  it('flags a class neither the stacks create nor GKE provides, in a PVC and in a claim template', () => {
    const findings = storageClassFindings([{ id: 'x', docs: [pvc('a', 'ssd'), sts('db', 'fast')] }], new Set());
    expect(findings).toEqual([
      'x: PersistentVolumeClaim/a uses storageClassName "ssd", which the infrastructure stack does not create and GKE does not provide (standard-rwo, premium-rwo, standard)',
      'x: StatefulSet/db claim template data uses storageClassName "fast", which the infrastructure stack does not create and GKE does not provide (standard-rwo, premium-rwo, standard)',
    ]);
  });

  it('accepts stack classes, GKE classes, the default class, and reads the beta annotation', () => {
    const annotated: K8sObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'b', annotations: { [BETA_CLASS_ANNOTATION]: 'nope' } },
      spec: {},
    };
    expect(
      storageClassFindings(
        [{ id: 'x', docs: [pvc('a', 'fast'), pvc('c', 'premium-rwo'), pvc('d')] }],
        new Set(['fast']),
      ),
    ).toEqual([]);
    expect(storageClassFindings([{ id: 'x', docs: [annotated] }], new Set(['fast']))).toHaveLength(1);
  });

  it('flags a chart StorageClass that clashes with a stack class', () => {
    const sc: K8sObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' } };
    expect(storageClassFindings([{ id: 'x', docs: [sc, pvc('a', 'fast')] }], new Set(['fast']))).toEqual([
      'x: StorageClass/fast is also created by the infrastructure stack',
    ]);
  });

  it('reads the class names from the synthesized stacks', () => {
    expect([...stackStorageClasses(Object.values(stacks).map((x) => x.parsed))]).toEqual(['fast']);
  });
});

describe('how a user gets a storage class a chart names but does not write', () => {
  it.each([
    [
      'fast',
      'the infrastructure stack creates "fast" on GKE (pd.csi.storage.gke.io, type pd-ssd; npm run synth:infra, then cdktf deploy; decision D7); on other clusters let the chart write a StorageClass (its storage class props)',
    ],
    ['standard-rwo', 'GKE provides "standard-rwo" on every cluster'],
    ['premium-rwo', 'GKE provides "premium-rwo" on every cluster'],
    ['standard', 'GKE provides "standard" on every cluster'],
    ['local-path', 'kubectl get storageclass local-path (it must exist on the cluster)'],
  ])('%s: %s', (name, how) => {
    expect(howToCreateStorageClass(name)).toBe(how);
  });
});

describe('load balancer check', () => {
  const docs = [service('lb', 'LoadBalancer'), service('np', 'NodePort')];

  it('passes when the Service, the registry and the stack agree', () => {
    expect(loadBalancerFindings([{ id: 'x', docs }], [{ chart: 'x', service: 'lb' }], ['x/lb'])).toEqual([]);
  });

  it('flags an unregistered LoadBalancer Service without an address', () => {
    expect(loadBalancerFindings([{ id: 'x', docs }], [], [])).toEqual([
      'LoadBalancer Service x/lb is not in LOAD_BALANCER_SERVICES (lib/contracts/load-balancers.ts)',
      'LoadBalancer Service x/lb has no reserved address in the tutorials-gke stack',
    ]);
  });

  it('flags a registry entry and an address that match no Service', () => {
    expect(
      loadBalancerFindings(
        [{ id: 'x', docs }],
        [
          { chart: 'x', service: 'lb' },
          { chart: 'x', service: 'np' },
        ],
        ['x/lb', 'y/gone'],
      ),
    ).toEqual([
      'LOAD_BALANCER_SERVICES entry x/np matches no LoadBalancer Service of the charts',
      'the tutorials-gke stack reserves an address for y/gone, which is no LoadBalancer Service of the charts',
    ]);
  });
});

describe('capacity check', () => {
  it('sums requests x replicas (requests default to limits; init containers count by their maximum) and DaemonSets x nodes', () => {
    const limitsOnly = deployment('l', 2, {});
    limitsOnly.spec.template.spec.containers[0].resources = { limits: { cpu: '250m', memory: '128Mi' } };
    const withInit = deployment(
      'i',
      1,
      { cpu: '100m', memory: '64Mi' },
      { initContainers: [{ name: 'init', resources: { requests: { cpu: '1', memory: '32Mi' } } }] },
    );
    const ds: K8sObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd' },
      spec: {
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'c', resources: { requests: { cpu: '10m', memory: '1Gi' } } }] },
        },
      },
    };
    const r = capacityReport([{ id: 'x', docs: [limitsOnly, withInit, ds] }], 'e2-standard-2', 4);
    expect(r.requested.cpuMillis).toBeCloseTo(2 * 250 + 1000 + 4 * 10, 6);
    expect(r.requested.memoryMiB).toBeCloseTo(2 * 128 + 64 + 4 * 1024, 6);
    expect(r.findings).toEqual([]);
  });

  it('adds sidecar init containers (restartPolicy: Always) to the containers, and to the init containers after them', () => {
    const pod = (initContainers: any[]): K8sObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { initContainers, containers: [{ name: 'c', resources: { requests: { cpu: '100m', memory: '100Mi' } } }] },
    });
    const sidecar = { name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '50m', memory: '300Mi' } } };
    const init = { name: 'i', resources: { requests: { cpu: '120m', memory: '10Mi' } } };
    // containers 100m + sidecar 50m = 150m; init after the sidecar 120m + 50m = 170m; memory 100 + 300 = 400 Mi.
    const after = capacityReport([{ id: 'x', docs: [pod([sidecar, init])] }], 'e2-standard-2', 4).requested;
    expect([after.cpuMillis, after.memoryMiB]).toEqual([170, 400]);
    // init before the sidecar runs alone: 120m; the containers with the sidecar: 150m.
    const before = capacityReport([{ id: 'x', docs: [pod([init, sidecar])] }], 'e2-standard-2', 4).requested;
    expect([before.cpuMillis, before.memoryMiB]).toEqual([150, 400]);
  });

  it('flags requests that exceed the pool', () => {
    const r = capacityReport(
      [{ id: 'x', docs: [deployment('big', 20, { cpu: '500m', memory: '2Gi' })] }],
      'e2-standard-2',
      4,
    );
    expect(r.findings).toEqual([
      'CPU: the charts request 10000m, the pool leaves 5620m',
      'memory: the charts request 40960 MiB, the pool leaves 21718 MiB',
    ]);
  });

  it('flags a Pod larger than one node', () => {
    const r = capacityReport([{ id: 'x', docs: [deployment('wide', 1, { cpu: '1800m' })] }], 'e2-standard-2', 4);
    expect(r.findings).toEqual([
      'x: a Pod of Deployment/wide requests 1800m/0 MiB, more than one e2-standard-2 node leaves (1580m/5592 MiB)',
    ]);
  });

  it('flags required hostname anti-affinity with more replicas than nodes, and ignores preferred or foreign selectors', () => {
    const affinity = (required: boolean, app: string) => ({
      affinity: {
        podAntiAffinity: {
          [required
            ? 'requiredDuringSchedulingIgnoredDuringExecution'
            : 'preferredDuringSchedulingIgnoredDuringExecution']: [
            {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [app] }] },
            },
          ],
        },
      },
    });
    const zk = deployment('zk', 5, { cpu: '100m' }, affinity(true, 'zk'));
    const preferred = deployment('p', 5, { cpu: '100m' }, affinity(false, 'p'));
    const foreign = deployment('f', 5, { cpu: '100m' }, affinity(true, 'other'));
    expect(capacityReport([{ id: 'x', docs: [zk, preferred, foreign] }], 'e2-standard-2', 4).findings).toEqual([
      'x: Deployment/zk has 5 replicas and required anti-affinity on kubernetes.io/hostname, but the pool has 4 nodes',
    ]);
    expect(capacityReport([{ id: 'x', docs: [zk] }], 'e2-standard-2', 5).findings).toEqual([]);
  });
});

describe("capacity with the cluster's features", () => {
  const e2 = MACHINE_TYPES.get('e2-standard-2')!;

  it('is the plain model without features, whatever its figures', () => {
    expect(clusterPoolCapacity(e2, 4)).toEqual(poolCapacity(e2, 4));
    expect(systemPods({ networkPolicy: false })).toEqual(systemPods());
  });

  it("puts Dataplane V2's anetd in place of kube-proxy on every node with network policy: 4 x (150m - 100m) less CPU", () => {
    const plain = clusterPoolCapacity(e2, 4).forWorkloads;
    const dpv2 = clusterPoolCapacity(e2, 4, { networkPolicy: true }).forWorkloads;
    expect(plain.cpuMillis - dpv2.cpuMillis).toBeCloseTo(4 * (150 - 100), 6);
    expect(plain.memoryMiB - dpv2.memoryMiB).toBeCloseTo(4 * 200, 6);
    expect(DATAPLANE_V2_PODS.kubeProxyPerNode.cpuMillis).toBe(100); // the kube-proxy share of SYSTEM_PODS
  });

  it("costs the pool less than Calico's Pods did, which needed a fifth node: 200m against 1400m on four nodes", () => {
    const plain = clusterPoolCapacity(e2, 4).forWorkloads.cpuMillis;
    const dpv2 = clusterPoolCapacity(e2, 4, { networkPolicy: true }).forWorkloads.cpuMillis;
    const calico = 4 * CALICO_PODS.perNode.cpuMillis + CALICO_PODS.perCluster.cpuMillis;
    expect([plain - dpv2, calico]).toEqual([200, 1400]);
  });

  it('flags requests that fit a plain pool but not one with Dataplane V2', () => {
    // 5620m left on 4 plain e2-standard-2 nodes; 5620 - 200 = 5420m with Dataplane V2.
    const docs = [deployment('d', 11, { cpu: '500m' })];
    expect(capacityReport([{ id: 'x', docs }], 'e2-standard-2', 4).findings).toEqual([]);
    expect(capacityReport([{ id: 'x', docs }], 'e2-standard-2', 4, { networkPolicy: true }).findings).toEqual([
      'CPU: the charts request 5500m, the pool leaves 5420m',
    ]);
  });

  it("reads a regional pool's nodes as node_count per zone times its zones, and network policy from the cluster's datapath", () => {
    const stack = (pool: any, cluster: any = {}): TerraformJson => ({
      resource: {
        google_container_node_pool: { p: { node_config: { machine_type: 'e2-standard-2' }, ...pool } },
        google_container_cluster: { c: cluster },
      },
    });
    expect(poolFacts(stack({ node_count: 4 }))).toEqual({
      machineType: 'e2-standard-2',
      nodes: 4,
      features: { networkPolicy: false },
    });
    expect(
      poolFacts(stack({ node_count: 2, node_locations: ['a', 'b', 'c'] }, { datapath_provider: 'ADVANCED_DATAPATH' })),
    ).toEqual({ machineType: 'e2-standard-2', nodes: 6, features: { networkPolicy: true } });
    // Calico's setting alone is not this project's network policy path.
    expect(poolFacts(stack({ node_count: 4 }, { network_policy: { enabled: true } })).features).toEqual({
      networkPolicy: false,
    });
    expect(() => poolFacts({ resource: {} })).toThrow('expected one cluster and one node pool, found 0 and 0');
  });
});

describe('priority class check', () => {
  it('flags a priorityClassName the stacks do not create, and accepts the system classes', () => {
    const d = deployment('p', 1, { cpu: '10m' });
    d.spec.template.spec.priorityClassName = 'made-up';
    const sys = deployment('s', 1, { cpu: '10m' });
    sys.spec.template.spec.priorityClassName = 'system-node-critical';
    expect(priorityClassFindings([{ id: 'x', docs: [d, sys] }], new Map())).toEqual([
      'x: Deployment/p uses priorityClassName "made-up", which the infrastructure stack does not create',
    ]);
    expect(priorityClassFindings([{ id: 'x', docs: [d] }], new Map([['made-up', {}]]))).toEqual([]);
  });

  it.each(PRIORITY_CLASSES.map((spec) => [spec.name, spec]))(
    'tells a user without the infrastructure stack the kubectl command that creates %s as the stack does',
    (_, spec) => {
      const m = howToCreatePriorityClass(spec).match(
        new RegExp(
          `^kubectl create priorityclass (\\S+) --value=(\\d+) --preemption-policy=(\\S+) --description="([^"]+)" \\(the infrastructure stack ${CONFIG_STACK} creates it on GKE\\)$`,
        ),
      );
      expect(m && { name: m[1], value: Number(m[2]), preemptionPolicy: m[3], description: m[4] }).toEqual({
        name: spec.name,
        value: spec.value,
        preemptionPolicy: spec.preemptionPolicy,
        description: spec.description,
      });
    },
  );
});

describe('co-located replicas (required pod affinity to their own Pods)', () => {
  const classes = (value: number, preemptionPolicy = 'PreemptLowerPriority') =>
    new Map([['pair-colocated', { value, preemptionPolicy }]]);
  const coLocated = (priorityClassName?: string, cpu = '10m'): K8sObject => {
    const d = deployment('pair', 2, { cpu, memory: '32Mi' });
    d.spec.template.spec.affinity = {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            topologyKey: 'kubernetes.io/hostname',
            labelSelector: {
              matchLabels: { app: 'pair' },
              matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }],
            },
          },
        ],
      },
    };
    if (priorityClassName) d.spec.template.spec.priorityClassName = priorityClassName;
    return d;
  };

  it('flags co-located replicas without a PriorityClass that preempts (the stranded second replica)', () => {
    const finding =
      'x: Deployment/pair keeps its 2 replicas on one node (required pod affinity) without a PriorityClass that preempts lower-priority Pods: a replica is stranded when that node is full';
    expect(capacityReport([{ id: 'x', docs: [coLocated()] }], 'e2-standard-2', 4).findings).toEqual([finding]);
    const pair = [{ id: 'x', docs: [coLocated('pair-colocated')] }];
    expect(capacityReport(pair, 'e2-standard-2', 4, {}, classes(1000, 'Never')).findings).toEqual([finding]);
    expect(capacityReport(pair, 'e2-standard-2', 4, {}, classes(0)).findings).toEqual([finding]);
    expect(capacityReport(pair, 'e2-standard-2', 4, {}, classes(1000)).findings).toEqual([]);
  });

  it('flags a group that does not fit one node next to the DaemonSets', () => {
    const ds = deployment('agent', 1, { cpu: '300m', memory: '32Mi' });
    ds.kind = 'DaemonSet';
    const r = capacityReport(
      [{ id: 'x', docs: [coLocated('pair-colocated', '700m'), ds] }],
      'e2-standard-2',
      4,
      {},
      classes(1000),
    );
    expect(r.findings).toEqual([
      'x: the 2 co-located replicas of Deployment/pair (1400m/64 MiB) and every DaemonSet (300m/32 MiB) do not fit one e2-standard-2 node (1580m/5592 MiB)',
    ]);
  });

  it('asks for headroom that holds the largest lower-priority Pod preemption may displace, DaemonSets aside', () => {
    const big = deployment('big', 1, { cpu: '600m', memory: '64Mi' });
    const filler = deployment('filler', 10, { cpu: '450m', memory: '32Mi' }); // 4500m of 5620m
    const agent = deployment('agent', 1, { cpu: '1', memory: '32Mi' }); // a DaemonSet: never displaced elsewhere
    agent.kind = 'DaemonSet';
    const docs = [coLocated('pair-colocated'), big, filler];
    const r = capacityReport([{ id: 'x', docs }], 'e2-standard-2', 4, {}, classes(1000));
    expect(r.preemptionRoom).toEqual({ cpuMillis: 600, memoryMiB: 64 });
    expect(r.findings).toEqual([
      "preemption: a Pod with a preempting PriorityClass may displace a Pod of up to 600m/64 MiB, but the pool's headroom is 500m/21270 MiB",
    ]);
    // A Pod of the same priority is no victim: with `big` at 1000 too, the largest victim is 450m.
    big.spec.template.spec.priorityClassName = 'pair-colocated';
    expect(capacityReport([{ id: 'x', docs }], 'e2-standard-2', 4, {}, classes(1000)).preemptionRoom).toEqual({
      cpuMillis: 450,
      memoryMiB: 32,
    });
    expect(
      capacityReport([{ id: 'x', docs: [...docs, agent] }], 'e2-standard-2', 4, {}, classes(1000)).preemptionRoom,
    ).toEqual({ cpuMillis: 450, memoryMiB: 32 });
  });
});
