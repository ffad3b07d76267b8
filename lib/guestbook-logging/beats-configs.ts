/**
 * The Beats configuration files of "Example: Add logging and metrics to the PHP / Redis
 * Guestbook example", one function per ConfigMap key.
 *
 * Source: `elastic/examples`, directory `beats-k8s-send-anywhere/` (the manifests the tutorial
 * links to; stored revisions 253b1efb / 29e443a9, Beats 6.7.1). Each file exists in two
 * dialects:
 * - {@link BeatsRelease.TUTORIAL_6_7}: the source's text for Beats 6.7.1, unchanged except
 *   for the tutorial's own `condition.contains` on the Redis template (the tutorial text wins
 *   over the stored manifest, which says `condition.equals`; decision D4).
 * - {@link BeatsRelease.V8_19}: the same templates, conditions and modules, rewritten for
 *   Beats 8.19 on containerd nodes, following the Beats 8.x reference ("Autodiscover",
 *   "Run Filebeat/Metricbeat on Kubernetes") and `elastic/beats` `deploy/kubernetes/`:
 *   container logs are read from `/var/log/containers/*-<container id>.log` with the
 *   `container` input instead of Docker's JSON files, the kubelet is read on its
 *   authenticated port 10250 instead of the read-only port 10255, the provider is scoped to
 *   its node with `node:` (6.x: `host:`), the Apache Filebeat module is `apache` (6.x:
 *   `apache2`) and Packetbeat's ECS field names are used in its metadata matcher.
 *
 * Every file reads the Elasticsearch and Kibana endpoints and credentials from environment
 * variables that the Pods take from the `dynamic-logging` Secret (decision D6): nothing here is
 * secret.
 */

/** Which Beats release, and so which configuration dialect, the manifests are written for. */
export enum BeatsRelease {
  /**
   * The tutorial's manifests: Beats 6.7.1 reading Docker's JSON log files and the kubelet's
   * read-only port. Only for clusters whose nodes run Docker Engine with port 10255 open (not
   * GKE 1.24 and later, whose nodes run containerd).
   */
  TUTORIAL_6_7 = '6.7.1',
  /**
   * Beats 8.19, the last 8.x minor, which ships to Elasticsearch 8.19 and 9.x, on containerd
   * nodes.
   */
  V8_19 = '8.19.11',
}

/** The keys of the `dynamic-logging` Secret, which are also the environment variables. */
export const DYNAMIC_LOGGING_KEYS = [
  'ELASTIC_CLOUD_ID',
  'ELASTIC_CLOUD_AUTH',
  'ELASTICSEARCH_HOSTS',
  'KIBANA_HOST',
  'ELASTICSEARCH_USERNAME',
  'ELASTICSEARCH_PASSWORD',
] as const;

export type DynamicLoggingKey = (typeof DYNAMIC_LOGGING_KEYS)[number];

/** `text` with every line indented by `spaces` (the inputs it indents have no empty line). */
const indent = (text: string, spaces: number): string =>
  text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');

/** The output section every Beat of the source ends with (cloud.* wins when it is set). */
const OUTPUT = `cloud.auth: \${ELASTIC_CLOUD_AUTH}
cloud.id: \${ELASTIC_CLOUD_ID}

output.elasticsearch:
  hosts: \${ELASTICSEARCH_HOSTS}
  username: \${ELASTICSEARCH_USERNAME}
  password: \${ELASTICSEARCH_PASSWORD}
setup.kibana:
  host: \${KIBANA_HOST}
`;

/**
 * The source sets `setup.dashboards.enabled: true` on the Filebeat and Packetbeat DaemonSets. A
 * Beat that loads dashboards at start exits when Kibana is unreachable (libbeat's `launch()`
 * returns the error of `loadDashboards`), so every node's Beat would crash-loop whenever Kibana
 * is down. The DaemonSets load none; the one-shot `<beat>-setup` Jobs run `<beat> setup` with
 * the same file, which loads the dashboards whatever this setting says (as `metricbeat-setup`
 * does in the source).
 */
const NO_DASHBOARDS = (beat: string): string =>
  `# Dashboards are loaded once by the Job ${beat}-setup (\`${beat} setup\`), never at start:
# a Beat that loads them exits while Kibana is unreachable.
setup.dashboards.enabled: false`;

/** Where a container's log is, as a module fileset's `input:` section. */
function containerLogInput(release: BeatsRelease): string {
  return release === BeatsRelease.TUTORIAL_6_7
    ? `type: docker
containers.ids:
  - \${data.kubernetes.container.id}`
    : // containerd (GKE 1.24+) writes CRI-format logs; the kubelet links each container's log
      // as /var/log/containers/<pod>_<namespace>_<container>-<id>.log (Filebeat 8.x
      // "Autodiscover" reference, Kubernetes provider example).
      `type: container
paths:
  - /var/log/containers/*-\${data.kubernetes.container.id}.log`;
}

/** `filebeat.yml` of the ConfigMap `filebeat-dynamic-config`. */
export function filebeatConfig(release: BeatsRelease): string {
  const legacy = release === BeatsRelease.TUTORIAL_6_7;
  const input = (spaces: number) => indent(containerLogInput(release), spaces);
  return `${NO_DASHBOARDS('filebeat')}
setup.template.enabled: true

setup.template.settings:
  index.number_of_shards: 1

filebeat.modules:
  - module: system
    syslog:
      enabled: true
    auth:
      enabled: true

filebeat.autodiscover:
  providers:
    - type: kubernetes
${legacy ? '' : '      node: ${NODE_NAME}\n'}      templates:
        - condition.contains:
            kubernetes.labels.app: redis
          config:
            - module: redis
              log:
                input:
${input(18)}
              slowlog:
                enabled: true
                var.hosts: ["\${data.host}:\${data.port}"]
        - condition.contains:
            kubernetes.labels.tier: frontend
          config:
            - module: ${legacy ? 'apache2' : 'apache'}
              access:
                input:
${input(18)}
              error:
                input:
${input(18)}
        - condition.equals:
            kubernetes.labels.app: mysql
          config:
            - module: mysql
              error:
                input:
${input(18)}
              slowlog:
                input:
${input(18)}

processors:
  - drop_event:
      when.or:
        - and:
            - regexp:
                message: '^\\d+\\.\\d+\\.\\d+\\.\\d+ '
            - equals:
                fileset.name: error
        - and:
            - not:
                regexp:
                  message: '^\\d+\\.\\d+\\.\\d+\\.\\d+ '
            - equals:
                fileset.name: access
  - add_cloud_metadata:
  - add_kubernetes_metadata:
${legacy ? '  - add_docker_metadata:\n' : ''}
${OUTPUT}`;
}

/** `metricbeat.yml` of the ConfigMap `metricbeat-setup-config` (the `metricbeat setup` Job). */
export function metricbeatSetupConfig(): string {
  return `metricbeat.config.modules:
  path: \${path.config}/modules.d/*.yml
  reload.enabled: false

setup.template.settings:
  index.number_of_shards: 1
  index.codec: best_compression

${OUTPUT}`;
}

/** `metricbeat.yml` of the ConfigMap `metricbeat-daemonset-config`. */
export function metricbeatDaemonSetConfig(release: BeatsRelease): string {
  const legacy = release === BeatsRelease.TUTORIAL_6_7;
  return `metricbeat.config.modules:
  # Mounted \`metricbeat-daemonset-modules\` configmap:
  path: \${path.config}/modules.d/*.yml
  reload.enabled: false

metricbeat.autodiscover:
  providers:
    - type: kubernetes
      ${legacy ? 'host' : 'node'}: \${NODE_NAME}
      templates:
        - condition.equals:
            kubernetes.labels.tier: backend
          config:
            - module: redis
              metricsets: ["info", "keyspace"]
              period: 10s

              # Redis hosts
              hosts: ["\${data.host}:\${data.port}"]

        - condition.equals:
            kubernetes.labels.tier: frontend
          config:
            - module: apache
              metricsets: ["status"]
              period: 10s

              # Apache hosts
              hosts: ["http://\${data.host}:\${data.port}"]

processors:
  - add_cloud_metadata:

${OUTPUT}`;
}

/** `system.yml` of the ConfigMap `metricbeat-daemonset-modules`. */
export function metricbeatSystemModule(release: BeatsRelease): string {
  // Where the node's /proc and cgroups are mounted. 6.x takes it as the -system.hostfs flag;
  // 8.x deprecates that flag ("will be removed ... use `hostfs` from within the module
  // config", metricbeat/internal/sysinit/init.go), so it is a module setting there.
  const hostfs = release === BeatsRelease.TUTORIAL_6_7 ? '' : '  hostfs: "/hostfs"\n';
  return `- module: system
${hostfs}  period: 10s
  metricsets:
    - cpu
    - load
    - memory
    - network
    - process
    - process_summary
  processes: ['.*']
  process.include_top_n:
    by_cpu: 5      # include top 5 processes by CPU
    by_memory: 5   # include top 5 processes by memory

- module: system
${hostfs}  period: 1m
  metricsets:
    - filesystem
    - fsstat
  processors:
  - drop_event.when.regexp:
      system.filesystem.mount_point: '^/(sys|cgroup|proc|dev|etc|host|lib)($|/)'
`;
}

/** `kubernetes.yml` of the ConfigMap `metricbeat-daemonset-modules`: the node's kubelet. */
export function metricbeatKubeletModule(release: BeatsRelease): string {
  if (release === BeatsRelease.TUTORIAL_6_7) {
    return `- module: kubernetes
  metricsets:
    - node
    - system
    - pod
    - container
    - volume
  period: 10s
  host: \${NODE_NAME}
  hosts: ["localhost:10255"]
`;
  }
  // The kubelet's read-only port 10255 is off on current GKE clusters; port 10250 needs the
  // ServiceAccount token (ClusterRole rule nodes/stats) and serves a certificate for the
  // node's name, not its address, hence verification_mode none (as in elastic/beats
  // deploy/kubernetes/metricbeat-kubernetes.yaml, 7.x and 8.x). NODE_IP is status.hostIP, so
  // no DNS lookup of the node name is needed.
  return `- module: kubernetes
  metricsets:
    - node
    - system
    - pod
    - container
    - volume
  period: 10s
  node: \${NODE_NAME}
  hosts: ["https://\${NODE_IP}:10250"]
  bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token
  ssl.verification_mode: "none"
`;
}

/** `metricbeat.yml` of the ConfigMap `metricbeat-deployment-config`. */
export function metricbeatDeploymentConfig(): string {
  return `metricbeat.config.modules:
  # Mounted \`metricbeat-deployment-modules\` configmap:
  path: \${path.config}/modules.d/*.yml
  reload.enabled: false

processors:
  - add_cloud_metadata:

${OUTPUT}`;
}

/**
 * `kubernetes.yml` of the ConfigMap `metricbeat-deployment-modules`: cluster state from
 * kube-state-metrics at `kubeStateMetricsHost` (`host:port`; its Service name, namespace-qualified
 * when it runs in another namespace than the Beats).
 */
export function metricbeatStateModule(release: BeatsRelease, kubeStateMetricsHost: string): string {
  return `# This module requires \`kube-state-metrics\` up and running under \`kube-system\` namespace
- module: kubernetes
  metricsets:
    - state_node
    - state_deployment
    - state_replicaset
    - state_pod
    - state_container
  period: 10s
  ${release === BeatsRelease.TUTORIAL_6_7 ? 'host' : 'node'}: \${NODE_NAME}
  hosts: ["${kubeStateMetricsHost}"]
`;
}

/** `packetbeat.yml` of the ConfigMap `packetbeat-dynamic-config`. */
export function packetbeatConfig(release: BeatsRelease): string {
  const legacy = release === BeatsRelease.TUTORIAL_6_7;
  // Packetbeat 6.x names the address fields ip/port; 7.0 and later use ECS destination.*
  // (the source's own comment says so).
  const format = legacy ? "'%{[ip]}:%{[port]}'" : "'%{[destination.ip]}:%{[destination.port]}'";
  return `${NO_DASHBOARDS('packetbeat')}
setup.template.enabled: true

setup.template.settings:
  index.number_of_shards: 2

packetbeat.interfaces.device: any

packetbeat.protocols:
- type: dhcpv4
  ports: [67, 68]

- type: dns
  ports: [53]
  include_authorities: true
  include_additionals: true

- type: http
  ports: [80, 8000, 8080, 9200]

- type: mysql
  ports: [3306, 3307]

- type: memcache
  ports: [11211]

- type: redis
  ports: [6379]

- type: pgsql
  ports: [5432]

- type: thrift
  ports: [9090]

- type: mongodb
  ports: [27017]

- type: cassandra
  ports: [9042]

- type: tls
  ports: [443, 993, 995, 5223, 8443, 8883, 9243]

packetbeat.flows:
  timeout: 30s
  period: 10s

processors:
  - add_cloud_metadata:
  - add_kubernetes_metadata:
      ${legacy ? 'host: ${HOSTNAME}' : 'node: ${NODE_NAME}'}
      indexers:
      - ip_port:
      matchers:
      - field_format:
          format: ${format}

${OUTPUT}`;
}
