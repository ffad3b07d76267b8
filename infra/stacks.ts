import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, Fn, GcsBackend, LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { LoadBalancerAddresses } from './addresses';
import { Cluster } from './cluster';
import { InfraConfig, controlPlaneRanges } from './config';
import { NodePortFirewall } from './firewall';
import { CloudNat } from './nat';
import { Network } from './network';
import { NodePool } from './node-pool';
import { SecretsKey } from './secrets-key';
import { NodeServiceAccount } from './service-account';
import { StorageClassSpec } from '../lib/contracts/storage-classes';
import { StorageClasses } from './storage-classes';
import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';
import { PRIORITY_CLASSES } from '../lib/contracts/priority-classes';

/** Names of the two stacks, in deploy order. */
export const CLUSTER_STACK = 'tutorials-gke';
export const CONFIG_STACK = 'tutorials-gke-config';

/**
 * Remote state in GCS when a bucket is configured. Otherwise a local state file in the
 * repository root (git-ignored), named with a path relative to the stack's working directory
 * `cdktf.out/stacks/<stack>` instead of cdktf's default absolute path, so the synthesized JSON
 * does not depend on where the repository is checked out.
 */
function useBackend(stack: TerraformStack, config: InfraConfig, stackName: string): void {
  if (config.stateBucket)
    new GcsBackend(stack, { bucket: config.stateBucket, prefix: `${config.clusterName}/${stackName}` });
  else new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
}

/**
 * The cluster and everything Google Cloud holds for it: network, cluster, node pool, node
 * service account, reserved load balancer addresses, the NodePort firewall rule, and the
 * outputs the next steps need. It only composes the layer constructs.
 */
export class ClusterStack extends TerraformStack {
  readonly network: Network;
  readonly cluster: Cluster;
  readonly nodePool: NodePool;
  readonly addresses: LoadBalancerAddresses;
  readonly firewall: NodePortFirewall;
  /** Router and NAT, with private nodes only. */
  readonly nat?: CloudNat;
  /** The Secrets encryption key, with GKE_SECRETS_KMS only. */
  readonly secretsKey?: SecretsKey;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);
    useBackend(this, config, id);
    const project = this.addProject(config);

    const name = config.clusterName;
    const nodeTag = `${name}-node`;
    this.network = new Network(this, 'network', { name, region: config.region, project });
    const nodeAccount = new NodeServiceAccount(this, 'node-service-account', { accountId: `${name}-nodes`, project });
    if (config.secretsKms) {
      this.secretsKey = new SecretsKey(this, 'secrets-key', {
        name,
        region: config.region,
        project,
        labels: config.labels,
      });
    }
    this.cluster = this.addCluster(config, project, nodeAccount);
    if (config.privateNodes) {
      this.nat = new CloudNat(this, 'nat', { name, region: config.region, project, network: this.network });
    }
    this.nodePool = this.addNodePool(config, project, nodeAccount, nodeTag);
    this.addresses = new LoadBalancerAddresses(this, 'addresses', {
      prefix: name,
      region: config.region,
      project,
      labels: config.labels,
    });
    this.firewall = new NodePortFirewall(this, 'firewall', {
      name: `${name}-nodeports`,
      project,
      network: this.network,
      targetTag: nodeTag,
      sourceRanges: config.allowedSourceRanges,
    });
    this.addOutputs(project, nodeAccount);
  }

  /** The project variable and the Google provider; returns the project, as Terraform will know it. */
  private addProject(config: InfraConfig): string {
    // The project is a Terraform variable so that `cdktf synth` runs without one and
    // `cdktf deploy` stops at plan time with this message when it is still empty.
    const projectVar = new TerraformVariable(this, 'project', {
      type: 'string',
      default: config.project,
      description: 'Google Cloud project id (GKE_PROJECT at synth time, or TF_VAR_project at deploy time)',
      validation: [
        {
          condition: '${length(var.project) > 0}',
          errorMessage:
            'The project is empty: set GKE_PROJECT (or cdktf.json context "project") and run cdktf deploy again, or export TF_VAR_project.',
        },
      ],
    });
    const project = projectVar.stringValue;
    new GoogleProvider(this, 'google', { project, region: config.region });
    return project;
  }

  /** The cluster, in the network, encrypting Secrets with the stack's key when it has one. */
  private addCluster(config: InfraConfig, project: string, nodeAccount: NodeServiceAccount): Cluster {
    return new Cluster(this, 'cluster', {
      name: config.clusterName,
      zone: config.zone,
      regional: config.regional ? { region: config.region, nodeLocations: config.nodeLocations } : undefined,
      project,
      network: this.network,
      nodeServiceAccount: nodeAccount.email,
      deletionProtection: config.deletionProtection,
      masterAuthorizedRanges: controlPlaneRanges(config),
      privateNodes: config.privateNodes ? { masterCidr: config.masterCidr } : undefined,
      secretsKmsKey: this.secretsKey?.keyId,
      networkPolicy: config.networkPolicy,
      maintenanceWindow: config.maintenanceWindow,
      labels: config.labels,
      // GKE checks at creation that its service agent may use the key.
      dependsOn: this.secretsKey ? [this.secretsKey.grant] : undefined,
    });
  }

  /** The pool the tutorials run on, with the node service account, after its grants (and the NAT). */
  private addNodePool(
    config: InfraConfig,
    project: string,
    nodeAccount: NodeServiceAccount,
    nodeTag: string,
  ): NodePool {
    return new NodePool(this, 'node-pool', {
      cluster: this.cluster,
      project,
      name: `${config.clusterName}-pool`,
      serviceAccount: nodeAccount.email,
      machineType: config.machineType,
      nodeCount: config.nodeCount,
      tags: [nodeTag],
      labels: config.labels,
      // Private nodes pull their images through the NAT, so it must exist before they boot.
      dependsOn: [...nodeAccount.grants, ...(this.nat ? [this.nat.nat] : [])],
    });
  }

  /** What the next steps need: how to reach the cluster, the node pool and account, the reserved addresses. */
  private addOutputs(project: string, nodeAccount: NodeServiceAccount): void {
    const c = this.cluster.cluster;
    const locationFlag = this.cluster.regional ? '--region' : '--zone';
    new TerraformOutput(this, 'cluster_name', { value: c.name, description: 'Name of the GKE cluster' });
    new TerraformOutput(this, 'location', {
      value: c.location,
      description: 'Zone (zonal cluster) or region (regional cluster) of the GKE cluster',
    });
    new TerraformOutput(this, 'endpoint', {
      value: c.endpoint,
      description: 'IP address of the control plane endpoint (https)',
      sensitive: true,
    });
    new TerraformOutput(this, 'cluster_ca_certificate', {
      value: c.masterAuth.clusterCaCertificate,
      description: 'Base64-encoded CA certificate of the control plane',
      sensitive: true,
    });
    new TerraformOutput(this, 'kubeconfig', {
      value: kubeconfig(c.name, c.location, project, c.endpoint, c.masterAuth.clusterCaCertificate),
      description:
        'kubeconfig for the cluster; kubectl authenticates with gke-gcloud-auth-plugin (gcloud credentials). ' +
        'Write it with: terraform output -raw kubeconfig > kubeconfig.yaml (in cdktf.out/stacks/tutorials-gke)',
      sensitive: true,
    });
    new TerraformOutput(this, 'get_credentials_command', {
      value: `gcloud container clusters get-credentials ${c.name} ${locationFlag} ${c.location} --project ${project}`,
      description: 'gcloud command that adds the cluster to ~/.kube/config',
    });
    new TerraformOutput(this, 'node_service_account', {
      value: nodeAccount.email,
      description: "Email of the nodes' service account (roles/container.defaultNodeServiceAccount only)",
    });
    new TerraformOutput(this, 'node_pool_name', {
      value: this.nodePool.pool.name,
      description: 'Name of the node pool the tutorials run on',
    });
    new TerraformOutput(this, 'workload_pool', {
      value: c.workloadIdentityConfig.workloadPool,
      description:
        'Workload Identity pool (<project>.svc.id.goog) for binding Kubernetes service accounts to Google service accounts',
    });
    // Read by the cdk8s app: LOAD_BALANCER_ADDRESSES_FILE=<the file cdktf output --outputs-file writes>.
    new TerraformOutput(this, 'load_balancer_addresses', {
      value: this.addresses.addressMap,
      description:
        'Reserved external address of each LoadBalancer Service, by <chart>/<service>; the cdk8s app reads it (LOAD_BALANCER_ADDRESSES_FILE)',
    });
  }
}

/**
 * A kubeconfig for the cluster, as YAML, in the form `gcloud container clusters get-credentials`
 * writes: the endpoint and CA, and a user that runs gke-gcloud-auth-plugin for a token
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl). It holds no
 * credential itself, but the endpoint and CA make it sensitive. The context is named as
 * gcloud names it, `gke_<project>_<location>_<cluster>`.
 */
export function kubeconfig(
  cluster: string,
  location: string,
  project: string,
  endpoint: string,
  caCertificate: string,
): string {
  const context = `gke_${project}_${location}_${cluster}`;
  return Fn.yamlencode({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': context,
    clusters: [
      { name: context, cluster: { server: `https://${endpoint}`, 'certificate-authority-data': caCertificate } },
    ],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'gke-gcloud-auth-plugin',
            installHint:
              'Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin',
            provideClusterInfo: true,
          },
        },
      },
    ],
  });
}

export interface ClusterConfigStackProps {
  readonly config: InfraConfig;
  readonly cluster: Cluster;
  /** Storage classes to create. @default [FAST] (D7) */
  readonly storageClasses?: readonly StorageClassSpec[];
}

/**
 * What lives inside the cluster: the storage classes and the priority classes the charts name. A separate stack because the Kubernetes
 * provider is configured from the cluster's endpoint and CA, which do not exist before the
 * cluster stack is applied; the Kubernetes provider's docs advise against configuring it from
 * a cluster created in the same apply. cdktf turns the references to the cluster into outputs
 * of the cluster stack and `terraform_remote_state` reads here, and deploys the stacks in order.
 */
export class ClusterConfigStack extends TerraformStack {
  readonly storageClasses: StorageClasses;

  constructor(scope: Construct, id: string, props: ClusterConfigStackProps) {
    super(scope, id);
    useBackend(this, props.config, id);
    new GoogleProvider(this, 'google', { region: props.config.region });
    // The short-lived access token of whoever runs `cdktf deploy` (gcloud credentials).
    const client = new DataGoogleClientConfig(this, 'client');
    new KubernetesProvider(this, 'kubernetes', {
      host: props.cluster.host,
      token: client.accessToken,
      clusterCaCertificate: Fn.base64decode(props.cluster.cluster.masterAuth.clusterCaCertificate),
    });
    this.storageClasses = new StorageClasses(this, 'storage-classes', { classes: props.storageClasses });
    // Cluster-wide like the storage classes: the charts name them and declare them as external
    // (decision D8; lib/contracts/priority-classes.ts).
    for (const spec of PRIORITY_CLASSES) {
      new PriorityClassV1(this, `priority-class-${spec.name}`, {
        metadata: { name: spec.name },
        value: spec.value,
        preemptionPolicy: spec.preemptionPolicy,
        globalDefault: false,
        description: spec.description,
      });
    }
  }
}

export interface Infra {
  readonly cluster: ClusterStack;
  readonly clusterConfig: ClusterConfigStack;
}

/** Both stacks, wired together. */
export function buildInfra(app: App, config: InfraConfig): Infra {
  const cluster = new ClusterStack(app, CLUSTER_STACK, config);
  const clusterConfig = new ClusterConfigStack(app, CONFIG_STACK, { config, cluster: cluster.cluster });
  return { cluster, clusterConfig };
}
