import * as fs from 'fs';
import * as path from 'path';
import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { TerraformStack, Testing } from 'cdktf';
// Declares the matchers that Testing.setupJest() adds (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';
import { LOAD_BALANCER_SERVICES, loadBalancerKey } from '../lib/contracts/load-balancers';
import { LoadBalancerAddresses } from '../infra/addresses';
import { Cluster } from '../infra/cluster';
import { DEFAULT_CONFIG, InfraConfig } from '../infra/config';
import { configFromEnv } from '../infra/settings';
import { NodePortFirewall } from '../infra/firewall';
import { Network } from '../infra/network';
import { NodePool } from '../infra/node-pool';
import { StorageClasses } from '../infra/storage-classes';
import { CLUSTER_STACK, CONFIG_STACK, ClusterConfigStack, ClusterStack } from '../infra/stacks';
import { INFRA_VARIANTS, resourcesOf, stackDiff, synthInfra, terraformTestApp } from './harness/infra';

Testing.setupJest();

const withConfig = (over: Partial<InfraConfig>) => synthInfra({ ...DEFAULT_CONFIG, ...over });

describe('default infrastructure (no settings, no credentials)', () => {
  const { stacks } = synthInfra(DEFAULT_CONFIG);
  const cluster = stacks[CLUSTER_STACK];
  const config = stacks[CONFIG_STACK];

  it('matches the snapshot of each stack', () => {
    expect(cluster.json).toMatchSnapshot(CLUSTER_STACK);
    expect(config.json).toMatchSnapshot(CONFIG_STACK);
  });

  it('has a VPC-native subnet with secondary ranges for Pods and Services, used by the cluster', () => {
    expect(cluster.json).toHaveResourceWithProperties(ComputeSubnetwork, {
      region: 'us-central1',
      secondary_ip_range: [
        { range_name: 'pods', ip_cidr_range: '10.20.0.0/14' },
        { range_name: 'services', ip_cidr_range: '10.30.0.0/20' },
      ],
    });
    expect(cluster.json).toHaveResourceWithProperties(ContainerCluster, {
      networking_mode: 'VPC_NATIVE',
      ip_allocation_policy: { cluster_secondary_range_name: 'pods', services_secondary_range_name: 'services' },
      network: expect.stringMatching(/^\$\{google_compute_network\./),
      subnetwork: expect.stringMatching(/^\$\{google_compute_subnetwork\./),
    });
  });

  it('creates a zonal cluster as the issue asks: default pool removed, release channel, Workload Identity, shielded nodes, kube-proxy, no client certificate, deletion protection', () => {
    expect(cluster.json).toHaveResourceWithProperties(ContainerCluster, {
      name: 'tutorials',
      location: 'us-central1-c', // a zone, not a region: zonal (D8)
      remove_default_node_pool: true,
      release_channel: { channel: 'REGULAR' },
      workload_identity_config: { workload_pool: '${var.project}.svc.id.goog' },
      enable_shielded_nodes: true,
      datapath_provider: 'LEGACY_DATAPATH', // kube-proxy present for the Source IP tutorial
      master_auth: { client_certificate_config: { issue_client_certificate: false } },
      deletion_protection: true,
    });
    const c = Object.values(resourcesOf(cluster.parsed, 'google_container_cluster'))[0] as any;
    expect(c.master_auth.username).toBeUndefined();
    expect(c.master_auth.password).toBeUndefined();
  });

  it('has one separately managed pool of 4 amd64 e2-standard-2 nodes with auto-repair, auto-upgrade, the dedicated account and the GKE metadata server', () => {
    expect(Object.keys(resourcesOf(cluster.parsed, 'google_container_node_pool'))).toHaveLength(1);
    expect(cluster.json).toHaveResourceWithProperties(ContainerNodePool, {
      cluster: expect.stringMatching(/^\$\{google_container_cluster\..*\.id\}$/),
      location: 'us-central1-c',
      node_count: 4,
      management: { auto_repair: true, auto_upgrade: true },
      // The adapter compares nested objects exactly unless they are objectContaining.
      node_config: expect.objectContaining({
        machine_type: 'e2-standard-2',
        service_account: expect.stringMatching(/^\$\{google_service_account\..*\.email\}$/),
        workload_metadata_config: { mode: 'GKE_METADATA' },
        tags: ['tutorials-node'],
      }),
    });
  });

  it('gives the node service account only the GKE node role', () => {
    expect(cluster.json).toHaveResourceWithProperties(ServiceAccount, { account_id: 'tutorials-nodes' });
    const roles = Object.values(resourcesOf(cluster.parsed, 'google_project_iam_member')).map((m) => m.role);
    expect(roles).toEqual(['roles/container.defaultNodeServiceAccount']);
    expect(cluster.json).toHaveResourceWithProperties(ProjectIamMember, {
      member: expect.stringMatching(/^serviceAccount:\$\{google_service_account\./),
    });
  });

  it('creates the nodes only after their service account holds its role', () => {
    const grants = Object.keys(resourcesOf(cluster.parsed, 'google_project_iam_member')).map(
      (id) => `google_project_iam_member.${id}`,
    );
    const pools = Object.values(resourcesOf(cluster.parsed, 'google_container_node_pool'));
    expect(pools).toHaveLength(1);
    expect(grants.length).toBeGreaterThan(0);
    expect(pools[0].depends_on).toEqual(expect.arrayContaining(grants));
  });

  it('reserves one regional external address per entry of LOAD_BALANCER_SERVICES and outputs them by <chart>/<service>', () => {
    const addresses = Object.values(resourcesOf(cluster.parsed, 'google_compute_address'));
    expect(addresses).toHaveLength(LOAD_BALANCER_SERVICES.length);
    for (const s of LOAD_BALANCER_SERVICES) {
      expect(cluster.json).toHaveResourceWithProperties(ComputeAddress, {
        name: `tutorials-${s.chart}-${s.service}`,
        region: 'us-central1',
        address_type: 'EXTERNAL',
      });
    }
    const output = cluster.parsed.output!.load_balancer_addresses.value as Record<string, string>;
    expect(Object.keys(output).sort()).toEqual(LOAD_BALANCER_SERVICES.map(loadBalancerKey).sort());
    for (const value of Object.values(output)) expect(value).toMatch(/^\$\{google_compute_address\..*\.address\}$/);
  });

  it('opens no NodePort firewall rule when no source range is configured: the only rule denies all ingress, at the lowest priority', () => {
    const rules = Object.values(resourcesOf(cluster.parsed, 'google_compute_firewall'));
    expect(rules).toEqual([
      expect.objectContaining({
        direction: 'INGRESS',
        priority: 65534,
        deny: [{ protocol: 'all' }],
        source_ranges: ['0.0.0.0/0'],
      }),
    ]);
    expect(rules[0]).not.toHaveProperty('allow');
  });

  it("logs a sample of the subnet's flows, Pod-to-Pod traffic on one node included", () => {
    expect(cluster.json).toHaveResourceWithProperties(ComputeSubnetwork, {
      log_config: { aggregation_interval: 'INTERVAL_5_SEC', flow_sampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
    });
    expect(cluster.json).toHaveResourceWithProperties(ContainerCluster, { enable_intranode_visibility: true });
  });

  it('marks each CIS check the default cluster does not meet as skipped, with a reason, for the scanner', () => {
    const c = Object.values(resourcesOf(cluster.parsed, 'google_container_cluster'))[0] as {
      '//': { checkov: { skip: Record<string, string> } };
    };
    expect(Object.keys(c['//'].checkov.skip).sort()).toEqual([
      'CKV_GCP_12',
      'CKV_GCP_20',
      'CKV_GCP_25',
      'CKV_GCP_64',
      'CKV_GCP_65',
      'CKV_GCP_66',
    ]);
    for (const reason of Object.values(c['//'].checkov.skip)) expect(reason.length).toBeGreaterThan(20);
  });

  it('outputs cluster name, location, endpoint and the get-credentials command', () => {
    const out = cluster.parsed.output!;
    expect(out.cluster_name.value).toMatch(/google_container_cluster\..*\.name/);
    expect(out.location.value).toMatch(/google_container_cluster\..*\.location/);
    expect(out.endpoint.value).toMatch(/google_container_cluster\..*\.endpoint/);
    expect(out.get_credentials_command.value).toMatch(
      /^gcloud container clusters get-credentials \$\{google_container_cluster\..*\.name\} --zone \$\{.*\.location\} --project \$\{var\.project\}$/,
    );
  });

  it('describes every output, marks the endpoint, the CA and the kubeconfig sensitive, and outputs the node account, pool and workload pool', () => {
    const out = cluster.parsed.output as Record<string, { value: unknown; sensitive?: boolean; description?: string }>;
    // cdktf's own cross-stack outputs (read by the config stack) are generated without a description.
    const ours = Object.keys(out).filter((n) => !n.startsWith('cross-stack-output-'));
    expect(ours.sort()).toEqual([
      'cluster_ca_certificate',
      'cluster_name',
      'endpoint',
      'get_credentials_command',
      'kubeconfig',
      'load_balancer_addresses',
      'location',
      'node_pool_name',
      'node_service_account',
      'workload_pool',
    ]);
    for (const name of ours)
      expect([name, typeof out[name].description, (out[name].description ?? '').length > 10]).toEqual([
        name,
        'string',
        true,
      ]);
    expect(ours.filter((n) => out[n].sensitive === true).sort()).toEqual([
      'cluster_ca_certificate',
      'endpoint',
      'kubeconfig',
    ]);
    expect(out.cluster_ca_certificate.value).toMatch(
      /^\$\{google_container_cluster\..*\.master_auth\[0\]\.cluster_ca_certificate\}$/,
    );
    expect(out.node_service_account.value).toMatch(/^\$\{google_service_account\..*\.email\}$/);
    expect(out.node_pool_name.value).toMatch(/^\$\{google_container_node_pool\..*\.name\}$/);
    expect(out.workload_pool.value).toMatch(
      /^\$\{google_container_cluster\..*\.workload_identity_config\[0\]\.workload_pool\}$/,
    );
  });

  it('outputs a kubeconfig whose user runs gke-gcloud-auth-plugin, against https://<endpoint> with the cluster CA', () => {
    const value = cluster.parsed.output!.kubeconfig.value as string;
    // One yamlencode() of the whole document, so Terraform writes valid YAML whatever the values.
    expect(value).toMatch(/^\$\{yamlencode\(\{.*\}\)\}$/s);
    const ctx =
      'gke_${var.project}_${google_container_cluster.cluster_A4C38409.location}_${google_container_cluster.cluster_A4C38409.name}';
    expect(value).toContain('"apiVersion" = "v1", "kind" = "Config"');
    expect(value).toContain(`"current-context" = "${ctx}"`);
    expect(value).toContain('"server" = "https://${google_container_cluster.cluster_A4C38409.endpoint}"');
    expect(value).toContain(
      '"certificate-authority-data" = google_container_cluster.cluster_A4C38409.master_auth[0].cluster_ca_certificate',
    );
    expect(value).toContain(`"context" = {"cluster" = "${ctx}", "user" = "${ctx}"}`);
    expect(value).toMatch(
      /"exec" = \{"apiVersion" = "client\.authentication\.k8s\.io\/v1beta1", "command" = "gke-gcloud-auth-plugin", "installHint" = "[^"]+", "provideClusterInfo" = true\}/,
    );
  });

  it('has a maintenance window that GKE accepts, and the default labels on every resource that takes labels', () => {
    expect(cluster.json).toHaveResourceWithProperties(ContainerCluster, {
      maintenance_policy: {
        recurring_window: {
          start_time: '2025-01-04T02:00:00Z',
          end_time: '2025-01-04T10:00:00Z',
          recurrence: 'FREQ=WEEKLY;BYDAY=SA,SU',
        },
      },
      resource_labels: { app: 'k8s-tutorials', 'managed-by': 'cdktf' },
    });
    expect(cluster.json).toHaveResourceWithProperties(ContainerNodePool, {
      node_config: expect.objectContaining({ resource_labels: { app: 'k8s-tutorials', 'managed-by': 'cdktf' } }),
    });
    for (const a of Object.values(resourcesOf(cluster.parsed, 'google_compute_address')))
      expect(a.labels).toEqual({ app: 'k8s-tutorials', 'managed-by': 'cdktf' });
  });

  it('has none of the opt-in posture settings: no authorized networks, public nodes, no KMS, no network policy, zonal', () => {
    const c = Object.values(resourcesOf(cluster.parsed, 'google_container_cluster'))[0] as any;
    expect([
      c.master_authorized_networks_config,
      c.private_cluster_config,
      c.database_encryption,
      c.network_policy,
      c.addons_config,
      c.node_locations,
    ]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    for (const type of [
      'google_compute_router',
      'google_compute_router_nat',
      'google_kms_key_ring',
      'google_kms_crypto_key',
      'google_kms_crypto_key_iam_member',
    ]) {
      expect([type, resourcesOf(cluster.parsed, type)]).toEqual([type, {}]);
    }
  });

  it('synthesizes without a project, and makes Terraform refuse an empty project at plan time', () => {
    const project = cluster.parsed.variable!.project as any;
    expect(project.default).toBe('');
    expect(project.validation).toEqual([
      {
        condition: '${length(var.project) > 0}',
        error_message: expect.stringMatching(/^The project is empty: set GKE_PROJECT/),
      },
    ]);
    expect(cluster.parsed.provider!.google[0]).toEqual({ project: '${var.project}', region: 'us-central1' });
  });

  it('creates the storage class fast (D7) in the cluster, through a Kubernetes provider configured from the cluster stack', () => {
    expect(config.json).toHaveResourceWithProperties(StorageClassV1, {
      metadata: { name: 'fast' },
      storage_provisioner: 'pd.csi.storage.gke.io',
      parameters: { type: 'pd-ssd' },
      volume_binding_mode: 'WaitForFirstConsumer',
      allow_volume_expansion: true,
    });
    // Cross-stack references: remote state of the cluster stack, not a resource address.
    expect(config.json).toHaveProviderWithProperties(KubernetesProvider, {
      host: expect.stringMatching(
        /^https:\/\/\$\{data\.terraform_remote_state\.cross-stack-reference-input-tutorials-gke\.outputs\./,
      ),
      cluster_ca_certificate: expect.stringMatching(/^\$\{base64decode\(data\.terraform_remote_state\./),
      token: '${data.google_client_config.client.access_token}',
    });
    expect(config.parsed.resource?.google_container_cluster).toBeUndefined();
  });

  it('keeps local state files at a relative path, so the JSON does not depend on the checkout directory', () => {
    expect(cluster.parsed.terraform!.backend).toEqual({ local: { path: '../../../terraform.tutorials-gke.tfstate' } });
    expect(cluster.json).not.toContain(process.cwd());
    expect(config.json).not.toContain(process.cwd());
  });
});

describe('infrastructure settings', () => {
  it('sets project, region, zone, name, machine type and node count', () => {
    const { stacks } = withConfig({
      project: 'my-project-1',
      region: 'europe-west4',
      zone: 'europe-west4-b',
      clusterName: 'demo',
      machineType: 'n2-standard-4',
      nodeCount: 5,
    });
    const json = stacks[CLUSTER_STACK].json;
    expect(stacks[CLUSTER_STACK].parsed.variable!.project.default).toBe('my-project-1');
    expect(json).toHaveResourceWithProperties(ContainerCluster, { name: 'demo', location: 'europe-west4-b' });
    expect(json).toHaveResourceWithProperties(ContainerNodePool, {
      node_count: 5,
      node_config: expect.objectContaining({ machine_type: 'n2-standard-4' }),
    });
    expect(json).toHaveResourceWithProperties(ComputeAddress, { region: 'europe-west4' });
  });

  it('opens the NodePort range only to the configured source ranges, on the node tag', () => {
    const { stacks } = withConfig({ allowedSourceRanges: ['203.0.113.0/24', '198.51.100.7/32'] });
    expect(stacks[CLUSTER_STACK].json).toHaveResourceWithProperties(ComputeFirewall, {
      direction: 'INGRESS',
      source_ranges: ['203.0.113.0/24', '198.51.100.7/32'],
      target_tags: ['tutorials-node'],
      allow: [{ protocol: 'tcp', ports: ['30000-32767'] }],
    });
  });

  it('targets the firewall rule at a tag the node pool carries, in the network the cluster uses, for any cluster name', () => {
    const { parsed } = withConfig({ clusterName: 'demo', allowedSourceRanges: ['203.0.113.0/24'] }).stacks[
      CLUSTER_STACK
    ];
    const rule = Object.values(resourcesOf(parsed, 'google_compute_firewall'))[0] as any;
    const pool = Object.values(resourcesOf(parsed, 'google_container_node_pool'))[0] as any;
    const cluster = Object.values(resourcesOf(parsed, 'google_container_cluster'))[0] as any;
    expect(rule.target_tags.length).toBeGreaterThan(0);
    for (const tag of rule.target_tags) expect(pool.node_config.tags).toContain(tag);
    expect(rule.network).toBe(cluster.network);
  });

  it('uses GCS remote state for both stacks, and reads the cluster stack from it, when a bucket is configured', () => {
    const { stacks } = withConfig({ stateBucket: 'my-tf-state' });
    expect(stacks[CLUSTER_STACK].parsed.terraform!.backend).toEqual({
      gcs: { bucket: 'my-tf-state', prefix: 'tutorials/tutorials-gke' },
    });
    expect(stacks[CONFIG_STACK].parsed.terraform!.backend).toEqual({
      gcs: { bucket: 'my-tf-state', prefix: 'tutorials/tutorials-gke-config' },
    });
    const remote = stacks[CONFIG_STACK].parsed.data!.terraform_remote_state as any;
    expect(Object.values(remote)[0]).toMatchObject({
      backend: 'gcs',
      config: { bucket: 'my-tf-state', prefix: 'tutorials/tutorials-gke' },
    });
  });

  it('can turn deletion protection off for teardown', () => {
    const { stacks } = withConfig({ deletionProtection: false });
    expect(stacks[CLUSTER_STACK].json).toHaveResourceWithProperties(ContainerCluster, { deletion_protection: false });
  });
});

describe('posture settings: each changes exactly its resources', () => {
  const variant = (name: string) => synthInfra(configFromEnv(INFRA_VARIANTS[name])).stacks[CLUSTER_STACK];
  const base = synthInfra(DEFAULT_CONFIG).stacks[CLUSTER_STACK];

  const baseConfigStack = synthInfra(DEFAULT_CONFIG).stacks[CONFIG_STACK].json;

  // The default variant is the snapshot of 'default infrastructure' above.
  it.each(Object.keys(INFRA_VARIANTS).filter((n) => n !== 'default'))('variant %s matches its snapshot', (name) => {
    const stacks = synthInfra(configFromEnv(INFRA_VARIANTS[name])).stacks;
    expect(stacks[CLUSTER_STACK].json).toMatchSnapshot(`${CLUSTER_STACK} ${name}`);
    // The config stack only reads the cluster stack's outputs: the same in every variant.
    expect(stacks[CONFIG_STACK].json).toEqual(baseConfigStack);
  });

  it("each setting that meets a CIS check drops that check's scanner skip, and only that one", () => {
    const skips = (name: string) =>
      Object.keys(
        (
          Object.values(resourcesOf(variant(name).parsed, 'google_container_cluster'))[0] as {
            '//': { checkov: { skip: object } };
          }
        )['//'].checkov.skip,
      ).sort();
    expect(skips('authorized-ranges')).toEqual(['CKV_GCP_12', 'CKV_GCP_25', 'CKV_GCP_64', 'CKV_GCP_65', 'CKV_GCP_66']);
    expect(skips('private-nodes')).toEqual(['CKV_GCP_12', 'CKV_GCP_20', 'CKV_GCP_65', 'CKV_GCP_66']);
    expect(skips('network-policy')).toEqual(['CKV_GCP_20', 'CKV_GCP_25', 'CKV_GCP_64', 'CKV_GCP_65', 'CKV_GCP_66']);
  });

  it('GKE_MASTER_AUTHORIZED_RANGES: master_authorized_networks_config lists exactly the ranges; nothing else changes', () => {
    const s = variant('authorized-ranges');
    expect(stackDiff(base.parsed, s.parsed)).toEqual({ added: [], removed: [], changed: ['google_container_cluster'] });
    expect(s.json).toHaveResourceWithProperties(ContainerCluster, {
      master_authorized_networks_config: {
        cidr_blocks: [
          { cidr_block: '198.51.100.0/24', display_name: 'allowed 198.51.100.0/24' },
          { cidr_block: '203.0.113.7/32', display_name: 'allowed 203.0.113.7/32' },
        ],
        gcp_public_cidrs_access_enabled: false,
      },
    });
  });

  it('GKE_ALLOWED_SOURCE_RANGES alone also limits the control plane (D9), besides opening the NodePort rule', () => {
    const s = withConfig({ allowedSourceRanges: ['203.0.113.0/24'] }).stacks[CLUSTER_STACK];
    expect(stackDiff(base.parsed, s.parsed)).toEqual({
      added: ['google_compute_firewall'],
      removed: [],
      changed: ['google_container_cluster'],
    });
    expect(s.json).toHaveResourceWithProperties(ContainerCluster, {
      master_authorized_networks_config: {
        cidr_blocks: [{ cidr_block: '203.0.113.0/24', display_name: 'allowed 203.0.113.0/24' }],
        gcp_public_cidrs_access_enabled: false,
      },
    });
  });

  it('GKE_PRIVATE_NODES: private nodes with a public endpoint, a /28 control plane range, a Cloud Router and NAT the pool waits for', () => {
    const s = variant('private-nodes');
    expect(stackDiff(base.parsed, s.parsed)).toEqual({
      added: ['google_compute_router', 'google_compute_router_nat'],
      removed: [],
      changed: ['google_container_cluster', 'google_container_node_pool'],
    });
    expect(s.json).toHaveResourceWithProperties(ContainerCluster, {
      private_cluster_config: {
        enable_private_nodes: true,
        enable_private_endpoint: false,
        master_ipv4_cidr_block: '172.16.0.0/28',
      },
    });
    expect(s.json).toHaveResourceWithProperties(ComputeRouter, {
      name: 'tutorials-router',
      region: 'us-central1',
      network: expect.stringMatching(/^\$\{google_compute_network\./),
    });
    expect(s.json).toHaveResourceWithProperties(ComputeRouterNat, {
      name: 'tutorials-nat',
      region: 'us-central1',
      router: expect.stringMatching(/^\$\{google_compute_router\..*\.name\}$/),
      nat_ip_allocate_option: 'AUTO_ONLY',
      source_subnetwork_ip_ranges_to_nat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
    });
    const pool = Object.values(resourcesOf(s.parsed, 'google_container_node_pool'))[0] as any;
    const nat = Object.keys(resourcesOf(s.parsed, 'google_compute_router_nat')).map(
      (id) => `google_compute_router_nat.${id}`,
    );
    expect(pool.depends_on).toEqual(expect.arrayContaining(nat));
  });

  it('GKE_SECRETS_KMS: a key ring and rotated key in the region, the GKE service agent allowed to use it, database_encryption ENCRYPTED after the grant', () => {
    const s = variant('kms');
    expect(stackDiff(base.parsed, s.parsed)).toEqual({
      added: [
        'data.google_project',
        'google_kms_crypto_key',
        'google_kms_crypto_key_iam_member',
        'google_kms_key_ring',
      ],
      removed: [],
      changed: ['google_container_cluster'],
    });
    expect(s.json).toHaveDataSourceWithProperties(DataGoogleProject, { project_id: '${var.project}' });
    expect(s.json).toHaveResourceWithProperties(KmsKeyRing, {
      name: 'tutorials-secrets',
      location: 'us-central1',
      project: '${var.project}',
    });
    expect(s.json).toHaveResourceWithProperties(KmsCryptoKey, {
      name: 'tutorials-secrets',
      key_ring: expect.stringMatching(/^\$\{google_kms_key_ring\..*\.id\}$/),
      purpose: 'ENCRYPT_DECRYPT',
      rotation_period: '7776000s',
      labels: { app: 'k8s-tutorials', 'managed-by': 'cdktf' },
    });
    expect(s.json).toHaveResourceWithProperties(KmsCryptoKeyIamMember, {
      crypto_key_id: expect.stringMatching(/^\$\{google_kms_crypto_key\..*\.id\}$/),
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: expect.stringMatching(
        /^serviceAccount:service-\$\{data\.google_project\..*\.number\}@container-engine-robot\.iam\.gserviceaccount\.com$/,
      ),
    });
    expect(s.json).toHaveResourceWithProperties(ContainerCluster, {
      database_encryption: {
        state: 'ENCRYPTED',
        key_name: expect.stringMatching(/^\$\{google_kms_crypto_key\..*\.id\}$/),
      },
    });
    const c = Object.values(resourcesOf(s.parsed, 'google_container_cluster'))[0] as any;
    const grant = Object.keys(resourcesOf(s.parsed, 'google_kms_crypto_key_iam_member')).map(
      (id) => `google_kms_crypto_key_iam_member.${id}`,
    );
    expect(c.depends_on).toEqual(grant);
  });

  it('GKE_NETWORK_POLICY: Dataplane V2 enforcement, no Calico, and the same 4-node pool (decision D8)', () => {
    const s = variant('network-policy');
    // Only the cluster changes: Dataplane V2 needs no fifth node (Calico's per-node Pods did).
    expect(stackDiff(base.parsed, s.parsed)).toEqual({ added: [], removed: [], changed: ['google_container_cluster'] });
    expect(s.json).toHaveResourceWithProperties(ContainerNodePool, { node_count: 4 });
    expect(s.json).toHaveResourceWithProperties(ContainerCluster, {
      datapath_provider: 'ADVANCED_DATAPATH',
      network_policy: { enabled: false },
    });
    const cluster = Object.values(resourcesOf(s.parsed, 'google_container_cluster'))[0] as any;
    expect(cluster.network_policy.provider).toBeUndefined();
    expect(cluster.addons_config).toBeUndefined();
  });

  it('GKE_REGIONAL: a regional cluster and pool in the listed zones, ceil(4 / 3) = 2 nodes per zone', () => {
    const s = variant('regional');
    expect(stackDiff(base.parsed, s.parsed)).toEqual({
      added: [],
      removed: [],
      changed: ['google_container_cluster', 'google_container_node_pool'],
    });
    const zones = ['us-central1-a', 'us-central1-b', 'us-central1-f'];
    expect(s.json).toHaveResourceWithProperties(ContainerCluster, { location: 'us-central1', node_locations: zones });
    expect(s.json).toHaveResourceWithProperties(ContainerNodePool, {
      location: 'us-central1',
      node_locations: zones,
      node_count: 2,
    });
    expect(s.parsed.output!.get_credentials_command.value).toMatch(/ --region \$\{.*\.location\} /);
  });

  it('GKE_MAINTENANCE_WINDOW and GKE_LABELS change the window and the labels of the cluster, pool, addresses and key', () => {
    const s = synthInfra(
      configFromEnv({
        GKE_MAINTENANCE_WINDOW: 'daily 03:00-07:00',
        GKE_LABELS: 'team=platform,app=demo',
        GKE_SECRETS_KMS: 'true',
      }),
    ).stacks[CLUSTER_STACK];
    const labels = { app: 'demo', 'managed-by': 'cdktf', team: 'platform' };
    expect(s.json).toHaveResourceWithProperties(ContainerCluster, {
      maintenance_policy: {
        recurring_window: {
          start_time: '2025-01-04T03:00:00Z',
          end_time: '2025-01-04T07:00:00Z',
          recurrence: 'FREQ=DAILY',
        },
      },
      resource_labels: labels,
    });
    expect(s.json).toHaveResourceWithProperties(ContainerNodePool, {
      node_config: expect.objectContaining({ resource_labels: labels }),
    });
    expect(s.json).toHaveResourceWithProperties(KmsCryptoKey, { labels });
    for (const a of Object.values(resourcesOf(s.parsed, 'google_compute_address'))) expect(a.labels).toEqual(labels);
  });

  it('all-on: every posture resource at once, and still one pool and one cluster', () => {
    const s = variant('all-on');
    expect(stackDiff(base.parsed, s.parsed)).toEqual({
      added: [
        'data.google_project',
        'google_compute_firewall',
        'google_compute_router',
        'google_compute_router_nat',
        'google_kms_crypto_key',
        'google_kms_crypto_key_iam_member',
        'google_kms_key_ring',
      ],
      removed: [],
      changed: [
        'google_compute_address',
        'google_compute_address',
        'google_compute_address',
        'google_compute_address',
        'google_compute_address',
        'google_container_cluster',
        'google_container_node_pool',
      ],
    });
  });
});

describe('layer constructs validate their props', () => {
  const stack = () => new TerraformStack(terraformTestApp(), 'test');
  const network = (s: TerraformStack) => new Network(s, 'network', { name: 'x', region: 'us-central1', project: 'p' });

  it('NodePool refuses fewer than 4 nodes', () => {
    const s = stack();
    const cluster = new Cluster(s, 'cluster', {
      name: 'demo',
      zone: 'us-central1-c',
      project: 'p',
      network: network(s),
      nodeServiceAccount: 'sa',
    });
    expect(
      () => new NodePool(s, 'pool', { cluster, project: 'p', name: 'pool', serviceAccount: 'sa', nodeCount: 3 }),
    ).toThrow("NodePool at 'test/pool': prop 'nodeCount' is 3; must be an integer between 4 and 100");
  });

  it('NodePool rounds a regional pool up to whole nodes per zone, and refuses bad labels by prop', () => {
    const s = stack();
    const cluster = new Cluster(s, 'cluster', {
      name: 'demo',
      regional: { region: 'us-central1', nodeLocations: ['us-central1-a', 'us-central1-b', 'us-central1-c'] },
      zone: 'us-central1-c',
      project: 'p',
      network: network(s),
      nodeServiceAccount: 'sa',
    });
    const pool = new NodePool(s, 'pool', { cluster, project: 'p', name: 'pool', serviceAccount: 'sa', nodeCount: 4 });
    expect([pool.nodesPerZone, pool.totalNodes]).toEqual([2, 6]);
    expect(
      () =>
        new NodePool(s, 'pool2', {
          cluster,
          project: 'p',
          name: 'pool2',
          serviceAccount: 'sa',
          labels: { Team: 'a' },
        }),
    ).toThrow(`NodePool at 'test/pool2': prop 'labels' is {"Team":"a"}; has the key "Team"`);
  });

  it('NodePool refuses a machine type below 2 vCPUs or 4 GiB, and unknown ones', () => {
    const s = stack();
    const cluster = new Cluster(s, 'cluster', {
      name: 'demo',
      zone: 'us-central1-c',
      project: 'p',
      network: network(s),
      nodeServiceAccount: 'sa',
    });
    expect(
      () =>
        new NodePool(s, 'pool', {
          cluster,
          project: 'p',
          name: 'pool',
          serviceAccount: 'sa',
          machineType: 'e2-highcpu-2',
        }),
    ).toThrow(
      /NodePool at 'test\/pool': prop 'machineType' is "e2-highcpu-2"; must have at least 2 vCPUs and 4 GiB.*has 2 vCPUs and 2 GiB/,
    );
    expect(
      () =>
        new NodePool(s, 'pool2', {
          cluster,
          project: 'p',
          name: 'pool',
          serviceAccount: 'sa',
          machineType: 'e2-standard-3',
        }),
    ).toThrow(/prop 'machineType' is "e2-standard-3"; must be a known amd64 machine type/);
  });

  it('Cluster refuses a name that cannot prefix the other resource names', () => {
    const s = stack();
    expect(
      () =>
        new Cluster(s, 'cluster', {
          name: 'Tutorials_1',
          zone: 'us-central1-c',
          project: 'p',
          network: network(s),
          nodeServiceAccount: 'sa',
        }),
    ).toThrow(/Cluster at 'test\/cluster': prop 'name' is "Tutorials_1"; must be 1-24 lower-case letters/);
  });

  it('Cluster with only its required props keeps deletion protection on and writes no authorized networks', () => {
    const s = stack();
    new Cluster(s, 'cluster', {
      name: 'demo',
      zone: 'us-central1-c',
      project: 'p',
      network: network(s),
      nodeServiceAccount: 'sa',
    });
    const [body] = Object.values(resourcesOf(JSON.parse(Testing.synth(s)), 'google_container_cluster'));
    expect(body.deletion_protection).toBe(true);
    expect(body.master_authorized_networks_config).toBeUndefined();
  });

  it('Cluster refuses a control-plane range that overlaps the network, authorized networks open to all, a bad window and bad labels', () => {
    const s = stack();
    const net = network(s);
    const props = { name: 'demo', zone: 'us-central1-c', project: 'p', network: net, nodeServiceAccount: 'sa' };
    expect(() => new Cluster(s, 'c1', { ...props, privateNodes: { masterCidr: '10.10.0.16/28' } })).toThrow(
      "Cluster at 'test/c1': prop 'privateNodes.masterCidr' is \"10.10.0.16/28\"; must not overlap the network's nodesCidr 10.10.0.0/20",
    );
    expect(() => new Cluster(s, 'c2', { ...props, masterAuthorizedRanges: ['0.0.0.0/0'] })).toThrow(
      /Cluster at 'test\/c2': prop 'masterAuthorizedRanges' is "0.0.0.0\/0"; must not be 0.0.0.0\/0/,
    );
    expect(() => new Cluster(s, 'c9', { ...props, masterAuthorizedRanges: ['10.0.0.1/8'] })).toThrow(
      /Cluster at 'test\/c9': prop 'masterAuthorizedRanges' is "10.0.0.1\/8"; must have no host bits set/,
    );
    expect(() => new Cluster(s, 'c3', { ...props, maintenanceWindow: 'SU 02:00-10:00' })).toThrow(
      /Cluster at 'test\/c3': prop 'maintenanceWindow' is "SU 02:00-10:00"; must allow at least 48 hours of maintenance in any 32 days/,
    );
    expect(() => new Cluster(s, 'c4', { ...props, labels: { 'Bad Key': 'x' } })).toThrow(
      /Cluster at 'test\/c4': prop 'labels' is .*; has the key "Bad Key"/,
    );
    expect(() => new Cluster(s, 'c5', { ...props, regional: { region: 'us-central1', nodeLocations: [] } })).toThrow(
      /Cluster at 'test\/c5': prop 'regional' is \[\]; must list at least one zone of the region us-central1/,
    );
  });

  it('Network refuses a malformed CIDR', () => {
    expect(
      () =>
        new Network(stack(), 'network', { name: 'x', region: 'us-central1', project: 'p', podsCidr: '10.20.0.0/33' }),
    ).toThrow(/Network at 'test\/network': prop 'podsCidr' is "10.20.0.0\/33"; must be an IPv4 CIDR range/);
    for (const prop of ['nodesCidr', 'servicesCidr'])
      expect(
        () => new Network(stack(), 'network', { name: 'x', region: 'us-central1', project: 'p', [prop]: '10.0.0.1/8' }),
      ).toThrow(`Network at 'test/network': prop '${prop}' is "10.0.0.1/8"; must have no host bits set`);
  });

  it('NodePortFirewall refuses a malformed source range', () => {
    const s = stack();
    expect(
      () =>
        new NodePortFirewall(s, 'fw', {
          name: 'fw',
          project: 'p',
          network: network(s),
          targetTag: 't',
          sourceRanges: ['203.0.113.5/24'],
        }),
    ).toThrow(/NodePortFirewall at 'test\/fw': prop 'sourceRanges' is "203.0.113.5\/24"; must have no host bits set/);
  });

  it('NodePortFirewall refuses to open the NodePorts to the whole internet', () => {
    const s = stack();
    expect(
      () =>
        new NodePortFirewall(s, 'fw', {
          name: 'fw',
          project: 'p',
          network: network(s),
          targetTag: 't',
          sourceRanges: ['203.0.113.0/24', '0.0.0.0/0'],
        }),
    ).toThrow(
      "NodePortFirewall at 'test/fw': prop 'sourceRanges' is \"0.0.0.0/0\"; must not be 0.0.0.0/0: the NodePort rule is for your own addresses, not the internet",
    );
  });

  it('LoadBalancerAddresses refuses a Service listed twice and a name too long for an address', () => {
    expect(
      () =>
        new LoadBalancerAddresses(stack(), 'a', {
          prefix: 'x',
          region: 'r',
          project: 'p',
          services: [
            { chart: 'c', service: 's' },
            { chart: 'c', service: 's' },
          ],
        }),
    ).toThrow(
      "LoadBalancerAddresses at 'test/a': prop 'services' is \"c/s\"; must list each LoadBalancer Service once",
    );
    expect(
      () =>
        new LoadBalancerAddresses(stack(), 'a', {
          prefix: 'x',
          region: 'r',
          project: 'p',
          services: [{ chart: 'c'.repeat(40), service: 's'.repeat(30) }],
        }),
    ).toThrow(
      /prop 'services' is .*; gives the address name .* which must be an RFC 1035 label of at most 63 characters/,
    );
  });

  const storageClass = (name: string) => ({
    name,
    provisioner: 'pd.csi.storage.gke.io',
    parameters: {},
    volumeBindingMode: 'Immediate' as any,
    allowVolumeExpansion: true,
    reclaimPolicy: 'Delete' as const,
  });
  it.each([
    [
      ['standard-rwo'],
      '"standard-rwo"; must not redefine a class GKE already provides (standard-rwo, premium-rwo, standard)',
    ],
    [['Fast'], '"Fast"; must name each class with an RFC 1123 subdomain'],
    [['fast', 'slow', 'fast'], '"fast"; must list each class once'],
  ])('StorageClasses refuses the classes %j', (names, rule) => {
    expect(() => new StorageClasses(stack(), 'sc', { classes: names.map(storageClass) })).toThrow(
      `StorageClasses at 'test/sc': prop 'classes' is ${rule}`,
    );
  });

  it('ClusterConfigStack creates the storage classes it is given instead of the default', () => {
    const app = terraformTestApp();
    const cluster = new ClusterStack(app, 'c', DEFAULT_CONFIG).cluster;
    const config = new ClusterConfigStack(app, 'k', {
      config: DEFAULT_CONFIG,
      cluster,
      storageClasses: [storageClass('archive')],
    });
    expect([...config.storageClasses.byName.keys()]).toEqual(['archive']);
  });
});

describe('infra sources', () => {
  // bench-results.json: 8.38 s and 616 MB with root imports against 4.68 s and 275 MB.
  it('import @cdktf/provider-google only by submodule (the package root nearly doubles the synth time and memory)', () => {
    const dir = path.join(__dirname, '..', 'infra');
    const rootImport = /['"]@cdktf\/provider-(google|kubernetes)['"]/g; // import ... from, import(), require(), either quote
    expect(
      'import { containerCluster } from "@cdktf/provider-google";\nconst k = require(\'@cdktf/provider-kubernetes\');'.match(
        rootImport,
      ),
    ).toHaveLength(2);
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      expect([f, src.match(rootImport)]).toEqual([f, null]);
    }
  });
});

describe('determinism', () => {
  it('synthesizes both stacks to identical bytes twice', () => {
    const a = synthInfra(DEFAULT_CONFIG).stacks;
    const b = synthInfra(DEFAULT_CONFIG).stacks;
    expect(b[CLUSTER_STACK].json).toEqual(a[CLUSTER_STACK].json);
    expect(b[CONFIG_STACK].json).toEqual(a[CONFIG_STACK].json);
    // Nothing machine-specific leaks in: no absolute checkout path.
    expect(a[CLUSTER_STACK].json + a[CONFIG_STACK].json).not.toContain(process.cwd());
  });
});
