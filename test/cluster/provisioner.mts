/* eslint-disable @typescript-eslint/no-explicit-any -- reads loosely typed server JSON, as test/ does (eslint.config.mjs) */
/**
 * Stands in for the PD CSI driver's external-provisioner (not a Kubernetes component: the cloud's
 * disk driver, which the test machines cannot run): for a Pending claim of a PD class it makes a
 * PersistentVolume in the zone of the node the scheduler selected (WaitForFirstConsumer puts that
 * node on the claim as volume.kubernetes.io/selected-node), or, for Immediate classes, in the
 * pool's zone. A claim without a class gets the default class, as the API server would have
 * written. The PV controller in kube-controller-manager binds the volume. Used by stage 2 of the
 * cluster suite and by verify's integration suite.
 */
type Request = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; body: any }>;

const PD_PROVISIONERS = new Set(['pd.csi.storage.gke.io', 'kubernetes.io/gce-pd']);

export class Provisioner {
  private stopped = false;
  private loop: Promise<void> | undefined;
  /** `<namespace>/<claim> -> <volume> (<zone>[, for <node>])`, one per volume made. */
  readonly made: string[] = [];
  constructor(
    private readonly request: Request,
    private readonly zone: string,
  ) {}

  start(): void {
    this.loop = this.run();
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.once();
      } catch (e) {
        process.stderr.write(`provisioner: ${(e as Error).message}\n`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  private async once(): Promise<void> {
    const classes = new Map<string, any>(
      ((await this.request('GET', '/apis/storage.k8s.io/v1/storageclasses')).body.items as any[]).map((c) => [
        c.metadata.name,
        c,
      ]),
    );
    const defaultClass = [...classes.values()].find(
      (c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
    );
    for (const pvc of (await this.request('GET', '/api/v1/persistentvolumeclaims')).body.items as any[]) {
      if (pvc.status?.phase !== 'Pending' || pvc.spec.volumeName) continue;
      const sc = classes.get(pvc.spec.storageClassName ?? defaultClass?.metadata.name);
      if (!sc || !PD_PROVISIONERS.has(sc.provisioner)) continue;
      const node = pvc.metadata.annotations?.['volume.kubernetes.io/selected-node'];
      if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !node) continue;
      let zone = this.zone;
      if (node) {
        const n = await this.request('GET', `/api/v1/nodes/${node}`);
        zone = n.body.metadata?.labels?.['topology.gke.io/zone'] ?? zone;
      }
      const name = `pvc-${pvc.metadata.uid}`;
      const r = await this.request('POST', '/api/v1/persistentvolumes', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': 'pd.csi.storage.gke.io' } },
        spec: {
          capacity: { storage: pvc.spec.resources.requests.storage },
          accessModes: pvc.spec.accessModes,
          persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
          storageClassName: sc.metadata.name,
          volumeMode: pvc.spec.volumeMode ?? 'Filesystem',
          claimRef: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            namespace: pvc.metadata.namespace,
            name: pvc.metadata.name,
            uid: pvc.metadata.uid,
          },
          csi: {
            driver: 'pd.csi.storage.gke.io',
            volumeHandle: `projects/test/zones/${zone}/disks/${name}`,
            fsType: 'ext4',
          },
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'topology.gke.io/zone', operator: 'In', values: [zone] }] },
              ],
            },
          },
        },
      });
      if (r.status < 300)
        this.made.push(
          `${pvc.metadata.namespace}/${pvc.metadata.name} -> ${name} (${zone}${node ? `, for ${node}` : ''})`,
        );
      else if (r.status !== 409)
        throw new Error(
          `PV for ${pvc.metadata.namespace}/${pvc.metadata.name}: ${r.status} ${JSON.stringify(r.body?.message ?? '')}`,
        );
    }
  }
}
