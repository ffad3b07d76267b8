import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as lib from '../lib';
import { checkDocuments, K8sObject, namespaceFindings, testApp, testCertificate } from './harness';

/**
 * Every namespaced object that a construct writes lands in the construct's namespace, or, when
 * the construct is given none, in its chart's; whatever the construct and whichever of its
 * optional objects are switched on. Which kinds are namespaced is the 1.27 API's own account
 * (test/harness/rules.ts, `scopeOf`), so a new kind needs no list here.
 */

type ConstructClass = new (scope: Construct, id: string, props?: any) => Construct;

/** Every construct class that lib/index.ts exports. */
const CONSTRUCTS: Array<[string, ConstructClass]> = Object.entries(lib as Record<string, unknown>).flatMap(
  ([name, value]): Array<[string, ConstructClass]> =>
    typeof value === 'function' && value.prototype instanceof Construct ? [[name, value as ConstructClass]] : [],
);

/**
 * For each construct, the prop sets that between them switch on every object it can write
 * (besides the namespace). A construct exported without a row here fails the first test.
 */
const VARIANTS: Record<string, () => Array<Record<string, unknown>>> = {
  AppArmor: () => [{}, { loader: true, unloadedProfileExample: true, profileForm: lib.AppArmorProfileForm.FIELD }],
  BlogNetworking: () => [
    {},
    { client: true, multiPort: true },
    ...[lib.ManualEndpointsKind.ENDPOINTS, lib.ManualEndpointsKind.ENDPOINT_SLICE].map((endpointsKind) => ({
      client: true,
      backend: lib.TutServiceBackend.MANUAL_ENDPOINTS,
      endpointsKind,
    })),
  ],
  BlogSidecarLogging: () => [{}],
  BlogStatefulSet: () => [{}, { storageClass: { provisioner: 'pd.csi.storage.gke.io' } }],
  BlogStorage: () => [{}],
  Cassandra: () => [{}, { emitStorageClass: true, podDisruptionBudget: true }],
  ExternalIp: () => [{}],
  Guestbook: () => [{}],
  GuestbookLogging: () => [
    {},
    {
      kubeStateMetrics: true,
      credentials: { ELASTIC_CLOUD_ID: 'not-a-real-id', ELASTIC_CLOUD_AUTH: 'not-a-real-auth' },
    },
  ],
  HelloMinikube: () => [{}],
  KubernetesBootcamp: () => [{}, { service: true }],
  Kubia: () => [
    {},
    {
      externalServiceForm: lib.ExternalServiceForm.MANUAL_ENDPOINTS,
      endpointsKind: lib.ManualEndpointsKind.ENDPOINT_SLICE,
      ingressHost: 'kubia.example.com',
      ingressTls: true,
    },
    { externalServiceForm: lib.ExternalServiceForm.EXTERNAL_NAME },
  ],
  NginxHttps: () => [
    {},
    { form: lib.NginxForm.PLAIN },
    {
      tls: { certificatePem: testCertificate().certificatePem, privateKeyPem: testCertificate().privateKeyPem },
      curlClient: true,
    },
  ],
  PodTermination: () => [{}],
  RedisConfig: () => [{}],
  SourceIp: () => [{}],
  StatefulSetBasics: () => [{}],
  WordPress: () => [{}, { mysqlPassword: 'not-a-real-password' }],
  ZooKeeper: () => [{}, { purgeSidecar: true }],
};

function synth(build: (chart: Chart) => void, chartNamespace?: string): K8sObject[] {
  const app: App = testApp();
  const chart = new Chart(app, 'test', { disableResourceNameHashes: true, namespace: chartNamespace });
  build(chart);
  return chart.toJson() as K8sObject[];
}

const cases: Array<[string, ConstructClass, Record<string, unknown>]> = CONSTRUCTS.flatMap(([name, Class]) =>
  (VARIANTS[name]?.() ?? []).map((props, i): [string, ConstructClass, Record<string, unknown>] => [
    `${name} #${i}`,
    Class,
    props,
  ]),
);

describe('the namespace of every object of every construct', () => {
  it('has a row of variants for every construct that lib/index.ts exports', () => {
    expect(CONSTRUCTS.length).toBeGreaterThanOrEqual(19);
    expect(CONSTRUCTS.map(([name]) => name).filter((n) => !(n in VARIANTS))).toEqual([]);
    expect(Object.keys(VARIANTS).filter((n) => !CONSTRUCTS.some(([c]) => c === n))).toEqual([]);
  });

  describe.each(cases)('%s', (_name, Class, props) => {
    it("puts every namespaced object in the construct's namespace", () => {
      const docs = synth((chart) => new Class(chart, 'app', { ...props, namespace: 'team-a' }));
      expect(docs.length).toBeGreaterThan(0);
      expect(namespaceFindings(docs, 'team-a')).toEqual([]);
      // The prop wins over the chart's namespace.
      const inChart = synth((chart) => new Class(chart, 'app', { ...props, namespace: 'team-a' }), 'chart-ns');
      expect(namespaceFindings(inChart, 'team-a')).toEqual([]);
    });

    it("puts every namespaced object in the chart's namespace when the construct is given none", () => {
      // GuestbookLogging's own default is kube-system, where the tutorial puts the Beats.
      const expected = Class === lib.GuestbookLogging ? 'kube-system' : 'chart-ns';
      const docs = synth((chart) => new Class(chart, 'app', props), 'chart-ns');
      expect(namespaceFindings(docs, expected)).toEqual([]);
    });

    it("exposes DNS names of Services it writes, in the construct's namespace", () => {
      const app = testApp();
      const chart = new Chart(app, 'test', { disableResourceNameHashes: true });
      const construct = new Class(chart, 'app', { ...props, namespace: 'team-a' }) as unknown as Record<
        string,
        unknown
      >;
      const docs = chart.toJson() as K8sObject[];
      const names = Object.keys(construct).filter((k) => k.endsWith('DnsName') && typeof construct[k] === 'string');
      for (const key of names) {
        // `<service>.<namespace>.svc.cluster.local`, or `<pod>.<service>.<namespace>...` for a StatefulSet member.
        const labels = String(construct[key])
          .replace(/\.svc\.cluster\.local$/, '')
          .split('.');
        const [service, namespace] = labels.slice(-2);
        expect([key, namespace]).toEqual([key, 'team-a']);
        expect([key, docs.some((d) => d.kind === 'Service' && d.metadata.name === service)]).toEqual([key, true]);
      }
    });

    it('claims no label reserved for a controller and names no namespace on a cluster-scoped object', () => {
      const docs = synth((chart) => new Class(chart, 'app', { ...props, namespace: 'team-a' }));
      const found = checkDocuments(docs, { external: [] }).filter(
        (f) => f.rule === 'reserved-labels' || f.rule === 'namespace-scope',
      );
      expect(found).toEqual([]);
    });
  });
});
