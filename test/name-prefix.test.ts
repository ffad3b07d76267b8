/**
 * `namePrefix` (decision D1's "two copies side by side"): two copies of a tutorial with their
 * own prefixes in one chart, one namespace, must write no object twice, pass the harness (every
 * reference, selector and serviceName resolves within the chart), select only their own Pods,
 * and use no name of the unprefixed tutorial in what their programs read (env, args, commands,
 * config files). Without a prefix the output is the tutorial's: the snapshots are unchanged.
 */
import { Construct } from 'constructs';
import { NAME_PREFIX_LABEL } from '../lib/internal/names';
import * as lib from '../lib';
import { K8sObject, harnessFindings, podTemplates, selects, synthConstructs } from './harness';

type Factory = (scope: Construct, id: string, props: { namePrefix?: string }) => Construct;

/** Every construct that takes namePrefix, with props that write all of its objects where that matters. */
const CONSTRUCTS: Record<string, Factory> = {
  WordPress: (s, id, p) => new lib.WordPress(s, id, { ...p, mysqlPassword: 'not-a-real-one' }),
  Guestbook: (s, id, p) => new lib.Guestbook(s, id, p),
  ZooKeeper: (s, id, p) => new lib.ZooKeeper(s, id, p),
  GuestbookLogging: (s, id, p) =>
    new lib.GuestbookLogging(s, id, {
      ...p,
      clusterAdminUser: 'me@example.com',
      credentials: { ELASTIC_CLOUD_ID: 'x', ELASTIC_CLOUD_AUTH: 'y' },
    }),
  // A fixed node port is cluster-wide: each copy needs its own (docs/name-prefix.md).
  Kubia: (s, id, p) =>
    new lib.Kubia(s, id, { ...p, nodePort: p.namePrefix === 'green' ? 30124 : 30123, ingressTls: true }),
  'Kubia endpoints': (s, id, p) =>
    new lib.Kubia(s, id, {
      ...p,
      nodePort: p.namePrefix === 'green' ? 30124 : 30123,
      externalServiceForm: lib.ExternalServiceForm.MANUAL_ENDPOINTS,
    }),
  BlogStatefulSet: (s, id, p) => new lib.BlogStatefulSet(s, id, p),
  StatefulSetBasics: (s, id, p) => new lib.StatefulSetBasics(s, id, p),
  BlogNetworking: (s, id, p) => new lib.BlogNetworking(s, id, { ...p, multiPort: true }),
  'BlogNetworking manual': (s, id, p) =>
    new lib.BlogNetworking(s, id, { ...p, backend: lib.TutServiceBackend.MANUAL_ENDPOINTS }),
  PodTermination: (s, id, p) => new lib.PodTermination(s, id, p),
  RedisConfig: (s, id, p) => new lib.RedisConfig(s, id, p),
  AppArmor: (s, id, p) => new lib.AppArmor(s, id, { ...p, unloadedProfileExample: true }),
  BlogSidecarLogging: (s, id, p) => new lib.BlogSidecarLogging(s, id, p),
  BlogStorage: (s, id, p) => new lib.BlogStorage(s, id, { ...p, hostPath: '/mnt/data' }),
  SourceIp: (s, id, p) => new lib.SourceIp(s, id, p),
  ExternalIp: (s, id, p) => new lib.ExternalIp(s, id, p),
  HelloMinikube: (s, id, p) => new lib.HelloMinikube(s, id, p),
  KubernetesBootcamp: (s, id, p) => new lib.KubernetesBootcamp(s, id, p),
  NginxHttps: (s, id, p) => new lib.NginxHttps(s, id, p),
  'NginxHttps plain': (s, id, p) => new lib.NginxHttps(s, id, { ...p, form: lib.NginxForm.PLAIN }),
  Cassandra: (s, id, p) => new lib.Cassandra(s, id, { ...p, emitStorageClass: true }),
};

/** Keys whose strings are names of things inside one object, labels or images, not names a program resolves. */
const NOT_RESOLVED = new Set([
  'metadata',
  'selector',
  'labels',
  'matchLabels',
  'image',
  'name',
  'mountPath',
  'containerPort',
  'targetPort',
  'podSelector',
]);

function programStrings(value: unknown, out: string[], key = ''): void {
  if (NOT_RESOLVED.has(key)) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) programStrings(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) programStrings(v, out, k);
}

const namesOf = (docs: readonly K8sObject[], kinds: readonly string[]) =>
  docs.filter((d) => kinds.includes(d.kind)).map((d) => d.metadata.name as string);

describe.each(Object.entries(CONSTRUCTS))('%s namePrefix', (_, make) => {
  const plain = synthConstructs((c) => make(c, 'app', {}));
  const both = synthConstructs((c) => {
    make(c, 'blue', { namePrefix: 'blue' });
    make(c, 'green', { namePrefix: 'green' });
  });
  const copy = (prefix: string) => both.docs.filter((d) => (d.metadata.name as string).startsWith(`${prefix}-`));

  it('prefixes every object name, so two copies share one namespace without a clash', () => {
    expect(both.docs.length).toBe(2 * plain.docs.length);
    expect(copy('blue').length + copy('green').length).toBe(both.docs.length);
    expect(harnessFindings(both)).toEqual([]);
    const nodePorts = both.docs
      .filter((d) => d.kind === 'Service')
      .flatMap((d) => (d.spec.ports ?? []).map((p: { nodePort?: number }) => p.nodePort))
      .filter((p) => p !== undefined);
    expect(new Set(nodePorts).size).toBe(nodePorts.length);
  });

  it("selects only its own copy's Pods", () => {
    const pods = podTemplates(both.docs);
    const selectors = both.docs.flatMap((d): Array<[K8sObject, any]> => {
      if (d.kind === 'Service' && d.spec?.selector) return [[d, d.spec.selector]];
      if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(d.kind)) return [[d, d.spec.selector]];
      if (d.kind === 'NetworkPolicy' || d.kind === 'PodDisruptionBudget')
        return [[d, d.spec.podSelector ?? d.spec.selector]];
      return [];
    });
    expect(pods.length).toBeGreaterThan(0);
    for (const [owner, selector] of selectors) {
      const prefix = (owner.metadata.name as string).split('-')[0];
      const selected = pods.filter((p) => selects(selector, p.labels)).map((p) => p.owner.metadata.name as string);
      expect([owner.metadata.name, selected.every((n) => n.startsWith(`${prefix}-`))]).toEqual([
        owner.metadata.name,
        true,
      ]);
      if (owner.kind === 'Service' || owner.kind === 'NetworkPolicy') continue;
      expect(selected.length).toBeGreaterThan(0);
    }
    // A claim that selects its volume by label binds only its own copy's.
    for (const claim of both.docs.filter((d) => d.kind === 'PersistentVolumeClaim' && d.spec.selector)) {
      const volumes = both.docs.filter(
        (d) => d.kind === 'PersistentVolume' && selects(claim.spec.selector, d.metadata.labels ?? {}),
      );
      const prefix = (claim.metadata.name as string).split('-')[0];
      expect(volumes.map((d) => (d.metadata.name as string).split('-')[0])).toEqual([prefix]);
    }
    for (const p of pods) expect(p.labels[NAME_PREFIX_LABEL]).toBe((p.owner.metadata.name as string).split('-')[0]);
  });

  it('resolves only its own names: no unprefixed Service, Secret, ConfigMap or claim name in what its programs read', () => {
    const tutorialNames = namesOf(plain.docs, ['Service', 'Secret', 'ConfigMap', 'PersistentVolumeClaim']);
    for (const prefix of ['blue', 'green']) {
      const strings: string[] = [];
      for (const d of copy(prefix)) programStrings(d, strings);
      // Comment lines of config files name things for the reader, not for the program.
      const code = strings.map((s) =>
        s
          .split('\n')
          .filter((l) => !/^\s*#/.test(l))
          .join('\n'),
      );
      const stale = code.filter((s) =>
        tutorialNames.some((name) => new RegExp(`(?<![-.a-z0-9])${name.replace(/\./g, '\\.')}(?![-a-z0-9])`).test(s)),
      );
      expect([prefix, stale]).toEqual([prefix, []]);
    }
  });

  it("writes the tutorial's names without a prefix, and no instance label", () => {
    expect(JSON.stringify(plain.docs)).not.toContain(NAME_PREFIX_LABEL);
  });
});

describe('namePrefix coverage', () => {
  it('every tutorial construct the package exports is tested here', () => {
    const constructs = Object.entries(lib)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Construct)
      .map(([name]) => name)
      .sort();
    expect(constructs.length).toBe(19);
    const tested = new Set(Object.keys(CONSTRUCTS).map((k) => k.split(' ')[0]));
    expect(constructs.filter((c) => !tested.has(c))).toEqual([]);
  });
});

describe('namePrefix validation', () => {
  it.each([
    ['Blue', 'must be a lower-case DNS label'],
    ['blue-', 'must be a lower-case DNS label'],
    ['1blue', 'must be a lower-case DNS label'],
    ['a'.repeat(21), 'must be a lower-case DNS label of at most 20 characters'],
  ])('refuses %j, naming construct, prop, value and rule', (prefix, rule) => {
    for (const [name, make] of Object.entries(CONSTRUCTS))
      expect(() => synthConstructs((c) => make(c, 'app', { namePrefix: prefix }))).toThrow(
        `${name.split(' ')[0]} at 'test/app': prop 'namePrefix' is ${JSON.stringify(prefix)}; ${rule}`,
      );
  });

  it.each(['a', 'b-2', 'a'.repeat(20)])('accepts %j, the shortest, a hyphen and the longest', (prefix) => {
    const { docs } = synthConstructs((c) => new lib.HelloMinikube(c, 'app', { namePrefix: prefix }));
    expect(docs.map((d) => d.metadata.name)).toEqual(docs.map(() => expect.stringMatching(`^${prefix}-`)));
  });
});
