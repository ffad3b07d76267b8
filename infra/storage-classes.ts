import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { Construct } from 'constructs';
import { fail, isDns1123Subdomain } from '../lib/validation';

/** How a class binds volumes (storage.k8s.io/v1 `volumeBindingMode`). */
export enum VolumeBindingMode {
  /** Provision when the PVC is created, in a zone the scheduler may not pick. */
  IMMEDIATE = 'Immediate',
  /** Provision once a Pod using the PVC is scheduled, in that Pod's zone. */
  WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer',
}

export interface StorageClassSpec {
  readonly name: string;
  readonly provisioner: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly volumeBindingMode: VolumeBindingMode;
  readonly allowVolumeExpansion: boolean;
  readonly reclaimPolicy: 'Delete' | 'Retain';
}

/**
 * Decision D7: Cassandra's class `fast` is, on GKE, the Persistent Disk CSI driver with SSD
 * disks. WaitForFirstConsumer makes the disk in the zone where the Pod lands (GKE's own
 * `standard-rwo`/`premium-rwo` do the same); expansion lets `kubectl edit pvc` grow a disk.
 * Delete (the Kubernetes default for dynamic volumes) frees the disks when the tutorial's
 * cleanup deletes the PVCs.
 */
export const FAST: StorageClassSpec = {
  name: 'fast',
  provisioner: 'pd.csi.storage.gke.io',
  parameters: { type: 'pd-ssd' },
  volumeBindingMode: VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER,
  allowVolumeExpansion: true,
  reclaimPolicy: 'Delete',
};

/** The classes every GKE Standard cluster has without this stack (`kubectl get storageclass`). */
export const GKE_BUILT_IN_STORAGE_CLASSES = ['standard-rwo', 'premium-rwo', 'standard'] as const;

export interface StorageClassesProps {
  /** The classes to create. @default [FAST], the classes the charts name (D7) */
  readonly classes?: readonly StorageClassSpec[];
}

/** The storage classes the charts need and GKE does not provide, created with the Kubernetes provider. */
export class StorageClasses extends Construct {
  readonly byName: ReadonlyMap<string, StorageClassV1>;

  constructor(scope: Construct, id: string, props: StorageClassesProps = {}) {
    super(scope, id);
    const byName = new Map<string, StorageClassV1>();
    for (const spec of props.classes ?? [FAST]) {
      if (!isDns1123Subdomain(spec.name)) fail(this, 'classes', spec.name, 'must name each class with an RFC 1123 subdomain');
      if ((GKE_BUILT_IN_STORAGE_CLASSES as readonly string[]).includes(spec.name)) {
        fail(this, 'classes', spec.name, `must not redefine a class GKE already provides (${GKE_BUILT_IN_STORAGE_CLASSES.join(', ')})`);
      }
      if (byName.has(spec.name)) fail(this, 'classes', spec.name, 'must list each class once');
      byName.set(spec.name, new StorageClassV1(this, spec.name, {
        metadata: { name: spec.name },
        storageProvisioner: spec.provisioner,
        parameters: { ...spec.parameters },
        volumeBindingMode: spec.volumeBindingMode,
        allowVolumeExpansion: spec.allowVolumeExpansion,
        reclaimPolicy: spec.reclaimPolicy,
      }));
    }
    this.byName = byName;
  }
}
