import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Construct } from 'constructs';

export interface NodeServiceAccountProps {
  /** Account id (6-30 characters). */
  readonly accountId: string;
  /** Project id (or a reference to it). */
  readonly project: string;
}

/**
 * A dedicated service account for the nodes, instead of the Compute Engine default account
 * (which has the project-wide Editor role). It gets only the role GKE documents for node
 * service accounts, `roles/container.defaultNodeServiceAccount` (logging, monitoring and
 * metadata writes; "Use least privilege IAM service accounts",
 * https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster). The
 * tutorials' images come from public registries, so no registry reader role is needed; add
 * `roles/artifactregistry.reader` when IMAGE_REGISTRY points at a private Artifact Registry.
 */
export class NodeServiceAccount extends Construct {
  static readonly ROLES = ['roles/container.defaultNodeServiceAccount'] as const;

  readonly account: ServiceAccount;
  readonly email: string;
  /** The role grants; nodes should be created only after them (see NodePool's dependsOn). */
  readonly grants: ProjectIamMember[] = [];

  constructor(scope: Construct, id: string, props: NodeServiceAccountProps) {
    super(scope, id);
    this.account = new ServiceAccount(this, 'account', {
      project: props.project,
      accountId: props.accountId,
      displayName: 'GKE nodes of the Kubernetes tutorials cluster',
    });
    this.email = this.account.email;
    for (const role of NodeServiceAccount.ROLES) {
      this.grants.push(
        new ProjectIamMember(this, role.slice('roles/'.length), {
          project: props.project,
          role,
          member: `serviceAccount:${this.account.email}`,
        }),
      );
    }
  }
}
