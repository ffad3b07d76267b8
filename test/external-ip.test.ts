import * as fs from 'fs';
import * as path from 'path';
import { settingsFromEnv } from '../apps/settings';
import { ExternalIp, LOAD_BALANCER_SERVICES, ServiceType } from '../lib';
import { findOne, harnessFindings, synthConstructs, synthTutorial, tempDir } from './harness';

// service/load-balancer-example.yaml labels every object with this one label.
const TUTORIAL_LABELS = { 'app.kubernetes.io/name': 'load-balancer-example' };

describe('external-ip chart', () => {
  const { docs, yaml } = synthTutorial('external-ip');
  const deploy = findOne(docs, 'Deployment', 'hello-world');
  const svc = findOne(docs, 'Service', 'my-service');
  const pod = deploy.spec.template.spec;
  const container = pod.containers[0];

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('runs 5 hello-world replicas labelled app.kubernetes.io/name=load-balancer-example', () => {
    expect(deploy.spec.replicas).toBe(5);
    expect(deploy.metadata.labels).toEqual(TUTORIAL_LABELS);
    expect(deploy.spec.selector).toEqual({ matchLabels: TUTORIAL_LABELS });
    expect(deploy.spec.template.metadata.labels).toEqual(TUTORIAL_LABELS);
    expect(container.name).toBe('hello-world');
    expect(container.ports).toEqual([{ containerPort: 8080 }]);
  });

  it("exposes it as kubectl expose --type=LoadBalancer --name=my-service does: 8080 -> 8080, the Deployment's labels", () => {
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports).toEqual([{ port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual(TUTORIAL_LABELS);
    expect(svc.metadata.labels).toEqual(TUTORIAL_LABELS);
    expect(svc.spec.loadBalancerIP).toBeUndefined();
  });

  it('is a LoadBalancer Service that the infrastructure reserves an address for', () => {
    expect(LOAD_BALANCER_SERVICES).toContainEqual({ chart: 'external-ip', service: 'my-service' });
  });

  it('uses hello-app, not the schema 1 node-hello:1.0 (decision D3)', () => {
    expect(container.image).toBe('us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0');
    expect(yaml).not.toContain('node-hello');
    // hello-app listens on $PORT, 8080 unless set: nothing to set for the tutorial's port.
    expect(container.env).toBeUndefined();
  });

  it('runs hello-app as its distroless nonroot user, read-only, without probes (decision D5)', () => {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(container.startupProbe).toBeUndefined();
    expect(container.readinessProbe).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
  });
});

describe('ExternalIp props', () => {
  it('pins a reserved address, and passes the harness with other replicas, port and namespace', () => {
    const result = synthConstructs(
      (c) => new ExternalIp(c, 'app', { loadBalancerIP: '203.0.113.20', replicas: 2, port: 9000, namespace: 'demo' }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const svc = findOne(result.docs, 'Service', 'my-service');
    expect(svc.spec).toMatchObject({
      type: 'LoadBalancer',
      loadBalancerIP: '203.0.113.20',
      ports: [{ port: 9000, targetPort: 9000, protocol: 'TCP' }],
    });
    const c = findOne(result.docs, 'Deployment', 'hello-world').spec.template.spec.containers[0];
    // hello-app only listens elsewhere when PORT says so.
    expect(c.env).toEqual([{ name: 'PORT', value: '9000' }]);
    expect(c.ports).toEqual([{ containerPort: 9000 }]);
  });

  it("writes a NodePort Service on request (the tutorial's minikube path)", () => {
    const result = synthConstructs((c) => new ExternalIp(c, 'app', { serviceType: ServiceType.NODE_PORT }));
    expect(harnessFindings(result)).toEqual([]);
    expect(findOne(result.docs, 'Service', 'my-service').spec.type).toBe('NodePort');
  });

  it('keeps the tutorial image one prop away', () => {
    const { docs } = synthConstructs((c) => new ExternalIp(c, 'app', { image: ExternalIp.TUTORIAL_IMAGE }));
    expect(findOne(docs, 'Deployment', 'hello-world').spec.template.spec.containers[0].image).toBe(
      'gcr.io/google-samples/node-hello:1.0',
    );
  });

  it('takes the reserved address for external-ip/my-service from the infrastructure outputs', () => {
    const file = path.join(tempDir('addr-'), 'outputs.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ 'tutorials-gke': { load_balancer_addresses: { 'external-ip/my-service': '203.0.113.21' } } }),
    );
    const { docs } = synthTutorial('external-ip', settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: file }));
    expect(findOne(docs, 'Service', 'my-service').spec.loadBalancerIP).toBe('203.0.113.21');
  });

  it.each([
    [{ replicas: 0 }, /ExternalIp at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ port: 65536 }, /prop 'port' is 65536; must be an integer between 1 and 65535/],
    [{ namespace: 'Demo' }, /prop 'namespace' is "Demo"; must be an RFC 1123 label/],
    [{ image: 'hello app' }, /prop 'image' is "hello app"; must be an image reference/],
    [
      { serviceType: 'ExternalName' as ServiceType },
      /prop 'serviceType' is "ExternalName"; must be one of "ClusterIP", "NodePort", "LoadBalancer"/,
    ],
    [
      { serviceType: ServiceType.NODE_PORT, loadBalancerIP: '203.0.113.20' },
      /prop 'loadBalancerIP' is "203.0.113.20"; is only valid with serviceType LoadBalancer/,
    ],
    [
      { loadBalancerIP: 'my-reserved-ip' },
      /ExternalIp at 'test\/app': prop 'loadBalancerIP' is "my-reserved-ip"; must be an IPv4 address/,
    ],
    [{ loadBalancerIP: '203.0.113.256' }, /prop 'loadBalancerIP' is "203.0.113.256"; must be an IPv4 address/],
    [{ loadBalancerIP: '256.0.113.20' }, /prop 'loadBalancerIP' is "256.0.113.20"; must be an IPv4 address/],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new ExternalIp(c, 'app', props))).toThrow(message);
  });
});
