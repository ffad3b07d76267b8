import { BootcampVersion, KubernetesBootcamp, ServiceType } from '../lib';
import { findOne, harnessFindings, synthConstructs, synthTutorial } from './harness';

describe('kubernetes-bootcamp chart', () => {
  const { docs, yaml } = synthTutorial('kubernetes-bootcamp');
  const deploy = findOne(docs, 'Deployment', 'kubernetes-bootcamp');
  const svc = findOne(docs, 'Service', 'kubernetes-bootcamp');
  const container = deploy.spec.template.spec.containers[0];

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('labels everything app=kubernetes-bootcamp, which `kubectl get pods -l` and `kubectl delete service -l` select on', () => {
    expect(deploy.metadata.labels).toEqual({ app: 'kubernetes-bootcamp' });
    expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'kubernetes-bootcamp' } });
    expect(deploy.spec.template.metadata.labels).toEqual({ app: 'kubernetes-bootcamp' });
    expect(svc.metadata.labels).toEqual({ app: 'kubernetes-bootcamp' });
    expect(svc.spec.selector).toEqual({ app: 'kubernetes-bootcamp' });
  });

  it('starts as module 2 does: one Pod of v1, in a container that `kubectl set image ... kubernetes-bootcamp=` can name', () => {
    expect(deploy.spec.replicas).toBe(1);
    expect(container.name).toBe('kubernetes-bootcamp');
    expect(container.image).toBe('registry.k8s.io/minikube/kubernetes-bootcamp:v1');
  });

  it("uses the maintained rebuild, not the tutorial's 2016 image (decision D3), whose tag it keeps", () => {
    expect(yaml).not.toContain('gcr.io/google-samples');
    const tag = (ref: string) => ref.slice(ref.lastIndexOf(':') + 1);
    expect(tag(container.image)).toBe(tag(KubernetesBootcamp.TUTORIAL_IMAGES[BootcampVersion.V1]));
    expect(tag(KubernetesBootcamp.IMAGES[BootcampVersion.V2])).toBe(
      tag(KubernetesBootcamp.TUTORIAL_IMAGES[BootcampVersion.V2]),
    );
  });

  it('exposes 8080 on a NodePort Service whose first port the tutorial reads the nodePort from', () => {
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports).toEqual([{ port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    expect(svc.spec.ports[0].nodePort).toBeUndefined();
    expect(container.ports).toEqual([{ containerPort: 8080 }]);
  });

  it('runs server.js as nobody with a read-only root filesystem and no startup probe (decision D5)', () => {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65534,
      readOnlyRootFilesystem: true,
    });
    expect(container.startupProbe).toBeUndefined();
  });
});

describe('KubernetesBootcamp props', () => {
  it('scales and rolls to v2 (modules 5 and 6), passing the harness', () => {
    const result = synthConstructs(
      (c) => new KubernetesBootcamp(c, 'app', { replicas: 4, version: BootcampVersion.V2 }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const d = findOne(result.docs, 'Deployment', 'kubernetes-bootcamp');
    expect(d.spec.replicas).toBe(4);
    expect(d.spec.template.spec.containers[0].image).toBe('registry.k8s.io/minikube/kubernetes-bootcamp:v2');
  });

  it('writes no Service after module 4 deletes it, and a ClusterIP one on request', () => {
    const without = synthConstructs((c) => new KubernetesBootcamp(c, 'app', { service: false, namespace: 'bootcamp' }));
    expect(harnessFindings(without)).toEqual([]);
    expect(without.docs.map((d) => d.kind)).toEqual(['Deployment']);
    const clusterIp = synthConstructs((c) => new KubernetesBootcamp(c, 'app', { serviceType: ServiceType.CLUSTER_IP }));
    expect(harnessFindings(clusterIp)).toEqual([]);
    expect(findOne(clusterIp.docs, 'Service', 'kubernetes-bootcamp').spec.type).toBeUndefined();
  });

  it("takes any image instead of a version: the tutorial's own, or module 6's tag that does not exist", () => {
    const tutorial = synthConstructs(
      (c) => new KubernetesBootcamp(c, 'app', { image: KubernetesBootcamp.TUTORIAL_IMAGES[BootcampVersion.V1] }),
    );
    expect(harnessFindings(tutorial)).toEqual([]);
    expect(findOne(tutorial.docs, 'Deployment', 'kubernetes-bootcamp').spec.template.spec.containers[0].image).toBe(
      'gcr.io/google-samples/kubernetes-bootcamp:v1',
    );
    const { docs } = synthConstructs(
      (c) => new KubernetesBootcamp(c, 'app', { image: 'registry.k8s.io/minikube/kubernetes-bootcamp:v10' }),
    );
    expect(findOne(docs, 'Deployment', 'kubernetes-bootcamp').spec.template.spec.containers[0].image).toBe(
      'registry.k8s.io/minikube/kubernetes-bootcamp:v10',
    );
  });

  it.each([
    [{ replicas: 0 }, /KubernetesBootcamp at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ namespace: 'Boot Camp' }, /prop 'namespace' is "Boot Camp"; must be an RFC 1123 label/],
    [{ version: 'v3' as BootcampVersion }, /prop 'version' is "v3"; must be one of "v1", "v2"/],
    [{ version: BootcampVersion.V2, image: 'x:1' }, /prop 'image' is "x:1"; cannot be combined with version/],
    [{ image: 'UPPER:1' }, /prop 'image' is "UPPER:1"; must be an image reference/],
    [
      { serviceType: ServiceType.EXTERNAL_NAME },
      /prop 'serviceType' is "ExternalName"; must be one of "ClusterIP", "NodePort", "LoadBalancer"/,
    ],
    [
      { service: false, serviceType: ServiceType.NODE_PORT },
      /prop 'serviceType' is "NodePort"; only applies with service: true/,
    ],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new KubernetesBootcamp(c, 'app', props))).toThrow(message);
  });
});
