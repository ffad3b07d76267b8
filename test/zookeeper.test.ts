import * as kplus from 'cdk8s-plus-27';
import { Cassandra, MUST_PLACE, ZooKeeper, ZooKeeperProps, addPriorityClasses } from '../lib';
import {
  K8sObject,
  findAll,
  findOne,
  harnessFindings,
  selectedPodTemplates,
  synthConstructs,
  synthTutorial,
} from './harness';

// The tutorial's command as `kubectl get sts zk -o yaml` prints it (seed S001:L5563-5585 and
// S000:L6-7): a YAML double-quoted scalar whose backslash line continuations parse to spaces.
const TUTORIAL_COMMAND =
  'start-zookeeper --servers=3 --data_dir=/var/lib/zookeeper/data ' +
  '--data_log_dir=/var/lib/zookeeper/data/log --conf_dir=/opt/zookeeper/conf --client_port=2181 ' +
  '--election_port=3888 --server_port=2888 --tick_time=2000 --init_limit=10 --sync_limit=5 ' +
  '--heap=512M --max_client_cnxns=60 --snap_retain_count=3 --purge_interval=12 ' +
  '--max_session_timeout=40000 --min_session_timeout=4000 --log_level=INFO';

/** `--name=value` flags of a start-zookeeper command line. */
function flags(command: string): Record<string, string> {
  return Object.fromEntries(
    command
      .split(' ')
      .slice(1)
      .map((f) => {
        const [k, val] = f.replace(/^--/, '').split('=');
        return [k, val];
      }),
  );
}

/** The DNS name a StatefulSet's Pod `ordinal` gets from its governing Service, read from the output. */
function podDnsName(sts: K8sObject, ordinal: number): string {
  return `${sts.metadata.name}-${ordinal}.${sts.spec.serviceName}.${sts.metadata.namespace ?? 'default'}.svc.cluster.local`;
}

const zkParts = (docs: K8sObject[]) => {
  const sts = findOne(docs, 'StatefulSet', 'zk');
  const pod = sts.spec.template.spec;
  return { sts, pod, container: pod.containers[0], pdb: findOne(docs, 'PodDisruptionBudget', 'zk-pdb') };
};

describe('zookeeper chart', () => {
  const { docs, yaml } = synthTutorial('zookeeper');
  const { sts, pod, container, pdb } = zkParts(docs);
  const hs = findOne(docs, 'Service', 'zk-hs');
  const cs = findOne(docs, 'Service', 'zk-cs');

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('writes the four objects that `kubectl apply` lists, in its order', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Service/zk-hs',
      'Service/zk-cs',
      'PodDisruptionBudget/zk-pdb',
      'StatefulSet/zk',
    ]);
  });

  it('has the headless zk-hs for peers and election and the client Service zk-cs, both selecting app=zk', () => {
    expect(hs.spec.clusterIP).toBe('None');
    expect(hs.spec.ports.map((p: { name: string; port: number }) => [p.name, p.port])).toEqual([
      ['server', 2888],
      ['leader-election', 3888],
    ]);
    // A server's A record must appear only once it is Ready ("Achieving consensus").
    expect(hs.spec.publishNotReadyAddresses).toBeUndefined();
    expect(cs.spec.clusterIP).toBeUndefined();
    expect(cs.spec.ports.map((p: { name: string; port: number }) => [p.name, p.port])).toEqual([['client', 2181]]);
    for (const svc of [hs, cs]) {
      expect(svc.metadata.labels).toEqual({ app: 'zk' });
      expect(svc.spec.selector).toEqual({ app: 'zk' });
    }
  });

  it('runs 3 servers one at a time under zk-hs, so their DNS names are zk-<i>.zk-hs.default.svc.cluster.local', () => {
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('zk-hs');
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    // No partition: the tutorial's patch rolls every server, zk-2 first.
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(sts.spec.selector).toEqual({ matchLabels: { app: 'zk' } });
    expect(sts.spec.template.metadata.labels).toEqual({ app: 'zk' });
    expect([0, 1, 2].map((i) => podDnsName(sts, i))).toEqual([
      'zk-0.zk-hs.default.svc.cluster.local',
      'zk-1.zk-hs.default.svc.cluster.local',
      'zk-2.zk-hs.default.svc.cluster.local',
    ]);
  });

  it("starts the server with the tutorial's exact command and 17 flags", () => {
    expect(container.command).toEqual(['sh', '-c', TUTORIAL_COMMAND]);
    expect(Object.keys(flags(container.command[2]))).toHaveLength(17);
  });

  it('keeps the command flags consistent with the Services, the probes, the mount and the replicas', () => {
    const f = flags(container.command[2]);
    expect(Number(f.servers)).toBe(sts.spec.replicas);
    expect(Number(f.client_port)).toBe(cs.spec.ports[0].port);
    expect(Number(f.server_port)).toBe(hs.spec.ports.find((p: { name: string }) => p.name === 'server').port);
    expect(Number(f.election_port)).toBe(
      hs.spec.ports.find((p: { name: string }) => p.name === 'leader-election').port,
    );
    expect(container.readinessProbe.exec.command[2]).toBe(`zookeeper-ready ${f.client_port}`);
    const mount = container.volumeMounts.find((m: { name: string }) => m.name === 'datadir').mountPath;
    expect(f.data_dir.startsWith(`${mount}/`)).toBe(true);
    expect(f.data_log_dir.startsWith(`${mount}/`)).toBe(true);
    const declared = container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]);
    expect(declared).toEqual([
      ['client', 2181],
      ['server', 2888],
      ['leader-election', 3888],
    ]);
  });

  it('checks liveness and readiness with the same zookeeper-ready probe, 15 s delay and 5 s timeout (decision D4)', () => {
    const expected = {
      exec: { command: ['sh', '-c', 'zookeeper-ready 2181'] },
      initialDelaySeconds: 15,
      timeoutSeconds: 5,
    };
    expect(container.livenessProbe).toEqual(expected);
    expect(container.readinessProbe).toEqual(expected);
    // No startup probe to cut a slow first start short (decision D5).
    expect(container.startupProbe).toBeUndefined();
  });

  it("runs as the image's zookeeper user with exactly the tutorial's security context (decision D5)", () => {
    expect(pod.securityContext).toEqual({ runAsUser: 1000, fsGroup: 1000 });
    // start-zookeeper writes /opt/zookeeper/conf, and the liveness test deletes a file from
    // the image: the root filesystem must stay writable. Nothing else is added that could
    // override the tutorial's user (runAsUser, runAsNonRoot) on the container.
    // Capabilities dropped and seccomp per container, so the Pod's context stays the tutorial's.
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.restartPolicy).toBeUndefined();
  });

  it('mounts no service account token: start-zookeeper never calls the Kubernetes API', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('claims 20Gi per server as datadir, of the default class, mounted at /var/lib/zookeeper', () => {
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    const vct = sts.spec.volumeClaimTemplates[0];
    expect(vct.metadata.name).toBe('datadir');
    expect(vct.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(vct.spec.resources.requests.storage).toBe('20Gi');
    expect(vct.spec.storageClassName).toBeUndefined();
    expect(container.volumeMounts).toEqual([{ name: 'datadir', mountPath: '/var/lib/zookeeper' }]);
    // The only Pod volume is the purge sidecar's /tmp; the data lives on the claim.
    expect(pod.volumes.map((v: { name: string }) => v.name)).toEqual(['zk-purge-tmp']);
  });

  it("has a CPU request for the tutorial's `kubectl patch` to replace, and the tutorial image", () => {
    expect(container.resources.requests).toEqual({ cpu: '0.5', memory: '1Gi' });
    expect(container.resources.limits).toBeUndefined();
    expect(container.image).toBe('registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10');
    expect(container.name).toBe('kubernetes-zookeeper');
  });

  it('allows one server at a time to be disrupted (policy/v1, decision D2)', () => {
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'zk' } } });
  });

  it('keeps servers on different nodes with a required anti-affinity on kubernetes.io/hostname', () => {
    const terms = pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    expect(terms).toHaveLength(1);
    expect(terms[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
  });
});

describe("the zk-purge sidecar: the tutorial's --purge_interval and --snap_retain_count, carried out", () => {
  const { docs } = synthTutorial('zookeeper');
  const { sts, pod, container } = zkParts(docs);
  const purge = pod.containers.find((c: { name: string }) => c.name === 'zk-purge');
  const f = flags(container.command[2]);

  it("runs next to the server, which stays the first and the default container for the tutorial's kubectl exec and logs", () => {
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['kubernetes-zookeeper', 'zk-purge']);
    expect(sts.spec.template.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/default-container': 'kubernetes-zookeeper',
    });
    // The tutorial's flags are unchanged: ZooKeeper itself ignores them, the sidecar honours them.
    expect(container.command[2]).toBe(TUTORIAL_COMMAND);
  });

  it("runs the image's own zkCleanup.sh every purge_interval hours, keeping snap_retain_count snapshots", () => {
    expect(purge.image).toBe(container.image);
    expect(purge.command.slice(0, 2)).toEqual(['sh', '-c']);
    const script: string = purge.command[2];
    expect(script).toContain(`/opt/zookeeper/bin/zkCleanup.sh -n ${f.snap_retain_count}`);
    expect(script).toContain(`sleep ${Number(f.purge_interval) * 3600} & wait $!`);
    // zkCleanup.sh reads dataDir and dataLogDir from $ZOOCFGDIR/zoo.cfg: the server's directories.
    expect(script).toContain(
      `printf 'dataDir=%s\\ndataLogDir=%s\\n' ${f.data_dir} ${f.data_log_dir} > "$ZOOCFGDIR/zoo.cfg"`,
    );
    expect(purge.env).toEqual([
      { name: 'ZOOCFGDIR', value: '/tmp/zk-purge' },
      { name: 'JVMFLAGS', value: '-Xmx64m' },
    ]);
    // Stops at once on SIGTERM, so a drain is not held up for the grace period.
    expect(script.split('\n')[0]).toBe('trap "exit 0" TERM');
  });

  it("shares the server's data volume at the same path, as the same user, and writes only its own /tmp", () => {
    const serverMount = container.volumeMounts.find((m: { name: string }) => m.name === 'datadir');
    expect(purge.volumeMounts).toEqual([serverMount, { name: 'zk-purge-tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'zk-purge-tmp', emptyDir: {} }]);
    expect(purge.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(purge.securityContext.runAsUser).toBeUndefined(); // the Pod's runAsUser 1000, as the server
    expect(purge.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    expect([purge.livenessProbe, purge.readinessProbe, purge.startupProbe]).toEqual([undefined, undefined, undefined]);
  });

  it("is one prop away from the tutorial's single container", () => {
    const result = synthConstructs((c) => new ZooKeeper(c, 'app', { purgeSidecar: false }));
    expect(harnessFindings(result)).toEqual([]);
    const off = zkParts(result.docs);
    expect(off.pod.containers.map((c: { name: string }) => c.name)).toEqual(['kubernetes-zookeeper']);
    expect([off.pod.volumes, off.sts.spec.template.metadata.annotations]).toEqual([undefined, undefined]);
  });
});

describe('the PDB and the anti-affinity select exactly the ZooKeeper Pods', () => {
  // Other Pods in the same namespace, one of them also labelled `app`, must not be caught.
  const result = synthConstructs((c) => {
    new ZooKeeper(c, 'zk');
    new Cassandra(c, 'cassandra');
    const other = new kplus.Deployment(c, 'other', {
      metadata: { name: 'zk-client' },
      select: false,
      containers: [{ image: 'busybox:1.36' }],
    });
    other.podMetadata.addLabel('app', 'zk-client');
    other.select(kplus.LabelSelector.of({ labels: { app: 'zk-client' } }));
  });
  const { pdb, pod } = zkParts(result.docs);
  const owners = (selector: Parameters<typeof selectedPodTemplates>[1]) =>
    selectedPodTemplates(result.docs, selector).map((p) => `${p.owner.kind}/${p.owner.metadata.name}`);

  it("the PDB selects the zk StatefulSet's Pods and nothing else", () => {
    expect(selectedPodTemplates(result.docs, { app: 'zk-client' })).toHaveLength(1); // the decoy is there
    expect(owners(pdb.spec.selector)).toEqual(['StatefulSet/zk']);
  });

  it("the anti-affinity term selects the zk StatefulSet's Pods and nothing else", () => {
    const term = pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
    expect(owners(term.labelSelector)).toEqual(['StatefulSet/zk']);
  });
});

describe('ZooKeeper props', () => {
  const synthZk = (props: ZooKeeperProps) => {
    let zk!: ZooKeeper;
    const result = synthConstructs((c) => {
      zk = new ZooKeeper(c, 'app', props);
    });
    return { result, zk, ...zkParts(result.docs) };
  };

  it.each([1, 5, 7])(
    'with %i replicas sets --servers and the DNS names to match, and the PDB still keeps a quorum',
    (replicas) => {
      const { result, zk, sts, container, pdb } = synthZk({ replicas });
      expect(harnessFindings(result)).toEqual([]);
      expect(sts.spec.replicas).toBe(replicas);
      expect(flags(container.command[2]).servers).toBe(String(replicas));
      expect(zk.podDnsNames).toEqual(Array.from({ length: replicas }, (_, i) => podDnsName(sts, i)));
      expect(selectedPodTemplates(result.docs, pdb.spec.selector).map((p) => p.owner.metadata.name)).toEqual(['zk']);
      // A majority must stay up while the PDB allows its disruptions (a single server is standalone).
      if (replicas > 1) expect(replicas - pdb.spec.maxUnavailable).toBeGreaterThanOrEqual(Math.floor(replicas / 2) + 1);
    },
  );

  it('accepts an even ensemble only when asked to', () => {
    const { result, sts, container } = synthZk({ replicas: 4, allowEvenEnsemble: true });
    expect(harnessFindings(result)).toEqual([]);
    expect(sts.spec.replicas).toBe(4);
    expect(flags(container.command[2]).servers).toBe('4');
  });

  it('follows the namespace in every object and every Pod DNS name', () => {
    const { result, zk, sts } = synthZk({ namespace: 'coordination' });
    expect(harnessFindings(result)).toEqual([]);
    expect(new Set(result.docs.map((d) => d.metadata.namespace))).toEqual(new Set(['coordination']));
    expect(podDnsName(sts, 0)).toBe('zk-0.zk-hs.coordination.svc.cluster.local');
    expect(zk.podDnsNames[0]).toBe(podDnsName(sts, 0));
    expect(zk.clientDnsName).toBe('zk-cs.coordination.svc.cluster.local');
  });

  it('puts heap, resources, storage and class where the image and the API read them, and exposes them for capacity planning', () => {
    const props = {
      heap: '1G',
      cpuRequest: '300m',
      memoryRequest: '1536Mi',
      cpuLimit: '1',
      memoryLimit: '2Gi',
      storageSize: '10Gi',
      storageClassName: 'standard-rwo',
    };
    const { result, zk, sts, container } = synthZk(props);
    expect(harnessFindings(result)).toEqual([]);
    expect(flags(container.command[2]).heap).toBe('1G');
    expect(container.resources).toEqual({
      requests: { cpu: '300m', memory: '1536Mi' },
      limits: { cpu: '1', memory: '2Gi' },
    });
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'standard-rwo',
      resources: { requests: { storage: '10Gi' } },
    });
    expect(zk.requests).toEqual(container.resources.requests);
    expect(zk.limits).toEqual(container.resources.limits);
    expect(zk.storage).toEqual({ size: '10Gi', storageClassName: 'standard-rwo' });
    expect(zk.replicas).toBe(sts.spec.replicas);
  });

  it('accepts requests equal to their limits (Guaranteed QoS), which the API allows', () => {
    const { result, container } = synthZk({ cpuRequest: '1', cpuLimit: '1', memoryRequest: '2Gi', memoryLimit: '2Gi' });
    expect(harnessFindings(result)).toEqual([]);
    expect(container.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } });
  });

  it('exposes the default capacity figures that the output uses', () => {
    const { zk, container, sts } = synthZk({});
    expect(zk.requests).toEqual(container.resources.requests);
    expect(zk.limits).toEqual({});
    expect(zk.storage).toEqual({ size: sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage });
  });

  it('keeps the tutorial image one prop away and honours the mirror setting', () => {
    const { result } = synthZk({});
    const mirrored = synthConstructs((c) => {
      c.node.setContext('imageRegistry', 'mirror.example.com/k8s');
      new ZooKeeper(c, 'app');
    });
    expect(zkParts(result.docs).container.image).toBe(ZooKeeper.TUTORIAL_IMAGE);
    expect(zkParts(mirrored.docs).container.image).toBe('mirror.example.com/k8s/kubernetes-zookeeper:1.0-3.4.10');
  });

  it.each<[ZooKeeperProps, RegExp]>([
    [
      { replicas: 4 },
      /ZooKeeper at 'test\/app': prop 'replicas' is 4; must be odd: a ZooKeeper quorum is a majority.*allowEvenEnsemble: true/,
    ],
    [{ replicas: 0 }, /ZooKeeper at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ replicas: 0, allowEvenEnsemble: true }, /prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ replicas: 2.5 }, /prop 'replicas' is 2.5; must be an integer/],
    [{ heap: '512Mi' }, /prop 'heap' is "512Mi"; must be a JVM memory size such as "512M"/],
    [{ heap: 'lots' }, /prop 'heap' is "lots"; must be a JVM memory size/],
    [{ memoryRequest: '1 GB' }, /prop 'memoryRequest' is "1 GB"; must be a Kubernetes quantity/],
    [{ cpuRequest: 'half' }, /prop 'cpuRequest' is "half"; must be a Kubernetes quantity/],
    [{ cpuRequest: '1,5' }, /prop 'cpuRequest' is "1,5"; must be a Kubernetes quantity/],
    [{ memoryLimit: '2gb' }, /prop 'memoryLimit' is "2gb"; must be a Kubernetes quantity/],
    [{ storageSize: '20 Gi' }, /prop 'storageSize' is "20 Gi"; must be a Kubernetes quantity/],
    [
      { storageSize: '500m' },
      /ZooKeeper at 'test\/app': prop 'storageSize' is "500m"; must be a positive amount of storage/,
    ],
    [{ storageSize: '0' }, /prop 'storageSize' is "0"; must be a positive amount of storage/],
    [
      { heap: '2G', memoryRequest: '1Gi', memoryLimit: '2Gi' },
      /prop 'heap' is "2G"; must be smaller than memoryLimit \("2Gi"\): the JVM needs memory beyond its heap/,
    ],
    [{ heap: '3G', memoryRequest: '1Gi', memoryLimit: '2Gi' }, /prop 'heap' is "3G"; must be smaller than memoryLimit/],
    [
      { memoryRequest: '2Gi', memoryLimit: '1Gi' },
      /prop 'memoryRequest' is "2Gi"; must not exceed memoryLimit \("1Gi"\)/,
    ],
    [{ cpuRequest: '2', cpuLimit: '500m' }, /prop 'cpuRequest' is "2"; must not exceed cpuLimit/],
    [{ namespace: 'Coordination' }, /prop 'namespace' is "Coordination"; must be an RFC 1123 label/],
    [{ storageClassName: 'Fast_SSD' }, /prop 'storageClassName' is "Fast_SSD"; must be an RFC 1123 subdomain/],
    [{ image: 'Not An Image' }, /prop 'image' is "Not An Image"; must be an image reference/],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new ZooKeeper(c, 'app', props))).toThrow(message);
  });
});

describe('the PriorityClass its servers name (decision D8)', () => {
  it('is external to the chart, and addPriorityClasses writes it for a cluster without the stack', () => {
    const { docs } = synthTutorial('zookeeper');
    const sts = findOne(docs, 'StatefulSet', 'zk');
    expect(sts.spec.template.spec.priorityClassName).toBe(MUST_PLACE.name);
    expect(findAll(docs, 'PriorityClass')).toEqual([]);
    const result = synthConstructs((c) => {
      new ZooKeeper(c, 'zk', { namespace: 'prod' });
      addPriorityClasses(c);
    });
    expect(harnessFindings(result)).toEqual([]);
    expect(findAll(result.docs, 'PriorityClass').map((p) => [p.metadata.name, p.value, p.preemptionPolicy])).toEqual([
      [MUST_PLACE.name, MUST_PLACE.value, 'PreemptLowerPriority'],
      ['tutorials-bare-pod', MUST_PLACE.value, 'Never'],
    ]);
    // Neither becomes the cluster's default: every other Pod keeps priority 0.
    expect(findAll(result.docs, 'PriorityClass').map((p) => p.globalDefault)).toEqual([false, false]);
  });
});
