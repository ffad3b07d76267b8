import * as fs from 'fs';
import * as path from 'path';
import { settingsFromEnv } from '../apps/settings';
import { ExternalTrafficPolicy, SourceIp } from '../lib';
import { findOne, harnessFindings, synthConstructs, synthTutorial, tempDir } from './harness';

describe('source-ip chart', () => {
  const { docs, yaml } = synthTutorial('source-ip');
  const deploy = findOne(docs, 'Deployment', 'source-ip-app');
  const container = deploy.spec.template.spec.containers[0];

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('labels the Deployment and its Pods app=source-ip-app, as kubectl create deployment does', () => {
    expect(deploy.metadata.labels).toEqual({ app: 'source-ip-app' });
    expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'source-ip-app' } });
    expect(deploy.spec.template.metadata.labels).toEqual({ app: 'source-ip-app' });
    expect(container.name).toBe('echoserver');
  });

  it('has the three Services of the tutorial, each 80 -> 8080 and labelled for `kubectl delete svc -l app=source-ip-app`', () => {
    const services = docs.filter((d) => d.kind === 'Service');
    expect(services.map((s) => [s.metadata.name, s.spec.type ?? 'ClusterIP'])).toEqual([
      ['clusterip', 'ClusterIP'],
      ['nodeport', 'NodePort'],
      ['loadbalancer', 'LoadBalancer'],
    ]);
    for (const s of services) {
      expect(s.metadata.labels).toEqual({ app: 'source-ip-app' });
      expect(s.spec.selector).toEqual({ app: 'source-ip-app' });
      expect(s.spec.ports).toEqual([{ port: 80, targetPort: 8080, protocol: 'TCP' }]);
    }
  });

  it('ends as the tutorial does: nodeport and loadbalancer with externalTrafficPolicy Local', () => {
    expect(findOne(docs, 'Service', 'clusterip').spec.externalTrafficPolicy).toBeUndefined();
    expect(findOne(docs, 'Service', 'nodeport').spec.externalTrafficPolicy).toBe('Local');
    expect(findOne(docs, 'Service', 'loadbalancer').spec.externalTrafficPolicy).toBe('Local');
  });

  it('runs an echo server that listens on the target port, not the schema 1 echoserver:1.4 (decision D3)', () => {
    expect(container.image).toBe(SourceIp.IMAGE);
    expect(container.image).not.toBe(SourceIp.TUTORIAL_IMAGE);
    expect(container.ports).toEqual([{ containerPort: 8080 }]);
    expect(container.startupProbe).toBeUndefined();
  });
});

describe('architecture pinning', () => {
  const archOf = (docs: ReturnType<typeof synthConstructs>['docs']) =>
    findOne(docs, 'Deployment', 'source-ip-app').spec.template.spec.affinity?.nodeAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;

  it('keeps the amd64-only echoserver on amd64 nodes', () => {
    expect(archOf(synthTutorial('source-ip').docs)).toEqual([
      { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] },
    ]);
    expect(
      archOf(synthConstructs((c) => new SourceIp(c, 'app', { image: SourceIp.TUTORIAL_IMAGE })).docs),
    ).toHaveLength(1);
  });

  it('does not pin another image unless asked to', () => {
    expect(
      archOf(synthConstructs((c) => new SourceIp(c, 'app', { image: 'example.com/echo:1' })).docs),
    ).toBeUndefined();
    const pinned = synthConstructs(
      (c) => new SourceIp(c, 'app', { image: 'example.com/echo:1', nodeArchitectures: ['arm64', 'amd64'] }),
    );
    expect(archOf(pinned.docs)[0].matchExpressions[0].values).toEqual(['arm64', 'amd64']);
    expect(harnessFindings(pinned)).toEqual([]);
  });

  it('refuses a value that is not an architecture label', () => {
    expect(() => synthConstructs((c) => new SourceIp(c, 'app', { nodeArchitectures: ['AMD 64'] }))).toThrow(
      /SourceIp at 'test\/app': prop 'nodeArchitectures' is \["AMD 64"\]; must list kubernetes.io\/arch values/,
    );
    expect(() => synthConstructs((c) => new SourceIp(c, 'app', { nodeArchitectures: ['amd64', 'arm64/v8'] }))).toThrow(
      /prop 'nodeArchitectures' is \["amd64","arm64\/v8"\]; must list kubernetes.io\/arch values/,
    );
  });
});

describe('SourceIp props', () => {
  it('shows the first state (Cluster policy) on request, and pins a reserved address', () => {
    const result = synthConstructs(
      (c) =>
        new SourceIp(c, 'app', { externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER, loadBalancerIP: '203.0.113.7' }),
    );
    expect(harnessFindings(result)).toEqual([]);
    expect(findOne(result.docs, 'Service', 'nodeport').spec.externalTrafficPolicy).toBe('Cluster');
    expect(findOne(result.docs, 'Service', 'loadbalancer').spec).toMatchObject({
      externalTrafficPolicy: 'Cluster',
      loadBalancerIP: '203.0.113.7',
    });
    expect(findOne(result.docs, 'Service', 'nodeport').spec.loadBalancerIP).toBeUndefined();
  });

  it('keeps targetPort and containerPort together when the port changes', () => {
    const { docs } = synthConstructs((c) => new SourceIp(c, 'app', { containerPort: 9090 }));
    expect(findOne(docs, 'Service', 'clusterip').spec.ports[0].targetPort).toBe(9090);
    expect(findOne(docs, 'Deployment', 'source-ip-app').spec.template.spec.containers[0].ports).toEqual([
      { containerPort: 9090 },
    ]);
  });

  it('limits only the LoadBalancer Service to the given source ranges', () => {
    const { docs } = synthConstructs((c) => new SourceIp(c, 'app', { loadBalancerSourceRanges: ['203.0.113.0/24'] }));
    expect(
      ['clusterip', 'nodeport', 'loadbalancer'].map((n) => findOne(docs, 'Service', n).spec.loadBalancerSourceRanges),
    ).toEqual([undefined, undefined, ['203.0.113.0/24']]);
  });

  it("leaves the image's own command for empty args, writing no empty list", () => {
    const { docs } = synthConstructs((c) => new SourceIp(c, 'app', { args: [] }));
    expect(findOne(docs, 'Deployment', 'source-ip-app').spec.template.spec.containers[0]).not.toHaveProperty('args');
  });

  it('passes given args to the default image instead of its own', () => {
    const { docs } = synthConstructs((c) => new SourceIp(c, 'app', { args: ['--port=9090'] }));
    expect(findOne(docs, 'Deployment', 'source-ip-app').spec.template.spec.containers[0].args).toEqual(['--port=9090']);
  });

  it('keeps the tutorial image one prop away', () => {
    const { docs } = synthConstructs((c) => new SourceIp(c, 'app', { image: SourceIp.TUTORIAL_IMAGE }));
    const container = findOne(docs, 'Deployment', 'source-ip-app').spec.template.spec.containers[0];
    expect(container.image).toBe('registry.k8s.io/echoserver:1.4');
    expect(container.args).toBeUndefined();
  });

  it.each([
    [{ replicas: 0 }, /SourceIp at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ containerPort: 0 }, /prop 'containerPort' is 0; must be an integer between 1 and 65535/],
    [{ servicePort: 65536 }, /prop 'servicePort' is 65536; must be an integer between 1 and 65535/],
    [{ image: 'Echo Server' }, /prop 'image' is "Echo Server"; must be an image reference/],
    [{ namespace: '-bad' }, /prop 'namespace' is "-bad"; must be an RFC 1123 label/],
    [
      { externalTrafficPolicy: 'Nearest' as ExternalTrafficPolicy },
      /prop 'externalTrafficPolicy' is "Nearest"; must be one of "Cluster", "Local"/,
    ],
  ])('refuses %j', (props, message) => {
    expect(() => synthConstructs((c) => new SourceIp(c, 'app', props))).toThrow(message);
  });
});

describe('reserved addresses from the infrastructure outputs', () => {
  const write = (content: unknown) => {
    const file = path.join(tempDir('addr-'), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify(content));
    return file;
  };

  it('sets the address from a cdktf outputs file on the loadbalancer Service', () => {
    const file = write({ 'tutorials-gke': { load_balancer_addresses: { 'source-ip/loadbalancer': '203.0.113.9' } } });
    const { docs } = synthTutorial('source-ip', settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: file }));
    expect(findOne(docs, 'Service', 'loadbalancer').spec.loadBalancerIP).toBe('203.0.113.9');
  });

  it('refuses an unknown Service and a malformed address', () => {
    expect(() => settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: write({ 'nope/x': '203.0.113.9' }) })).toThrow(
      /names 'nope\/x', which is not a LoadBalancer Service/,
    );
    expect(() =>
      settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: write({ 'source-ip/loadbalancer': '203.0.113.999' }) }),
    ).toThrow(/is not an IPv4 address/);
  });
});
