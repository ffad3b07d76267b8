/**
 * The helpers of lib/shared.ts that the apps and the constructs share: one checkov check-id rule
 * for both suppressions (cdk8s objects and cdktf resources), and one reading of a manifest's Pod spec.
 */
import { ApiObject, Chart } from 'cdk8s';
import { TerraformResource, TerraformStack } from 'cdktf';
import { skipCheck as skipTerraformCheck } from '../infra/checkov';
import { REPOSITORY_WIDE_SKIPS, addRepositoryWideSkips, skipCheck as skipK8sCheck } from '../lib/internal/scan';
import { podSpecOf } from '../lib/shared';
import { modernRegistry } from '../lib';
import { testApp, withEnv } from './harness';
import { terraformTestApp } from './harness/infra';

const GOOD = ['CKV_K8S_21', 'CKV2_K8S_6', 'CKV_GCP_65', 'CKV2_GCP_18'];
const BAD = ['CKV_K8S', 'ckv_k8s_21', 'CKV3_K8S_1', 'CKV_K8S_21 ', 'XCKV_K8S_21', 'CKV_K8S_x', ''];

function k8sObject(): ApiObject {
  const chart = new Chart(testApp(), 'c');
  return new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
}

function terraformResource(): TerraformResource {
  const stack = new TerraformStack(terraformTestApp(), 's');
  return new TerraformResource(stack, 'r', { terraformResourceType: 'null_resource' });
}

describe('one checkov check-id rule for both suppressions', () => {
  it.each(GOOD)('both accept %s and write their marker', (id) => {
    const obj = k8sObject();
    skipK8sCheck(obj, id, 'a reason');
    expect(obj.toJson().metadata.annotations).toEqual({ [`checkov.io/skip-${id}`]: `${id}=a reason` });
    const resource = terraformResource();
    skipTerraformCheck(resource, id, 'a reason');
    expect(resource.toTerraform()).toMatchObject({
      resource: { null_resource: { r: { '//': { checkov: { skip: { [id]: 'a reason' } } } } } },
    });
  });

  it.each(['', '  ', 'a=b', 'two\nlines'])('refuses the reason %j, naming the rule', (reason) => {
    expect(() => skipK8sCheck(k8sObject(), 'CKV_K8S_21', reason)).toThrow(
      `skipCheck CKV_K8S_21: the reason must be one non-empty line without '=' (checkov splits on it): ${JSON.stringify(reason)}`,
    );
  });

  it.each(['', '  '])("refuses a Terraform resource's blank reason %j, naming the check and the resource", (reason) => {
    expect(() => skipTerraformCheck(terraformResource(), 'CKV_GCP_65', reason)).toThrow(
      'skipCheck: CKV_GCP_65 on s/r needs a reason',
    );
  });

  it.each(BAD)('both refuse %j', (id) => {
    expect(() => skipK8sCheck(k8sObject(), id, 'a reason')).toThrow(`skipCheck: '${id}' is not a checkov check id`);
    expect(() => skipTerraformCheck(terraformResource(), id, 'a reason')).toThrow(
      `skipCheck: '${id}' is not a checkov check id`,
    );
  });
});

describe('podSpecOf', () => {
  const spec = { containers: [{ name: 'c', image: 'busybox:1.28' }] };

  it('reads a Pod, a workload template and a CronJob job template', () => {
    expect(podSpecOf({ kind: 'Pod', spec })).toBe(spec);
    expect(podSpecOf({ kind: 'Deployment', spec: { template: { spec } } })).toBe(spec);
    expect(podSpecOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec } } } } })).toBe(spec);
  });

  it('finds none in an object without a Pod template', () => {
    expect(podSpecOf({ kind: 'Service', spec: { ports: [] } })).toBeUndefined();
    expect(podSpecOf({ kind: 'ConfigMap' })).toBeUndefined();
    expect(podSpecOf({ kind: 'CronJob', spec: { template: { spec } } })).toBeUndefined();
  });
});

describe('modernRegistry (public API)', () => {
  it.each([
    ['k8s.gcr.io/echoserver:1.4', 'registry.k8s.io/echoserver:1.4'],
    ['gcr.io/google_containers/pause:3.1', 'registry.k8s.io/pause:3.1'],
    ['gcr.io/google-containers/pause:3.1', 'registry.k8s.io/pause:3.1'],
    // Other gcr.io projects are not frozen, and a path that merely contains the old host stays.
    ['gcr.io/google-samples/node-hello:1.0', 'gcr.io/google-samples/node-hello:1.0'],
    ['gcr.io/googlexcontainers/pause:3.1', 'gcr.io/googlexcontainers/pause:3.1'],
    ['mirror.example.com/k8s.gcr.io/echoserver:1.4', 'mirror.example.com/k8s.gcr.io/echoserver:1.4'],
  ])('serves %s as %s', (image, modern) => {
    expect(modernRegistry(image)).toBe(modern);
  });
});

describe('addRepositoryWideSkips (CKV_K8S_21, objects without a namespace)', () => {
  it('marks each namespaced object without a namespace, except the ServiceAccount "default", which checkov 3.3.30 passes', () => {
    const chart = new Chart(testApp(), 'c');
    const sa = (name: string, namespace?: string) =>
      new ApiObject(chart, `${name}-${namespace}`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name, ...(namespace ? { namespace } : {}) },
      });
    const objects = [sa('default'), sa('beats'), sa('beats', 'default'), sa('beats', 'team-a')];
    addRepositoryWideSkips(chart);
    expect(objects.map((o) => o.toJson().metadata.annotations?.['checkov.io/skip-CKV_K8S_21'] !== undefined)).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  // checkov 3.3.30, checkov/kubernetes/checks/resource/k8s/DefaultNamespace.py: supported_kind.
  const CHECKOV_KINDS = [
    'Pod',
    'Deployment',
    'DaemonSet',
    'StatefulSet',
    'ReplicaSet',
    'ReplicationController',
    'Job',
    'CronJob',
    'Service',
    'Secret',
    'ServiceAccount',
    'Role',
    'RoleBinding',
    'ConfigMap',
    'Ingress',
  ];
  it('marks an object of each kind checkov reads for the check, and no other kind', () => {
    const chart = new Chart(testApp(), 'c');
    const kinds = [...CHECKOV_KINDS, 'ClusterRole', 'PersistentVolume', 'PersistentVolumeClaim', 'NetworkPolicy'];
    const objects = kinds.map(
      (kind) => new ApiObject(chart, kind, { apiVersion: 'v1', kind, metadata: { name: kind.toLowerCase() } }),
    );
    addRepositoryWideSkips(chart);
    const marked = objects.filter((o) => o.toJson().metadata.annotations?.['checkov.io/skip-CKV_K8S_21'] !== undefined);
    expect(marked.map((o) => o.kind)).toEqual(CHECKOV_KINDS);
  });
});

describe('addRepositoryWideSkips (image checks and the NetworkPolicy graph check)', () => {
  const tag = 'nginx:1.27';
  const digest = `nginx@sha256:${'a'.repeat(64)}`;
  const skipsOf = (kind: string, containers: object[], initContainers: object[] = []): string[] => {
    const chart = new Chart(testApp(), 'c');
    const spec = { containers, initContainers };
    const body =
      kind === 'Pod'
        ? spec
        : kind === 'CronJob'
          ? { schedule: '* * * * *', jobTemplate: { spec: { template: { spec } } } }
          : { template: { spec } };
    const obj = new ApiObject(chart, 'o', {
      apiVersion: 'v1',
      kind,
      metadata: { name: 'o', namespace: 'ns' },
      spec: body,
    });
    addRepositoryWideSkips(chart);
    return Object.keys(obj.toJson().metadata.annotations ?? {})
      .map((k) => k.replace('checkov.io/skip-', ''))
      .sort();
  };

  it.each([
    [
      'a tag pulled IfNotPresent',
      [{ image: tag, imagePullPolicy: 'IfNotPresent' }],
      ['CKV2_K8S_6', 'CKV_K8S_15', 'CKV_K8S_43'],
    ],
    ['a tag pulled Always', [{ image: tag, imagePullPolicy: 'Always' }], ['CKV2_K8S_6', 'CKV_K8S_43']],
    ['a digest pulled IfNotPresent', [{ image: digest, imagePullPolicy: 'IfNotPresent' }], ['CKV2_K8S_6']],
    [
      'a digest and a tag pulled Always',
      [{ image: digest }, { image: tag, imagePullPolicy: 'Always' }],
      ['CKV2_K8S_6', 'CKV_K8S_43'],
    ],
  ])('a Pod with %s', (_, containers, skips) => {
    expect(skipsOf('Pod', containers)).toEqual(skips);
  });

  it('reads init containers, and marks CKV2_K8S_6 only on kinds checkov derives a Pod from', () => {
    const initOnly = [{ image: tag, imagePullPolicy: 'IfNotPresent' }];
    expect(skipsOf('Deployment', [{ image: digest }], initOnly)).toEqual(['CKV2_K8S_6', 'CKV_K8S_15', 'CKV_K8S_43']);
    expect(skipsOf('CronJob', [{ image: tag }])).toEqual(['CKV_K8S_15', 'CKV_K8S_43']);
  });

  it('marks a namespaced object named "default" other than a ServiceAccount for CKV_K8S_21', () => {
    const chart = new Chart(testApp(), 'c');
    const cm = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'default' } });
    addRepositoryWideSkips(chart);
    expect(Object.keys(cm.toJson().metadata.annotations ?? {})).toEqual(['checkov.io/skip-CKV_K8S_21']);
  });

  it('decides when the object is rendered: a container added after the call counts, a second call adds nothing', () => {
    const chart = new Chart(testApp(), 'c');
    const spec: { containers: Array<{ name: string; image: string }> } = { containers: [] };
    const pod = new ApiObject(chart, 'p', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns' },
      spec,
    });
    addRepositoryWideSkips(chart);
    addRepositoryWideSkips(chart);
    spec.containers.push({ name: 'c', image: 'busybox:1.36' });
    expect(pod.toJson().metadata.annotations).toEqual({
      'checkov.io/skip-CKV2_K8S_6': expect.any(String),
      'checkov.io/skip-CKV_K8S_15': expect.any(String),
      'checkov.io/skip-CKV_K8S_43': expect.any(String),
    });
  });

  it("sorts the metadata's keys as cdk8s does, CDK8S_DISABLE_SORT or not, and overwrites a skip of its own", () => {
    const render = () => {
      const chart = new Chart(testApp(), 'c');
      const cm = (name: string, metadata: object) =>
        new ApiObject(chart, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata } });
      const objects = [
        cm('labelled', { labels: { b: '1' } }),
        cm('annotated', { annotations: { aa: '1', zz: '1' } }),
        cm('own', { annotations: { 'checkov.io/skip-CKV_K8S_21': 'CKV_K8S_21=mine' } }),
      ];
      addRepositoryWideSkips(chart);
      const [labelled, annotated, own] = objects.map((o) => o.toJson().metadata);
      return [Object.keys(labelled), Object.keys(annotated.annotations), Object.values(own.annotations)];
    };
    const expected = [
      ['annotations', 'labels', 'name'],
      ['aa', 'checkov.io/skip-CKV_K8S_21', 'zz'],
      [`CKV_K8S_21=${REPOSITORY_WIDE_SKIPS.CKV_K8S_21}`],
    ];
    expect(render()).toEqual(expected);
    expect(withEnv({ CDK8S_DISABLE_SORT: '1' }, render)).toEqual(expected);
  });
});
