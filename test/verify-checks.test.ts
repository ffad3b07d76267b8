import * as fs from 'fs';
import * as os from 'os';
import { TUTORIAL_CHARTS } from '../apps/charts';
import { TutorialCheck, exec } from '../apps/checks';
import { CHECK_LABEL, checkJob, checkJobName, checkListProblems, matchOutput, oneLine } from '../apps/verify/checks';
import { USAGE, contextRefusal, durationRule, findKubeconfig, parseArgs, parseDuration } from '../apps/verify/options';
import { MainDeps, listing, main } from '../apps/verify/main';

function fakeDeps(out: string[], err: string[]): MainDeps {
  return {
    env: {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: () => undefined,
    connect: () => {
      throw new Error('no cluster in unit tests');
    },
    onInterrupt: () => () => undefined,
  };
}
import { ResultRow, SIMULATED, failed, formatTable, junitXml, notRun, passed, totals } from '../apps/verify/report';
import { THROWAWAY_LABEL, missingSecrets, throwawaySecret } from '../apps/verify/secrets';
import {
  CLUSTER_SCOPED_KINDS,
  INSTALL_ORDER,
  installOrder,
  isClusterScoped,
  place,
  synthCharts,
} from '../apps/verify/manifests';
import { scopeOf } from './harness/rules';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { chartSpec, checkDocuments, findOne, selectedPodTemplates, synthTutorial } from './harness';

const ids = TUTORIAL_CHARTS.map((c) => c.id);
const allChecks = TUTORIAL_CHARTS.flatMap((c) => (c.checks ?? []).map((k) => ({ id: c.id, check: k })));

describe("the tutorials' checks (apps/charts.ts)", () => {
  test('every registered check list is valid', () => {
    expect(TUTORIAL_CHARTS.flatMap((c) => checkListProblems(c.id, c.checks ?? []))).toEqual([]);
  });

  test('every tutorial has at least one check', () => {
    // guestbook-logging's own check is Kibana showing the logs (the user's Elasticsearch); its
    // checks here show what runs without them.
    expect(TUTORIAL_CHARTS.filter((c) => !(c.checks ?? []).length).map((c) => c.id)).toEqual([]);
  });

  test("guestbook-logging's checks look for its Beats in the namespace the chart puts them in, each reading its own file", () => {
    const logging = TUTORIAL_CHARTS.find((c) => c.id === 'guestbook-logging')!;
    const { docs } = synthTutorial('guestbook-logging');
    for (const check of logging.checks ?? []) {
      if (!('exec' in check.run)) throw new Error('an exec check');
      const ds = docs.find(
        (d) =>
          d.kind === 'DaemonSet' &&
          Object.entries((check.run as any).exec.pod).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      )!;
      expect(ds.metadata.namespace).toBe(check.run.exec.namespace);
      const mounted = ds.spec.template.spec.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath);
      expect(mounted).toContain(check.run.exec.command[check.run.exec.command.indexOf('-c') + 1]);
    }
    expect((logging.checks ?? []).length).toBe(2);
  });

  test('each exec check names a Pod (or labels) and a container the chart runs', () => {
    for (const { id, check } of allChecks) {
      if (!('exec' in check.run)) continue;
      const { docs } = synthTutorial(id);
      const { pod, container } = check.run.exec;
      const owners = docs.filter((d) =>
        ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(d.kind),
      );
      const match = owners.find((o) => {
        const labels = o.kind === 'Pod' ? (o.metadata.labels ?? {}) : (o.spec.template.metadata.labels ?? {});
        if (typeof pod !== 'string') return Object.entries(pod).every(([k, v]) => labels[k] === v);
        if (o.kind === 'Pod') return o.metadata.name === pod;
        if (o.kind === 'StatefulSet')
          return (
            new RegExp(`^${o.metadata.name}-\\d+$`).test(pod) && Number(pod.split('-').pop()) < (o.spec.replicas ?? 1)
          );
        return false;
      });
      expect({ id, check: check.name, found: match !== undefined }).toEqual({ id, check: check.name, found: true });
      if (container) {
        const spec = match!.kind === 'Pod' ? match!.spec : match!.spec.template.spec;
        expect(spec.containers.map((c: { name: string }) => c.name)).toContain(container);
      }
    }
  });

  test("each job check's Job manifest passes the check harness with no findings", () => {
    const jobs = allChecks.filter(({ check }) => 'job' in check.run);
    expect(jobs.length).toBeGreaterThan(5);
    for (const { id, check } of jobs) {
      const job = checkJob(check, `verify-${id}`);
      expect({ id, check: check.name, findings: checkDocuments([job as never], { external: [] }) }).toEqual({
        id,
        check: check.name,
        findings: [],
      });
    }
  });

  test('a Job that names no tag, an empty match, a blank argument or a bad regex is refused', () => {
    const bad: TutorialCheck[] = [
      {
        name: 'untagged',
        expect: 'x',
        run: { job: { image: 'curlimages/curl', command: ['true'] } },
        match: { contains: 'x' },
      },
      { name: 'nothing', expect: 'x', run: { exec: { pod: 'p', command: ['true'] } }, match: {} },
      { name: 'regex', expect: 'x', run: { exec: { pod: 'p', command: ['true'] } }, match: { regex: '(' } },
      { name: 'regex', expect: '', run: { exec: { pod: 'p', command: [] } }, match: { contains: 'x' } },
      { name: 'blank', expect: 'x', run: { exec: { pod: 'p', command: ['curl', ' ', ''] } }, match: { contains: '' } },
    ];
    expect(checkListProblems('t', bad)).toEqual([
      "t: check 'untagged': image 'curlimages/curl' has no tag (decision D3)",
      "t: check 'nothing': 'match' states nothing to look for",
      expect.stringMatching(/^t: check 'regex': regex "\(" is not a regular expression/),
      "t: check 'regex': name used twice",
      "t: check 'regex': 'expect' is empty; say the expected result in the tutorial's words",
      "t: check 'regex': empty command",
      "t: check 'blank': argument 2 of the command is empty",
      "t: check 'blank': 'match.contains' is empty, which any output contains",
    ]);
  });

  test("an exec names its container only when given one (kubectl exec -c), else the Pod's first", () => {
    expect(exec({ app: 'curlpod' }, ['true'], 'curl')).toEqual({
      exec: { pod: { app: 'curlpod' }, command: ['true'], container: 'curl' },
    });
    expect(exec('zk-0', ['true'])).toEqual({ exec: { pod: 'zk-0', command: ['true'] } });
  });

  test('Job names are DNS labels', () => {
    for (const { check } of allChecks) expect(checkJobName(check)).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
  });
});

describe("matching a check's output", () => {
  const find = (id: string, name: string) =>
    TUTORIAL_CHARTS.find((c) => c.id === id)!.checks!.find((c) => c.name === name)!;

  test('cassandra: three UN lines in DC1-K8Demo pass; a node still joining (UJ) fails', () => {
    const ok = `Datacenter: DC1-K8Demo\n=======================\nStatus=Up/Down\n|/ State=Normal/Leaving/Joining/Moving\n--  Address     Load       Tokens  Owns   Host ID  Rack\nUN  10.0.0.4  104.55 KiB  32  72.4%  a  Rack1-K8Demo\nUN  10.0.1.5  108.4 KiB  32  65.9%  b  Rack1-K8Demo\nUN  10.0.2.6  99.2 KiB  32  61.7%  c  Rack1-K8Demo\n`;
    expect(matchOutput(find('cassandra', 'nodetool status').match, ok, 0)).toEqual({ ok: true, reason: '' });
    const joining = ok.replace(/UN {2}10\.0\.2\.6/, 'UJ  10.0.2.6');
    expect(matchOutput(find('cassandra', 'nodetool status').match, joining, 0).reason).toMatch(
      /^2 lines match \/\^UN \/, expected 3/,
    );
  });

  test('redis-config: maxmemory 2097152 passes, the default 0 fails', () => {
    const m = find('redis-config', 'maxmemory').match;
    expect(matchOutput(m, 'maxmemory\n2097152\n', 0).ok).toBe(true);
    expect(matchOutput(m, 'maxmemory\n0\n', 0).ok).toBe(false);
    expect(matchOutput(find('redis-config', 'maxmemory-policy').match, 'maxmemory-policy\nallkeys-lru\n', 0).ok).toBe(
      true,
    );
    expect(matchOutput(find('redis-config', 'maxmemory-policy').match, 'maxmemory-policy\nnoeviction\n', 0).ok).toBe(
      false,
    );
  });

  test("source-ip: client_address must be the asking Pod's own address", () => {
    const m = find('source-ip', 'clusterip client address').match;
    expect(matchOutput(m, 'pod_ip=10.8.0.12\nCLIENT VALUES:\nclient_address=10.8.0.12\ncommand=GET\n', 0).ok).toBe(
      true,
    );
    expect(matchOutput(m, 'pod_ip=10.8.0.12\nCLIENT VALUES:\nclient_address=10.128.0.3\n', 0).ok).toBe(false);
    expect(matchOutput(m, 'pod_ip=10.8.0.12\nclient_address=10.8.0.120\n', 0).ok).toBe(false);
  });

  test('zookeeper: get /hello on zk-1 wants the line "world"', () => {
    const m = find('zookeeper', 'get /hello on zk-1').match;
    expect(matchOutput(m, 'Connecting to localhost:2181\nWATCHER::\nworld\ncZxid = 0x100000002\n', 0).ok).toBe(true);
    expect(matchOutput(m, 'Node does not exist: /hello\n', 0).ok).toBe(false);
    expect(
      matchOutput(find('zookeeper', 'zk-0 dns name').match, 'zk-0.zk-hs.verify-zookeeper.svc.cluster.local\n', 0).ok,
    ).toBe(true);
  });

  test('a non-zero exit code fails unless the check expects it, with the output in the reason', () => {
    expect(matchOutput({ contains: 'x' }, 'x', 7)).toEqual({ ok: false, reason: 'exit code 7, expected 0; output: x' });
    expect(matchOutput({ contains: 'x', exitCode: 7 }, 'x', 7).ok).toBe(true);
    expect(matchOutput({ contains: 'Welcome' }, '', 0).reason).toBe('output lacks "Welcome": (no output)');
    expect(matchOutput({ regex: '^ok$' }, 'not ok\n', 0)).toEqual({
      ok: false,
      reason: 'output does not match /^ok$/: not ok',
    });
  });

  test('guestbook: the set is acknowledged and the get returns the message (an empty read fails)', () => {
    const m = find('guestbook', 'store and read a message').match;
    expect(matchOutput(m, '{"message": "Updated"}{"data": "verify-hello"}', 0).ok).toBe(true);
    expect(matchOutput(m, '{"message": "Updated"}{"data": ""}', 0).ok).toBe(false);
  });

  test('wordpress: the install page after redirects passes, the DB error page fails', () => {
    const m = find('wordpress', 'setup page').match;
    expect(matchOutput(m, '200 http://wordpress/wp-admin/install.php', 0).ok).toBe(true);
    expect(matchOutput(m, '500 http://wordpress/', 0).ok).toBe(false);
  });
});

/**
 * Each registered check as a claim: an output that shows what the check's title says passes,
 * one that falls short fails, and one that overshoots fails (a count is exact, a value is the
 * value and not a longer one). A check registered without its three cases fails the first test.
 */
const UN = (n: number) =>
  'Datacenter: DC1-K8Demo\n=======================\nStatus=Up/Down\n--  Address  Load  Tokens  Owns  Host ID  Rack\n' +
  Array.from(
    { length: n },
    (_, i) => `UN  10.0.${i}.4  104.55 KiB  32  ${(100 / n).toFixed(1)}%  h${i}  Rack1-K8Demo\n`,
  ).join('');
const NSLOOKUP = (name: string, ip: string) =>
  `Server:    10.0.0.10\nAddress 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      ${name}\nAddress 1: ${ip} ${name}.default.svc.cluster.local\n`;
const CLAIMS: Record<string, { pass: string; below: string; above: string }> = {
  'nginx-https/https from curl pod': {
    pass: '<!DOCTYPE html>\n<title>Welcome to nginx!</title>',
    below: '<html><h1>400 Bad Request</h1>The plain HTTP request was sent to HTTPS port</html>',
    above: '<title>Welcome to nginx</title>',
  },
  'source-ip/clusterip client address': {
    pass: 'pod_ip=10.8.0.12\nCLIENT VALUES:\nclient_address=10.8.0.12\n',
    below: 'pod_ip=10.8.0.12\nCLIENT VALUES:\nclient_address=10.8.0.1\n',
    above: 'pod_ip=10.8.0.12\nCLIENT VALUES:\nclient_address=10.8.0.123\n',
  },
  'zookeeper/zk-0 dns name': {
    pass: 'zk-0.zk-hs.verify-zookeeper.svc.cluster.local\n',
    below: 'zk-0\n',
    above: 'zk-0.zk-hs.verify-zookeeper.svc.cluster.local.example.com\n',
  },
  'zookeeper/create /hello on zk-0': {
    pass: 'Connecting to localhost:2181\nCreated /hello\n',
    below: 'Connecting to localhost:2181\nNode already exists: /hello\n',
    above: 'Connecting to localhost:2181\nCreated /hello2\n',
  },
  'zookeeper/get /hello on zk-1': {
    pass: 'Connecting to localhost:2181\nworld\ncZxid = 0x100000002\n',
    below: 'Node does not exist: /hello\n',
    above: 'Connecting to localhost:2181\nworlds\n',
  },
  'cassandra/nodetool status': { pass: UN(3), below: UN(2), above: UN(4) },
  'guestbook/store and read a message': {
    pass: '{"message": "Updated"}{"data": "verify-hello"}',
    below: '{"message": "Updated"}{"data": ""}',
    above: '{"message": "Updated"}{"data": "verify-hello,verify-hello"}',
  },
  'guestbook/replicated to a redis-slave': { pass: 'verify-hello\n', below: '\n', above: 'verify-hello2\n' },
  'wordpress/setup page': {
    pass: '200 http://wordpress/wp-admin/install.php',
    below: '500 http://wordpress/',
    above: '200 http://wordpress/wp-admin/install.php.bak',
  },
  'guestbook-logging/filebeat runs without kibana': {
    pass: 'Config OK\n',
    below: 'Exiting: error loading config file: yaml: line 3: did not find expected key\n',
    above: 'Config OKAY\n',
  },
  'guestbook-logging/packetbeat runs without kibana': {
    pass: 'Config OK\n',
    below: 'Exiting: error initializing publisher: missing required field accessing output.elasticsearch.hosts\n',
    above: 'Config OK (with warnings)\n',
  },
  'redis-config/maxmemory': { pass: 'maxmemory\n2097152\n', below: 'maxmemory\n0\n', above: 'maxmemory\n20971520\n' },
  'redis-config/maxmemory-policy': {
    pass: 'maxmemory-policy\nallkeys-lru\n',
    below: 'maxmemory-policy\nnoeviction\n',
    above: 'maxmemory-policy\nallkeys-lru-x\n',
  },
  'external-ip/hello world': { pass: 'Hello, world!\nVersion: 2.0.0\n', below: 'Hello, \n', above: 'Hello, world!!' },
  'statefulset-basics/web-0 hostname': { pass: 'web-0\n', below: 'web-\n', above: 'web-01\n' },
  'statefulset-basics/web-1 hostname': { pass: 'web-1\n', below: 'web-\n', above: 'web-10\n' },
  'statefulset-basics/stable dns names': {
    pass: NSLOOKUP('web-0.nginx', '10.244.1.6') + NSLOOKUP('web-1.nginx', '10.244.2.6'),
    below: NSLOOKUP('web-0.nginx', '10.244.1.6') + "Server: 10.0.0.10\n\nnslookup: can't resolve 'web-1.nginx'\n",
    above: NSLOOKUP('web-0.nginx', '10.244.1.6') + 'Name:      web-1.nginx\n',
  },
  'hello-minikube/hello world': { pass: 'Hello World!\n', below: 'Hello\n', above: 'Hello World\n' },
  'kubernetes-bootcamp/hello bootcamp': {
    pass: 'Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-5485cc6795-4qkd8 | v=1\n',
    below: 'Hello Kubernetes bootcamp! | Running on: \n',
    above: 'Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp2-5485cc6795 | v=1\n',
  },
  'pod-termination/nginx answers': {
    pass: '<title>Welcome to nginx!</title>',
    below: 'curl: (7) Failed to connect',
    above: '<title>Welcome to nginx</title>',
  },
  'apparmor/profile enforced': {
    pass: 'k8s-apparmor-example-deny-write (enforce)\n',
    below: 'unconfined\n',
    above: 'k8s-apparmor-example-deny-write (complain)\n',
  },
  'apparmor/write denied': {
    pass: 'touch: /tmp/test: Permission denied\nexit=1\n',
    below: 'exit=0\n',
    above: 'touch: /tmp/test: Read-only file system\nexit=1\n',
  },
  'blog-statefulset/httpd answers': {
    pass: '<html><body><h1>Index of /</h1></body></html>',
    below: '<html><body><h1>It works!</h1></body></html>',
    above: '<h1>Index of /cgi-bin</h1>',
  },
  'blog-storage/nginx answers': { pass: '200', below: '404', above: '2000' },
  'blog-networking/service answers': {
    pass: 'Hello from service-tut-deployment-7d8f9c-abcde\n',
    below: 'Hello from \n',
    above: 'Hello from service-tut-deployment2-7d8f9c\n',
  },
  'blog-networking/multi-port service': {
    pass: 'Hello from service-tut-deployment-a\nHello from service-tut-deployment-b\n',
    below: 'Hello from service-tut-deployment-a\ncurl: (7) Failed to connect to tut-service-multiport port 8080\n',
    above:
      'Hello from service-tut-deployment-a\nHello from service-tut-deployment-b\nHello from service-tut-deployment-c\n',
  },
  'kubia/kubia answers': {
    pass: "You've hit kubia-7d5b4f8c9-x2xkq\n",
    below: "You've hit \n",
    above: "You've hit kubia2-7d5b4f8c9\n",
  },
};

describe('each check as a claim: it passes what it claims, and fails short of it and beyond it', () => {
  test('every registered check has its three cases, and no case is for a check that does not exist', () => {
    const keys = allChecks.map(({ id, check }) => `${id}/${check.name}`);
    expect(keys.filter((k) => !(k in CLAIMS))).toEqual([]);
    expect(Object.keys(CLAIMS).filter((k) => !keys.includes(k))).toEqual([]);
  });

  test.each(allChecks.map(({ id, check }) => [`${id}/${check.name}`, check] as const))('%s', (key, check) => {
    const { pass, below, above } = CLAIMS[key];
    expect(matchOutput(check.match, pass, check.match.exitCode ?? 0)).toEqual({ ok: true, reason: '' });
    expect([key, 'below', matchOutput(check.match, below, check.match.exitCode ?? 0).ok]).toEqual([
      key,
      'below',
      false,
    ]);
    expect([key, 'above', matchOutput(check.match, above, check.match.exitCode ?? 0).ok]).toEqual([
      key,
      'above',
      false,
    ]);
    // The exit code is part of the claim too.
    expect(matchOutput(check.match, pass, (check.match.exitCode ?? 0) + 1).ok).toBe(false);
  });
});

describe('each matcher: a passing case, a failing case below and one above', () => {
  test('contains: the exact text; a shorter or a different one fails', () => {
    const m = { contains: 'Created /hello' };
    expect(matchOutput(m, 'x\nCreated /hello\n', 0).ok).toBe(true);
    expect(matchOutput(m, 'Created /hell', 0).ok).toBe(false);
    expect(matchOutput(m, 'Created  /hello', 0).ok).toBe(false);
  });
  test('regex: multiline anchors hold per line', () => {
    const m = { regex: '^world$' };
    expect(matchOutput(m, 'a\nworld\nb', 0).ok).toBe(true);
    expect(matchOutput(m, 'worl\n', 0).ok).toBe(false);
    expect(matchOutput(m, 'hello world\n', 0).ok).toBe(false);
  });
  test('lines: the count is exact, not a minimum', () => {
    const m = { lines: { regex: '^UN ', count: 3 } };
    expect(matchOutput(m, UN(3), 0)).toEqual({ ok: true, reason: '' });
    expect(matchOutput(m, UN(2), 0).reason).toMatch(/^2 lines match \/\^UN \/, expected 3: /);
    expect(matchOutput(m, UN(4), 0).reason).toMatch(/^4 lines match \/\^UN \/, expected 3: /);
    expect(matchOutput({ lines: { regex: '^DN ', count: 0 } }, UN(3), 0).ok).toBe(true);
    expect(matchOutput({ lines: { regex: '^UN ', count: 0 } }, UN(1), 0).ok).toBe(false);
  });
  test('exitCode: exactly the expected code, 0 by default', () => {
    expect(matchOutput({ contains: 'x', exitCode: 1 }, 'x', 1).ok).toBe(true);
    expect(matchOutput({ contains: 'x', exitCode: 1 }, 'x', 0).reason).toBe('exit code 0, expected 1; output: x');
    expect(matchOutput({ contains: 'x', exitCode: 1 }, 'x', 2).reason).toBe('exit code 2, expected 1; output: x');
    expect(matchOutput({ contains: 'x' }, 'x', 0).ok).toBe(true);
  });
  test('every given condition must hold, not just one of them', () => {
    const m = { contains: 'Datacenter: DC1-K8Demo', lines: { regex: '^UN ', count: 3 } };
    expect(matchOutput(m, UN(3).replace('DC1-K8Demo', 'datacenter1'), 0).ok).toBe(false);
    expect(matchOutput({ contains: 'a', regex: '^b$' }, 'a\nc', 0).ok).toBe(false);
    expect(matchOutput({ contains: 'a', regex: '^b$' }, 'b', 0).ok).toBe(false);
  });
});

describe("each check's target is the object that proves its title", () => {
  const check = (id: string, name: string) =>
    TUTORIAL_CHARTS.find((c) => c.id === id)!.checks!.find((c) => c.name === name)!;
  const execRun = (id: string, name: string) => {
    const run = check(id, name).run;
    if (!('exec' in run)) throw new Error(`${id}/${name} is not an exec check`);
    return run.exec;
  };

  test('zookeeper: the read is on a member of the ensemble other than the one that wrote', () => {
    const { docs } = synthTutorial('zookeeper');
    const sts = findOne(docs, 'StatefulSet', 'zk');
    const writer = execRun('zookeeper', 'create /hello on zk-0').pod;
    const reader = execRun('zookeeper', 'get /hello on zk-1').pod;
    expect(reader).not.toEqual(writer);
    for (const pod of [writer, reader]) expect(pod).toMatch(new RegExp(`^zk-[0-${sts.spec.replicas - 1}]$`));
    const names = TUTORIAL_CHARTS.find((c) => c.id === 'zookeeper')!.checks!.map((c) => c.name);
    expect(names.indexOf('create /hello on zk-0')).toBeLessThan(names.indexOf('get /hello on zk-1'));
  });

  test('guestbook: the replica read goes to redis-slave Pods only, which the frontend never writes to, after the write', () => {
    const { docs } = synthTutorial('guestbook');
    const pod = execRun('guestbook', 'replicated to a redis-slave').pod;
    expect(typeof pod).toBe('object');
    const selected = selectedPodTemplates(docs, pod as Record<string, string>);
    expect(selected.map((p) => p.owner.metadata.name)).toEqual(['redis-slave']);
    const names = TUTORIAL_CHARTS.find((c) => c.id === 'guestbook')!.checks!.map((c) => c.name);
    expect(names).toEqual(['store and read a message', 'replicated to a redis-slave']);
  });

  test("cassandra: nodetool counts every member of the ring, as many as the StatefulSet's replicas", () => {
    const { docs } = synthTutorial('cassandra');
    const sts = findOne(docs, 'StatefulSet', 'cassandra');
    expect(check('cassandra', 'nodetool status').match.lines?.count).toBe(sts.spec.replicas);
  });

  test('blog-networking: the multi-port check expects one answer per port of the multi-port Service', () => {
    const { docs } = synthTutorial('blog-networking');
    const svc = findOne(docs, 'Service', 'tut-service-multiport');
    expect(check('blog-networking', 'multi-port service').match.lines?.count).toBe(svc.spec.ports.length);
  });

  test('statefulset-basics: the hostname checks exec into Pods the StatefulSet has', () => {
    const { docs } = synthTutorial('statefulset-basics');
    const sts = findOne(docs, 'StatefulSet', 'web');
    for (const name of ['web-0 hostname', 'web-1 hostname']) {
      expect(execRun('statefulset-basics', name).pod).toMatch(new RegExp(`^web-[0-${sts.spec.replicas - 1}]$`));
    }
  });
});

describe('the result table and JUnit XML', () => {
  const rows: ResultRow[] = [
    passed('zookeeper', 'dry run', 0.4, 'passed (7 objects)'),
    passed('zookeeper', 'ready', 42.25),
    notRun('zookeeper', 'create /hello on zk-0', SIMULATED),
    failed(
      'cassandra',
      'ready',
      600,
      'not ready after 600s (pods ready 1/3); Pod cassandra-1 container cassandra waiting: CrashLoopBackOff',
    ),
  ];

  test('one row per step, aligned, with a summary that never counts "not run" as passed', () => {
    expect(formatTable(rows)).toEqual([
      'TUTORIAL   CHECK                  RESULT                                                                                                TIME',
      'zookeeper  dry run                passed (7 objects)                                                                                    0.4s',
      'zookeeper  ready                  passed                                                                                                42.3s',
      'zookeeper  create /hello on zk-0  not run: simulated nodes                                                                              -',
      'cassandra  ready                  FAILED: not ready after 600s (pods ready 1/3); Pod cassandra-1 container cassandra waiting: CrashLo…  10m00s',
      '',
      'In full:',
      '- cassandra / ready: FAILED: not ready after 600s (pods ready 1/3); Pod cassandra-1 container cassandra waiting: CrashLoopBackOff',
      '',
      '2 passed, 1 failed, 1 not run',
    ]);
    expect(totals(rows)).toEqual({ pass: 2, fail: 1, skip: 1 });
  });

  test('JUnit: a testsuite per tutorial, skipped and failure elements, escaped text', () => {
    const xml = junitXml([...rows, failed('x', 'a<b', 1, 'said "no" & left')], 'kind-kind');
    expect(xml).toContain('<testsuites name="npm run verify (kind-kind)" tests="5" failures="2" skipped="1"');
    expect(xml).toContain('<testsuite name="zookeeper" tests="3" failures="0" skipped="1"');
    expect(xml).toContain(
      '<testcase classname="zookeeper" name="create /hello on zk-0" time="0.000"><skipped message="not run: simulated nodes"/></testcase>',
    );
    expect(xml).toContain(
      '<testcase classname="x" name="a&lt;b" time="1.000"><failure message="FAILED: said &quot;no&quot; &amp; left"/></testcase>',
    );
  });
});

describe('options and the production guard', () => {
  test('defaults: every tutorial, prefix verify-, 10 minutes', () => {
    expect(parseArgs([], ids)).toEqual({
      tutorials: ids,
      prefix: 'verify-',
      keep: false,
      timeoutMs: 600_000,
      junit: undefined,
      context: undefined,
      includeShared: false,
      list: false,
    });
  });

  test('flags, both spellings', () => {
    expect(
      parseArgs(
        [
          'zookeeper',
          '--timeout=90s',
          '--namespace-prefix',
          'ci-',
          '--keep',
          '--junit',
          'out/v.xml',
          '--context=kind-x',
        ],
        ids,
      ),
    ).toMatchObject({
      tutorials: ['zookeeper'],
      timeoutMs: 90_000,
      prefix: 'ci-',
      keep: true,
      junit: 'out/v.xml',
      context: 'kind-x',
    });
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('ten')).toBeUndefined();
  });

  test('durations need their unit: a bare number is refused with the rule', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15')).toBeUndefined();
    expect(parseArgs(['--timeout', '15'], ids)).toEqual({
      error: '--timeout "15": needs a unit: 15s, 15m or 15h (a bare number could mean seconds or minutes)',
    });
    expect(parseArgs(['--timeout=0m'], ids)).toEqual({
      error: '--timeout "0m": must be a duration with its unit, such as 90s, 10m or 1h',
    });
  });

  test('a misspelled tutorial gets the closest id', () => {
    expect(parseArgs(['zookeper'], ids)).toEqual({
      error: expect.stringMatching(/^unknown tutorial zookeper; did you mean zookeeper\? The tutorials are: /),
    });
    expect(parseArgs(['wordpres', 'kubai'], ids)).toEqual({
      error: expect.stringMatching(
        /^unknown tutorials wordpres, kubai; did you mean wordpress \(for wordpres\), kubia \(for kubai\)\? /,
      ),
    });
    expect(parseArgs(['nothing-like-it'], ids)).toEqual({
      error: expect.stringMatching(/^unknown tutorial nothing-like-it The tutorials are: /),
    });
  });

  test('--help prints the usage and every option, and exits 0 before anything else', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['--help'], fakeDeps(out, err));
    expect([code, err]).toEqual([0, []]);
    expect(out[0]).toBe(USAGE);
    for (const flag of USAGE.match(/--[a-z-]+/g)!) expect(out.join('\n')).toContain(`  ${flag}`);
  });

  test('no kubeconfig: a plain message that says where verify looked, exit 2, nothing connected', async () => {
    const none = findKubeconfig({}, () => false, '/home/u');
    expect(none).toEqual({
      looked: [
        '/home/u/.kube/config: no such file (KUBECONFIG is not set)',
        'in-cluster service account: not running in a Pod',
      ],
    });
    expect(findKubeconfig({ KUBECONFIG: '/a:/b' }, (f) => f === '/b', '/home/u')).toEqual({
      found: '/b',
      looked: ['/a (from KUBECONFIG): no such file'],
    });
    expect(findKubeconfig({}, (f) => f === '/home/u/.kube/config', '/home/u').found).toBe('/home/u/.kube/config');
    const out: string[] = [];
    const err: string[] = [];
    let connected = false;
    const code = await main(['zookeeper'], {
      ...fakeDeps(out, err),
      findKubeconfig: () => none,
      connect: () => {
        connected = true;
        throw new Error('not expected');
      },
    });
    expect([code, connected]).toEqual([2, false]);
    expect(err).toEqual([
      'verify: no kubeconfig found; looked at: /home/u/.kube/config: no such file (KUBECONFIG is not set); in-cluster service account: not running in a Pod. Point KUBECONFIG at the file your cluster tool wrote (kind create cluster, minikube start, gcloud container clusters get-credentials ...) and run verify again',
    ]);
  });

  test('an unknown tutorial, option or bad value is refused with the list', () => {
    expect(parseArgs(['zookeper'], ids)).toEqual({
      error: expect.stringMatching(
        /^unknown tutorial zookeper; .* The tutorials are: nginx-https, source-ip, zookeeper, /,
      ),
    });
    expect(parseArgs(['--force'], ids)).toEqual({ error: expect.stringMatching(/^unknown option --force; usage/) });
    expect(parseArgs(['--timeout', 'soon'], ids)).toEqual({
      error: '--timeout "soon": must be a duration with its unit, such as 90s, 10m or 1h',
    });
    expect(parseArgs(['--namespace-prefix', 'Prod_'], ids)).toMatchObject({
      error: expect.stringMatching(/^--namespace-prefix "Prod_": must be lower-case/),
    });
  });

  test('contexts: local clusters and the tutorials GKE cluster pass; anything else needs --context', () => {
    for (const ok of ['kind-kind', 'minikube', 'k3d-dev', 'docker-desktop', 'gke_my-project_us-central1-c_tutorials'])
      expect(contextRefusal(ok, undefined, undefined)).toBeUndefined();
    for (const no of [
      'gke_acme_us-central1_prod',
      'arn:aws:eks:eu-west-1:1:cluster/prod',
      'minikube-prod',
      'gke_p_z_tutorials-old',
    ]) {
      expect(contextRefusal(no, undefined, undefined)).toMatch(
        new RegExp(`does not match the allow pattern .*--context ${no.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
      );
    }
    expect(contextRefusal('gke_acme_us-central1_prod', 'gke_acme_us-central1_prod', undefined)).toBeUndefined();
    expect(contextRefusal('staging', undefined, '^staging$')).toBeUndefined();
    expect(contextRefusal('x', undefined, '(')).toMatch(/VERIFY_CONTEXT_ALLOW "\(" is not a regular expression/);
  });
});

describe('placement and throw-away Secrets', () => {
  test("objects go into the tutorial's namespace; kube-system and cluster-scoped ones are shared", () => {
    const logging = place(
      'guestbook-logging',
      'verify-guestbook-logging',
      synthTutorial('guestbook-logging').docs as never,
    );
    expect(logging.shared.length).toBe(logging.objects.length);
    expect(new Set(logging.shared.map((o) => o.metadata.namespace ?? '(cluster)'))).toEqual(
      new Set(['kube-system', '(cluster)']),
    );
    const zk = place('zookeeper', 'verify-zookeeper', synthTutorial('zookeeper').docs as never);
    expect(zk.shared).toEqual([]);
    expect(new Set(zk.objects.map((o) => o.metadata.namespace))).toEqual(new Set(['verify-zookeeper']));
  });

  test('the Secrets each tutorial has its user create, and only those', () => {
    const wanted = (id: string) =>
      missingSecrets(place(id, `verify-${id}`, synthTutorial(id).docs as never).objects).map(
        (s) => `${s.namespace}/${s.name}:${[...s.keys].join(',')}`,
      );
    expect(wanted('nginx-https')).toEqual(['verify-nginx-https/nginxsecret:']);
    expect(wanted('wordpress')).toEqual(['verify-wordpress/mysql-pass:password']);
    expect(wanted('guestbook-logging')).toEqual([expect.stringMatching(/^kube-system\/dynamic-logging:/)]);
    expect(wanted('zookeeper')).toEqual([]);
  });

  test('throw-away material: random passwords that differ per run, hosts that cannot exist', () => {
    const a = throwawaySecret('ns', 'mysql-pass', new Set(['password']));
    const b = throwawaySecret('ns', 'mysql-pass', new Set(['password']));
    expect(a.stringData.password).toMatch(/^[\w-]{24}$/);
    expect(a.stringData.password).not.toBe(b.stringData.password);
    expect(throwawaySecret('kube-system', 'dynamic-logging', new Set()).stringData.ELASTICSEARCH_HOSTS).toContain(
      '.invalid',
    );
  });
});

describe('the Job a job check runs, by its facts', () => {
  const check = (name: string, user?: number): TutorialCheck => ({
    name,
    expect: 'x',
    run: {
      job: { image: 'curlimages/curl:8.8.0', command: ['sh', '-c', 'true'], ...(user === undefined ? {} : { user }) },
    },
    match: { contains: 'x' },
  });

  it('runs one Pod once, before a deadline, labelled with its name, without a token, in the namespace given', () => {
    const job = checkJob(check('get it'), 'verify-t', 90) as any;
    const labels = { [CHECK_LABEL]: 'verify-get-it' };
    expect(CHECK_LABEL).toBe('k8s-tutorials-verify/check');
    expect(job.metadata).toEqual({ name: 'verify-get-it', namespace: 'verify-t', labels });
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 90, ttlSecondsAfterFinished: 600 });
    expect(job.spec.template.metadata).toEqual({ labels });
    const pod = job.spec.template.spec;
    expect([pod.restartPolicy, pod.automountServiceAccountToken]).toEqual(['Never', false]);
    expect(checkJob(check('get it'), undefined).metadata).toEqual({ name: 'verify-get-it', labels });
    expect((checkJob(check('get it'), 'n') as any).spec.activeDeadlineSeconds).toBe(120);
  });

  it("runs the image's own user, or the one given as non-root, with nothing writable but /tmp and small requests", () => {
    const pod = (user?: number) => (checkJob(check('c', user), 'n') as any).spec.template.spec;
    expect(pod().securityContext).toEqual({});
    expect(pod(0).securityContext).toEqual({});
    expect(pod(100).securityContext).toEqual({ runAsUser: 100, runAsNonRoot: true });
    expect(pod(100).containers).toEqual([
      {
        name: 'check',
        image: 'curlimages/curl:8.8.0',
        imagePullPolicy: 'IfNotPresent',
        command: ['sh', '-c', 'true'],
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ]);
    expect(pod(100).volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  it('copies the command, so a change to the check after the Job is made does not reach it', () => {
    const c = check('c');
    const job = checkJob(c, 'n') as any;
    (c.run as unknown as { job: { command: string[] } }).job.command.push('extra');
    expect(job.spec.template.spec.containers[0].command).toEqual(['sh', '-c', 'true']);
  });

  it('refuses an exec check, naming it', () => {
    const execCheck: TutorialCheck = { name: 'e', expect: 'x', run: exec('p', ['true']), match: { contains: 'x' } };
    expect(() => checkJob(execCheck, 'n')).toThrow("check 'e' is not a job check");
  });

  it.each([
    ['get it', 'verify-get-it'],
    ['a/b.c=d', 'verify-a-b-c-d'],
    ['trailing ./', 'verify-trailing'],
    ['x'.repeat(70), `verify-${'x'.repeat(56)}`],
    [`${'x'.repeat(55)} y`, `verify-${'x'.repeat(55)}`],
  ])('names the Job for check %j %j: a DNS label of at most 63 characters', (name, expected) => {
    expect(checkJobName(check(name))).toBe(expected);
  });
});

describe('a check list is refused for each rule it breaks', () => {
  const base: TutorialCheck = { name: 'ok', expect: 'x', run: exec('p', ['true']), match: { contains: 'x' } };
  it.each([
    ['an upper-case name', { name: 'Get' }, "t: check 'Get': name must be lower-case words"],
    ['a name that starts with a space', { name: ' get' }, "t: check ' get': name must be lower-case words"],
    ['a name that ends with a capital', { name: 'get X' }, "t: check 'get X': name must be lower-case words"],
    ['an expectation of blanks', { expect: '  ' }, "t: check 'ok': 'expect' is empty"],
    [
      'an image tagged only at the front',
      { run: { job: { image: 'curl:8/x', command: ['true'] } } },
      "t: check 'ok': image 'curl:8/x' has no tag",
    ],
    [
      'a fractional line count',
      { match: { lines: { regex: 'x', count: 1.5 } } },
      "t: check 'ok': lines.count must be a whole number",
    ],
    [
      'a negative line count',
      { match: { lines: { regex: 'x', count: -1 } } },
      "t: check 'ok': lines.count must be a whole number",
    ],
    [
      'a bad lines.regex',
      { match: { lines: { regex: '[', count: 1 } } },
      't: check \'ok\': lines.regex "[" is not a regular expression',
    ],
  ] as const)('%s', (_, change, message) => {
    expect(checkListProblems('t', [{ ...base, ...change } as TutorialCheck])).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it('accepts a line count of zero and a name of words, dots, slashes, equals and dashes', () => {
    expect(
      checkListProblems('t', [
        { ...base, name: 'a0 b./=-c', match: { lines: { regex: 'x', count: 0 } } },
        { ...base, name: 'j', run: { job: { image: 'curl:8.8.0', command: ['true'] } } },
      ]),
    ).toEqual([]);
  });
});

describe("a check's output on one line", () => {
  it('joins every run of white space into one space, trims, and says when there was none', () => {
    expect(oneLine('  a\n\n  b\tc  ')).toBe('a b c');
    expect(oneLine(' \n ')).toBe('(no output)');
  });
  it('cuts an output longer than the limit to the limit, ending with an ellipsis; one at the limit stays whole', () => {
    expect(oneLine('abcdef', 6)).toBe('abcdef');
    expect(oneLine('abcdefg', 6)).toBe('abcde…');
    expect(oneLine('x'.repeat(161))).toBe(`${'x'.repeat(159)}…`);
    expect(oneLine('x'.repeat(160))).toBe('x'.repeat(160));
  });
});

describe("verify's options at their rules' edges", () => {
  it.each([
    [' 90s ', 90_000],
    ['1.5m', 90_000],
    ['1.25h', 4_500_000],
    ['x90s', undefined],
    ['90sx', undefined],
    ['1.m', undefined],
    ['1.5xm', undefined],
  ])('reads the duration %j as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    [' 15 ', 'needs a unit: 15s, 15m or 15h (a bare number could mean seconds or minutes)'],
    ['1.5', 'needs a unit: 1.5s, 1.5m or 1.5h (a bare number could mean seconds or minutes)'],
    ['1.25', 'needs a unit: 1.25s, 1.25m or 1.25h (a bare number could mean seconds or minutes)'],
    ['x15', 'must be a duration with its unit, such as 90s, 10m or 1h'],
    ['15x', 'must be a duration with its unit, such as 90s, 10m or 1h'],
    ['1.x', 'must be a duration with its unit, such as 90s, 10m or 1h'],
    ['1.5x', 'must be a duration with its unit, such as 90s, 10m or 1h'],
    [undefined, 'must be a duration with its unit, such as 90s, 10m or 1h'],
  ])('says why the duration %j is refused', (text, rule) => {
    expect(durationRule(text)).toBe(rule);
  });

  it('sets --list and --include-shared, and refuses --junit and --context without a value', () => {
    expect(parseArgs(['--list', '--include-shared'], ids)).toMatchObject({ list: true, includeShared: true });
    expect(parseArgs(['--junit'], ids)).toEqual({ error: '--junit needs a file name' });
    expect(parseArgs(['--junit='], ids)).toEqual({ error: '--junit needs a file name' });
    expect(parseArgs(['--context'], ids)).toEqual({ error: '--context needs a kubeconfig context name' });
    expect(parseArgs(['--timeout'], ids)).toEqual({
      error: expect.stringMatching(/^--timeout "": must be a duration/),
    });
  });

  it.each([
    ['-verify', false],
    ['verify_', false],
    ['Verify-', false],
    ['', false],
    ['v', true],
    ['ci-2-', true],
  ])('takes the namespace prefix %j: %p', (prefix, ok) => {
    const parsed = parseArgs(['--namespace-prefix', prefix], ids);
    expect('error' in parsed ? parsed.error : parsed.prefix).toEqual(
      ok
        ? prefix
        : `--namespace-prefix ${JSON.stringify(prefix)}: must be lower-case letters, digits and '-', starting with a letter or digit (it begins a namespace name)`,
    );
  });

  it('refuses a prefix that, with the longest tutorial chosen (all by default), passes 63 characters', () => {
    const longest = Math.max(...ids.map((id) => id.length));
    const shortest = [...ids].sort((a, b) => a.length - b.length)[0];
    const prefix = (n: number) => 'p'.repeat(n);
    const too = (n: number) => ({
      error: `--namespace-prefix "${prefix(n)}": with the tutorial id, a namespace name would exceed 63 characters`,
    });
    expect(parseArgs(['--namespace-prefix', prefix(63 - longest)], ids)).toMatchObject({
      prefix: prefix(63 - longest),
    });
    expect(parseArgs(['--namespace-prefix', prefix(64 - longest)], ids)).toEqual(too(64 - longest));
    // Only the chosen tutorials count.
    expect(parseArgs([shortest, '--namespace-prefix', prefix(63 - shortest.length)], ids)).toMatchObject({
      tutorials: [shortest],
    });
    expect(parseArgs([shortest, '--namespace-prefix', prefix(64 - shortest.length)], ids)).toEqual(
      too(64 - shortest.length),
    );
  });

  it('skips empty KUBECONFIG entries, and uses the in-cluster account only in a Pod that has its token', () => {
    const token = '/var/run/secrets/kubernetes.io/serviceaccount/token';
    expect(findKubeconfig({ KUBECONFIG: ':/a::' }, () => false, '/h').looked).toEqual([
      '/a (from KUBECONFIG): no such file',
      'in-cluster service account: not running in a Pod',
    ]);
    expect(findKubeconfig({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, (f) => f === token, '/h').found).toBe(
      'the in-cluster service account',
    );
    expect(findKubeconfig({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, () => false, '/h').found).toBeUndefined();
    expect(findKubeconfig({}, (f) => f === token, '/h').found).toBeUndefined();
  });
});

describe('the result table and JUnit XML at their edges', () => {
  it('counts each status apart, shows a minute as 1m00s, and cuts only a result longer than the limit', () => {
    const rows = [
      passed('t', 'a', 59.94),
      passed('t', 'b', 60),
      failed('t', 'c', 1, 'x'.repeat(12)),
      failed('t', 'd', 1, 'y'.repeat(13)),
      passed('t', 'e', 1, 'z'.repeat(30)),
    ];
    expect(totals(rows)).toEqual({ pass: 3, fail: 2, skip: 0 });
    const table = formatTable(rows, 20);
    expect(table.slice(1, 6).map((l) => l.split(/ {2,}/).slice(2))).toEqual([
      ['passed', '59.9s'],
      ['passed', '1m00s'],
      [`FAILED: ${'x'.repeat(12)}`, '1.0s'],
      [`FAILED: ${'y'.repeat(11)}…`, '1.0s'],
      [`${'z'.repeat(19)}…`, '1.0s'],
    ]);
    // Only a failure or a skip that was cut is repeated in full.
    expect(table.slice(6)).toEqual([
      '',
      'In full:',
      `- t / d: FAILED: ${'y'.repeat(13)}`,
      '',
      '3 passed, 2 failed, 0 not run',
    ]);
  });

  it('writes JUnit XML that an XML parser reads back: suites, cases, their outcomes and summed times', () => {
    const rows = [
      passed('one', 'ok', 1.5),
      notRun('one', 'skipped', SIMULATED),
      failed('two', 'a>b', 2.25, 'bad\u0001 "x" <y>'),
      passed('two', 'fine', 0.25),
    ];
    const text = junitXml(rows, 'ctx');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(text.endsWith('</testsuites>\n')).toBe(true);
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, msg) => errors.push(`${level}: ${msg}`) }).parseFromString(
      text,
      'text/xml',
    );
    expect(errors).toEqual([]);
    const attrs = (e: Element, ...names: string[]) => names.map((n) => e.getAttribute(n));
    const root = doc.documentElement!;
    expect([root.tagName, ...attrs(root, 'name', 'tests', 'failures', 'skipped', 'time')]).toEqual([
      'testsuites',
      'npm run verify (ctx)',
      '4',
      '1',
      '1',
      '4.000',
    ]);
    const suites = Array.from(root.getElementsByTagName('testsuite'));
    expect(suites.map((s) => attrs(s, 'name', 'tests', 'failures', 'skipped', 'time'))).toEqual([
      ['one', '2', '0', '1', '1.500'],
      ['two', '2', '1', '0', '2.500'],
    ]);
    const cases = Array.from(root.getElementsByTagName('testcase')).map((c) => [
      ...attrs(c, 'classname', 'name', 'time'),
      Array.from(c.childNodes)
        .filter((n) => n.nodeType === 1)
        .map((n) => `${(n as Element).tagName}: ${(n as Element).getAttribute('message')}`),
    ]);
    expect(cases).toEqual([
      ['one', 'ok', '1.500', []],
      ['one', 'skipped', '0.000', ['skipped: not run: simulated nodes']],
      ['two', 'a>b', '2.250', ['failure: FAILED: bad "x" <y>']],
      ['two', 'fine', '0.250', []],
    ]);
    expect(text).toContain('name="a&gt;b"');
  });
});

describe('the Secrets a tutorial reads and does not hold, from every place a Pod names one', () => {
  const pod = (namespace: string, spec: object) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace },
    spec: { containers: [], ...spec },
  });
  const secret = (namespace: string, name: string) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
  });
  const wanted = (objects: object[]) =>
    missingSecrets(objects as never).map((s) => `${s.namespace}/${s.name}:${[...s.keys].sort().join(',')}`);

  it('reads volumes (with their items), projected volumes, env, envFrom and init containers', () => {
    expect(
      wanted([
        pod('a', {
          volumes: [
            { name: 'v', secret: { secretName: 'vol', items: [{ key: 'k1', path: 'p' }] } },
            {
              name: 'w',
              projected: { sources: [{ secret: { name: 'proj', items: [{ key: 'k2', path: 'p' }] } }, {}] },
            },
          ],
          containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'env', key: 'k3' } } }] }],
          initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'from' } }] }],
        }),
      ]),
    ).toEqual(['a/vol:k1', 'a/proj:k2', 'a/env:k3', 'a/from:']);
  });

  it('leaves out a Secret the objects hold in the same namespace, and only there', () => {
    const uses = (namespace: string) => pod(namespace, { volumes: [{ name: 'v', secret: { secretName: 's' } }] });
    expect(wanted([uses('a'), secret('a', 's'), uses('b'), { ...secret('b', 's'), kind: 'ConfigMap' }])).toEqual([
      'b/s:',
    ]);
  });
});

/** The folders in the system's temporary folder whose names start with `prefix`. */
const leftInTmp = (prefix: string) => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(prefix));

describe('a throw-away Secret, whole', () => {
  const metadata = (namespace: string, name: string) => ({ name, namespace, labels: { [THROWAWAY_LABEL]: 'true' } });

  it('is an Opaque v1 Secret labelled as throw-away, with a random value per key the Pods read, or "password"', () => {
    expect(THROWAWAY_LABEL).toBe('k8s-tutorials-verify/throwaway');
    const s = throwawaySecret('ns', 'app', new Set(['a', 'b']));
    expect({ ...s, stringData: Object.keys(s.stringData) }).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: metadata('ns', 'app'),
      stringData: ['a', 'b'],
    });
    expect(Object.keys(throwawaySecret('ns', 'app', new Set()).stringData)).toEqual(['password']);
  });

  it("gives dynamic-logging the tutorial's keys, pointing at hosts that cannot exist", () => {
    const s = throwawaySecret('kube-system', 'dynamic-logging', new Set(['ignored']));
    expect({
      ...s,
      stringData: { ...s.stringData, ELASTICSEARCH_PASSWORD: typeof s.stringData.ELASTICSEARCH_PASSWORD },
    }).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: metadata('kube-system', 'dynamic-logging'),
      stringData: {
        ELASTICSEARCH_HOSTS: '["http://elasticsearch.invalid:9200"]',
        ELASTICSEARCH_USERNAME: 'elastic',
        ELASTICSEARCH_PASSWORD: 'string',
        KIBANA_HOST: 'http://kibana.invalid:5601',
      },
    });
  });

  it('makes the TLS pair (apps/nginx-certificate.ts) in a temporary folder that it removes at once', () => {
    const before = leftInTmp('verify-tls-');
    const s = throwawaySecret('ns', 'nginxsecret', new Set());
    expect([s.apiVersion, s.kind, s.type, s.metadata]).toEqual([
      'v1',
      'Secret',
      'kubernetes.io/tls',
      metadata('ns', 'nginxsecret'),
    ]);
    expect(Object.keys(s.stringData)).toEqual(['tls.crt', 'tls.key']);
    expect(s.stringData['tls.crt']).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(s.stringData['tls.key']).toMatch(/PRIVATE KEY-----/);
    expect(leftInTmp('verify-tls-')).toEqual(before);
  });
});

describe("verify's kinds: which are cluster-scoped, and the order it applies them in", () => {
  const chartKinds = [...new Set(TUTORIAL_CHARTS.flatMap((c) => synthTutorial(c.id).docs.map((d) => d.kind)))];

  it('names only kinds the API serves, and calls cluster-scoped exactly those the API does', () => {
    const kinds = [...new Set([...INSTALL_ORDER, ...CLUSTER_SCOPED_KINDS, ...chartKinds])];
    expect(kinds.filter((k) => scopeOf(k) === undefined)).toEqual([]);
    expect(kinds.filter((k) => isClusterScoped({ kind: k } as never) !== (scopeOf(k) === 'cluster'))).toEqual([]);
  });

  it('ranks every kind a chart writes, and puts a kind it does not know last', () => {
    const unknown = { kind: 'Widget' };
    expect(chartKinds.filter((k) => !(installOrder({ kind: k }, unknown) < 0))).toEqual([]);
    expect(installOrder(unknown, { kind: 'Ingress' })).toBeGreaterThan(0);
    expect(installOrder(unknown, { kind: 'Gadget' })).toBe(0);
  });

  it.each([
    ['Namespace', 'ServiceAccount'],
    ['StorageClass', 'PersistentVolumeClaim'],
    ['PersistentVolume', 'PersistentVolumeClaim'],
    ['ServiceAccount', 'Deployment'],
    ['Secret', 'Pod'],
    ['ConfigMap', 'DaemonSet'],
    ['PersistentVolumeClaim', 'StatefulSet'],
    ['ClusterRole', 'ClusterRoleBinding'],
    ['Role', 'RoleBinding'],
    ['Service', 'StatefulSet'],
    ['Deployment', 'HorizontalPodAutoscaler'],
    ['IngressClass', 'Ingress'],
  ])('applies a %s before a %s that needs it', (first, then) => {
    expect(installOrder({ kind: first }, { kind: then })).toBeLessThan(0);
    expect(installOrder({ kind: then }, { kind: first })).toBeGreaterThan(0);
  });

  it('places objects in that order', () => {
    const placed = place('t', 'ns', [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
    ]);
    expect(placed.objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Service', 'Deployment']);
  });

  it('synthesizes the chosen charts as the app does, in a temporary folder it removes', () => {
    const before = leftInTmp('verify-synth-');
    const charts = synthCharts([chartSpec('kubia')], {});
    expect([...charts.keys()]).toEqual(['kubia']);
    expect(charts.get('kubia')).toEqual(synthTutorial('kubia').docs);
    expect(leftInTmp('verify-synth-')).toEqual(before);
  });
});

describe('verify before it reaches a cluster', () => {
  const run = async (argv: string[], extra: Partial<MainDeps> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { ...fakeDeps(out, err), ...extra });
    return { code, out, err };
  };

  it('prints the help for -h as for --help', async () => {
    expect(await run(['-h'])).toEqual(await run(['--help']));
    expect((await run(['-h'])).out[0]).toBe(USAGE);
  });

  it('--list: each tutorial, its readiness step and each check with what it runs, then exits 0', async () => {
    const { code, out, err } = await run(['--list']);
    expect([code, err]).toEqual([0, []]);
    expect(out).toEqual(listing());
    const headers = out.filter((l) => !l.startsWith(' '));
    expect(headers).toEqual(TUTORIAL_CHARTS.map((c) => `${c.id}  (${c.title})`));
    const zk = out.slice(out.indexOf(headers[ids.indexOf('zookeeper')]));
    const first = TUTORIAL_CHARTS.find((c) => c.id === 'zookeeper')!.checks![0];
    expect(zk.slice(1, 4)).toEqual([
      '  - ready: every Pod Ready, every claim Bound, every load balancer address assigned',
      `  - ${first.name}: ${first.expect}`,
      expect.stringMatching(/^ {6}(exec|job) \S/),
    ]);
  });

  it('refuses a bad option, and a setting the synth refuses, with exit 2 and one line, before any cluster', async () => {
    expect(await run(['--bogus'])).toEqual({
      code: 2,
      out: [],
      err: [expect.stringMatching(/^verify: unknown option --bogus; usage: /)],
    });
    const refused = await run(['wordpress'], { env: { MYSQL_PASSWORD_FILE: '/nonexistent/password' } });
    expect(refused).toEqual({
      code: 2,
      out: [],
      err: [
        expect.stringMatching(
          /^verify: cdk8s app settings: MYSQL_PASSWORD_FILE is "\/nonexistent\/password"; must name a readable file/,
        ),
      ],
    });
  });

  it("lists each check with what it runs: labels or a Pod name, its namespace, the command; a Job's image; a note", () => {
    const lines = listing();
    const after = (id: string) => lines.slice(lines.findIndex((l) => l.startsWith(`${id}  (`)));
    expect(after('nginx-https')).toContain(
      '      exec app=curlpod -- curl -sS https://my-nginx --cacert /etc/nginx/ssl/tls.crt',
    );
    const sourceIp = after('source-ip');
    expect(sourceIp[3]).toMatch(/^ {6}job curlimages\/curl:8\.8\.0: sh -c echo "pod_ip=/);
    expect(sourceIp[4]).toMatch(/^ {6}note: the load balancer steps/);
    const zk = after('zookeeper');
    expect(zk[3]).toMatch(/^ {6}exec zk-0 -- /);
    const logging = after('guestbook-logging');
    expect(logging.slice(0, 12).some((l) => / -n kube-system -- /.test(l))).toBe(true);
  });

  it('connects to the given context once a kubeconfig is found, and says why it could not, with exit 2', async () => {
    const contexts: Array<string | undefined> = [];
    const { code, err } = await run(['kubia', '--namespace-prefix', 'ci-', '--context', 'kind-x'], {
      findKubeconfig: () => ({ found: '/k', looked: [] }),
      connect: (context) => {
        contexts.push(context);
        throw new Error('connection refused');
      },
    });
    expect([code, contexts, err]).toEqual([2, ['kind-x'], ['verify: no reachable cluster: connection refused']]);
  });
});
