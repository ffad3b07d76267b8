import * as fs from 'fs';
import * as path from 'path';
import { settingsFromEnv } from '../apps/settings';
import { HelloMinikube, LOAD_BALANCER_SERVICES, ServiceType } from '../lib';
import { findOne, harnessFindings, synthConstructs, synthTutorial, tempDir } from './harness';

describe('hello-minikube chart', () => {
  const { docs, yaml } = synthTutorial('hello-minikube');
  const deploy = findOne(docs, 'Deployment', 'hello-node');
  const svc = findOne(docs, 'Service', 'hello-node');
  const pod = deploy.spec.template.spec;
  const container = pod.containers[0];

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('is what `kubectl create deployment hello-node` and `kubectl expose --type=LoadBalancer --port=8080` make', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Deployment/hello-node', 'Service/hello-node']);
    expect(deploy.metadata.labels).toEqual({ app: 'hello-node' });
    expect(deploy.spec.replicas).toBe(1);
    expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'hello-node' } });
    expect(deploy.spec.template.metadata.labels).toEqual({ app: 'hello-node' });
    expect(container.name).toBe('hello-node');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.metadata.labels).toEqual({ app: 'hello-node' });
    expect(svc.spec.selector).toEqual({ app: 'hello-node' });
    expect(svc.spec.ports).toEqual([{ port: 8080, targetPort: 8080, protocol: 'TCP' }]);
  });

  it('replaces the deleted hello-node image with agnhost serving "Hello World!" on 8080 and nothing else (decision D3)', () => {
    expect(container.image).toBe('registry.k8s.io/e2e-test-images/agnhost:2.52');
    expect(yaml).not.toContain('hello-minikube-zero-install');
    expect(container.command[0]).toBe('/agnhost');
    expect(container.command[1]).toBe('netexec');
    // The Service's targetPort is the port netexec serves, and the container declares it.
    expect(container.command).toContain(`--http-port=${svc.spec.ports[0].targetPort}`);
    expect(container.ports).toEqual([{ containerPort: svc.spec.ports[0].targetPort }]);
    // server.js answers "Hello World!" on every path; the override also hides /shell behind the public LB.
    const override = container.command.find((a: string) => a.startsWith('--http-override='));
    const url = new URL(override.slice('--http-override='.length), 'http://x');
    expect(url.pathname).toBe('/echo');
    expect(url.searchParams.get('msg')).toBe('Hello World!');
    expect(container.command).toContain('--udp-port=-1');
  });

  it('runs agnhost as nobody with a read-only root filesystem and no startup probe (decision D5)', () => {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65534,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    expect(container.startupProbe).toBeUndefined();
  });

  it('is listed as a LoadBalancer Service and takes its reserved address from the settings', () => {
    expect(LOAD_BALANCER_SERVICES).toContainEqual({ chart: 'hello-minikube', service: 'hello-node' });
    const file = path.join(tempDir('addr-'), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ 'hello-minikube/hello-node': '203.0.113.21' }));
    const result = synthTutorial('hello-minikube', settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: file }));
    expect(findOne(result.docs, 'Service', 'hello-node').spec.loadBalancerIP).toBe('203.0.113.21');
    expect(svc.spec.loadBalancerIP).toBeUndefined();
  });
});

describe('HelloMinikube props', () => {
  it('keeps the agnhost command on another port, the Service following it, in a namespace', () => {
    const result = synthConstructs(
      (c) =>
        new HelloMinikube(c, 'app', {
          port: 9090,
          replicas: 3,
          namespace: 'hello',
          serviceType: ServiceType.NODE_PORT,
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const c = findOne(result.docs, 'Deployment', 'hello-node').spec.template.spec.containers[0];
    expect(c.command).toContain('--http-port=9090');
    expect(c.ports).toEqual([{ containerPort: 9090 }]);
    const s = findOne(result.docs, 'Service', 'hello-node');
    expect(s.spec).toMatchObject({ type: 'NodePort', ports: [{ port: 9090, targetPort: 9090, protocol: 'TCP' }] });
    expect(new Set(result.docs.map((d) => d.metadata.namespace))).toEqual(new Set(['hello']));
  });

  it('runs the tutorial image with its own command when asked', () => {
    const result = synthConstructs((c) => new HelloMinikube(c, 'app', { image: HelloMinikube.TUTORIAL_IMAGE }));
    expect(harnessFindings(result)).toEqual([]);
    const c = findOne(result.docs, 'Deployment', 'hello-node').spec.template.spec.containers[0];
    expect(c.image).toBe('gcr.io/hello-minikube-zero-install/hello-node');
    expect(c.command).toBeUndefined();
  });

  it.each([
    [{ replicas: 0 }, /HelloMinikube at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ port: 0 }, /HelloMinikube at 'test\/app': prop 'port' is 0; must be an integer between 1 and 65535/],
    [{ namespace: 'Hello' }, /prop 'namespace' is "Hello"; must be an RFC 1123 label/],
    [{ image: 'Bad Image' }, /prop 'image' is "Bad Image"; must be an image reference/],
    [{ command: [] }, /prop 'command' is \[\]; must not be empty/],
    [
      { serviceType: 'ExternalName' as ServiceType },
      /prop 'serviceType' is "ExternalName"; must be one of "ClusterIP", "NodePort", "LoadBalancer"/,
    ],
    [
      { serviceType: ServiceType.NODE_PORT, loadBalancerIP: '203.0.113.1' },
      /prop 'loadBalancerIP' is "203.0.113.1"; is only valid with serviceType LoadBalancer/,
    ],
    [
      { loadBalancerIP: 'hello-node-ip' },
      /HelloMinikube at 'test\/app': prop 'loadBalancerIP' is "hello-node-ip"; must be an IPv4 address/,
    ],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new HelloMinikube(c, 'app', props))).toThrow(message);
  });
});
