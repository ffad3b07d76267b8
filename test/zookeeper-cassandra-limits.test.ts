import { Cassandra, ZooKeeper } from '../lib';
import { findOne, synthConstructs } from './harness';

/**
 * Boundaries of the ZooKeeper and Cassandra props that mutation testing found unpinned: each
 * limit is shown accepted at its edge and refused one step past it, each error names its prop,
 * and each checkov suppression is written exactly when its check fails.
 */

const zk = (props: ConstructorParameters<typeof ZooKeeper>[2]) => {
  const { docs } = synthConstructs((c) => new ZooKeeper(c, 'app', props));
  const sts = findOne(docs, 'StatefulSet', 'zk');
  return { sts, container: sts.spec.template.spec.containers[0] };
};
const cassandra = (props: ConstructorParameters<typeof Cassandra>[2]) =>
  synthConstructs((c) => new Cassandra(c, 'app', props)).docs;

describe('ZooKeeper limits', () => {
  it('writes a CPU limit alone, or a memory limit alone, and no limits when neither is given', () => {
    expect(zk({ cpuLimit: '1' }).container.resources.limits).toEqual({ cpu: '1' });
    expect(zk({ memoryLimit: '2Gi' }).container.resources.limits).toEqual({ memory: '2Gi' });
    expect(zk({}).container.resources.limits).toBeUndefined();
  });

  it('names cpuLimit in the error for a bad CPU limit', () => {
    expect(() => zk({ cpuLimit: 'lots' })).toThrow(/prop 'cpuLimit' is "lots"/);
  });

  it('suppresses the CPU-limit check (CKV_K8S_11) exactly when a container has no CPU limit', () => {
    const skip = (props: ConstructorParameters<typeof ZooKeeper>[2]) =>
      zk(props).sts.metadata.annotations?.['checkov.io/skip-CKV_K8S_11'] !== undefined;
    expect(skip({ purgeSidecar: false })).toBe(true);
    expect(skip({ cpuLimit: '1', purgeSidecar: false })).toBe(false);
    // The purge sidecar has no CPU limit of its own, so the check still fails on the Pod.
    expect(skip({ cpuLimit: '1', purgeSidecar: true })).toBe(true);
  });

  it('suppresses the probe checks (CKV_K8S_8, CKV_K8S_9) only with the probe-less purge sidecar', () => {
    const annotations = (props: ConstructorParameters<typeof ZooKeeper>[2]) =>
      Object.keys(zk(props).sts.metadata.annotations ?? {}).filter((k) => /CKV_K8S_[89]$/.test(k));
    expect(annotations({ purgeSidecar: true })).toEqual(['checkov.io/skip-CKV_K8S_8', 'checkov.io/skip-CKV_K8S_9']);
    expect(annotations({ purgeSidecar: false })).toEqual([]);
  });
});

describe('Cassandra heap and StorageClass props', () => {
  it('refuses a young generation as large as the heap, naming heapNewSize', () => {
    expect(() => cassandra({ maxHeapSize: '512M', heapNewSize: '512M' })).toThrow(/prop 'heapNewSize' is "512M"/);
    expect(() => cassandra({ maxHeapSize: '512M', heapNewSize: '511M' })).not.toThrow();
    expect(() => cassandra({ heapNewSize: 'lots' })).toThrow(/prop 'heapNewSize' is "lots"/);
  });

  it.each([
    'a',
    'a/b',
    'ab',
    'example.com/a',
    'pd.csi.storage.gke.io',
    'rancher.io/local-path',
    'k8s.io/minikube-hostpath',
  ])('accepts the provisioner %j', (storageClassProvisioner) => {
    const docs = cassandra({ emitStorageClass: true, storageClassProvisioner });
    expect(findOne(docs, 'StorageClass', 'fast').provisioner).toBe(storageClassProvisioner);
  });

  it.each(['A', '-a', 'a-', 'a/', 'a/-b', 'a/b-', 'a//b', 'a/b/c'])(
    'refuses the provisioner %j',
    (storageClassProvisioner) => {
      expect(() => cassandra({ emitStorageClass: true, storageClassProvisioner })).toThrow(
        /prop 'storageClassProvisioner' is .*; must be a provisioner name/,
      );
    },
  );

  it('accepts a provisioner name of 253 characters and refuses one of 254', () => {
    expect(() => cassandra({ emitStorageClass: true, storageClassProvisioner: 'a'.repeat(253) })).not.toThrow();
    expect(() => cassandra({ emitStorageClass: true, storageClassProvisioner: 'a'.repeat(254) })).toThrow(
      /prop 'storageClassProvisioner'/,
    );
  });
});
