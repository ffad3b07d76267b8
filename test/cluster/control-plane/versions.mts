/**
 * The versions `npm run test:cluster` builds. One place, so the cache keys, the docs and the
 * test's expectations (GET /version) agree. See docs/cluster.md for why these.
 */

/** k8s.io/kubernetes; the staging modules (k8s.io/api, apiserver, client-go …) are v0.<minor>.<patch>. */
export const KUBERNETES_VERSION = 'v1.34.4';

/** go.etcd.io/etcd/server/v3: the 3.6 line, which Kubernetes 1.34 ships (3.6.4) and supports. */
export const ETCD_VERSION = 'v3.6.16';

/** sigs.k8s.io/kwok: the node simulator of stage 2. */
export const KWOK_VERSION = 'v0.8.0';

/** The only toolchain we build with; GOTOOLCHAIN=local keeps go from fetching another. */
export const GOTOOLCHAIN = 'local';

export function stagingVersion(kubernetesVersion: string = KUBERNETES_VERSION): string {
  return kubernetesVersion.replace(/^v1\./, 'v0.');
}

export function minorOf(kubernetesVersion: string = KUBERNETES_VERSION): {
  major: string;
  minor: string;
  patch: string;
} {
  const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(kubernetesVersion);
  if (!m) throw new Error(`not a Kubernetes version: ${kubernetesVersion}`);
  return { major: m[1], minor: m[2], patch: m[3] };
}
