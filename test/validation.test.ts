/**
 * The rules of lib/internal/validation.ts, each at its boundaries, and the message every refusal
 * gives (who, which prop or setting, the value, the rule). The boundaries are Kubernetes' own
 * (RFC 1123 and 1035 names, the quantity grammar, label syntax) or the JVM's; the constructs'
 * tests check that each prop reaches its rule.
 */
import { Construct } from 'constructs';
import * as v from '../lib/internal/validation';
import { testApp } from './harness';

class Demo extends Construct {}
const scope = new Demo(testApp(), 'demo');
/** What `fn` throws, or undefined when it throws nothing. */
const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};
/** The message `fn` throws, or a note that it threw nothing. */
const thrown = (fn: () => unknown): string => {
  const e = caught(fn);
  return e === undefined ? 'nothing thrown' : (e as Error).message;
};

describe('messages', () => {
  it('name the construct, the prop, the value and the rule', () => {
    const e = caught(() => v.fail(scope, 'size', 3, 'must be small')) as v.ValidationError;
    expect(e).toBeInstanceOf(v.ValidationError);
    expect([e.name, e.message, e.subject, e.setting, e.shownValue, e.rule]).toEqual([
      'ValidationError',
      "Demo at 'demo': prop 'size' is 3; must be small",
      "Demo at 'demo'",
      "prop 'size'",
      '3',
      'must be small',
    ]);
  });

  it.each<[unknown, string]>([
    [undefined, 'undefined'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['x', '"x"'],
    [['a', 1], '["a",1]'],
    [null, 'null'],
  ])('show %p as %s', (value, shown) => {
    expect(thrown(() => v.fail(scope, 'p', value, 'r'))).toBe(`Demo at 'demo': prop 'p' is ${shown}; r`);
  });

  it('return the value when there is no problem, and throw the problem otherwise', () => {
    expect(v.check(scope, 'p', 'ok', undefined)).toBe('ok');
    expect(thrown(() => v.check(scope, 'p', 'bad', 'must be good'))).toBe(
      `Demo at 'demo': prop 'p' is "bad"; must be good`,
    );
  });

  it('name a setting, and say "not set" for a missing one', () => {
    expect(v.checkSetting('cdk8s app settings', 'X', 'ok', undefined)).toBe('ok');
    expect(thrown(() => v.checkSetting('cdk8s app settings', 'X', 'a', 'must be b'))).toBe(
      'cdk8s app settings: X is "a"; must be b',
    );
    expect(thrown(() => v.failSetting('cdktf app settings', 'Y', undefined, 'must be set'))).toBe(
      'cdktf app settings: Y is not set; must be set',
    );
  });
});

describe('integers', () => {
  it.each([
    [1, 1, 3, undefined],
    [3, 1, 3, undefined],
    [0, 1, 3, 'must be an integer between 1 and 3'],
    [4, 1, 3, 'must be an integer between 1 and 3'],
    [1.5, 1, 3, 'must be an integer between 1 and 3'],
    [Number.NaN, 1, 3, 'must be an integer between 1 and 3'],
  ])('%p in [%p, %p]: %p', (value, min, max, problem) => {
    expect(v.integerProblem(value, min, max)).toBe(problem);
  });

  it('has no upper bound but the safe integers by default', () => {
    expect(v.integerProblem(2 ** 40, 0)).toBeUndefined();
    expect(v.integerProblem(-1, 0)).toBe(`must be an integer between 0 and ${Number.MAX_SAFE_INTEGER}`);
  });

  it.each([
    ['replicas', v.replicas, 1, 1000],
    ['port', v.port, 1, 65535],
  ] as const)('%s: from %p to %p', (_, rule, min, max) => {
    expect([rule(scope, 'p', min), rule(scope, 'p', max)]).toEqual([min, max]);
    for (const bad of [min - 1, max + 1])
      expect(thrown(() => rule(scope, 'p', bad))).toBe(
        `Demo at 'demo': prop 'p' is ${bad}; must be an integer between ${min} and ${max}`,
      );
    expect(v.integerInRange(scope, 'p', 7, 7)).toBe(7);
  });
});

describe('names (RFC 1123 and RFC 1035)', () => {
  const label63 = 'a'.repeat(63);
  // 253 characters: four labels of 63 and a dot between each, plus "b".
  const subdomain253 = `${[label63, label63, label63].join('.')}.${'b'.repeat(61)}`;

  it.each([
    ['a', true],
    ['a-1', true],
    ['1a', true],
    [label63, true],
    [`${label63}a`, false],
    ['', false],
    ['-a', false],
    ['a-', false],
    ['A', false],
    ['a.b', false],
    ['a_b', false],
  ])('RFC 1123 label %j: %p', (name, ok) => {
    expect(v.isDns1123Label(name)).toBe(ok);
    expect(v.namespaceProblem(name)).toBe(
      ok
        ? undefined
        : 'must be an RFC 1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
    );
  });

  it.each([
    ['a.b-c.d', true],
    [subdomain253, true],
    [`${subdomain253}b`, false],
    ['a..b', false],
    ['.a', false],
    ['a.', false],
    ['A.b', false],
  ])('RFC 1123 subdomain %j: %p', (name, ok) => {
    expect(subdomain253).toHaveLength(253);
    expect(v.isDns1123Subdomain(name)).toBe(ok);
    expect(v.objectNameProblem(name)).toBe(
      ok
        ? undefined
        : 'must be an RFC 1123 subdomain: lower-case letters, digits, "-" and ".", at most 253 characters, starting and ending with a letter or digit',
    );
  });

  it.each([
    ['a', true],
    ['a1', true],
    ['a-b', true],
    [label63, true],
    ['1a', false],
    ['a-', false],
    [`${label63}a`, false],
    ['', false],
  ])('RFC 1035 label %j: %p', (name, ok) => {
    expect(v.isDns1035Label(name)).toBe(ok);
  });

  it('reports a namespace and an object name for the prop that holds them', () => {
    expect(v.optionalNamespace(scope, undefined)).toBeUndefined();
    expect(v.optionalNamespace(scope, 'team-a')).toBe('team-a');
    expect(thrown(() => v.optionalNamespace(scope, 'Team'))).toMatch(
      /^Demo at 'demo': prop 'namespace' is "Team"; must be an RFC 1123 label/,
    );
    expect(v.namespace(scope, 'ns', 'x')).toBe('x');
    expect(v.objectName(scope, 'name', 'a.b')).toBe('a.b');
    expect(thrown(() => v.objectName(scope, 'name', 'A'))).toMatch(
      /^Demo at 'demo': prop 'name' is "A"; must be an RFC 1123 subdomain/,
    );
  });
});

describe('quantities', () => {
  it.each([
    '1',
    '1.5',
    '.5',
    '.25',
    '1.',
    '+1',
    '-1',
    '20Gi',
    '500m',
    '1e3',
    '1E-3',
    '2Ki',
    '3Ei',
    '4n',
    '5u',
    '6k',
    '7M',
  ])('accepts %j', (q) => {
    expect(v.quantityProblem(q)).toBeUndefined();
    expect(v.quantity(scope, 'q', q)).toBe(q);
  });

  it.each(['', 'Gi', '20GB', '20 Gi', '1.5.5', '1e', 'ki', '1Ki ', ' 1'])('refuses %j', (q) => {
    expect(v.quantityProblem(q)).toBe('must be a Kubernetes quantity such as "20Gi", "512Mi" or "500m"');
    expect(thrown(() => v.quantity(scope, 'q', q))).toBe(
      `Demo at 'demo': prop 'q' is ${JSON.stringify(q)}; must be a Kubernetes quantity such as "20Gi", "512Mi" or "500m"`,
    );
  });

  it.each([
    ['1', 1],
    ['1.5', 1.5],
    ['1Ki', 1024],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1Mi', 2 ** 20],
    ['1Ti', 2 ** 40],
    ['1Pi', 2 ** 50],
    ['1Ei', 2 ** 60],
    ['500m', 0.5],
    ['3u', 3e-6],
    ['1n', 1e-9],
    ['2k', 2000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1e3', 1000],
    ['2E-3', 0.002],
    ['-2', -2],
  ])('parses %j as %p', (q, n) => {
    expect(v.parseQuantity(q)).toBeCloseTo(n, 12);
  });

  it('refuses to parse what is not a quantity', () => {
    expect(() => v.parseQuantity('2 GB')).toThrow("'2 GB' is not a Kubernetes quantity");
  });

  it.each([
    ['20Gi', undefined],
    ['1k', undefined],
    ['0.5Ki', undefined],
    ['50', 'must have a unit: 50 is 50 bytes (did you mean "50Gi"?)'],
    ['0.5', 'must have a unit: 0.5 is 0.5 bytes (did you mean "0.5Gi"?)'],
    ['+5', 'must have a unit: +5 is 5 bytes (did you mean "+5Gi"?)'],
    ['5e3', 'must have a unit: 5e3 is 5000 bytes (did you mean "5Gi"?)'],
    ['0.001k', undefined], // one byte, the least
    ['1E', undefined], // exa, not an exponent
    ['5000m', 'must be a positive amount of storage such as "20Gi" or "500Mi"'],
    ['0', 'must be a positive amount of storage such as "20Gi" or "500Mi"'],
    ['500m', 'must be a positive amount of storage such as "20Gi" or "500Mi"'],
    ['3u', 'must be a positive amount of storage such as "20Gi" or "500Mi"'],
    ['1n', 'must be a positive amount of storage such as "20Gi" or "500Mi"'],
    ['0.0001Ki', 'must be a positive amount of storage such as "20Gi" or "500Mi"'],
    ['-1Gi', 'must be a positive amount of storage such as "20Gi" or "500Mi"'],
    ['20GB', 'must be a Kubernetes quantity such as "20Gi", "512Mi" or "500m"'],
  ])('storage size %j: %p', (size, problem) => {
    expect(v.storageSizeProblem(size)).toBe(problem);
    expect(thrown(() => v.storageSize(scope, 'storage', size))).toBe(
      problem === undefined
        ? 'nothing thrown'
        : `Demo at 'demo': prop 'storage' is ${JSON.stringify(size)}; ${problem}`,
    );
  });

  it('refuses a request above its limit, naming the limit, and accepts one at it or without one', () => {
    expect(thrown(() => v.requestWithinLimit(scope, 'cpuRequest', '2', 'cpuLimit', '1500m'))).toBe(
      `Demo at 'demo': prop 'cpuRequest' is "2"; must not exceed cpuLimit ("1500m"); Kubernetes rejects a request above its limit`,
    );
    expect(thrown(() => v.requestWithinLimit(scope, 'cpuRequest', '1500m', 'cpuLimit', '1.5'))).toBe('nothing thrown');
    expect(thrown(() => v.requestWithinLimit(scope, 'cpuRequest', '99', 'cpuLimit', undefined))).toBe('nothing thrown');
  });
});

describe('values that are not strings (a JavaScript caller)', () => {
  // An array of one string passes a regular expression's test as its only element would.
  const value = (s: string) => [s] as unknown as string;
  it('are refused by every string rule', () => {
    expect(v.namespaceProblem(value('a'))).toMatch(/^must be an RFC 1123 label/);
    expect(v.objectNameProblem(value('a'))).toMatch(/^must be an RFC 1123 subdomain/);
    expect(v.quantityProblem(value('1Gi'))).toMatch(/^must be a Kubernetes quantity/);
    expect(v.storageSizeProblem(value('50'))).toMatch(/^must be a Kubernetes quantity/);
    expect(v.isIpv4(value('10.0.0.1'))).toBe(false);
    expect(v.cidrProblem(value('10.0.0.0/8'))).toBe('must be an IPv4 CIDR range such as "203.0.113.0/24"');
    expect(thrown(() => v.jvmMemorySize(scope, 'heap', value('512M')))).toMatch(/must be a JVM memory size/);
  });
});

describe('JVM memory sizes (-Xmx)', () => {
  it.each([
    ['100', 100],
    ['1048576k', 2 ** 30],
    ['512K', 512 * 2 ** 10],
    ['512M', 512 * 2 ** 20],
    ['512m', 512 * 2 ** 20],
    ['2G', 2 * 2 ** 30],
    ['2g', 2 * 2 ** 30],
  ])('reads %j as %p bytes', (size, bytes) => {
    expect(v.jvmMemorySize(scope, 'heap', size)).toBe(bytes);
  });

  it.each(['512Mi', '0', '01M', '1.5G', 'M', '', '2 G', '2GB'])('refuses %j', (size) => {
    expect(thrown(() => v.jvmMemorySize(scope, 'heap', size))).toBe(
      `Demo at 'demo': prop 'heap' is ${JSON.stringify(size)}; must be a JVM memory size such as "512M" or "2G" (digits and an optional k, m or g suffix, as -Xmx takes it)`,
    );
  });
});

describe('addresses', () => {
  it.each([
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['203.0.113.20', true],
    ['199.249.10.9', true],
    ['256.0.0.1', false],
    ['1.2.3', false],
    ['1.2.3.4.5', false],
    ['01.2.3.4', false],
    ['1.2.3.4 ', false],
    ['a.b.c.d', false],
  ])('IPv4 %j: %p', (ip, ok) => {
    expect(v.isIpv4(ip)).toBe(ok);
    expect(v.ipv4Problem(ip)).toBe(
      ok ? undefined : 'must be an IPv4 address such as "203.0.113.20" (a reserved regional address)',
    );
    expect(thrown(() => v.ipv4(scope, 'ip', ip))).toBe(
      ok
        ? 'nothing thrown'
        : `Demo at 'demo': prop 'ip' is ${JSON.stringify(ip)}; must be an IPv4 address such as "203.0.113.20" (a reserved regional address)`,
    );
  });

  const FORM = 'must be an IPv4 CIDR range such as "203.0.113.0/24"';
  it.each([
    ['10.0.0.0/8', undefined],
    ['10.0.0.1/32', undefined],
    ['0.0.0.0/0', undefined],
    ['192.168.1.128/25', undefined],
    [
      '192.168.1.64/25',
      'must have no host bits set after the prefix (did you mean a /25 that starts at the network address?)',
    ],
    [
      '10.0.0.1/8',
      'must have no host bits set after the prefix (did you mean a /8 that starts at the network address?)',
    ],
    ['10.0.0.0/33', FORM],
    ['10.0.0.0', FORM],
    ['10.0.0.0/', FORM],
    ['10.0.0/8', FORM],
  ])('CIDR %j: %p', (cidr, problem) => {
    expect(v.cidrProblem(cidr)).toBe(problem);
  });

  it('refuses 0.0.0.0/0 as a source range, which leaving the ranges out already means', () => {
    expect(v.sourceRangeProblem('0.0.0.0/0')).toBe(
      'must not be 0.0.0.0/0: the ranges limit who reaches the Services; leave them out to stay open to every address',
    );
    expect(v.sourceRangeProblem('10.0.0.0/8')).toBeUndefined();
    expect(v.sourceRangeProblem('10.0.0.1/8')).toMatch(/^must have no host bits set/);
  });

  it('takes a list of at least one address, and names the first that is not one', () => {
    const given = ['10.0.0.1', '10.0.0.2'];
    const result = v.ipv4Addresses(scope, 'addresses', given);
    expect(result).toEqual(given);
    expect(result).not.toBe(given);
    expect(thrown(() => v.ipv4Addresses(scope, 'addresses', []))).toBe(
      `Demo at 'demo': prop 'addresses' is []; must list at least one IPv4 address`,
    );
    expect(thrown(() => v.ipv4Addresses(scope, 'addresses', ['10.0.0.1', 'db', 'x']))).toBe(
      `Demo at 'demo': prop 'addresses' is ["10.0.0.1","db","x"]; must list IPv4 addresses only; "db" is not one`,
    );
  });
});

describe('suggesting the name that was meant', () => {
  it.each([
    ['', 'abc', 3],
    ['abc', 'abc', 0],
    ['kitten', 'sitting', 3],
    ['ab', 'ba', 2],
    ['flaw', 'lawn', 2],
  ])('edit distance of %j and %j: %p', (a, b, d) => {
    expect(v.editDistance(a, b)).toBe(d);
    expect(v.editDistance(b, a)).toBe(d);
  });

  const KNOWN = ['GKE_LABELS', 'GKE_NODE_COUNT', 'GKE_PROJECT', 'GKE_REGION'];
  it.each([
    ['GKE_NODES', 'GKE_NODE_COUNT'], // a shared word beats fewer edits (GKE_LABELS is 4 edits away)
    ['nodeCount', 'GKE_NODE_COUNT'],
    ['GKE_PROJCT', 'GKE_PROJECT'], // no shared word; 1 edit of 10 letters
    ['GKE_REGOIN', 'GKE_REGION'],
    ['gke_nodes', 'GKE_NODE_COUNT'], // words are compared without case
    ['XYZ', undefined],
    ['GKE_ZONE', undefined], // 5 edits from the nearest, more than a third of the name
  ])('%s: %p', (name, meant) => {
    expect(v.closestName(name, KNOWN)).toBe(meant);
  });

  it('needs a shared word of at least 3 letters', () => {
    expect(v.closestName('NOD', ['NODE_COUNT', 'NOX'])).toBe('NODE_COUNT'); // "nod" starts "node"
    expect(v.closestName('GKE_NO', ['GKE_NODE_COUNT', 'GKE_NX'])).toBe('GKE_NX'); // "no" is too short to share
    expect(v.closestName('GKE_LA', ['GKE_LABELS'])).toBeUndefined();
    expect(v.closestName('x', [])).toBeUndefined();
  });

  it('without a shared word, takes a name at most a third of the letters away', () => {
    expect(v.closestName('rplcas', ['replicas'])).toBe('replicas'); // 2 edits of 6 letters
    expect(v.closestName('rplca', ['replicas'])).toBeUndefined(); // 3 edits of 5
  });
});

describe('labels', () => {
  const name63 = 'a'.repeat(63);
  it('takes keys with and without a DNS prefix, and empty or name-like values', () => {
    const given = {
      a: 'b',
      App: 'Web',
      app: 'web',
      'example.com/tier': '',
      [name63]: 'v1.2_x-Y',
      'cloud.google.com/gke-nodepool': name63,
    };
    const result = v.labels(scope, 'nodeSelector', given);
    expect(result).toEqual(given);
    expect(result).not.toBe(given);
  });

  it('needs at least one label', () => {
    expect(thrown(() => v.labels(scope, 'nodeSelector', {}))).toBe(
      `Demo at 'demo': prop 'nodeSelector' is {}; must name at least one label`,
    );
  });

  it.each(['Example.com/app', 'a_b/app', `${name63}a`, '-app', 'app-', 'example.com/', 'a b'])(
    'refuses the key %j',
    (key) => {
      expect(thrown(() => v.labels(scope, 'nodeSelector', { [key]: 'x' }))).toBe(
        `Demo at 'demo': prop 'nodeSelector' is ${JSON.stringify({ [key]: 'x' })}; must have label keys of the form [prefix/]name (name: at most 63 alphanumerics, '-', '_', '.'); "${key}" is not one`,
      );
    },
  );

  it.each<unknown>(['-v', 'v-', `${name63}a`, 'a b', 'a/b', 3])('refuses the value %j', (value) => {
    const given = { app: value } as unknown as Record<string, string>;
    expect(thrown(() => v.labels(scope, 'nodeSelector', given))).toBe(
      `Demo at 'demo': prop 'nodeSelector' is ${JSON.stringify(given)}; must have label values of at most 63 alphanumerics, '-', '_', '.'; "${String(value)}" of "app" is not one`,
    );
  });
});

describe('closed sets', () => {
  it('takes a listed value and lists the others in the refusal', () => {
    expect(v.oneOf(scope, 'form', 'a', ['a', 'b'])).toBe('a');
    expect(thrown(() => v.oneOf(scope, 'form', 'c' as 'a', ['a', 'b']))).toBe(
      `Demo at 'demo': prop 'form' is "c"; must be one of "a", "b"`,
    );
  });
});
