import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring';
import { Construct } from 'constructs';

export interface SecretsKeyProps {
  /** Prefix of the key ring and key names (the cluster name). */
  readonly name: string;
  /** Location of the key ring: the cluster's region (GKE needs the key in the cluster's location or its region). */
  readonly region: string;
  /** Project id (or a reference to it). */
  readonly project: string;
  /** Labels on the key. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Cloud KMS key for GKE's application-layer Secrets encryption (CIS GKE 5.3.1,
 * https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets): a key ring and a
 * symmetric key in the cluster's region, rotated every 90 days, and the GKE service agent
 * (`service-<project number>@container-engine-robot.iam.gserviceaccount.com`) allowed to
 * encrypt and decrypt with it. The cluster must be created after the grant.
 *
 * Key rings and keys cannot be deleted from Google Cloud. `terraform destroy` removes the key
 * ring from the state only, and schedules the key's versions for destruction; deploying again
 * with the same names then needs the key ring and key imported. No `prevent_destroy`: it would
 * also stop the tutorials' teardown, and the cluster (which depends on the key) is destroyed first.
 */
export class SecretsKey extends Construct {
  static readonly ROTATION_PERIOD = `${90 * 24 * 60 * 60}s`;

  readonly keyRing: KmsKeyRing;
  readonly key: KmsCryptoKey;
  readonly grant: KmsCryptoKeyIamMember;
  /** The key's id, `projects/<p>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>`, for `database_encryption`. */
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: SecretsKeyProps) {
    super(scope, id);
    const project = new DataGoogleProject(this, 'project', { projectId: props.project });
    this.keyRing = new KmsKeyRing(this, 'key-ring', {
      project: props.project,
      name: `${props.name}-secrets`,
      location: props.region,
    });
    this.key = new KmsCryptoKey(this, 'key', {
      name: `${props.name}-secrets`,
      keyRing: this.keyRing.id,
      purpose: 'ENCRYPT_DECRYPT',
      rotationPeriod: SecretsKey.ROTATION_PERIOD,
      labels: props.labels ? { ...props.labels } : undefined,
    });
    this.keyId = this.key.id;
    this.grant = new KmsCryptoKeyIamMember(this, 'gke-service-agent', {
      cryptoKeyId: this.key.id,
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: `serviceAccount:service-${project.number}@container-engine-robot.iam.gserviceaccount.com`,
    });
  }
}
