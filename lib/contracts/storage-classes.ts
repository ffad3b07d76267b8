/**
 * The StorageClasses the charts name and the infrastructure stack creates or GKE provides
 * (decision D7): one definition, imported by the constructs (their default class names and the
 * class they can emit for clusters without the stack) and by the cdktf app (the class it creates).
 */

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

/** How a user gets the class `name` that a chart refers to but does not write. */
export function howToCreateStorageClass(name: string): string {
  if (name === FAST.name) {
    return `the infrastructure stack creates "${FAST.name}" on GKE (${FAST.provisioner}, type ${FAST.parameters.type}; npm run synth:infra, then cdktf deploy; decision D7); on other clusters let the chart write a StorageClass (its storage class props)`;
  }
  if ((GKE_BUILT_IN_STORAGE_CLASSES as readonly string[]).includes(name))
    return `GKE provides "${name}" on every cluster`;
  return `kubectl get storageclass ${name} (it must exist on the cluster)`;
}
