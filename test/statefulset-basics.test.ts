import { PodManagementPolicy, StatefulSetBasics, StatefulSetUpdateStrategy } from '../lib';
import { findOne, harnessFindings, synthConstructs, synthTutorial } from './harness';

describe('statefulset-basics chart', () => {
  const { docs, yaml } = synthTutorial('statefulset-basics');
  const svc = findOne(docs, 'Service', 'nginx');
  const sts = findOne(docs, 'StatefulSet', 'web');
  const pod = sts.spec.template.spec;
  const container = pod.containers[0];

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('has the headless Service nginx: port 80 named web, selecting app=nginx', () => {
    expect(svc.metadata.labels).toEqual({ app: 'nginx' });
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.ports).toEqual([{ port: 80, name: 'web', protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual({ app: 'nginx' });
  });

  it("has the StatefulSet web as in web.yaml: 2 replicas governed by nginx, with the API's default policies", () => {
    expect(sts.spec.serviceName).toBe('nginx');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.selector).toEqual({ matchLabels: { app: 'nginx' } });
    expect(sts.spec.template.metadata.labels).toEqual({ app: 'nginx' });
    // Neither field is in web.yaml: OrderedReady and RollingUpdate are the API defaults.
    expect(sts.spec.podManagementPolicy).toBeUndefined();
    expect(sts.spec.updateStrategy).toBeUndefined();
    expect(sts.metadata.labels).toBeUndefined();
  });

  it('claims one 1Gi ReadWriteOnce www volume per Pod from the default class, mounted at the document root', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'www' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ]);
    expect(container.volumeMounts).toContainEqual({ name: 'www', mountPath: '/usr/share/nginx/html' });
    expect(container.ports).toEqual([{ containerPort: 80, name: 'web' }]);
    expect(container.name).toBe('nginx');
  });

  it('uses the official nginx image, not the schema 1 nginx-slim:0.8 (decision D3)', () => {
    expect(container.image).toBe('nginx:1.28');
    expect(yaml).not.toContain('nginx-slim');
    expect(StatefulSetBasics.UPDATE_IMAGE).not.toBe(container.image);
  });

  it('lets nginx start as root with only its pid and cache directories writable (decision D5)', () => {
    expect(container.securityContext).toEqual({
      runAsNonRoot: false,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['NET_RAW'] },
    });
    expect(pod.securityContext).toEqual({ runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } });
    const emptyDirs = pod.volumes.filter((v: { emptyDir?: object }) => v.emptyDir).map((v: { name: string }) => v.name);
    const writable = container.volumeMounts
      .filter((m: { name: string }) => emptyDirs.includes(m.name))
      .map((m: { mountPath: string }) => m.mountPath);
    expect(writable.sort()).toEqual(['/run', '/var/cache/nginx']);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.startupProbe).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it("names the Pods' stable DNS names after the Service and the namespace", () => {
    const { chart } = synthConstructs(() => undefined);
    const app = new StatefulSetBasics(chart, 'app', { namespace: 'web-demo', replicas: 3 });
    expect(app.podDnsNames).toEqual([
      'web-0.nginx.web-demo.svc.cluster.local',
      'web-1.nginx.web-demo.svc.cluster.local',
      'web-2.nginx.web-demo.svc.cluster.local',
    ]);
  });
});

describe("StatefulSetBasics props: the tutorial's later steps", () => {
  it('writes web-parallel.yaml with PodManagementPolicy.PARALLEL', () => {
    const result = synthConstructs(
      (c) => new StatefulSetBasics(c, 'app', { podManagementPolicy: PodManagementPolicy.PARALLEL }),
    );
    expect(harnessFindings(result)).toEqual([]);
    expect(findOne(result.docs, 'StatefulSet', 'web').spec.podManagementPolicy).toBe('Parallel');
  });

  it.each([3, 2, 0])('stages an update with RollingUpdate partition %i and the update image', (partition) => {
    const result = synthConstructs(
      (c) =>
        new StatefulSetBasics(c, 'app', {
          replicas: 3,
          partition,
          image: StatefulSetBasics.UPDATE_IMAGE,
          writableRootFilesystem: false,
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const sts = findOne(result.docs, 'StatefulSet', 'web');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition } });
    expect(sts.spec.template.spec.containers[0].image).toBe('nginx:1.27');
  });

  it('explains a writable root filesystem to the scanner only when it writes one', () => {
    const skip = (writableRootFilesystem: boolean) =>
      findOne(
        synthConstructs((c) => new StatefulSetBasics(c, 'app', { writableRootFilesystem })).docs,
        'StatefulSet',
        'web',
      ).metadata.annotations?.['checkov.io/skip-CKV_K8S_22'];
    expect(skip(true)).toBe(
      "CKV_K8S_22=the root filesystem is writable by the caller's choice: prop writableRootFilesystem, or an image other than the official nginx whose writable paths are unknown",
    );
    expect(skip(false)).toBeUndefined();
  });

  it('writes the OnDelete strategy', () => {
    const result = synthConstructs(
      (c) => new StatefulSetBasics(c, 'app', { updateStrategy: StatefulSetUpdateStrategy.ON_DELETE }),
    );
    expect(harnessFindings(result)).toEqual([]);
    expect(findOne(result.docs, 'StatefulSet', 'web').spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  it('runs the tutorial image with a writable root filesystem, as its paths are not known', () => {
    const result = synthConstructs((c) => new StatefulSetBasics(c, 'app', { image: StatefulSetBasics.TUTORIAL_IMAGE }));
    expect(harnessFindings(result)).toEqual([]);
    const pod = findOne(result.docs, 'StatefulSet', 'web').spec.template.spec;
    expect(pod.containers[0].image).toBe('registry.k8s.io/nginx-slim:0.8');
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(pod.volumes).toBeUndefined();
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'www', mountPath: '/usr/share/nginx/html' }]);
  });

  it('scales, sizes and classes the claims, and follows the namespace', () => {
    const result = synthConstructs(
      (c) =>
        new StatefulSetBasics(c, 'app', {
          replicas: 5,
          storage: '2Gi',
          storageClassName: 'standard-rwo',
          namespace: 'web-demo',
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const sts = findOne(result.docs, 'StatefulSet', 'web');
    expect(sts.spec.replicas).toBe(5);
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'standard-rwo',
      resources: { requests: { storage: '2Gi' } },
    });
    expect(new Set(result.docs.map((d) => d.metadata.namespace))).toEqual(new Set(['web-demo']));
  });

  it.each([
    [{ replicas: 0 }, /StatefulSetBasics at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ partition: -1 }, /prop 'partition' is -1; must be an integer between 0 and 1000/],
    [{ partition: 1.5 }, /prop 'partition' is 1.5; must be an integer between 0 and 1000/],
    [
      { partition: 2, updateStrategy: StatefulSetUpdateStrategy.ON_DELETE },
      /prop 'partition' is 2; only applies to updateStrategy RollingUpdate, not OnDelete/,
    ],
    [
      { updateStrategy: 'Recreate' as StatefulSetUpdateStrategy },
      /prop 'updateStrategy' is "Recreate"; must be one of "RollingUpdate", "OnDelete"/,
    ],
    [
      { podManagementPolicy: 'Ordered' as PodManagementPolicy },
      /prop 'podManagementPolicy' is "Ordered"; must be one of "OrderedReady", "Parallel"/,
    ],
    [{ storage: '1 GB' }, /prop 'storage' is "1 GB"; must be a Kubernetes quantity/],
    [{ storage: '0' }, /prop 'storage' is "0"; must be a positive amount of storage/],
    [{ storageClassName: 'Fast_SSD' }, /prop 'storageClassName' is "Fast_SSD"; must be an RFC 1123 subdomain/],
    [{ namespace: 'web_demo' }, /prop 'namespace' is "web_demo"; must be an RFC 1123 label/],
    [{ image: 'nginx slim' }, /prop 'image' is "nginx slim"; must be an image reference/],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new StatefulSetBasics(c, 'app', props))).toThrow(message);
  });
});
