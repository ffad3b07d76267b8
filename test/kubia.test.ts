import { ExternalServiceForm, Kubia, KubiaProps, LOAD_BALANCER_SERVICES, ManualEndpointsKind } from '../lib';
import { externalObjects } from '../lib/internal/external';
import {
  K8sObject,
  findAll,
  findOne,
  harnessFindings,
  podTemplates,
  selects,
  synthConstructs,
  synthTutorial,
} from './harness';

describe('kubia chart (seed 004, Kubernetes in Action)', () => {
  const result = synthTutorial('kubia');
  const { docs, yaml } = result;
  const rs = findOne(docs, 'ReplicaSet', 'kubia');

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it("uses only current API versions for the book's beta kinds (decision D2)", () => {
    const versions = Object.fromEntries(docs.map((d) => [d.kind, d.apiVersion]));
    expect(versions).toMatchObject({
      ReplicaSet: 'apps/v1',
      DaemonSet: 'apps/v1',
      Job: 'batch/v1',
      CronJob: 'batch/v1',
      Ingress: 'networking.k8s.io/v1',
    });
    expect(findAll(docs, 'ReplicationController')).toEqual([]);
  });

  it('has the labelled Pod kubia-manual-v2, which no kubia Service selects', () => {
    const pod = findOne(docs, 'Pod', 'kubia-manual-v2');
    expect(pod.metadata.labels).toEqual({ creation_method: 'manual', env: 'prod' });
    expect(pod.spec.containers[0]).toMatchObject({
      name: 'kubia',
      image: 'luksa/kubia:latest',
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
    });
    expect(selects({ app: 'kubia' }, pod.metadata.labels ?? {})).toBe(false);
  });

  it('runs 3 kubia replicas on app=kubia', () => {
    expect(rs.spec.replicas).toBe(3);
    expect(rs.spec.selector).toEqual({ matchLabels: { app: 'kubia' } });
    expect(rs.spec.template.metadata.labels).toEqual({ app: 'kubia' });
  });

  it('runs ssd-monitor only on nodes labelled disk=ssd', () => {
    const ds = findOne(docs, 'DaemonSet', 'ssd-monitor');
    expect(ds.spec.template.spec.nodeSelector).toEqual({ disk: 'ssd' });
    expect(ds.spec.selector).toEqual({ matchLabels: { app: 'ssd-monitor' } });
    // The book's luksa/ssd-monitor ENTRYPOINT on a pinned busybox (its base image).
    expect(ds.spec.template.spec.containers[0]).toMatchObject({
      name: 'main',
      image: 'busybox:1.28',
      command: ['/bin/sh', '-c', "while true; do echo 'SSD OK'; sleep 5; done"],
    });
  });

  it('has the Job and the CronJob every fifteen minutes, restarting on failure only', () => {
    const job = findOne(docs, 'Job', 'batch-job');
    const cron = findOne(docs, 'CronJob', 'batch-job-every-fifteen-minutes');
    expect(cron.spec.schedule).toBe('0,15,30,45 * * * *');
    expect(job.spec.template.metadata.labels).toEqual({ app: 'batch-job' });
    expect(cron.spec.jobTemplate.spec.template.metadata.labels).toEqual({ app: 'periodic-batch-job' });
    for (const spec of [job.spec.template.spec, cron.spec.jobTemplate.spec.template.spec]) {
      expect(spec.restartPolicy).toBe('OnFailure');
      expect(spec.containers[0]).toMatchObject({
        name: 'main',
        image: 'busybox:1.28',
        command: ['/bin/sh', '-c', 'echo "$(date) Batch job starting"; sleep 120; echo "$(date) Finished succesfully"'],
      });
    }
  });

  it('exposes app=kubia on port 80 -> 8080 as ClusterIP, NodePort 30123 and LoadBalancer', () => {
    const types = ['kubia', 'kubia-nodeport', 'kubia-loadbalancer'].map((n) => {
      const s = findOne(docs, 'Service', n);
      expect(s.spec.selector).toEqual(rs.spec.template.metadata.labels);
      expect(s.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080 });
      return s.spec.type ?? 'ClusterIP';
    });
    expect(types).toEqual(['ClusterIP', 'NodePort', 'LoadBalancer']);
    expect(findOne(docs, 'Service', 'kubia-nodeport').spec.ports[0].nodePort).toBe(30123);
  });

  it('lists kubia-loadbalancer for a reserved address, and takes one from the settings', () => {
    expect(LOAD_BALANCER_SERVICES).toContainEqual({ chart: 'kubia', service: 'kubia-loadbalancer' });
    const withAddress = synthTutorial('kubia', {
      loadBalancerAddresses: { 'kubia/kubia-loadbalancer': '203.0.113.20' },
    });
    expect(findOne(withAddress.docs, 'Service', 'kubia-loadbalancer').spec.loadBalancerIP).toBe('203.0.113.20');
  });

  it('writes external-service as an ExternalName CNAME without a selector', () => {
    const svc = findOne(docs, 'Service', 'external-service');
    expect(svc.spec).toEqual({
      type: 'ExternalName',
      externalName: 'someapi.somecompany.com',
      ports: [{ port: 80, protocol: 'TCP' }],
    });
  });

  it('routes kubia.example.com/ through the Ingress to the NodePort Service on networking.k8s.io/v1', () => {
    const ingress = findOne(docs, 'Ingress', 'kubia');
    expect(ingress.spec.rules).toEqual([
      {
        host: 'kubia.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'kubia-nodeport', port: { number: 80 } } } },
          ],
        },
      },
    ]);
    const backend = findOne(docs, 'Service', ingress.spec.rules[0].http.paths[0].backend.service.name);
    expect(backend.spec.type).toBe('NodePort');
    expect(backend.spec.ports.map((p: any) => p.port)).toContain(80);
    expect(ingress.spec.tls).toBeUndefined();
  });

  it('runs every container non-root on a read-only root filesystem: the images only listen, echo and sleep (decision D5)', () => {
    const containers = podTemplates(docs).flatMap((p) => p.podSpec.containers as K8sObject[]);
    expect(containers).toHaveLength(5);
    for (const c of containers) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
      });
    }
    expect(rs.spec.template.spec.containers[0].securityContext.runAsUser).toBe(1000);
  });
});

describe('Kubia props', () => {
  it('writes external-service with manual Endpoints, and the Ingress with TLS from the user-made tls-secret', () => {
    const result = synthConstructs(
      (c) =>
        new Kubia(c, 'app', {
          namespace: 'kia',
          externalServiceForm: ExternalServiceForm.MANUAL_ENDPOINTS,
          ingressTls: true,
          ingressClassName: 'gce',
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const svc = findOne(result.docs, 'Service', 'external-service');
    expect(svc.spec.selector).toBeUndefined();
    expect(svc.spec.type).toBeUndefined();
    expect(svc.spec.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect(findOne(result.docs, 'Endpoints', 'external-service')).toMatchObject({
      metadata: { namespace: 'kia' },
      subsets: [{ addresses: [{ ip: '11.11.11.11' }, { ip: '22.22.22.22' }], ports: [{ port: 80 }] }],
    });
    const ingress = findOne(result.docs, 'Ingress', 'kubia');
    expect(ingress.spec.tls).toEqual([{ hosts: ['kubia.example.com'], secretName: 'tls-secret' }]);
    expect(ingress.spec.ingressClassName).toBe('gce');
    expect(findAll(result.docs, 'Secret')).toEqual([]);
    expect(externalObjects(result.chart)).toEqual([
      expect.objectContaining({ kind: 'PriorityClass', name: 'tutorials-bare-pod' }),
      expect.objectContaining({ kind: 'Secret', name: 'tls-secret', namespace: 'kia' }),
    ]);
  });

  it("tells a user how to make the Ingress's tls-secret only when it asks for TLS, in the default namespace when none is set", () => {
    const secrets = (props: KubiaProps) =>
      externalObjects(synthConstructs((c) => new Kubia(c, 'app', props)).chart).filter((o) => o.kind === 'Secret');
    expect(secrets({})).toEqual([]);
    expect(secrets({ ingressTls: true, ingressHost: 'kubia.test.example' })).toEqual([
      {
        kind: 'Secret',
        name: 'tls-secret',
        namespace: 'default',
        howToCreate:
          'openssl req -x509 -newkey rsa:2048 -nodes -keyout tls.key -out tls.cert -days 360 -subj /CN=kubia.test.example && kubectl create secret tls tls-secret --cert=tls.cert --key=tls.key',
      },
    ]);
  });

  it('writes an EndpointSlice for external-service on request', () => {
    const result = synthConstructs(
      (c) =>
        new Kubia(c, 'app', {
          externalServiceForm: ExternalServiceForm.MANUAL_ENDPOINTS,
          endpointsKind: ManualEndpointsKind.ENDPOINT_SLICE,
          externalAddresses: ['192.0.2.10'],
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const [slice] = findAll(result.docs, 'EndpointSlice');
    expect(slice.metadata.labels?.['kubernetes.io/service-name']).toBe('external-service');
    expect(slice.endpoints).toEqual([{ addresses: ['192.0.2.10'] }]);
  });

  it('follows a changed host, node selector, schedule and node port', () => {
    const result = synthConstructs(
      (c) =>
        new Kubia(c, 'app', {
          ingressHost: 'kubia.test.example',
          ssdNodeSelector: { 'cloud.google.com/gke-nodepool': 'ssd' },
          cronSchedule: '*/5 * * * *',
          nodePort: 31123,
          replicas: 1,
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    expect(findOne(result.docs, 'Ingress', 'kubia').spec.rules[0].host).toBe('kubia.test.example');
    expect(findOne(result.docs, 'DaemonSet', 'ssd-monitor').spec.template.spec.nodeSelector).toEqual({
      'cloud.google.com/gke-nodepool': 'ssd',
    });
    expect(findOne(result.docs, 'CronJob', 'batch-job-every-fifteen-minutes').spec.schedule).toBe('*/5 * * * *');
    expect(findOne(result.docs, 'Service', 'kubia-nodeport').spec.ports[0].nodePort).toBe(31123);
  });

  it.each([30000, 32767])('accepts node port %i, an end of the NodePort range', (nodePort) => {
    const result = synthConstructs((c) => new Kubia(c, 'app', { nodePort }));
    expect(harnessFindings(result)).toEqual([]);
    expect(findOne(result.docs, 'Service', 'kubia-nodeport').spec.ports[0].nodePort).toBe(nodePort);
  });

  it.each([
    [{ replicas: 0 }, /Kubia at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ nodePort: 8080 }, /prop 'nodePort' is 8080; must be an integer between 30000 and 32767/],
    [{ nodePort: 32768 }, /prop 'nodePort' is 32768; must be an integer between 30000 and 32767/],
    [{ ssdNodeSelector: {} }, /prop 'ssdNodeSelector' is \{\}; must name at least one node label/],
    [
      { ssdNodeSelector: { 'disk=ssd': '' } },
      /prop 'ssdNodeSelector' is \{"disk=ssd":""\}; must have label keys of the form \[prefix\/\]name.*"disk=ssd" is not one/,
    ],
    [
      { ssdNodeSelector: { disk: 'fast ssd' } },
      /prop 'ssdNodeSelector' is \{"disk":"fast ssd"\}; must have label values .*"fast ssd" of "disk" is not one/,
    ],
    [
      { externalServiceForm: ExternalServiceForm.MANUAL_ENDPOINTS, endpointsKind: 'Slices' as ManualEndpointsKind },
      /prop 'endpointsKind' is "Slices"; must be one of "Endpoints", "EndpointSlice"/,
    ],
    [
      { cronSchedule: '*/15 * * *' },
      /prop 'cronSchedule' is "\*\/15 \* \* \*"; must be a cron expression with five fields/,
    ],
    [
      { externalServiceForm: 'CNAME' as ExternalServiceForm },
      /prop 'externalServiceForm' is "CNAME"; must be one of "ExternalName", "manual-endpoints"/,
    ],
    [
      { externalAddresses: ['11.11.11.11'] },
      /prop 'externalAddresses' is \["11.11.11.11"\]; does not apply to externalServiceForm "ExternalName"/,
    ],
    [
      { externalServiceForm: ExternalServiceForm.MANUAL_ENDPOINTS, externalName: 'a.example' },
      /prop 'externalName' is "a.example"; does not apply to externalServiceForm "manual-endpoints"/,
    ],
    [{ externalName: 'Some API' }, /prop 'externalName' is "Some API"; must be a DNS name/],
    [
      { externalServiceForm: ExternalServiceForm.MANUAL_ENDPOINTS, externalAddresses: ['someapi'] },
      /prop 'externalAddresses' is \["someapi"\]; must list IPv4 addresses only/,
    ],
    [{ ingressHost: 'kubia' }, /prop 'ingressHost' is "kubia"; must be a fully qualified DNS name/],
    [{ ingressClassName: 'GCE' }, /prop 'ingressClassName' is "GCE"; must be an RFC 1123 subdomain/],
    [{ ssdMonitorImage: 'luksa/SSD' }, /prop 'ssdMonitorImage' is "luksa\/SSD"; must be an image reference/],
    [{ image: 'luksa/Kubia' }, /prop 'image' is "luksa\/Kubia"; must be an image reference/],
    [{ batchJobImage: 'luksa/Batch' }, /prop 'batchJobImage' is "luksa\/Batch"; must be an image reference/],
  ])('refuses %j', (props, message) => {
    expect(() => synthConstructs((c) => new Kubia(c, 'app', props))).toThrow(message);
  });

  it('counts five cron fields however they are spaced, as the CronJob controller reads them', () => {
    const { docs } = synthConstructs((c) => new Kubia(c, 'app', { cronSchedule: ' */5  * * * * ' }));
    expect(findOne(docs, 'CronJob', 'batch-job-every-fifteen-minutes').spec.schedule).toBe(' */5  * * * * ');
  });
});
