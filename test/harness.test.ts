import { ExternalObject } from '../lib/internal/external';
import { K8sObject, RULES, checkDocuments, clientModel, namespaceFindings, scopeOf, withEnv } from './harness';

/**
 * Each harness rule is shown catching the mistake it claims to catch, on a minimal chart that
 * is correct except for that mistake, and shown passing the corrected chart.
 */
const REQUESTS = { requests: { cpu: '10m', memory: '32Mi' } };
const deployment = (labels: Record<string, string>, ports: object[] = [], extra: object = {}): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: { containers: [{ name: 'web', image: 'nginx:1.28', ports, resources: REQUESTS }], ...extra },
    },
  },
});
const service = (
  selector: Record<string, string> | undefined,
  ports: object[] = [{ port: 80 }],
  extra: object = {},
): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { selector, ports, ...extra },
});
const statefulSet = (serviceName: string | undefined, labels = { app: 'db' }): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db' },
  spec: {
    serviceName,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'redis:7', resources: REQUESTS }] } },
  },
});

const only = (rule: keyof typeof RULES, docs: K8sObject[], external: ExternalObject[] = []) =>
  RULES[rule](docs, { external });

describe('schema', () => {
  it('rejects a malformed quantity, a missing required field and a wrong type', () => {
    const bad = deployment({ app: 'web' });
    bad.spec.template.spec.containers[0].resources = { requests: { memory: '20 GB' } };
    expect(only('schema', [bad])[0].message).toMatch(/quantity/);
    const noSelector = deployment({ app: 'web' });
    delete noSelector.spec.selector;
    expect(only('schema', [noSelector])[0].message).toMatch(/required property '?selector/);
    const stringReplicas = deployment({ app: 'web' });
    stringReplicas.spec.replicas = '2';
    expect(only('schema', [stringReplicas])[0].message).toMatch(/replicas must be integer/);
  });
  it('rejects a kind the 1.27 API does not have', () => {
    expect(only('schema', [{ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }])).toHaveLength(1);
  });
  it('accepts a valid object', () => {
    expect(only('schema', [deployment({ app: 'web' })])).toEqual([]);
  });
});

describe('unknown-fields', () => {
  it('catches a misspelt field at any depth, and a field newer than 1.27', () => {
    const d = deployment({ app: 'web' }, [{ containerPort: 80, nmae: 'http' }]);
    d.spec.template.spec.containers[0].imagePullPolicyy = 'IfNotPresent';
    d.spec.template.spec.securityContext = { appArmorProfile: { type: 'RuntimeDefault' } };
    expect(only('unknown-fields', [d]).map((f) => f.message.split("'")[1])).toEqual([
      'spec.template.spec.containers[0].ports[0].nmae',
      'spec.template.spec.containers[0].imagePullPolicyy',
      'spec.template.spec.securityContext.appArmorProfile',
    ]);
  });
  it('accepts free-form maps (labels, data) and IntOrString values', () => {
    const svc = service({ app: 'web' }, [{ port: 80, targetPort: 'http', name: 'web' }]);
    svc.metadata.labels = { 'anything.example.com/key': 'v' };
    const cm: K8sObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { 'default.conf': 'x' },
    };
    expect(only('unknown-fields', [deployment({ app: 'web' }), svc, cm])).toEqual([]);
  });
  it('finds every client-node model the package index exports, each from its own file', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const index = require('@kubernetes/client-node/dist/gen/model/models') as Record<string, unknown>;
    const names = Object.keys(index).filter(
      (k) => /^[A-Z]/.test(k) && typeof index[k] === 'function' && 'attributeTypeMap' in (index[k] as object),
    );
    expect(names.length).toBeGreaterThan(500);
    expect(names.filter((n) => clientModel(n) !== index[n])).toEqual([]);
    expect(clientModel('V1NoSuchKind')).toBeUndefined();
  });
});

describe('api-version', () => {
  it('rejects removed beta APIs (decision D2)', () => {
    const old = { ...deployment({ app: 'web' }), apiVersion: 'extensions/v1beta1' };
    const pdb: K8sObject = {
      apiVersion: 'policy/v1beta1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'p' },
      spec: {},
    };
    expect(only('api-version', [old, pdb]).map((f) => f.object)).toEqual(['Deployment/web', 'PodDisruptionBudget/p']);
    expect(only('api-version', [deployment({ app: 'web' })])).toEqual([]);
  });
});

describe('service-selector', () => {
  it('catches a selector that matches no Pod template', () => {
    const findings = only('service-selector', [deployment({ app: 'web' }), service({ app: 'wbe' })]);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toMatch(/matches no Pod template/);
  });
  it('catches a selector that matches only part of the labels', () => {
    expect(
      only('service-selector', [deployment({ app: 'web' }), service({ app: 'web', tier: 'frontend' })]),
    ).toHaveLength(1);
  });
  it('catches a selector in another namespace', () => {
    const svc = service({ app: 'web' });
    svc.metadata.namespace = 'other';
    expect(only('service-selector', [deployment({ app: 'web' }), svc])).toHaveLength(1);
  });
  it('catches a selector-less Service without its own endpoints, and accepts one with them', () => {
    expect(only('service-selector', [service(undefined)])).toHaveLength(1);
    const endpoints: K8sObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' } };
    expect(only('service-selector', [service(undefined), endpoints])).toEqual([]);
  });
  it('accepts a matching selector and an ExternalName Service', () => {
    expect(only('service-selector', [deployment({ app: 'web', tier: 'x' }), service({ app: 'web' })])).toEqual([]);
    expect(
      only('service-selector', [service(undefined, [], { type: 'ExternalName', externalName: 'example.com' })]),
    ).toEqual([]);
  });
});

describe('target-port-name', () => {
  it('catches a named targetPort that no selected container declares', () => {
    const docs = [
      deployment({ app: 'web' }, [{ containerPort: 80, name: 'http' }]),
      service({ app: 'web' }, [{ port: 80, targetPort: 'htpp' }]),
    ];
    expect(only('target-port-name', docs)[0].message).toMatch(/'htpp'/);
  });
  it('accepts a declared port name and numeric target ports', () => {
    const docs = [
      deployment({ app: 'web' }, [{ containerPort: 80, name: 'http' }]),
      service({ app: 'web' }, [
        { port: 80, targetPort: 'http' },
        { port: 81, targetPort: 80 },
      ]),
    ];
    expect(only('target-port-name', docs)).toEqual([]);
  });
});

describe('statefulset-service', () => {
  const headless = (name: string, selector: Record<string, string> = { app: 'db' }): K8sObject => ({
    ...service(selector, [{ port: 6379 }], { clusterIP: 'None' }),
    metadata: { name },
  });
  it('catches a missing, non-headless or non-selecting governing Service', () => {
    expect(only('statefulset-service', [statefulSet('db')])[0].message).toMatch(/names no Service/);
    expect(
      only('statefulset-service', [statefulSet('db'), { ...service({ app: 'db' }), metadata: { name: 'db' } }])[0]
        .message,
    ).toMatch(/not headless/);
    expect(only('statefulset-service', [statefulSet('db'), headless('db', { app: 'other' })])[0].message).toMatch(
      /does not select/,
    );
    expect(only('statefulset-service', [statefulSet(undefined)])[0].message).toMatch(/no serviceName/);
  });
  it('accepts a headless Service that selects the Pods', () => {
    expect(only('statefulset-service', [statefulSet('db'), headless('db')])).toEqual([]);
  });
});

describe('references', () => {
  it('catches a PriorityClass that nothing creates (the API server refuses the Pod), cluster-scoped, and accepts the system classes', () => {
    const pod = deployment({ app: 'web' }, [], { priorityClassName: 'tutorials-must-place' });
    expect(only('references', [pod]).map((f) => f.message)).toEqual([
      "uses PriorityClass 'tutorials-must-place' in namespace 'default', which the chart neither writes nor declares as created outside it",
    ]);
    const declared = {
      kind: 'PriorityClass' as const,
      name: 'tutorials-must-place',
      howToCreate: 'kubectl create priorityclass ...',
    };
    expect(only('references', [{ ...pod, metadata: { name: 'web', namespace: 'other' } }], [declared])).toEqual([]);
    expect(only('references', [deployment({ app: 'web' }, [], { priorityClassName: 'system-node-critical' })])).toEqual(
      [],
    );
  });

  const withVolumes = deployment({ app: 'web' }, [], {
    volumes: [
      { name: 'a', secret: { secretName: 'tls' } },
      { name: 'b', configMap: { name: 'conf' } },
      { name: 'c', persistentVolumeClaim: { claimName: 'data' } },
    ],
  });
  it('catches a Secret, ConfigMap and PVC that nothing creates', () => {
    expect(only('references', [withVolumes]).map((f) => f.message.split(' in ')[0])).toEqual([
      "uses Secret 'tls'",
      "uses ConfigMap 'conf'",
      "uses PersistentVolumeClaim 'data'",
    ]);
  });
  it('catches env and envFrom references and a missing ServiceAccount', () => {
    const d = deployment({ app: 'web' }, [], { serviceAccountName: 'robot' });
    d.spec.template.spec.containers[0].env = [
      { name: 'P', valueFrom: { secretKeyRef: { name: 'pass', key: 'password' } } },
    ];
    d.spec.template.spec.containers[0].envFrom = [{ configMapRef: { name: 'settings' } }];
    expect(
      only('references', [d])
        .map((f) => f.message.split(' in ')[0])
        .sort(),
    ).toEqual(["uses ConfigMap 'settings'", "uses Secret 'pass'", "uses ServiceAccount 'robot'"]);
  });
  it('accepts objects in the chart and objects declared as created outside it', () => {
    const docs: K8sObject[] = [
      withVolumes,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' } },
    ];
    expect(only('references', docs, [{ kind: 'Secret', name: 'tls', howToCreate: 'kubectl create secret' }])).toEqual(
      [],
    );
  });
  it('does not accept an external declaration for another namespace', () => {
    const docs: K8sObject[] = [
      withVolumes,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' } },
    ];
    expect(
      only('references', docs, [{ kind: 'Secret', name: 'tls', namespace: 'prod', howToCreate: '' }]),
    ).toHaveLength(1);
  });
  it('catches an object of the same name that sits in another namespace', () => {
    const prod = deployment({ app: 'web' }, [], { volumes: [{ name: 'b', configMap: { name: 'conf' } }] });
    prod.metadata.namespace = 'prod';
    const confInDefault: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' } };
    expect(only('references', [prod, confInDefault]).map((f) => f.message)).toEqual([
      "uses ConfigMap 'conf' in namespace 'prod', which the chart neither writes nor declares as created outside it",
    ]);
    const confInProd: K8sObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'conf', namespace: 'prod' },
    };
    expect(only('references', [prod, confInProd])).toEqual([]);
  });
  it('accepts optional references to objects nothing creates (the kubelet starts the Pod without them)', () => {
    const d = deployment({ app: 'web' }, [], {
      volumes: [
        { name: 'a', secret: { secretName: 'tls', optional: true } },
        { name: 'b', configMap: { name: 'conf', optional: true } },
      ],
    });
    d.spec.template.spec.containers[0].env = [
      { name: 'P', valueFrom: { secretKeyRef: { name: 'pass', key: 'password', optional: true } } },
    ];
    d.spec.template.spec.containers[0].envFrom = [{ configMapRef: { name: 'settings', optional: true } }];
    expect(only('references', [d])).toEqual([]);
  });
  it('accepts claims from volumeClaimTemplates', () => {
    const sts = statefulSet('db');
    sts.spec.volumeClaimTemplates = [{ metadata: { name: 'data' } }];
    sts.spec.template.spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }];
    expect(only('references', [sts])).toEqual([]);
  });
});

describe('names', () => {
  it('catches a cdk8s hash suffix', () => {
    const d = deployment({ app: 'web' });
    d.metadata.name = 'my-nginx-c8a1b2c3';
    expect(only('names', [d])[0].message).toMatch(/hash suffix/);
  });
  it('catches invalid DNS names, including a Service name that is not an RFC 1035 label', () => {
    const d = deployment({ app: 'web' });
    d.metadata.name = 'My_Nginx';
    const svc = service({ app: 'web' });
    svc.metadata.name = '1st-service';
    expect(only('names', [d, svc]).map((f) => f.object)).toEqual(['Deployment/My_Nginx', 'Service/1st-service']);
  });
  it('catches a StatefulSet name longer than 52 characters, and accepts one of exactly 52', () => {
    const long = statefulSet('db');
    long.metadata.name = 'a'.repeat(53);
    expect(only('names', [long]).map((f) => f.message)).toEqual([
      `StatefulSet name '${'a'.repeat(53)}' is longer than 52 characters, so its Pods' controller-revision-hash label would overflow`,
    ]);
    const limit = statefulSet('db');
    limit.metadata.name = 'a'.repeat(52);
    expect(only('names', [limit])).toEqual([]);
  });
  it('accepts the tutorial names', () => {
    expect(only('names', [deployment({ app: 'web' }), service({ app: 'web' })])).toEqual([]);
  });
});

describe('dns-namespace', () => {
  const withEnv = (env: object[], namespace?: string): K8sObject => {
    const d = statefulSet('db');
    d.metadata.namespace = namespace;
    d.spec.template.spec.containers[0].env = env;
    return d;
  };
  it('catches a namespace spelt out in a DNS name of an object that has none (decision D1)', () => {
    const seeds = withEnv([{ name: 'SEEDS', value: 'db-0.db.default.svc.cluster.local' }]);
    expect(only('dns-namespace', [seeds]).map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^spec\.template\.spec\.containers\[0\]\.env\[0\]\.value names namespace 'default' in a DNS name/,
      ),
    ]);
    // Anywhere in the object, and the short `.svc` form too.
    const cm: K8sObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { 'a.yml': 'hosts: ["es.logging.svc:9200"]' },
    };
    expect(only('dns-namespace', [cm]).map((f) => f.message.split(' in ')[0])).toEqual([
      "data.a.yml names namespace 'logging'",
    ]);
  });
  it('catches $(VAR) used before, or without, its declaration in the env list', () => {
    const late = withEnv([
      { name: 'SEEDS', value: 'db-0.db.$(POD_NAMESPACE).svc.cluster.local' },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);
    expect(only('dns-namespace', [late]).map((f) => f.message)).toEqual([
      "container 'db' env SEEDS uses $(POD_NAMESPACE), which no earlier entry of its env list declares; Kubernetes leaves it unexpanded",
    ]);
  });
  it('accepts $(POD_NAMESPACE) declared first, short names, and a namespace the object itself names', () => {
    expect(
      only('dns-namespace', [
        withEnv([
          { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'SEEDS', value: 'db-0.db.$(POD_NAMESPACE).svc.cluster.local' },
          { name: 'PEER', value: 'db-1.db' },
        ]),
      ]),
    ).toEqual([]);
    expect(
      only('dns-namespace', [withEnv([{ name: 'SEEDS', value: 'db-0.db.ring.svc.cluster.local' }], 'ring')]),
    ).toEqual([]);
  });
});

describe('requests', () => {
  it('flags a container without a CPU or memory request (BestEffort), and counts a limit as the request', () => {
    const best = deployment({ app: 'web' });
    best.spec.template.spec.containers[0].resources = undefined;
    best.spec.template.spec.initContainers = [
      { name: 'init', image: 'busybox:1.28', resources: { limits: { cpu: '100m' }, requests: { memory: '8Mi' } } },
    ];
    expect(only('requests', [best]).map((f) => f.message)).toEqual([
      'container web requests no cpu (neither resources.requests.cpu nor a limit): its Pod would be BestEffort for cpu',
      'container web requests no memory (neither resources.requests.memory nor a limit): its Pod would be BestEffort for memory',
    ]);
    best.spec.template.spec.containers[0].resources = { requests: { cpu: '10m' }, limits: { memory: '64Mi' } };
    expect(only('requests', [best])).toEqual([]);
  });
});

describe('replica-spread and disruption-budget', () => {
  const labels = { app: 'web' };
  const replicated = (replicas: number, spec: object = {}): K8sObject => {
    const d = deployment(labels, [], spec);
    d.spec.replicas = replicas;
    return d;
  };
  const pdb = (name: string, selector: object, apiVersion = 'policy/v1'): K8sObject => ({
    apiVersion,
    kind: 'PodDisruptionBudget',
    metadata: { name },
    spec: { selector, maxUnavailable: 1 },
  });
  const spread = {
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: labels },
      },
    ],
  };

  it('flags replicas with nothing that spreads them over nodes, and accepts spread, anti-affinity or co-location', () => {
    expect(only('replica-spread', [replicated(2)]).map((f) => f.object)).toEqual(['Deployment/web']);
    expect(only('replica-spread', [replicated(1)])).toEqual([]);
    expect(only('replica-spread', [replicated(3, spread)])).toEqual([]);
    // A spread constraint on another topology, or selecting other Pods, does not count.
    const zone = {
      topologySpreadConstraints: [
        { ...spread.topologySpreadConstraints[0], topologyKey: 'topology.kubernetes.io/zone' },
      ],
    };
    expect(only('replica-spread', [replicated(3, zone)])).toHaveLength(1);
    const other = {
      topologySpreadConstraints: [
        { ...spread.topologySpreadConstraints[0], labelSelector: { matchLabels: { app: 'db' } } },
      ],
    };
    expect(only('replica-spread', [replicated(3, other)])).toHaveLength(1);
    const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } };
    expect(
      only('replica-spread', [
        replicated(3, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } }),
      ]),
    ).toEqual([]);
    expect(
      only('replica-spread', [
        replicated(3, {
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }],
            },
          },
        }),
      ]),
    ).toEqual([]);
    expect(
      only('replica-spread', [
        replicated(2, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } }),
      ]),
    ).toEqual([]);
  });

  it('flags a replicated workload without a budget, a misnamed or beta one, and one that is not exactly its Pod labels', () => {
    const w = replicated(2, spread);
    expect(only('disruption-budget', [w]).map((f) => f.message)).toEqual([
      'no PodDisruptionBudget selects its Pods: a drain may evict all 2 at once',
    ]);
    expect(only('disruption-budget', [w, pdb('web-pdb', { matchLabels: labels })])).toEqual([]);
    expect(
      only('disruption-budget', [w, pdb('budget', { matchLabels: labels }, 'policy/v1beta1')]).map((f) => f.message),
    ).toEqual([
      'PodDisruptionBudget/budget is policy/v1beta1, not policy/v1',
      'PodDisruptionBudget/budget should be named web-pdb, after the workload',
    ]);
    // Not exactly the Pod labels (an extra expression).
    const extra = pdb('web-pdb', { matchLabels: labels, matchExpressions: [{ key: 'app', operator: 'Exists' }] });
    expect(only('disruption-budget', [w, extra]).map((f) => f.message)).toEqual([
      'PodDisruptionBudget/web-pdb selects {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"app","operator":"Exists"}]}, not exactly the Pod labels {"app":"web"}',
    ]);
    // Broader than the Pod labels: it also counts another workload's Pods (one replica, no budget of its own).
    const front = deployment({ ...labels, tier: 'front' }, [], spread);
    front.metadata.name = 'front';
    front.spec.replicas = 2;
    const single = replicated(1);
    expect(
      only('disruption-budget', [front, single, pdb('front-pdb', { matchLabels: labels })]).map((f) => f.message),
    ).toEqual([
      'PodDisruptionBudget/front-pdb selects {"matchLabels":{"app":"web"}}, not exactly the Pod labels {"app":"web","tier":"front"}',
      'PodDisruptionBudget/front-pdb also selects the Pods of Deployment/web',
    ]);
  });
});

describe('namespace-scope', () => {
  it('knows the scope of kinds from the 1.27 API', () => {
    expect(['Pod', 'Service', 'EndpointSlice', 'PersistentVolumeClaim', 'RoleBinding'].map(scopeOf)).toEqual(
      Array(5).fill('namespaced'),
    );
    expect(['Namespace', 'StorageClass', 'PersistentVolume', 'ClusterRole', 'PriorityClass'].map(scopeOf)).toEqual(
      Array(5).fill('cluster'),
    );
    expect(scopeOf('Deploymnet')).toBeUndefined();
  });
  it('catches a cluster-scoped object that names a namespace, and a kind of unknown scope', () => {
    const sc: K8sObject = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast', namespace: 'web' },
      provisioner: 'pd.csi.storage.gke.io',
    };
    expect(only('namespace-scope', [sc]).map((f) => f.message)).toEqual([
      "StorageClass is cluster-scoped, but the object names namespace 'web'",
    ]);
    expect(only('namespace-scope', [{ apiVersion: 'v1', kind: 'Podd', metadata: { name: 'x' } }])).toHaveLength(1);
  });
  it('accepts a cluster-scoped object without a namespace and namespaced ones with or without one', () => {
    const sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' } };
    const web = deployment({ app: 'web' });
    web.metadata.namespace = 'web';
    expect(only('namespace-scope', [sc, web, service({ app: 'web' })])).toEqual([]);
  });
});

describe('namespace', () => {
  const inNs = (o: K8sObject, namespace?: string): K8sObject => ({ ...o, metadata: { ...o.metadata, namespace } });
  it('catches a namespaced object outside the expected namespace, and one left in default', () => {
    const docs = [inNs(service({ app: 'web' }), 'web'), inNs(deployment({ app: 'web' }), 'other'), deployment({})];
    expect(namespaceFindings(docs, 'web').map((f) => `${f.object}: ${f.message}`)).toEqual([
      "Deployment/other/web: is in namespace 'other', not in 'web' where its construct was placed",
      "Deployment/web: is in namespace 'default', not in 'web' where its construct was placed",
    ]);
  });
  it('accepts every namespaced object in the namespace, cluster-scoped ones anywhere, and no namespace as default', () => {
    const sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' } };
    expect(namespaceFindings([inNs(service({ app: 'web' }), 'web'), sc], 'web')).toEqual([]);
    expect(namespaceFindings([service({ app: 'web' }), inNs(deployment({}), 'default')], 'default')).toEqual([]);
  });
});

describe('reserved-labels', () => {
  const slice = (labels: Record<string, string>): K8sObject => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-1', labels },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['192.0.2.10'] }],
  });
  it("catches a hand-written EndpointSlice that claims the EndpointSlice controllers' managed-by", () => {
    for (const controller of ['endpointslice-controller.k8s.io', 'endpointslicemirroring-controller.k8s.io']) {
      const found = only('reserved-labels', [
        slice({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': controller }),
      ]);
      expect(found.map((f) => f.message)).toEqual([
        `metadata.labels sets 'endpointslice.kubernetes.io/managed-by: ${controller}', a label reserved for objects managed by the EndpointSlice controllers`,
      ]);
    }
  });
  it('catches the labels the workload controllers put on the Pods they create, in a template or on an object', () => {
    for (const key of [
      'pod-template-hash',
      'controller-revision-hash',
      'statefulset.kubernetes.io/pod-name',
      'apps.kubernetes.io/pod-index',
      'controller-uid',
      'batch.kubernetes.io/controller-uid',
      'job-name',
      'batch.kubernetes.io/job-name',
      'batch.kubernetes.io/job-completion-index',
    ]) {
      const d = deployment({ app: 'web', [key]: 'x' });
      expect([key, only('reserved-labels', [d]).map((f) => f.message.split(',')[0])]).toEqual([
        key,
        [`spec.template.metadata.labels sets '${key}: x'`],
      ]);
      const own = { ...service({ app: 'web' }), metadata: { name: 'web', labels: { [key]: 'x' } } };
      expect(only('reserved-labels', [own])).toHaveLength(1);
    }
    const cron: K8sObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          metadata: { labels: { 'job-name': 'c' } },
          spec: { template: { metadata: { labels: { 'controller-uid': 'u' } }, spec: { containers: [] } } },
        },
      },
    };
    expect(only('reserved-labels', [cron]).map((f) => f.message.split(' sets ')[0])).toEqual([
      'spec.jobTemplate.metadata.labels',
      'spec.jobTemplate.spec.template.metadata.labels',
    ]);
  });
  it('accepts a slice that names its Service and its own manager, and ordinary app labels', () => {
    expect(
      only('reserved-labels', [
        slice({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'k8s-tutorials' }),
        deployment({ app: 'web', 'app.kubernetes.io/name': 'web' }),
      ]),
    ).toEqual([]);
  });
});

describe('checkDocuments', () => {
  it('runs every rule and reports every finding at once', () => {
    const bad = { ...service({ app: 'nothing' }, [{ port: 80, targetPort: 'none' }]), apiVersion: 'v1beta1' };
    const rules = new Set(checkDocuments([bad], { external: [] }).map((f) => f.rule));
    expect(rules).toEqual(new Set(['schema', 'api-version', 'service-selector', 'target-port-name']));
    const typo = deployment({ app: 'web' }, [], { restartPolicyy: 'Always' });
    expect(checkDocuments([typo], { external: [] }).map((f) => f.rule)).toEqual(['unknown-fields']);
  });
});

describe('withEnv', () => {
  it('sets and unsets variables for the function only, and restores them when it throws', () => {
    const key = 'HARNESS_WITH_ENV_TEST';
    const other = 'HARNESS_WITH_ENV_OTHER';
    expect(withEnv({ [key]: 'a', [other]: undefined }, () => [process.env[key], other in process.env])).toEqual([
      'a',
      false,
    ]);
    expect(key in process.env).toBe(false);
    expect(() =>
      withEnv({ [key]: 'b' }, () => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(key in process.env).toBe(false);
    withEnv({ [other]: 'kept' }, () => {
      withEnv({ [other]: undefined }, () => expect(other in process.env).toBe(false));
      expect(process.env[other]).toBe('kept');
    });
  });
});
