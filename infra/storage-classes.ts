import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { Construct } from 'constructs';
import { FAST, GKE_BUILT_IN_STORAGE_CLASSES, StorageClassSpec } from '../lib/contracts/storage-classes';
import { fail, isDns1123Subdomain } from '../lib/shared';

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
      if (!isDns1123Subdomain(spec.name))
        fail(this, 'classes', spec.name, 'must name each class with an RFC 1123 subdomain');
      if ((GKE_BUILT_IN_STORAGE_CLASSES as readonly string[]).includes(spec.name)) {
        fail(
          this,
          'classes',
          spec.name,
          `must not redefine a class GKE already provides (${GKE_BUILT_IN_STORAGE_CLASSES.join(', ')})`,
        );
      }
      if (byName.has(spec.name)) fail(this, 'classes', spec.name, 'must list each class once');
      byName.set(
        spec.name,
        new StorageClassV1(this, spec.name, {
          metadata: { name: spec.name },
          storageProvisioner: spec.provisioner,
          parameters: { ...spec.parameters },
          volumeBindingMode: spec.volumeBindingMode,
          allowVolumeExpansion: spec.allowVolumeExpansion,
          reclaimPolicy: spec.reclaimPolicy,
        }),
      );
    }
    this.byName = byName;
  }
}
