import { BlogStorage, ServiceType, BlogSidecarLogging, BlogSidecarLoggingProps } from '../lib';
import { MUST_PLACE } from '../lib/contracts/priority-classes';
import { findAll, findOne, harnessFindings, selects, synthConstructs, synthTutorial } from './harness';

describe('blog-storage chart (seed 003, articles B and C)', () => {
  const { docs, yaml } = synthTutorial('blog-storage');

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  describe('article B: hostpath-pvc and the httpd Deployment', () => {
    const pvc = findOne(docs, 'PersistentVolumeClaim', 'hostpath-pvc');
    const deploy = findOne(docs, 'Deployment', 'httpd');
    const pod = deploy.spec.template.spec;
    const container = pod.containers[0];

    it('claims 5Gi ReadWriteOnce from the cluster default class: no hostPath PV, no selector (a selector blocks dynamic provisioning)', () => {
      expect(findAll(docs, 'PersistentVolume')).toEqual([]);
      expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } });
    });

    it("serves the claim as httpd's document root from 2 replicas on app=httpd", () => {
      expect(deploy.spec.replicas).toBe(2);
      expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'httpd' } });
      expect(deploy.spec.template.metadata.labels).toEqual({ app: 'httpd' });
      expect(pod.volumes).toContainEqual({ name: 'web', persistentVolumeClaim: { claimName: 'hostpath-pvc' } });
      expect(container.volumeMounts).toContainEqual({ name: 'web', mountPath: '/usr/local/apache2/htdocs' });
      expect(container.ports).toEqual([{ containerPort: 80, name: 'web' }]);
    });

    it('keeps both replicas on one node, where the ReadWriteOnce disk can be attached', () => {
      const terms = pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution;
      expect(terms).toHaveLength(1);
      expect(terms[0].topologyKey).toBe('kubernetes.io/hostname');
      // The labels the controllers put on the running Pods: the Deployment controller adds
      // pod-template-hash, the StatefulSet controller controller-revision-hash and pod-name.
      const replica = { ...deploy.spec.template.metadata.labels, 'pod-template-hash': '5958bdc7f5' };
      expect(selects(terms[0].labelSelector, replica)).toBe(true);
      // Article A's apache-http Pods (chart blog-statefulset) carry the same app=httpd label in the
      // same default namespace; a replica must not follow one of them to another node.
      const sts = findOne(synthTutorial('blog-statefulset').docs, 'StatefulSet', 'apache-http');
      const statefulPod = {
        ...sts.spec.template.metadata.labels,
        'controller-revision-hash': 'apache-http-7d9c5f6b8',
        'statefulset.kubernetes.io/pod-name': 'apache-http-0',
      };
      expect(statefulPod.app).toBe(replica.app);
      expect(selects(terms[0].labelSelector, statefulPod)).toBe(false);
    });

    it('gives the co-located replicas the PriorityClass of the contract, which the infrastructure stack creates (decision D8)', () => {
      // Cluster-wide, so not in the chart: declared as external, with the command for clusters without the stack.
      expect(findAll(docs, 'PriorityClass')).toEqual([]);
      expect(pod.priorityClassName).toBe(MUST_PLACE.name);
      expect(MUST_PLACE.value).toBeGreaterThan(0);
      expect(MUST_PLACE.value).toBeLessThan(2000000000); // system-cluster-critical: GKE's Pods are never victims
      expect(MUST_PLACE.preemptionPolicy).toBe('PreemptLowerPriority');
      const result = synthConstructs((c) => new BlogStorage(c, 'app', { replicas: 3 }));
      expect(harnessFindings(result)).toEqual([]);
    });

    it('has the budget httpd-pdb on exactly its Pods, letting a drain move the co-located replicas together', () => {
      const pdb = findOne(docs, 'PodDisruptionBudget', 'httpd-pdb');
      expect(pdb.spec.selector).toEqual({ matchLabels: deploy.spec.template.metadata.labels });
      // One at a time would deadlock a drain of their node: the first replacement can only join its
      // sibling on the cordoned node and stays Pending, so the sibling could never be evicted.
      expect(pdb.spec.maxUnavailable).toBe(deploy.spec.replicas);
    });

    it('runs httpd as root with only logs/ writable (decision D5)', () => {
      expect(container.image).toBe('httpd:2.4');
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['NET_RAW'] },
        readOnlyRootFilesystem: true,
      });
      const logs = container.volumeMounts.find((m: any) => m.mountPath === '/usr/local/apache2/logs');
      expect(pod.volumes).toContainEqual({ name: logs.name, emptyDir: {} });
    });
  });

  describe('article C: the sidecar-logging Pod', () => {
    const pod = findOne(docs, 'Pod', 'sidecar-logging');
    const [nginx, busybox] = pod.spec.containers;

    it('shares a real emptyDir "varlog" at /var/log/nginx/ between nginx and the tailing sidecar', () => {
      expect(pod.metadata.labels).toEqual({ app: 'sidecar-logging' });
      expect(pod.spec.volumes).toContainEqual({ name: 'varlog', emptyDir: {} });
      for (const c of [nginx, busybox])
        expect(c.volumeMounts).toContainEqual({ name: 'varlog', mountPath: '/var/log/nginx/' });
      expect(busybox.name).toBe('busybox');
      // -F: busybox's tail -f exits when nginx has not created the file yet; -F waits for it.
      expect(busybox.args).toEqual(['/bin/sh', '-c', 'tail -F /var/log/nginx/access.log']);
      expect(nginx.ports).toEqual([{ containerPort: 80 }]);
    });

    it('runs nginx as root on a read-only root with emptyDirs for its cache and pid, and the reader as nobody', () => {
      expect(nginx.image).toBe('nginx:1.28');
      expect(nginx.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['NET_RAW'] },
        readOnlyRootFilesystem: true,
      });
      const mounted = nginx.volumeMounts.map((m: any) => m.mountPath);
      expect(mounted).toEqual(expect.arrayContaining(['/var/cache/nginx', '/run']));
      expect(busybox.image).toBe('busybox:1.28');
      expect(busybox.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 65534,
        readOnlyRootFilesystem: true,
      });
    });

    it('is exposed as kubectl expose --type=NodePort --port=80 would', () => {
      const svc = findOne(docs, 'Service', 'sidecar-logging');
      expect(svc.spec.type).toBe('NodePort');
      expect(svc.spec.selector).toEqual(pod.metadata.labels);
      expect(svc.metadata.labels).toEqual(pod.metadata.labels);
      expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
    });
  });
});

describe('BlogStorage props', () => {
  it("writes the article's hostPath PV and a claim bound to it by label, for minikube", () => {
    const result = synthConstructs(
      (c) => new BlogStorage(c, 'app', { hostPath: '/home/docker/data', namespace: 'web' }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const pv = findOne(result.docs, 'PersistentVolume', 'pv-local');
    expect(pv.metadata).toEqual({ name: 'pv-local', labels: { type: 'local' } });
    expect(pv.spec).toEqual({
      storageClassName: 'local',
      capacity: { storage: '10Gi' },
      accessModes: ['ReadWriteOnce'],
      hostPath: { path: '/home/docker/data' },
    });
    const pvc = findOne(result.docs, 'PersistentVolumeClaim', 'hostpath-pvc');
    expect(pvc.metadata.namespace).toBe('web');
    expect(pvc.spec).toMatchObject({ storageClassName: 'local', selector: { matchLabels: pv.metadata.labels } });
  });

  it('takes a named class and one replica', () => {
    const result = synthConstructs(
      (c) => new BlogStorage(c, 'app', { storageClassName: 'premium-rwo', replicas: 1, storage: '1Gi' }),
    );
    expect(harnessFindings(result)).toEqual([]);
    expect(findOne(result.docs, 'PersistentVolumeClaim', 'hostpath-pvc').spec).toMatchObject({
      storageClassName: 'premium-rwo',
      resources: { requests: { storage: '1Gi' } },
    });
  });

  it.each([
    [{ replicas: 0 }, /BlogStorage at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ storage: 'five' }, /prop 'storage' is "five"; must be a Kubernetes quantity/],
    [{ storageClassName: 'Local' }, /prop 'storageClassName' is "Local"; must be an RFC 1123 subdomain/],
    [
      { hostPath: '/home//data' },
      /prop 'hostPath' is "\/home\/\/data"; must be an absolute path without empty segments/,
    ],
    [{ hostPath: 'data' }, /prop 'hostPath' is "data"; must be an absolute path/],
    [
      { hostPath: '/data', storageClassName: 'fast' },
      /prop 'storageClassName' is "fast"; cannot be combined with hostPath/,
    ],
    [{ namespace: 'a_b' }, /prop 'namespace' is "a_b"; must be an RFC 1123 label/],
    [{ image: 'httpd:' }, /prop 'image' is "httpd:"; must be an image reference/],
  ])('refuses %j', (props, message) => {
    expect(() => synthConstructs((c) => new BlogStorage(c, 'app', props))).toThrow(message);
  });
});

describe('BlogSidecarLogging props', () => {
  it('pins a node port, or becomes a ClusterIP Service, in a namespace', () => {
    const pinned = synthConstructs((c) => new BlogSidecarLogging(c, 'app', { nodePort: 31399, namespace: 'logs' }));
    expect(harnessFindings(pinned)).toEqual([]);
    expect(findOne(pinned.docs, 'Service', 'sidecar-logging').spec.ports[0].nodePort).toBe(31399);
    const internal = synthConstructs((c) => new BlogSidecarLogging(c, 'app', { serviceType: ServiceType.CLUSTER_IP }));
    expect(harnessFindings(internal)).toEqual([]);
    expect(findOne(internal.docs, 'Service', 'sidecar-logging').spec.type).toBeUndefined();
  });

  it("keeps the article's images one prop away", () => {
    const { docs } = synthConstructs(
      (c) =>
        new BlogSidecarLogging(c, 'app', {
          nginxImage: BlogSidecarLogging.TUTORIAL_NGINX_IMAGE,
          busyboxImage: BlogSidecarLogging.TUTORIAL_BUSYBOX_IMAGE,
        }),
    );
    expect(findOne(docs, 'Pod', 'sidecar-logging').spec.containers.map((c: any) => c.image)).toEqual([
      'nginx:latest',
      'busybox',
    ]);
  });

  it.each<[BlogSidecarLoggingProps, RegExp]>([
    [
      { nodePort: 80 },
      /BlogSidecarLogging at 'test\/app': prop 'nodePort' is 80; must be an integer between 30000 and 32767/,
    ],
    [
      { nodePort: 31000, serviceType: ServiceType.CLUSTER_IP },
      /prop 'nodePort' is 31000; is only valid with serviceType NodePort/,
    ],
    [
      { serviceType: ServiceType.EXTERNAL_NAME },
      /prop 'serviceType' is "ExternalName"; must be one of "ClusterIP", "NodePort", "LoadBalancer"/,
    ],
    [{ busyboxImage: 'Busybox' }, /prop 'busyboxImage' is "Busybox"; must be an image reference/],
    [{ nginxImage: 'Nginx' }, /prop 'nginxImage' is "Nginx"; must be an image reference/],
    [{ namespace: '' }, /prop 'namespace' is ""; must be an RFC 1123 label/],
  ])('refuses %j', (props, message) => {
    expect(() => synthConstructs((c) => new BlogSidecarLogging(c, 'app', props))).toThrow(message);
  });
});
