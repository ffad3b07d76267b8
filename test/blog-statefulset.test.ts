import { BlogStatefulSet } from '../lib';
import { externalObjects } from '../lib/internal/external';
import { findAll, findOne, harnessFindings, synthConstructs, synthTutorial } from './harness';

describe('blog-statefulset chart (seed 003, article A)', () => {
  const result = synthTutorial('blog-statefulset');
  const { docs, yaml } = result;
  const sts = findOne(docs, 'StatefulSet', 'apache-http');
  const svc = findOne(docs, 'Service', 'httpd-service');
  const pod = sts.spec.template.spec;
  const container = pod.containers[0];

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('governs apache-http with the headless httpd-service, both on app=httpd', () => {
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.selector).toEqual({ app: 'httpd' });
    expect(svc.metadata.labels).toEqual({ app: 'httpd' });
    expect(svc.spec.ports).toEqual([{ name: 'web', port: 80, protocol: 'TCP' }]);
    expect(sts.spec.serviceName).toBe('httpd-service');
    expect(sts.spec.selector).toEqual({ matchLabels: { app: 'httpd' } });
    expect(sts.spec.template.metadata.labels).toEqual({ app: 'httpd' });
    expect(sts.spec.replicas).toBe(3);
    expect(pod.terminationGracePeriodSeconds).toBe(10);
  });

  it('gives each Pod a 2Gi ReadWriteOnce claim "www" on class fast, mounted as the document root', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'www' },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '2Gi' } } },
      },
    ]);
    expect(container.volumeMounts).toContainEqual({ name: 'www', mountPath: '/usr/local/apache2/htdocs' });
    expect(container.ports).toEqual([{ containerPort: 80, name: 'web' }]);
  });

  it('leaves the fast StorageClass to the infrastructure stack and declares it (decision D7)', () => {
    expect(findAll(docs, 'StorageClass')).toEqual([]);
    expect(externalObjects(result.chart)).toEqual([expect.objectContaining({ kind: 'StorageClass', name: 'fast' })]);
  });

  it('runs httpd as root with a read-only root filesystem and only logs/ writable (decision D5)', () => {
    expect(container.image).toBe('httpd:2.4');
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['NET_RAW'] },
      readOnlyRootFilesystem: true,
    });
    const logs = container.volumeMounts.find((m: any) => m.mountPath === '/usr/local/apache2/logs');
    expect(pod.volumes).toContainEqual({ name: logs.name, emptyDir: {} });
    expect(container.startupProbe).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('exposes the Pod DNS names the article resolves with nslookup', () => {
    let construct!: BlogStatefulSet;
    synthConstructs((c) => {
      construct = new BlogStatefulSet(c, 'app', { namespace: 'web' });
    });
    expect(construct.podDnsNames).toEqual([
      'apache-http-0.httpd-service.web.svc.cluster.local',
      'apache-http-1.httpd-service.web.svc.cluster.local',
      'apache-http-2.httpd-service.web.svc.cluster.local',
    ]);
  });
});

describe('BlogStatefulSet props', () => {
  it("writes the article's minikube StorageClass on request, with a namespace and other sizes", () => {
    const result = synthConstructs(
      (c) =>
        new BlogStatefulSet(c, 'app', {
          namespace: 'web',
          replicas: 1,
          storage: '1Gi',
          storageClass: BlogStatefulSet.MINIKUBE_STORAGE_CLASS,
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const sc = findOne(result.docs, 'StorageClass', 'fast');
    expect(sc).toMatchObject({ provisioner: 'k8s.io/minikube-hostpath', reclaimPolicy: 'Retain' });
    expect(sc.metadata.namespace).toBeUndefined();
    expect(externalObjects(result.chart)).toEqual([]);
    const sts = findOne(result.docs, 'StatefulSet', 'apache-http');
    expect(sts.metadata.namespace).toBe('web');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
  });

  it("keeps the article's image one prop away", () => {
    const { docs } = synthConstructs(
      (c) => new BlogStatefulSet(c, 'app', { image: BlogStatefulSet.TUTORIAL_IMAGE, storageClassName: 'standard-rwo' }),
    );
    const sts = findOne(docs, 'StatefulSet', 'apache-http');
    expect(sts.spec.template.spec.containers[0].image).toBe('httpd:latest');
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('standard-rwo');
  });

  it.each([
    [{ replicas: 0 }, /BlogStatefulSet at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ namespace: 'Web' }, /prop 'namespace' is "Web"; must be an RFC 1123 label/],
    [{ image: 'HTTPD' }, /prop 'image' is "HTTPD"; must be an image reference/],
    [{ storageClassName: 'Fast_SSD' }, /prop 'storageClassName' is "Fast_SSD"; must be an RFC 1123 subdomain/],
    [{ storage: '2 GB' }, /prop 'storage' is "2 GB"; must be a Kubernetes quantity/],
    [
      { terminationGracePeriodSeconds: 0 },
      /prop 'terminationGracePeriodSeconds' is 0; must be an integer between 1 and 3600/,
    ],
    [{ storageClass: { provisioner: ' ' } }, /prop 'storageClass.provisioner' is " "; must name a provisioner/],
  ])('refuses %j', (props, message) => {
    expect(() => synthConstructs((c) => new BlogStatefulSet(c, 'app', props))).toThrow(message);
  });
});
