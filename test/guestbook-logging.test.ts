import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { settingsFromEnv } from '../apps/settings';
import { BeatsRelease, DynamicLoggingCredentials, GuestbookLogging } from '../lib/guestbook-logging';
import { Guestbook } from '../lib/guestbook';
import { externalObjects } from '../lib/internal/external';
import { findAll, findOne, harnessFindings, synthConstructs, synthTutorial, tempDir } from './harness';

/** An autodiscover template condition (`condition.equals` / `condition.contains`) against Pod labels. */
function conditionMatches(template: any, labels: Record<string, string>): boolean {
  const [[op, spec]] = Object.entries(template).filter(([k]) => k.startsWith('condition.')) as [
    string,
    Record<string, string>,
  ][];
  return Object.entries(spec).every(([field, want]) => {
    const label = labels[field.replace(/^kubernetes\.labels\./, '')];
    if (label === undefined) return false;
    return op === 'condition.equals' ? label === want : label.includes(want);
  });
}

const modulesFor = (templates: any[], labels: Record<string, string>): string[] =>
  templates.filter((t) => conditionMatches(t, labels)).flatMap((t) => t.config.map((c: any) => c.module));

const podSpec = (o: any) => o.spec.template.spec;
const mountsByPath = (c: any) => Object.fromEntries(c.volumeMounts.map((m: any) => [m.mountPath, m]));
const volume = (o: any, name: string) => podSpec(o).volumes.find((v: any) => v.name === name);

describe('guestbook-logging chart (default: Beats 8.19)', () => {
  const { docs, yaml } = synthTutorial('guestbook-logging');
  const filebeat = findOne(docs, 'DaemonSet', 'filebeat-dynamic');
  const packetbeat = findOne(docs, 'DaemonSet', 'packetbeat-dynamic');
  const metricbeatDs = findOne(docs, 'DaemonSet', 'metricbeat');
  const metricbeatDep = findOne(docs, 'Deployment', 'metricbeat');
  const setup = findOne(docs, 'Job', 'metricbeat-setup');
  const beats = [filebeat, packetbeat, metricbeatDs, metricbeatDep, setup];
  const filebeatYml = parse(findOne(docs, 'ConfigMap', 'filebeat-dynamic-config').data['filebeat.yml']);
  const metricbeatYml = parse(findOne(docs, 'ConfigMap', 'metricbeat-daemonset-config').data['metricbeat.yml']);
  const packetbeatYml = parse(findOne(docs, 'ConfigMap', 'packetbeat-dynamic-config').data['packetbeat.yml']);

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it("names GKE's addon-manager label, which none of its objects carries (GKE prunes by it in kube-system)", () => {
    expect(GuestbookLogging.ADDON_MANAGER_LABEL).toBe('kubernetes.io/cluster-service');
    expect(yaml).not.toContain(GuestbookLogging.ADDON_MANAGER_LABEL);
  });

  it.each([BeatsRelease.V8_19, BeatsRelease.TUTORIAL_6_7])(
    'no DaemonSet loads dashboards at start, and a one-shot setup Job per Beat does (%s)',
    (release) => {
      // A Beat that loads dashboards at start exits while Kibana is unreachable (libbeat's launch()).
      const result = synthConstructs((c) => new GuestbookLogging(c, 'app', { release }));
      expect(harnessFindings(result)).toEqual([]);
      const configs = findAll(result.docs, 'ConfigMap');
      for (const ds of findAll(result.docs, 'DaemonSet')) {
        const mounted = podSpec(ds)
          .volumes.filter((v: any) => v.configMap)
          .map((v: any) => v.configMap.name);
        for (const cm of configs.filter((c) => mounted.includes(c.metadata.name)))
          for (const text of Object.values(cm.data as Record<string, string>))
            expect([ds.metadata.name, parse(text)?.['setup.dashboards.enabled'] ?? false]).toEqual([
              ds.metadata.name,
              false,
            ]);
      }
      for (const beat of ['filebeat', 'packetbeat', 'metricbeat']) {
        const job = findOne(result.docs, 'Job', `${beat}-setup`);
        const c = podSpec(job).containers[0];
        expect(c.args).toEqual(['-c', `/etc/${beat}.yml`, '-e', 'setup']);
        expect(c.resources.requests).toEqual({ cpu: '10m', memory: '100Mi' });
        // filebeat-setup and packetbeat-setup read the DaemonSet's own file.
        if (beat !== 'metricbeat')
          expect(volume(job, mountsByPath(c)[`/etc/${beat}.yml`].name).configMap.name).toBe(`${beat}-dynamic-config`);
      }
    },
  );

  it('puts everything in kube-system except the cluster-scoped RBAC', () => {
    for (const d of docs) {
      if (d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding')
        expect([d.kind, d.metadata.namespace]).toEqual([d.kind, undefined]);
      else expect([d.kind, d.metadata.name, d.metadata.namespace]).toEqual([d.kind, d.metadata.name, 'kube-system']);
    }
  });

  it("answers the tutorial's `kubectl get pods -n kube-system -l k8s-app=...` checks", () => {
    const podsWith = (value: string) =>
      beats.filter((o) => podSpec(o) && o.spec.template.metadata.labels?.['k8s-app'] === value).map((o) => o.kind);
    expect(podsWith('filebeat-dynamic')).toEqual(['DaemonSet']);
    expect(podsWith('packetbeat-dynamic')).toEqual(['DaemonSet']);
    expect(podsWith('metricbeat').sort()).toEqual(['DaemonSet', 'Deployment']);
    // ...and the two Metricbeat controllers do not select each other's Pods.
    const selects = (sel: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(sel).every(([k, v]) => labels[k] === v);
    expect(selects(metricbeatDs.spec.selector.matchLabels, metricbeatDep.spec.template.metadata.labels)).toBe(false);
    expect(selects(metricbeatDep.spec.selector.matchLabels, metricbeatDs.spec.template.metadata.labels)).toBe(false);
    const ksm = findOne(docs, 'Deployment', 'kube-state-metrics');
    expect(ksm.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('kube-state-metrics');
  });

  it("applies the tutorial's autodiscover templates to the guestbook's Pods through their labels", () => {
    const fbTemplates = filebeatYml['filebeat.autodiscover'].providers[0].templates;
    const mbTemplates = metricbeatYml['metricbeat.autodiscover'].providers[0].templates;
    // The tutorial's Filebeat snippet: `condition.contains: kubernetes.labels.app: redis`.
    expect(fbTemplates[0]['condition.contains']).toEqual({ 'kubernetes.labels.app': 'redis' });
    for (const labels of [Guestbook.MASTER_LABELS.pods, Guestbook.SLAVE_LABELS.pods]) {
      expect(modulesFor(fbTemplates, labels)).toEqual(['redis']);
      expect(modulesFor(mbTemplates, labels)).toEqual(['redis']);
    }
    expect(modulesFor(fbTemplates, Guestbook.FRONTEND_LABELS.pods)).toEqual(['apache']);
    expect(modulesFor(mbTemplates, Guestbook.FRONTEND_LABELS.pods)).toEqual(['apache']);
    const redisMetrics = mbTemplates.find((t: any) => t.config[0].module === 'redis').config[0];
    expect(redisMetrics).toMatchObject({
      metricsets: ['info', 'keyspace'],
      period: '10s',
      hosts: ['${data.host}:${data.port}'],
    });
  });

  it('reads container logs where containerd writes them, from a read-only /var/log of the node', () => {
    const redis = filebeatYml['filebeat.autodiscover'].providers[0].templates[0].config[0];
    expect(redis.log.input).toEqual({
      type: 'container',
      paths: ['/var/log/containers/*-${data.kubernetes.container.id}.log'],
    });
    expect(redis.slowlog).toEqual({ enabled: true, 'var.hosts': ['${data.host}:${data.port}'] });
    const c = podSpec(filebeat).containers[0];
    expect(mountsByPath(c)['/var/log']).toMatchObject({ readOnly: true });
    expect(volume(filebeat, mountsByPath(c)['/var/log'].name).hostPath.path).toBe('/var/log');
    expect(yaml).not.toContain('docker.sock');
    expect(yaml).not.toContain('/var/lib/docker');
  });

  it("captures the tutorial's protocols on every interface of the node", () => {
    expect(packetbeatYml['packetbeat.interfaces.device']).toBe('any');
    const ports = Object.fromEntries(packetbeatYml['packetbeat.protocols'].map((p: any) => [p.type, p.ports]));
    expect(ports).toMatchObject({ dns: [53], http: [80, 8000, 8080, 9200], redis: [6379] });
    expect(ports.mysql).toContain(3306);
    expect(packetbeatYml['packetbeat.flows']).toEqual({ timeout: '30s', period: '10s' });
    expect(podSpec(packetbeat)).toMatchObject({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' });
  });

  it('runs every Beat as root with a mounted data directory, and Packetbeat with NET_ADMIN (decision D5)', () => {
    for (const o of beats) {
      const c = podSpec(o).containers[0];
      const beat = c.image.match(/beats\/(\w+):/)[1];
      expect([o.metadata.name, c.securityContext]).toMatchObject([
        o.metadata.name,
        { runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: false },
      ]);
      expect(podSpec(o).securityContext.runAsNonRoot).toBe(false);
      const data = mountsByPath(c)[`/usr/share/${beat}/data`];
      const v = volume(o, data.name);
      expect([o.metadata.name, !!(v.emptyDir || v.hostPath)]).toEqual([o.metadata.name, true]);
      expect(c.startupProbe).toBeUndefined();
    }
    expect(podSpec(packetbeat).containers[0].securityContext.capabilities).toEqual({ add: ['NET_ADMIN'] });
  });

  it('mounts each config file where its -c argument points, readable only by root', () => {
    for (const o of beats) {
      const c = podSpec(o).containers[0];
      const file = c.args[c.args.indexOf('-c') + 1];
      const m = mountsByPath(c)[file];
      const cm = findOne(docs, 'ConfigMap', volume(o, m.name).configMap.name);
      expect(Object.keys(cm.data)).toContain(m.subPath);
      expect(volume(o, m.name).configMap.defaultMode).toBe(0o600);
    }
  });

  it('takes every endpoint and credential from the optional keys of dynamic-logging, which it does not write (decision D6)', () => {
    expect(findAll(docs, 'Secret')).toEqual([]);
    for (const o of beats) {
      const refs = podSpec(o)
        .containers[0].env.filter((e: any) => e.valueFrom?.secretKeyRef)
        .map((e: any) => [e.name, e.valueFrom.secretKeyRef]);
      expect(refs.map(([n]: any) => n).sort()).toEqual(
        [...GuestbookLogging.SELF_MANAGED_KEYS, ...GuestbookLogging.CLOUD_KEYS].sort(),
      );
      for (const [n, ref] of refs) expect(ref).toEqual({ name: 'dynamic-logging', key: n, optional: true });
    }
    expect(filebeatYml['output.elasticsearch']).toEqual({
      hosts: '${ELASTICSEARCH_HOSTS}',
      username: '${ELASTICSEARCH_USERNAME}',
      password: '${ELASTICSEARCH_PASSWORD}',
    });
    expect(filebeatYml['cloud.id']).toBe('${ELASTIC_CLOUD_ID}');
  });

  it('gives each Beat its own ServiceAccount and a ClusterRole bound to it on rbac/v1', () => {
    for (const o of [filebeat, packetbeat, metricbeatDs, metricbeatDep]) {
      const sa = podSpec(o).serviceAccountName;
      expect(podSpec(o).automountServiceAccountToken).toBe(true);
      findOne(docs, 'ServiceAccount', sa);
      const binding = findOne(docs, 'ClusterRoleBinding', sa);
      expect(binding.apiVersion).toBe('rbac.authorization.k8s.io/v1');
      expect(binding.subjects).toHaveLength(1);
      expect(binding.subjects[0]).toMatchObject({ kind: 'ServiceAccount', name: sa, namespace: 'kube-system' });
      const role = findOne(docs, 'ClusterRole', binding.roleRef.name);
      const pods = role.rules.find((r: any) => r.resources.includes('pods') && r.apiGroups.includes(''));
      expect(pods.verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch']));
    }
    const mb = findOne(docs, 'ClusterRole', 'metricbeat');
    expect(mb.rules.some((r: any) => r.resources?.includes('nodes/stats') && r.verbs.includes('get'))).toBe(true);
    expect(mb.rules.some((r: any) => r.apiGroups?.includes('extensions'))).toBe(false);
  });

  it("gives Metricbeat the read access of Elastic's 8.x reference ClusterRole, so no watch is forbidden", () => {
    // elastic/beats deploy/kubernetes/metricbeat-kubernetes.yaml (8.x), without the unserved
    // `extensions` group: [group, resource] pairs that Metricbeat gets, lists and watches.
    const reference: Array<[string, string]> = [
      ...['nodes', 'namespaces', 'events', 'pods', 'services', 'persistentvolumes', 'persistentvolumeclaims'].map(
        (r): [string, string] => ['', r],
      ),
      ...['statefulsets', 'deployments', 'replicasets', 'daemonsets'].map((r): [string, string] => ['apps', r]),
      ['batch', 'jobs'],
      ['batch', 'cronjobs'],
      ['storage.k8s.io', 'storageclasses'],
    ];
    const mb = findOne(docs, 'ClusterRole', 'metricbeat');
    const allows = (group: string, resource: string, verb: string) =>
      mb.rules.some(
        (r: any) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs.includes(verb),
      );
    for (const [group, resource] of reference) {
      for (const verb of ['get', 'list', 'watch'])
        expect([group, resource, verb, allows(group, resource, verb)]).toEqual([group, resource, verb, true]);
    }
    expect(allows('', 'nodes/stats', 'get')).toBe(true);
    expect(mb.rules).toContainEqual({ nonResourceURLs: ['/metrics'], verbs: ['get'] });
    // Read only: nothing but get, list and watch.
    expect(new Set(mb.rules.flatMap((r: any) => r.verbs))).toEqual(new Set(['get', 'list', 'watch']));
  });

  it("scopes each Beat's Kubernetes watch to its own node with the 8.x `node` option, fed from spec.nodeName", () => {
    const packetbeatK8s = packetbeatYml.processors.find(
      (p: any) => 'add_kubernetes_metadata' in p,
    ).add_kubernetes_metadata;
    const cases: Array<[string, any, any]> = [
      ['filebeat autodiscover', filebeatYml['filebeat.autodiscover'].providers[0], filebeat],
      ['metricbeat autodiscover', metricbeatYml['metricbeat.autodiscover'].providers[0], metricbeatDs],
      ['packetbeat add_kubernetes_metadata', packetbeatK8s, packetbeat],
    ];
    for (const [what, settings, workload] of cases) {
      expect([what, settings.node, settings.host]).toEqual([what, '${NODE_NAME}', undefined]);
      const env = podSpec(workload).containers[0].env.find((e: any) => e.name === 'NODE_NAME');
      expect([what, env?.valueFrom?.fieldRef?.fieldPath]).toEqual([what, 'spec.nodeName']);
    }
  });

  it('reads the kubelet on its authenticated port and kube-state-metrics by its Service name', () => {
    const modules = findOne(docs, 'ConfigMap', 'metricbeat-daemonset-modules').data;
    const kubelet = parse(modules['kubernetes.yml'])[0];
    expect(kubelet).toMatchObject({
      hosts: ['https://${NODE_IP}:10250'],
      bearer_token_file: '/var/run/secrets/kubernetes.io/serviceaccount/token',
    });
    const env = podSpec(metricbeatDs).containers[0].env.find((e: any) => e.name === 'NODE_IP');
    expect(env.valueFrom.fieldRef.fieldPath).toBe('status.hostIP');
    expect(parse(modules['system.yml']).every((m: any) => m.hostfs === '/hostfs')).toBe(true);
    expect(mountsByPath(podSpec(metricbeatDs).containers[0])['/hostfs/proc']).toMatchObject({ readOnly: true });

    const state = parse(findOne(docs, 'ConfigMap', 'metricbeat-deployment-modules').data['kubernetes.yml'])[0];
    const [host, port] = state.hosts[0].split(':');
    const svc = findOne(docs, 'Service', host);
    expect(svc.spec.ports.find((p: any) => p.port === Number(port)).targetPort).toBe('http-metrics');
  });

  it('writes kube-state-metrics as its examples/standard does', () => {
    const ksm = findOne(docs, 'Deployment', 'kube-state-metrics');
    const c = podSpec(ksm).containers[0];
    expect(c.image).toBe(GuestbookLogging.KUBE_STATE_METRICS_IMAGE);
    expect(c.ports).toEqual([
      { containerPort: 8080, name: 'http-metrics' },
      { containerPort: 8081, name: 'telemetry' },
    ]);
    // v2.19.1's examples/standard/deployment.yaml.
    expect(c.image).toBe('registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.19.1');
    expect(c.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http-metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'telemetry' });
    expect(ksm.metadata.labels?.['app.kubernetes.io/version']).toBe('2.19.1');
    // Its ClusterRole is v2.19.1's examples/standard/cluster-role.yaml: list and watch on these.
    const role = findOne(docs, 'ClusterRole', 'kube-state-metrics');
    expect(
      role.rules
        .filter((r: any) => r.verbs.includes('list'))
        .map((r: any) => `${r.apiGroups[0] || 'core'}: ${r.resources.join(',')}`),
    ).toEqual([
      'core: configmaps,secrets,nodes,pods,services,serviceaccounts,resourcequotas,replicationcontrollers,limitranges,persistentvolumeclaims,persistentvolumes,namespaces,endpoints',
      'apps: statefulsets,daemonsets,deployments,replicasets',
      'batch: cronjobs,jobs',
      'autoscaling: horizontalpodautoscalers',
      'policy: poddisruptionbudgets',
      'certificates.k8s.io: certificatesigningrequests',
      'discovery.k8s.io: endpointslices',
      'storage.k8s.io: storageclasses,volumeattachments',
      'admissionregistration.k8s.io: mutatingwebhookconfigurations,validatingwebhookconfigurations',
      'networking.k8s.io: networkpolicies,ingressclasses,ingresses',
      'coordination.k8s.io: leases',
      'rbac.authorization.k8s.io: clusterrolebindings,clusterroles,rolebindings,roles',
    ]);
    expect(c.securityContext).toMatchObject({
      runAsUser: 65534,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(podSpec(ksm).serviceAccountName).toBe('kube-state-metrics');
    expect(findOne(docs, 'Service', 'kube-state-metrics').spec.clusterIP).toBe('None');
  });

  it("uses Beats 8.19 images by default, the tutorial's 6.7.1 being one prop away (decision D3)", () => {
    expect(beats.map((o) => podSpec(o).containers[0].image).sort()).toEqual([
      'docker.elastic.co/beats/filebeat:8.19.11',
      'docker.elastic.co/beats/metricbeat:8.19.11',
      'docker.elastic.co/beats/metricbeat:8.19.11',
      'docker.elastic.co/beats/metricbeat:8.19.11',
      'docker.elastic.co/beats/packetbeat:8.19.11',
    ]);
  });
});

describe('GuestbookLogging.createSecretCommand', () => {
  it("is the tutorial's command for each tab by default (seed S001 L2005-2010, L2042-2045)", () => {
    expect(GuestbookLogging.createSecretCommand(GuestbookLogging.SELF_MANAGED_KEYS)).toBe(
      'kubectl create secret generic dynamic-logging --from-file=./ELASTICSEARCH_HOSTS --from-file=./ELASTICSEARCH_PASSWORD --from-file=./ELASTICSEARCH_USERNAME --from-file=./KIBANA_HOST --namespace=kube-system',
    );
    expect(GuestbookLogging.createSecretCommand(GuestbookLogging.CLOUD_KEYS)).toBe(
      'kubectl create secret generic dynamic-logging --from-file=./ELASTIC_CLOUD_ID --from-file=./ELASTIC_CLOUD_AUTH --namespace=kube-system',
    );
  });
});

describe('GuestbookLogging props', () => {
  it("writes the tutorial's 6.7.1 manifests on request, Docker input and kubelet port 10255 included", () => {
    const result = synthConstructs((c) => new GuestbookLogging(c, 'app', { release: BeatsRelease.TUTORIAL_6_7 }));
    expect(harnessFindings(result)).toEqual([]);
    const { docs } = result;
    const fb = parse(findOne(docs, 'ConfigMap', 'filebeat-dynamic-config').data['filebeat.yml']);
    expect(fb['filebeat.autodiscover'].providers[0].templates[0].config[0].log.input).toEqual({
      type: 'docker',
      'containers.ids': ['${data.kubernetes.container.id}'],
    });
    // Metricbeat 6.7's provider names its node with `host`; 8.x's `node` did not exist yet.
    const mb = parse(findOne(docs, 'ConfigMap', 'metricbeat-daemonset-config').data['metricbeat.yml']);
    expect(mb['metricbeat.autodiscover'].providers[0]).toMatchObject({ host: '${NODE_NAME}' });
    expect(mb['metricbeat.autodiscover'].providers[0].node).toBeUndefined();
    // The Docker runtime's container logs, read-only, and no 8.x /metrics access for Metricbeat 6.7.
    const fbDs = findOne(docs, 'DaemonSet', 'filebeat-dynamic');
    const mounts = mountsByPath(podSpec(fbDs).containers[0]);
    expect(
      ['/var/lib/docker/containers', '/var/run/docker.sock'].map((p) => [
        mounts[p].name,
        mounts[p].readOnly ?? false,
        volume(fbDs, mounts[p].name).hostPath.path,
      ]),
    ).toEqual([
      ['varlibdockercontainers', true, '/var/lib/docker/containers'],
      ['dockersock', false, '/var/run/docker.sock'],
    ]);
    // Metricbeat 6.7's ClusterRole, as elastic/beats 6.7 deploy/kubernetes/metricbeat-kubernetes.yaml writes it.
    const grants = findOne(docs, 'ClusterRole', 'metricbeat').rules.flatMap((r: any) =>
      r.apiGroups.flatMap((g: string) => r.resources.map((res: string) => `${g}/${res}: ${[...r.verbs].sort()}`)),
    );
    const read = 'get,list,watch';
    expect(grants.sort()).toEqual(
      [
        `/nodes: ${read}`,
        `/namespaces: ${read}`,
        `/events: ${read}`,
        `/pods: ${read}`,
        `extensions/replicasets: ${read}`,
        `apps/statefulsets: ${read}`,
        `apps/deployments: ${read}`,
        '/nodes/stats: get',
      ].sort(),
    );
    const mbDs = findOne(docs, 'DaemonSet', 'metricbeat');
    const sock = mountsByPath(podSpec(mbDs).containers[0])['/var/run/docker.sock'];
    expect([sock.name, volume(mbDs, sock.name).hostPath.path]).toEqual(['dockersock', '/var/run/docker.sock']);
    // 6.x names the node `host` in Metricbeat's state module and Packetbeat's metadata processor
    // (HOSTNAME there), and Packetbeat 6.x has no ECS destination.* fields.
    const state = parse(findOne(docs, 'ConfigMap', 'metricbeat-deployment-modules').data['kubernetes.yml'])[0];
    expect([state.host, state.node]).toEqual(['${NODE_NAME}', undefined]);
    const pb = parse(findOne(docs, 'ConfigMap', 'packetbeat-dynamic-config').data['packetbeat.yml']);
    const pbK8s = pb.processors.find((p: any) => 'add_kubernetes_metadata' in p).add_kubernetes_metadata;
    expect(pbK8s).toEqual({
      host: '${HOSTNAME}',
      indexers: [{ ip_port: null }],
      matchers: [{ field_format: { format: '%{[ip]}:%{[port]}' } }],
    });
    // Metricbeat 6.7 takes the node's root as its -system.hostfs flag, not as a module setting.
    const system = parse(findOne(docs, 'ConfigMap', 'metricbeat-daemonset-modules').data['system.yml'])[0];
    expect(system.hostfs).toBeUndefined();
    // Filebeat 6.7's module names, no 8.x `node` option in its Kubernetes provider, and the
    // Docker metadata processor of the Docker runtime.
    expect(fb['filebeat.autodiscover'].providers[0].templates[1].config[0].module).toBe('apache2');
    expect(fb['filebeat.autodiscover'].providers[0].node).toBeUndefined();
    expect(fb.processors).toContainEqual({ add_docker_metadata: null });
    const kubelet = parse(findOne(docs, 'ConfigMap', 'metricbeat-daemonset-modules').data['kubernetes.yml'])[0];
    expect(kubelet.hosts).toEqual(['localhost:10255']);
    const ds = findOne(docs, 'DaemonSet', 'filebeat-dynamic');
    expect(podSpec(ds).containers[0].image).toBe(GuestbookLogging.TUTORIAL_IMAGES.filebeat);
    expect(
      podSpec(ds)
        .volumes.map((v: any) => v.hostPath?.path)
        .filter(Boolean)
        .sort(),
    ).toEqual(['/var/lib/docker/containers', '/var/log', '/var/run/docker.sock']);
    expect(podSpec(findOne(docs, 'DaemonSet', 'metricbeat')).containers[0].args).toContain('-system.hostfs=/hostfs');
  });

  it("writes the Secret with the tutorial's keys when credentials are given (self managed), and follows the namespace", () => {
    const credentials = {
      ELASTICSEARCH_HOSTS: '["http://elasticsearch-master.default.svc.cluster.local:9200"]',
      ELASTICSEARCH_USERNAME: 'elastic',
      ELASTICSEARCH_PASSWORD: 'pw',
      KIBANA_HOST: '"kibana-kibana.default.svc.cluster.local:5601"',
    };
    const result = synthConstructs((c) => new GuestbookLogging(c, 'app', { namespace: 'logging', credentials }));
    expect(harnessFindings(result)).toEqual([]);
    const secret = findOne(result.docs, 'Secret', 'dynamic-logging');
    expect(secret.metadata.namespace).toBe('logging');
    expect(secret.stringData).toEqual(credentials);
    expect(findOne(result.docs, 'ClusterRoleBinding', 'filebeat-dynamic').subjects[0].namespace).toBe('logging');
  });

  it('without credentials, writes no Secret and tells how to create it for either tab, in its namespace and under its name', () => {
    const result = synthConstructs((c) => new GuestbookLogging(c, 'app', { namespace: 'logging', namePrefix: 'blue' }));
    expect(findAll(result.docs, 'Secret')).toEqual([]);
    const secrets = externalObjects(result.chart).filter((o) => o.kind === 'Secret');
    expect(secrets).toEqual([
      {
        kind: 'Secret',
        name: 'blue-dynamic-logging',
        namespace: 'logging',
        howToCreate:
          'kubectl create secret generic blue-dynamic-logging --from-file=./ELASTICSEARCH_HOSTS --from-file=./ELASTICSEARCH_PASSWORD --from-file=./ELASTICSEARCH_USERNAME --from-file=./KIBANA_HOST --namespace=logging (self managed), or ' +
          'kubectl create secret generic blue-dynamic-logging --from-file=./ELASTIC_CLOUD_ID --from-file=./ELASTIC_CLOUD_AUTH --namespace=logging (Elastic Cloud)',
      },
    ]);
  });

  it("reads the tutorial's files from DYNAMIC_LOGGING_DIR (Elastic Cloud tab), dropping the newline vi adds", () => {
    const dir = tempDir('dynamic-logging-');
    fs.writeFileSync(path.join(dir, 'ELASTIC_CLOUD_ID'), 'devk8s:ABC123==\n');
    fs.writeFileSync(path.join(dir, 'ELASTIC_CLOUD_AUTH'), 'elastic:not-a-real-password\n');
    const { docs } = synthTutorial('guestbook-logging', settingsFromEnv({ DYNAMIC_LOGGING_DIR: dir }));
    expect(findOne(docs, 'Secret', 'dynamic-logging').stringData).toEqual({
      ELASTIC_CLOUD_ID: 'devk8s:ABC123==',
      ELASTIC_CLOUD_AUTH: 'elastic:not-a-real-password',
    });
    expect(() => settingsFromEnv({ DYNAMIC_LOGGING_DIR: path.join(dir, 'nope') })).toThrow(
      /DYNAMIC_LOGGING_DIR is ".*nope"; must name a directory/,
    );
  });

  it('writes the cluster-admin-binding for a given user, and leaves out kube-state-metrics on request', () => {
    const result = synthConstructs(
      (c) => new GuestbookLogging(c, 'app', { clusterAdminUser: 'me@example.com', kubeStateMetrics: false }),
    );
    expect(harnessFindings(result)).toEqual([]);
    const b = findOne(result.docs, 'ClusterRoleBinding', 'cluster-admin-binding');
    expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
    expect(b.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'me@example.com' }]);
    expect(result.docs.filter((d) => d.metadata.name === 'kube-state-metrics')).toEqual([]);
  });

  it("reads the tutorial's own kube-state-metrics in kube-system when it writes none and the Beats run elsewhere", () => {
    const stateHosts = (props: ConstructorParameters<typeof GuestbookLogging>[2]) => {
      const { docs } = synthConstructs((c) => new GuestbookLogging(c, 'app', props));
      return parse(findOne(docs, 'ConfigMap', 'metricbeat-deployment-modules').data['kubernetes.yml'])[0].hosts;
    };
    // `kubectl create -f examples/standard` installs it in kube-system (the tutorial's check:
    // `kubectl get pods --namespace=kube-system | grep kube-state`).
    expect(stateHosts({ namespace: 'logging', kubeStateMetrics: false })).toEqual([
      'kube-state-metrics.kube-system:8080',
    ]);
    expect(stateHosts({ kubeStateMetrics: false })).toEqual(['kube-state-metrics:8080']);
    const written = synthConstructs((c) => new GuestbookLogging(c, 'app', { namespace: 'logging' }));
    expect(findOne(written.docs, 'Service', 'kube-state-metrics').metadata.namespace).toBe('logging');
    expect(
      parse(findOne(written.docs, 'ConfigMap', 'metricbeat-deployment-modules').data['kubernetes.yml'])[0].hosts,
    ).toEqual(['kube-state-metrics:8080']);
  });

  it('honours the mirror setting for every image', () => {
    const { docs } = synthConstructs((c) => {
      c.node.setContext('imageRegistry', 'mirror.example.com/m');
      new GuestbookLogging(c, 'app');
    });
    expect(podSpec(findOne(docs, 'DaemonSet', 'packetbeat-dynamic')).containers[0].image).toBe(
      'mirror.example.com/m/beats/packetbeat:8.19.11',
    );
    expect(podSpec(findOne(docs, 'Deployment', 'kube-state-metrics')).containers[0].image).toBe(
      'mirror.example.com/m/kube-state-metrics/kube-state-metrics:v2.19.1',
    );
  });

  it.each([
    [
      { namespace: 'Kube_System' },
      /GuestbookLogging at 'test\/app': prop 'namespace' is "Kube_System"; must be an RFC 1123 label/,
    ],
    [{ release: '7.0' as BeatsRelease }, /prop 'release' is "7.0"; must be one of "6.7.1", "8.19.11"/],
    [{ filebeatImage: 'Bad Image' }, /prop 'filebeatImage' is "Bad Image"; must be an image reference/],
    [{ metricbeatImage: 'x y' }, /prop 'metricbeatImage' is "x y"; must be an image reference/],
    [{ packetbeatImage: '' }, /prop 'packetbeatImage' is ""; must be an image reference/],
    [{ kubeStateMetricsImage: 'UPPER' }, /prop 'kubeStateMetricsImage' is "UPPER"; must be an image reference/],
    [
      { kubeStateMetrics: false, kubeStateMetricsImage: 'ksm:1' },
      /prop 'kubeStateMetricsImage' is "ksm:1"; only applies when kubeStateMetrics is true/,
    ],
    [
      { clusterAdminUser: 'my email' },
      /prop 'clusterAdminUser' is "my email"; must be a non-empty user name without whitespace/,
    ],
    [
      { credentials: { ELASTIC_CLOUD_ID: 'x' } },
      /prop 'credentials' is "<keys ELASTIC_CLOUD_ID>"; must hold exactly the keys of one of the tutorial's two tabs: ELASTICSEARCH_HOSTS, ELASTICSEARCH_PASSWORD, ELASTICSEARCH_USERNAME, KIBANA_HOST \(self managed\), or ELASTIC_CLOUD_ID, ELASTIC_CLOUD_AUTH \(Elastic Cloud\)$/,
    ],
    [
      { credentials: { ELASTIC_CLOUD_ID: 'x', ELASTIC_CLOUD_AUTH: 'a:b', MY_KEY: 'y' } as DynamicLoggingCredentials },
      /prop 'credentials' is "<keys ELASTIC_CLOUD_AUTH, ELASTIC_CLOUD_ID, MY_KEY>"; must hold exactly/,
    ],
    [
      { credentials: { ELASTIC_CLOUD_ID: 'x', MY_KEY: 'y' } as DynamicLoggingCredentials },
      /prop 'credentials' is "<keys ELASTIC_CLOUD_ID, MY_KEY>"; must hold exactly/,
    ],
    [
      { credentials: { ELASTIC_CLOUD_ID: 'x', ELASTIC_CLOUD_AUTH: 'a:b', KIBANA_HOST: 'k' } },
      /prop 'credentials' is "<keys ELASTIC_CLOUD_AUTH, ELASTIC_CLOUD_ID, KIBANA_HOST>"; must hold exactly/,
    ],
    [
      { credentials: { ELASTIC_CLOUD_ID: 'x', ELASTIC_CLOUD_AUTH: '   ' } },
      /prop 'credentials.ELASTIC_CLOUD_AUTH' is "<redacted>"; must be a non-empty single line/,
    ],
    [
      { credentials: { ELASTIC_CLOUD_ID: 'x', ELASTIC_CLOUD_AUTH: 'secret\nline' } },
      /prop 'credentials.ELASTIC_CLOUD_AUTH' is "<redacted>"; must be a non-empty single line/,
    ],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new GuestbookLogging(c, 'app', props))).toThrow(message);
  });

  it('reads a key set to undefined as a key left out', () => {
    const { docs } = synthConstructs(
      (c) =>
        new GuestbookLogging(c, 'app', {
          credentials: { ELASTIC_CLOUD_ID: 'x', ELASTIC_CLOUD_AUTH: 'a:b', KIBANA_HOST: undefined },
        }),
    );
    const secret = findOne(docs, 'Secret', 'dynamic-logging');
    expect(Object.keys({ ...secret.data, ...secret.stringData }).sort()).toEqual([
      'ELASTIC_CLOUD_AUTH',
      'ELASTIC_CLOUD_ID',
    ]);
  });

  it('never echoes a credential in an error', () => {
    expect(() =>
      synthConstructs(
        (c) =>
          new GuestbookLogging(c, 'app', {
            credentials: { ELASTIC_CLOUD_ID: 'x', ELASTIC_CLOUD_AUTH: 'elastic:TOPSECRET\n' },
          }),
      ),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('TOPSECRET') }));
  });
});
