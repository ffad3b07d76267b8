/**
 * Every construct that exposes a Service takes ClusterIP, NodePort and LoadBalancer, unless the
 * tutorial exists to show one kind of Service; then asking for another says why.
 */
import { Construct } from 'constructs';
import * as lib from '../lib';
import { ServiceType } from '../lib';
import { K8sObject, harnessFindings, synthConstructs } from './harness';

type Make = (scope: Construct, props: { serviceType?: ServiceType; loadBalancerSourceRanges?: string[] }) => void;

/** Construct, the Service its serviceType sets, and how to build it. */
const EXPOSED: Array<[string, string, Make]> = [
  ['WordPress', 'wordpress', (s, p) => new lib.WordPress(s, 'app', p)],
  ['Guestbook', 'frontend', (s, p) => new lib.Guestbook(s, 'app', p)],
  ['NginxHttps', 'my-nginx', (s, p) => new lib.NginxHttps(s, 'app', p)],
  ['ExternalIp', 'my-service', (s, p) => new lib.ExternalIp(s, 'app', p)],
  ['HelloMinikube', 'hello-node', (s, p) => new lib.HelloMinikube(s, 'app', p)],
  ['KubernetesBootcamp', 'kubernetes-bootcamp', (s, p) => new lib.KubernetesBootcamp(s, 'app', p)],
  ['BlogSidecarLogging', 'sidecar-logging', (s, p) => new lib.BlogSidecarLogging(s, 'app', p)],
  ['PodTermination', 'nginx-service', (s, p) => new lib.PodTermination(s, 'app', p)],
  ['ZooKeeper', 'zk-cs', (s, p) => new lib.ZooKeeper(s, 'app', p)],
  ['BlogNetworking', 'tut-service', (s, p) => new lib.BlogNetworking(s, 'app', p)],
];

describe.each(EXPOSED)('%s serviceType', (_, service, make) => {
  it.each([ServiceType.CLUSTER_IP, ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER])('takes %s', (type) => {
    const ranges = type === ServiceType.LOAD_BALANCER ? ['203.0.113.0/24'] : undefined;
    const result = synthConstructs((c) => make(c, { serviceType: type, loadBalancerSourceRanges: ranges }));
    const svc = result.docs.find((d: K8sObject) => d.kind === 'Service' && d.metadata.name === service);
    expect(svc?.spec.type ?? ServiceType.CLUSTER_IP).toBe(type);
    expect(svc?.spec.loadBalancerSourceRanges).toEqual(ranges);
    expect(harnessFindings(result)).toEqual([]);
    expect(lib.tutorialWarnings(result.app).filter((w) => w.includes('open to every address'))).toEqual([]);
  });
});

describe('tutorials that exist to show one kind of Service', () => {
  it.each([
    [
      'SourceIp',
      (s: Construct) => new lib.SourceIp(s, 'app', { serviceType: 'NodePort' } as never),
      /compare the client address behind its three Services/,
    ],
    [
      'Kubia',
      (s: Construct) => new lib.Kubia(s, 'app', { serviceType: 'NodePort' } as never),
      /one Service of each type/,
    ],
    [
      'StatefulSetBasics',
      (s: Construct) => new lib.StatefulSetBasics(s, 'app', { serviceType: 'NodePort' } as never),
      /headless Service nginx/,
    ],
    [
      'BlogStatefulSet',
      (s: Construct) => new lib.BlogStatefulSet(s, 'app', { serviceType: 'NodePort' } as never),
      /headless governing Service/,
    ],
    [
      'Cassandra',
      (s: Construct) => new lib.Cassandra(s, 'app', { serviceType: 'NodePort' } as never),
      /headless governing Service cassandra/,
    ],
  ])('%s refuses serviceType and says why', (name, make, why) => {
    expect(() => synthConstructs((c) => make(c))).toThrow(
      new RegExp(`^${name} at 'test/app': prop 'serviceType' is "NodePort"; is not a prop of ${name}: .*${why.source}`),
    );
  });
});
