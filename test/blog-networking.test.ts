import { ManualEndpointsKind, BlogNetworking, TutServiceBackend } from '../lib';
import { findAll, findOne, harnessFindings, synthConstructs, synthTutorial } from './harness';

describe('blog-networking chart (seed 003, article E)', () => {
  const { docs, yaml } = synthTutorial('blog-networking');
  const deploy = findOne(docs, 'Deployment', 'service-tut-deployment');
  const server = deploy.spec.template.spec.containers[0];
  const svc = findOne(docs, 'Service', 'tut-service');
  const client = findOne(docs, 'Pod', 'service-tut-client');

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it("moves the Deployment from extensions/v1beta1 to apps/v1 with the article's labels, command and named port", () => {
    expect(deploy.apiVersion).toBe('apps/v1');
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'service-tut-pod' } });
    expect(deploy.spec.template.metadata.labels).toEqual({ app: 'service-tut-pod' });
    expect(server.name).toBe('python-http-server');
    expect(server.image).toBe('python:2.7');
    expect(server.command).toEqual(['/bin/bash']);
    expect(server.args[1]).toMatch(/^echo " Hello from \$\(hostname\)" > index.html; /);
    expect(server.ports[0]).toEqual({ name: 'http', containerPort: 80 });
  });

  it('writes the multi-port fragment corrected: every port named, each to a container port a listener opens', () => {
    const multi = findOne(docs, 'Service', 'tut-service-multiport');
    expect(multi.spec.selector).toEqual(deploy.spec.template.metadata.labels);
    expect(multi.spec.ports.length).toBeGreaterThan(1);
    // The article's rule: in a multi-port Service every port has a name.
    expect(multi.spec.ports.every((p: { name?: string }) => p.name)).toBe(true);
    // The article's error: both ports targeted 2941, where nothing listened. Now each named
    // target is a distinct declared port, and the server command starts a listener on it.
    const targets = multi.spec.ports.map((p: { targetPort: string }) => p.targetPort);
    expect(new Set(targets).size).toBe(targets.length);
    const listening = [...server.args[1].matchAll(/SimpleHTTPServer (\d+)/g)].map((m) => Number(m[1]));
    for (const t of targets) {
      const declared = server.ports.find((p: { name: string }) => p.name === t);
      expect(declared).toBeDefined();
      expect(listening).toContain(declared.containerPort);
    }
    expect(yaml).not.toContain('2941');
  });

  it('routes tut-service:4000 to the named port http of the selected Pods', () => {
    expect(svc.spec.type).toBeUndefined();
    expect(svc.spec.selector).toEqual(deploy.spec.template.metadata.labels);
    expect(svc.spec.ports).toEqual([{ protocol: 'TCP', port: 4000, targetPort: 'http' }]);
    expect(server.ports.map((p: any) => p.name)).toContain(svc.spec.ports[0].targetPort);
  });

  it("calls the Service DNS name until the first answer, then stops (OnFailure, not the article's implicit Always)", () => {
    // Always would loop curl forever; Never would keep a failed first call made before the
    // python backends are pulled and ready (curl exits non-zero on a failed connection).
    expect(client.spec.restartPolicy).toBe('OnFailure');
    expect(client.spec.containers[0].command).toEqual(['/bin/sh']);
    expect(client.spec.containers[0].args).toEqual(['-c', 'curl tut-service:4000 ']);
  });

  it('runs python as root with a writable root (it writes /index.html and binds port 80), curl as UID 100 read-only (decision D5)', () => {
    expect(server.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['NET_RAW'] },
      readOnlyRootFilesystem: false,
    });
    expect(client.spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 100,
    });
  });
});

describe('BlogNetworking props', () => {
  it("keeps the article's exact command and single port without the multi-port Service", () => {
    const result = synthConstructs((c) => new BlogNetworking(c, 'app', { multiPort: false }));
    const server = findOne(result.docs, 'Deployment', 'service-tut-deployment').spec.template.spec.containers[0];
    expect(server.args).toEqual(['-c', 'echo " Hello from $(hostname)" > index.html; python -m SimpleHTTPServer 80']);
    expect(server.ports).toEqual([{ name: 'http', containerPort: 80 }]);
    expect(findAll(result.docs, 'Service').map((s) => s.metadata.name)).toEqual(['tut-service']);
    expect(harnessFindings(result)).toEqual([]);
  });

  it("writes the selector-less tut-service with the article's own Endpoints", () => {
    const result = synthConstructs(
      (c) => new BlogNetworking(c, 'app', { backend: TutServiceBackend.MANUAL_ENDPOINTS }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const svc = findOne(result.docs, 'Service', 'tut-service');
    expect(svc.spec.selector).toBeUndefined();
    expect(svc.spec.ports).toEqual([{ protocol: 'TCP', port: 4000, targetPort: 9376 }]);
    expect(findOne(result.docs, 'Endpoints', 'tut-service').subsets).toEqual([
      { addresses: [{ ip: '1.2.3.4' }], ports: [{ port: 9376 }] },
    ]);
  });

  it('writes an EndpointSlice instead, labelled with the Service name, in a namespace', () => {
    const result = synthConstructs(
      (c) =>
        new BlogNetworking(c, 'app', {
          namespace: 'net',
          backend: TutServiceBackend.MANUAL_ENDPOINTS,
          endpointsKind: ManualEndpointsKind.ENDPOINT_SLICE,
          endpointAddresses: ['10.0.0.5', '10.0.0.6'],
          endpointPort: 8080,
          client: false,
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    expect(findAll(result.docs, 'Endpoints')).toEqual([]);
    expect(findAll(result.docs, 'Pod')).toEqual([]);
    const [slice] = findAll(result.docs, 'EndpointSlice');
    expect(slice.apiVersion).toBe('discovery.k8s.io/v1');
    // Managed by this project, not by the EndpointSlice controller, which would otherwise own it.
    expect(slice.metadata).toMatchObject({
      namespace: 'net',
      labels: {
        'kubernetes.io/service-name': 'tut-service',
        'endpointslice.kubernetes.io/managed-by': 'k8s-tutorials',
      },
    });
    expect(slice.endpoints).toEqual([{ addresses: ['10.0.0.5'] }, { addresses: ['10.0.0.6'] }]);
    expect(slice.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  it("keeps the client's call on the Service port when it changes, and the article's client image one prop away", () => {
    const result = synthConstructs(
      (c) => new BlogNetworking(c, 'app', { servicePort: 8000, clientImage: BlogNetworking.TUTORIAL_CLIENT_IMAGE }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const client = findOne(result.docs, 'Pod', 'service-tut-client').spec.containers[0];
    expect(client.args).toEqual(['-c', 'curl tut-service:8000 ']);
    expect(client.image).toBe('appropriate/curl');
  });

  it.each([
    [
      { replicas: 1001 },
      /BlogNetworking at 'test\/app': prop 'replicas' is 1001; must be an integer between 1 and 1000/,
    ],
    [{ servicePort: 70000 }, /prop 'servicePort' is 70000; must be an integer between 1 and 65535/],
    [{ backend: 'dns' as TutServiceBackend }, /prop 'backend' is "dns"; must be one of "pods", "manual-endpoints"/],
    [{ endpointPort: 9376 }, /prop 'endpointPort' is 9376; only applies to backend TutServiceBackend.MANUAL_ENDPOINTS/],
    [
      { backend: TutServiceBackend.MANUAL_ENDPOINTS, endpointAddresses: [] },
      /prop 'endpointAddresses' is \[\]; must list at least one IPv4 address/,
    ],
    [
      { backend: TutServiceBackend.MANUAL_ENDPOINTS, endpointAddresses: ['1.2.3.400'] },
      /prop 'endpointAddresses' is \["1.2.3.400"\]; must list IPv4 addresses only/,
    ],
    [
      { backend: TutServiceBackend.MANUAL_ENDPOINTS, endpointsKind: 'Slice' as ManualEndpointsKind },
      /prop 'endpointsKind' is "Slice"; must be one of "Endpoints", "EndpointSlice"/,
    ],
    [
      { client: false, clientImage: 'curlimages/curl:8.8.0' },
      /prop 'clientImage' is "curlimages\/curl:8.8.0"; only applies when client is true/,
    ],
    [{ image: 'Python:2.7' }, /prop 'image' is "Python:2.7"; must be an image reference/],
    [{ clientImage: 'Curl' }, /prop 'clientImage' is "Curl"; must be an image reference/],
    [
      { backend: TutServiceBackend.MANUAL_ENDPOINTS, endpointPort: 0 },
      /prop 'endpointPort' is 0; must be an integer between 1 and 65535/,
    ],
  ])('refuses %j', (props, message) => {
    expect(() => synthConstructs((c) => new BlogNetworking(c, 'app', props))).toThrow(message);
  });
});
