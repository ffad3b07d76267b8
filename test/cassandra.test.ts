import { Cassandra, CassandraProps, ZooKeeper, externalObjects } from '../lib';
import {
  K8sObject,
  findAll,
  findOne,
  harnessFindings,
  selectedPodTemplates,
  synthConstructs,
  synthTutorial,
} from './harness';

const parts = (docs: K8sObject[]) => {
  const sts = findOne(docs, 'StatefulSet', 'cassandra');
  const pod = sts.spec.template.spec;
  const container = pod.containers[0];
  const env = (name: string) => container.env.find((e: { name: string }) => e.name === name);
  return { sts, pod, container, env, svc: findOne(docs, 'Service', 'cassandra') };
};

/**
 * The DNS name a StatefulSet's Pod `ordinal` gets from its governing Service, read from the
 * output, in `namespace` (the object's own, else the one `kubectl apply -n` chose).
 */
function podDnsName(sts: K8sObject, ordinal: number, namespace = sts.metadata.namespace ?? 'default'): string {
  return `${sts.metadata.name}-${ordinal}.${sts.spec.serviceName}.${namespace}.svc.cluster.local`;
}

/** An env value as the kubelet expands it: `$(VAR)` from earlier entries of the same list. */
function expandedEnv(
  env: Array<{ name: string; value?: string; valueFrom?: any }>,
  name: string,
  fieldValues: Record<string, string>,
): string {
  const known = new Map<string, string>();
  for (const e of env) {
    const value =
      e.value !== undefined
        ? e.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v) => known.get(v) ?? m)
        : (fieldValues[e.valueFrom?.fieldRef?.fieldPath] ?? '');
    if (e.name === name) return value;
    known.set(e.name, value);
  }
  throw new Error(`no env ${name}`);
}

describe('cassandra chart', () => {
  const result = synthTutorial('cassandra');
  const { docs, yaml } = result;
  const { sts, pod, container, env, svc } = parts(docs);

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('writes the Service and the StatefulSet, and leaves the StorageClass fast to the infrastructure stack (decision D7)', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Service/cassandra',
      'PodDisruptionBudget/cassandra-pdb',
      'StatefulSet/cassandra',
    ]);
    // fast and the PriorityClass of the ring members both come from the infrastructure stack (D7, D8).
    expect(externalObjects(result.chart)).toEqual([
      expect.objectContaining({ kind: 'StorageClass', name: 'fast' }),
      expect.objectContaining({ kind: 'PriorityClass', name: 'tutorials-must-place' }),
    ]);
  });

  it('has the headless Service cassandra on 9042, selecting app=cassandra and labelled for the cleanup', () => {
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.ports).toEqual([{ port: 9042, protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual({ app: 'cassandra' });
    expect(svc.metadata.labels).toEqual({ app: 'cassandra' });
    expect(selectedPodTemplates(docs, svc.spec.selector).map((p) => p.owner.metadata.name)).toEqual(['cassandra']);
  });

  it('runs 3 nodes under the Service cassandra, labelled so that `kubectl delete statefulset -l app=cassandra` finds it', () => {
    expect(sts.metadata.labels).toEqual({ app: 'cassandra' });
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('cassandra');
    expect(sts.spec.selector).toEqual({ matchLabels: { app: 'cassandra' } });
    expect(sts.spec.template.metadata.labels).toEqual({ app: 'cassandra' });
    expect(pod.terminationGracePeriodSeconds).toBe(1800);
    // "The StatefulSet resource deploys Pods sequentially": each node joins the ring before the next starts.
    expect(sts.spec.podManagementPolicy ?? 'OrderedReady').toBe('OrderedReady');
  });

  it("seeds every node from the first Pod's DNS name in whatever namespace `kubectl apply -n` chose (decision D1)", () => {
    // No namespace is fixed at synth time: the kubelet fills in the Pod's own.
    expect(sts.metadata.namespace).toBeUndefined();
    expect(env('CASSANDRA_SEEDS').value).toBe('cassandra-0.cassandra.$(POD_NAMESPACE).svc.cluster.local');
    expect(env('POD_NAMESPACE')).toEqual({
      name: 'POD_NAMESPACE',
      valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
    });
    for (const ns of ['default', 'cassandra-test']) {
      expect(expandedEnv(container.env, 'CASSANDRA_SEEDS', { 'metadata.namespace': ns })).toBe(podDnsName(sts, 0, ns));
    }
  });

  it("sets the environment that run.sh and the tutorial's `nodetool status` output rely on", () => {
    // POD_NAMESPACE precedes CASSANDRA_SEEDS: $(VAR) expands only from earlier entries.
    expect(container.env.map((e: { name: string }) => e.name)).toEqual([
      'MAX_HEAP_SIZE',
      'HEAP_NEWSIZE',
      'POD_NAMESPACE',
      'CASSANDRA_SEEDS',
      'CASSANDRA_CLUSTER_NAME',
      'CASSANDRA_DC',
      'CASSANDRA_RACK',
      'POD_IP',
    ]);
    expect(env('MAX_HEAP_SIZE').value).toBe('512M');
    expect(env('HEAP_NEWSIZE').value).toBe('100M');
    expect(env('CASSANDRA_CLUSTER_NAME').value).toBe('K8Demo');
    expect(env('CASSANDRA_DC').value).toBe('DC1-K8Demo');
    expect(env('CASSANDRA_RACK').value).toBe('Rack1-K8Demo');
    expect(env('POD_IP')).toEqual({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
  });

  it('runs the tutorial image with its four named ports and Guaranteed resources', () => {
    expect(container.name).toBe('cassandra');
    expect(container.image).toBe('gcr.io/google-samples/cassandra:v13');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort])).toEqual([
      ['intra-node', 7000],
      ['tls-intra-node', 7001],
      ['jmx', 7199],
      ['cql', 9042],
    ]);
    expect(container.resources).toEqual({
      limits: { cpu: '500m', memory: '1Gi' },
      requests: { cpu: '500m', memory: '1Gi' },
    });
  });

  it("has exactly the tutorial's security context: IPC_LOCK and nothing that stops run.sh as root (decision D5)", () => {
    expect(container.securityContext).toEqual({ capabilities: { add: ['IPC_LOCK'] } });
    // Pod level: only seccomp RuntimeDefault, which allows mlock; the container's
    // context is exactly the tutorial's.
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('drains the node before it stops', () => {
    expect(container.lifecycle).toEqual({ preStop: { exec: { command: ['/bin/sh', '-c', 'nodetool drain'] } } });
  });

  it('is Ready when /ready-probe.sh sees it Up/Normal, with no probe that kills a slow join (decision D5)', () => {
    expect(container.readinessProbe.exec).toEqual({ command: ['/bin/bash', '-c', '/ready-probe.sh'] });
    expect(container.readinessProbe.initialDelaySeconds).toBe(15);
    expect(container.readinessProbe.timeoutSeconds).toBeGreaterThanOrEqual(5);
    expect(container.livenessProbe).toBeUndefined();
    expect(container.startupProbe).toBeUndefined();
    // ready-probe.sh greps `nodetool status` for $POD_IP.
    expect(env('POD_IP')).toBeDefined();
  });

  it('claims 1Gi of class fast per node as cassandra-data, mounted at /cassandra_data', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'cassandra-data' },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
      },
    ]);
    expect(container.volumeMounts).toEqual([{ name: 'cassandra-data', mountPath: '/cassandra_data' }]);
  });
});

describe('cassandra-pdb: one node at a time through a drain', () => {
  // Other Pods in the same namespace must not be caught, ZooKeeper's among them.
  const result = synthConstructs((c) => {
    new Cassandra(c, 'cassandra');
    new ZooKeeper(c, 'zk');
  });
  const pdb = findOne(result.docs, 'PodDisruptionBudget', 'cassandra-pdb');

  it("is policy/v1 with maxUnavailable 1, labelled for the tutorial's `kubectl delete ... -l app=cassandra`", () => {
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'cassandra' } } });
    expect(pdb.metadata.labels).toEqual({ app: 'cassandra' });
    expect(harnessFindings(result)).toEqual([]);
  });

  it("selects the cassandra StatefulSet's Pods and nothing else", () => {
    expect(
      selectedPodTemplates(result.docs, pdb.spec.selector).map((p) => `${p.owner.kind}/${p.owner.metadata.name}`),
    ).toEqual(['StatefulSet/cassandra']);
  });

  it("is one prop away from the tutorial's objects", () => {
    const { docs } = synthConstructs((c) => new Cassandra(c, 'app', { podDisruptionBudget: false }));
    expect(findAll(docs, 'PodDisruptionBudget')).toEqual([]);
  });
});

describe('Cassandra props', () => {
  const synth = (props: CassandraProps) => {
    let cassandra!: Cassandra;
    const result = synthConstructs((c) => {
      cassandra = new Cassandra(c, 'app', props);
    });
    return { result, cassandra, ...parts(result.docs) };
  };

  it('follows the namespace in every object and in the seed DNS name (decision D1)', () => {
    const { result, cassandra, sts, env } = synth({ namespace: 'ring' });
    expect(harnessFindings(result)).toEqual([]);
    expect(new Set(result.docs.map((d) => d.metadata.namespace))).toEqual(new Set(['ring']));
    expect(env('CASSANDRA_SEEDS').value).toBe('cassandra-0.cassandra.ring.svc.cluster.local');
    expect(env('CASSANDRA_SEEDS').value).toBe(podDnsName(sts, 0));
    expect(cassandra.seedDnsName).toBe(env('CASSANDRA_SEEDS').value);
    // With the namespace fixed, the tutorial's literal env list, without POD_NAMESPACE.
    expect(env('POD_NAMESPACE')).toBeUndefined();
  });

  it("scales to 4 nodes as the tutorial's edit does, keeping cassandra-0 as the seed", () => {
    const { result, cassandra, sts } = synth({ replicas: 4 });
    expect(harnessFindings(result)).toEqual([]);
    expect(sts.spec.replicas).toBe(4);
    expect(cassandra.podDnsNames).toEqual([0, 1, 2, 3].map((i) => podDnsName(sts, i)));
    expect(
      expandedEnv(sts.spec.template.spec.containers[0].env, 'CASSANDRA_SEEDS', { 'metadata.namespace': 'default' }),
    ).toBe(podDnsName(sts, 0));
  });

  it("emits the tutorial's minikube class on request, cluster-scoped even with a namespace", () => {
    const { result, sts } = synth({ emitStorageClass: true, namespace: 'ring' });
    expect(harnessFindings(result)).toEqual([]);
    const sc = findOne(result.docs, 'StorageClass', 'fast');
    expect(sc).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast' },
      provisioner: 'k8s.io/minikube-hostpath',
      parameters: { type: 'pd-ssd' },
    });
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe(sc.metadata.name);
    // Only the ring members' PriorityClass stays external (decision D8).
    expect(externalObjects(result.chart).map((e) => e.kind)).toEqual(['PriorityClass']);
  });

  it('emits a class for another provisioner without the GCE-only pd-ssd parameter, under the chosen name', () => {
    const { result, sts } = synth({
      emitStorageClass: true,
      storageClassProvisioner: 'rancher.io/local-path',
      storageClassName: 'local-fast',
    });
    expect(harnessFindings(result)).toEqual([]);
    const sc = findOne(result.docs, 'StorageClass', 'local-fast');
    expect(sc.provisioner).toBe('rancher.io/local-path');
    expect(sc.parameters).toBeUndefined();
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('local-fast');
    const gke = synth({
      emitStorageClass: true,
      storageClassProvisioner: 'pd.csi.storage.gke.io',
      storageClassParameters: { type: 'pd-ssd' },
    });
    expect(findOne(gke.result.docs, 'StorageClass', 'fast')).toMatchObject({
      provisioner: 'pd.csi.storage.gke.io',
      parameters: { type: 'pd-ssd' },
    });
  });

  it('puts heap, resources, storage and grace period where the image and the API read them, and exposes them for capacity planning', () => {
    const { result, cassandra, sts, pod, container, env } = synth({
      cpu: '1',
      memory: '2Gi',
      maxHeapSize: '1G',
      heapNewSize: '200M',
      storageSize: '10Gi',
      terminationGracePeriodSeconds: 120,
    });
    expect(harnessFindings(result)).toEqual([]);
    expect(container.resources).toEqual({ limits: { cpu: '1', memory: '2Gi' }, requests: { cpu: '1', memory: '2Gi' } });
    expect([env('MAX_HEAP_SIZE').value, env('HEAP_NEWSIZE').value]).toEqual(['1G', '200M']);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(pod.terminationGracePeriodSeconds).toBe(120);
    expect(cassandra.requests).toEqual(container.resources.requests);
    expect(cassandra.storage).toEqual({ size: '10Gi', storageClassName: 'fast' });
    expect(cassandra.replicas).toBe(sts.spec.replicas);
  });

  it('keeps the tutorial image one prop away and honours the mirror setting', () => {
    const mirrored = synthConstructs((c) => {
      c.node.setContext('imageRegistry', 'mirror.example.com/gcr');
      new Cassandra(c, 'app');
    });
    expect(parts(mirrored.docs).container.image).toBe('mirror.example.com/gcr/google-samples/cassandra:v13');
    expect(Cassandra.IMAGE).toBe(Cassandra.TUTORIAL_IMAGE);
  });

  it('writes nothing but the class when emitting it and no other object is cluster-scoped', () => {
    const { result } = synth({ emitStorageClass: true, namespace: 'ring' });
    expect(findAll(result.docs, 'StorageClass')).toHaveLength(1);
    expect(result.docs.filter((d) => d.metadata.namespace === undefined).map((d) => d.kind)).toEqual(['StorageClass']);
  });

  it.each<[CassandraProps, RegExp]>([
    [{ replicas: 0 }, /Cassandra at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ memory: '1 Gi' }, /prop 'memory' is "1 Gi"; must be a Kubernetes quantity/],
    [{ cpu: 'half' }, /prop 'cpu' is "half"; must be a Kubernetes quantity/],
    [{ storageSize: 'big' }, /prop 'storageSize' is "big"; must be a Kubernetes quantity/],
    [
      { storageSize: '500m' },
      /Cassandra at 'test\/app': prop 'storageSize' is "500m"; must be a positive amount of storage/,
    ],
    [{ storageSize: '0Gi' }, /prop 'storageSize' is "0Gi"; must be a positive amount of storage/],
    [{ maxHeapSize: '2G' }, /prop 'maxHeapSize' is "2G"; must be smaller than memory \("1Gi", the container's limit\)/],
    [{ maxHeapSize: '1G' }, /prop 'maxHeapSize' is "1G"; must be smaller than memory/],
    [{ maxHeapSize: '512Mi' }, /prop 'maxHeapSize' is "512Mi"; must be a JVM memory size/],
    [{ heapNewSize: '600M' }, /prop 'heapNewSize' is "600M"; must be smaller than maxHeapSize \("512M"\)/],
    [
      { storageClassProvisioner: 'pd.csi.storage.gke.io' },
      /prop 'storageClassProvisioner' is "pd.csi.storage.gke.io"; only applies when emitStorageClass is true/,
    ],
    [
      { storageClassParameters: { type: 'pd-ssd' } },
      /prop 'storageClassParameters' is \{"type":"pd-ssd"\}; only applies when emitStorageClass is true/,
    ],
    [
      { emitStorageClass: true, storageClassProvisioner: 'Not A Provisioner' },
      /prop 'storageClassProvisioner' is "Not A Provisioner"; must be a provisioner name/,
    ],
    [{ storageClassName: 'Fast' }, /prop 'storageClassName' is "Fast"; must be an RFC 1123 subdomain/],
    [
      { terminationGracePeriodSeconds: -1 },
      /prop 'terminationGracePeriodSeconds' is -1; must be an integer between 0 and 86400/,
    ],
    [{ namespace: 'Ring' }, /prop 'namespace' is "Ring"; must be an RFC 1123 label/],
    [{ image: 'Not An Image' }, /prop 'image' is "Not An Image"; must be an image reference/],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new Cassandra(c, 'app', props))).toThrow(message);
  });
});
