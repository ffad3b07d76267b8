/* eslint-disable @typescript-eslint/no-explicit-any -- server JSON is read loosely */
/**
 * `npm run verify` against a real control plane (D10 tier 3: kube-apiserver, scheduler and
 * controller-manager 1.34 built from source, kwok playing the node pool's kubelets). The
 * orchestration runs for real: pre-flight refusals, server-side dry run, apply, waiting on the
 * real controllers' status, the timeout's reasons from the real scheduler, clean-up, Ctrl-C.
 * The tutorials' checks cannot run here (no container runtime): the suite asserts they are
 * reported "not run: simulated nodes" and never counted as passed.
 *
 * Run: npm run test:verify (builds first). Starts the test control plane of test/cluster/
 * (test/verify/cluster.mts).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Started, killRunning, managedNamespaces, runVerify, startCluster } from './cluster.mts';

const log = (m: string) => process.stderr.write(`[verify-suite] ${m}\n`);
let cluster: Started;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-suite-'));
const CONTEXT = ['--context', 'test-cluster'];

async function namespacesLeft(): Promise<string[]> {
  const r = await cluster.request('GET', '/api/v1/namespaces');
  return managedNamespaces(r.body.items);
}

async function cordon(unschedulable: boolean) {
  for (const n of cluster.nodes) {
    // A merge patch: a PUT of a node read a moment ago races kwok's status updates (409 Conflict).
    const u = await cluster.request(
      'PATCH',
      `/api/v1/nodes/${n}`,
      { spec: { unschedulable } },
      'application/merge-patch+json',
    );
    assert.ok(u.status < 300, `cordon ${n}: ${u.status} ${JSON.stringify(u.body)}`);
  }
}

/** The JUnit testcases verify wrote: name, classname and outcome. */
function junitCases(
  file: string,
): Array<{ tutorial: string; name: string; outcome: 'pass' | 'fail' | 'skip'; message: string }> {
  const text = fs.readFileSync(file, 'utf8');
  return [
    ...text.matchAll(
      /<testcase classname="([^"]*)" name="([^"]*)" time="[^"]*"(\/>|><(skipped|failure) message="([^"]*)"\/><\/testcase>)/g,
    ),
  ].map((m) => ({
    tutorial: m[1],
    name: m[2],
    outcome: m[3] === '/>' ? 'pass' : m[4] === 'skipped' ? 'skip' : 'fail',
    message: m[5] ?? '',
  }));
}

describe('npm run verify on the CI control plane', { concurrency: 1 }, () => {
  before(async () => {
    cluster = await startCluster(log);
  });
  after(async () => {
    killRunning();
    await cluster?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('--list names every tutorial with its checks, without a cluster', async () => {
    const r = await runVerify(['--list'], '/nonexistent');
    assert.equal(r.code, 0, r.stderr);
    for (const id of ['nginx-https', 'zookeeper', 'cassandra', 'guestbook-logging', 'kubia'])
      assert.match(r.stdout, new RegExp(`^${id}  `, 'm'));
    assert.match(r.stdout, /create \/hello on zk-0/);
  });

  test('refuses a context that does not match the allow pattern, before creating anything', async () => {
    const r = await runVerify(['kubernetes-bootcamp'], cluster.kubeconfig);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /the current context 'test-cluster' does not match the allow pattern .* --context test-cluster/,
    );
    assert.deepEqual(await namespacesLeft(), []);
    // The user's own pattern admits it.
    const ok = await runVerify(['kubernetes-bootcamp', '--timeout', '2m'], cluster.kubeconfig, undefined, {
      VERIFY_CONTEXT_ALLOW: '^test-',
    });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  });

  test('refuses an unreachable cluster and missing permissions, before creating anything', async () => {
    const dead = path.join(tmp, 'dead.kubeconfig');
    fs.writeFileSync(
      dead,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'kind-dead',
        clusters: [{ name: 'dead', cluster: { server: 'https://127.0.0.1:9', 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'u', user: { token: 'x' } }],
        contexts: [{ name: 'kind-dead', context: { cluster: 'dead', user: 'u' } }],
      }),
    );
    const r = await runVerify(['kubernetes-bootcamp'], dead);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no reachable cluster: context 'kind-dead' points at https:\/\/127\.0\.0\.1:9/);

    // A ServiceAccount that may only read: its token in a kubeconfig of its own.
    const ns = 'verify-suite-rbac';
    await cluster.request('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
    await cluster.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'reader' },
    });
    await cluster.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'verify-suite-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
    });
    const tr = await cluster.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts/reader/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 600 },
    });
    assert.equal(tr.status, 201);
    const admin = JSON.parse(fs.readFileSync(cluster.kubeconfig, 'utf8'));
    admin.users = [{ name: 'reader', user: { token: tr.body.status.token } }];
    admin.contexts = [{ name: 'kind-reader', context: { cluster: 'test-cluster', user: 'reader' } }];
    admin['current-context'] = 'kind-reader';
    const reader = path.join(tmp, 'reader.kubeconfig');
    fs.writeFileSync(reader, JSON.stringify(admin));
    const denied = await runVerify(['kubernetes-bootcamp'], reader);
    assert.equal(denied.code, 2, denied.stdout + denied.stderr);
    assert.match(denied.stderr, /missing permission: create namespaces \(cluster-wide\)/);
    assert.match(denied.stderr, /missing permission: create apps\/deployments in namespace verify-kubernetes-bootcamp/);
    assert.match(denied.stderr, /nothing was created/);
    assert.deepEqual(await namespacesLeft(), []);
    await cluster.request('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/verify-suite-reader');
    await cluster.request('DELETE', `/api/v1/namespaces/${ns}`);
  });

  test("guestbook-logging is not run without --include-shared, and never replaces the user's kube-system Secret", async () => {
    const skipped = await runVerify([...CONTEXT, 'guestbook-logging'], cluster.kubeconfig);
    assert.equal(skipped.code, 0, skipped.stdout + skipped.stderr);
    assert.match(
      skipped.stdout,
      /^- guestbook-logging \/ deploy: not run: writes to namespace kube-system and cluster scope, which is not throw-away; pass --include-shared$/m,
    );
    assert.doesNotMatch(skipped.stdout, /namespace verify-guestbook-logging/);
    assert.equal(
      (await cluster.request('GET', '/apis/apps/v1/namespaces/kube-system/daemonsets/filebeat-dynamic')).status,
      404,
    );

    const mine = await cluster.request('POST', '/api/v1/namespaces/kube-system/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'dynamic-logging' },
      stringData: { ELASTICSEARCH_HOSTS: 'mine' },
    });
    assert.equal(mine.status, 201);
    try {
      const r = await runVerify([...CONTEXT, 'guestbook-logging', '--include-shared'], cluster.kubeconfig);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        /refused: guestbook-logging: Secret kube-system\/dynamic-logging already exists; verify will not replace or delete a Secret it did not create/,
      );
      const still = await cluster.request('GET', '/api/v1/namespaces/kube-system/secrets/dynamic-logging');
      assert.equal(Buffer.from(still.body.data.ELASTICSEARCH_HOSTS, 'base64').toString(), 'mine');
      assert.deepEqual(await namespacesLeft(), []);
    } finally {
      await cluster.request('DELETE', '/api/v1/namespaces/kube-system/secrets/dynamic-logging');
    }
  });

  test(
    'deploys, waits for, reports and cleans up every tutorial; the checks are not run',
    { timeout: 20 * 60_000 },
    async () => {
      const junit = path.join(tmp, 'all.xml');
      const r = await runVerify(
        [...CONTEXT, '--include-shared', '--timeout', '5m', '--junit', junit],
        cluster.kubeconfig,
      );
      log(`full run:\n${r.stdout}\n${r.stderr}`);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const cases = junitCases(junit);
      const { TUTORIAL_CHARTS } = (await import('../../build/apps/charts.js')) as any;
      for (const chart of TUTORIAL_CHARTS) {
        const mine = cases.filter((c) => c.tutorial === chart.id);
        for (const step of ['dry run', 'apply', 'ready']) {
          assert.equal(
            mine.find((c) => c.name === step)?.outcome,
            'pass',
            `${chart.id} ${step}: ${JSON.stringify(mine)}`,
          );
        }
        for (const check of chart.checks ?? []) {
          const c = mine.find((x) => x.name === check.name);
          assert.equal(c?.outcome, 'skip', `${chart.id} ${check.name}`);
          assert.equal(c?.message, 'not run: simulated nodes');
        }
      }
      assert.equal(cases.find((c) => c.name === 'clean-up')?.outcome, 'pass');
      assert.ok(!cases.some((c) => c.outcome === 'fail'));
      assert.match(r.stdout, /^TUTORIAL +CHECK +RESULT +TIME$/m);
      assert.match(r.stdout, /^zookeeper +get \/hello on zk-1 +not run: simulated nodes +-$/m);
      assert.match(r.stdout, /\d+ passed, 0 failed, \d+ not run/);
      assert.deepEqual(await namespacesLeft(), []);
      // The shared objects of guestbook-logging are gone again, and so are the claims' volumes.
      assert.equal(
        (await cluster.request('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/filebeat-dynamic')).status,
        404,
      );
      assert.equal(
        (await cluster.request('GET', '/apis/apps/v1/namespaces/kube-system/daemonsets/filebeat-dynamic')).status,
        404,
      );
      assert.equal(
        (await cluster.request('GET', '/api/v1/namespaces/kube-system/secrets/dynamic-logging')).status,
        404,
      );
      // The throw-away Secret material never reached the output.
      assert.doesNotMatch(r.stdout + r.stderr, /BEGIN (RSA )?PRIVATE KEY|BEGIN CERTIFICATE/);
    },
  );

  test("a refused dry run stops the run with the server's message and leaves nothing", async () => {
    // A cluster policy that forbids LoadBalancer Services: a real admission refusal.
    const policy = await cluster.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'no-load-balancers' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['services'] },
          ],
        },
        validations: [
          {
            expression: "object.spec.type != 'LoadBalancer'",
            message: 'LoadBalancer Services are not allowed on this cluster',
          },
        ],
      },
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    const binding = await cluster.request(
      'POST',
      '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings',
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: 'no-load-balancers' },
        spec: { policyName: 'no-load-balancers', validationActions: ['Deny'] },
      },
    );
    assert.equal(binding.status, 201, JSON.stringify(binding.body));
    try {
      let r;
      for (let i = 0; i < 20; i++) {
        // the policy reaches the admission plugin within a few seconds
        r = await runVerify([...CONTEXT, 'hello-minikube', 'kubernetes-bootcamp'], cluster.kubeconfig);
        if (r.code === 1) break;
        await new Promise((res) => setTimeout(res, 1000));
      }
      assert.equal(r!.code, 1, r!.stdout + r!.stderr);
      assert.match(r!.stdout, /^hello-minikube +dry run +FAILED: Service hello-node refused: 422 Invalid/m);
      assert.match(
        r!.stdout,
        /^- hello-minikube \/ dry run: FAILED: Service hello-node refused: 422 Invalid: .*ValidatingAdmissionPolicy 'no-load-balancers'.*LoadBalancer Services are not allowed on this cluster$/m,
      );
      assert.match(
        r!.stdout,
        /kubernetes-bootcamp +deploy +not run: stopped after hello-minikube's dry run was refused/,
      );
      assert.doesNotMatch(r!.stdout, /hello-minikube +apply/);
      assert.deepEqual(await namespacesLeft(), []);
    } finally {
      await cluster.request(
        'DELETE',
        '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/no-load-balancers',
      );
      await cluster.request(
        'DELETE',
        '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/no-load-balancers',
      );
    }
  });

  test('a timeout prints the reason the cluster gives, and cleans up', async () => {
    await cordon(true);
    try {
      const r = await runVerify([...CONTEXT, 'kubernetes-bootcamp', '--timeout', '8s'], cluster.kubeconfig);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      // Printed when the wait ends, and again in full under the table.
      assert.match(
        r.stdout,
        /^ {2}kubernetes-bootcamp: Pod kubernetes-bootcamp-\S+ not scheduled: Unschedulable 0\/4 nodes are available: 4 node\(s\) were unschedulable/m,
      );
      assert.match(
        r.stdout,
        /^- kubernetes-bootcamp \/ ready: FAILED: not ready after 8s \(pods ready 0\/1\); Pod kubernetes-bootcamp-\S+ not scheduled: Unschedulable 0\/4 nodes are available: 4 node\(s\) were unschedulable/m,
      );
      assert.match(r.stdout, /kubernetes-bootcamp +hello bootcamp +not run: not ready/);
      assert.match(r.stdout, /\(all\) +clean-up +passed/);
      assert.deepEqual(await namespacesLeft(), []);
    } finally {
      await cordon(false);
    }
  });

  test('Ctrl-C deletes what was created; with --keep it stays', async () => {
    await cordon(true); // so that the run is still waiting when it is interrupted
    try {
      let sent = false;
      const r = await runVerify([...CONTEXT, 'zookeeper', '--timeout', '10m'], cluster.kubeconfig, (out, child) => {
        if (!sent && /waiting +zookeeper/.test(out)) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      assert.ok(sent, r.stdout + r.stderr);
      assert.equal(r.code, 130, r.stdout + r.stderr);
      assert.match(r.stderr, /interrupted; deleting what was created/);
      assert.match(r.stdout, /\(all\) +run +FAILED: interrupted \(Ctrl-C\)/);
      assert.match(r.stdout, /\(all\) +clean-up +passed \(deleted 1 namespace\)/);
      assert.deepEqual(await namespacesLeft(), []);

      sent = false;
      const kept = await runVerify(
        [...CONTEXT, 'zookeeper', '--keep', '--timeout', '10m'],
        cluster.kubeconfig,
        (out, child) => {
          if (!sent && /waiting +zookeeper/.test(out)) {
            sent = true;
            child.kill('SIGINT');
          }
        },
      );
      assert.equal(kept.code, 130, kept.stdout + kept.stderr);
      assert.match(kept.stdout, /--keep: left namespace verify-zookeeper/);
      assert.deepEqual(await namespacesLeft(), ['verify-zookeeper']);
      await cluster.request('DELETE', '/api/v1/namespaces/verify-zookeeper');
    } finally {
      await cordon(false);
    }
  });
});
