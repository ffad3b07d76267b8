import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import { buildApp } from '../app';
import { TutorialChart } from '../charts';
import { Settings } from '../settings';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are read loosely, as the harness does */

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: any;
}

/** Kinds without a namespace that a tutorial chart may write. */
export const CLUSTER_SCOPED_KINDS: readonly string[] = [
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PersistentVolume',
  'IngressClass',
  'PriorityClass',
  'CustomResourceDefinition',
];
const CLUSTER_SCOPED = new Set(CLUSTER_SCOPED_KINDS);

export const isClusterScoped = (o: Manifest): boolean => CLUSTER_SCOPED.has(o.kind);

/**
 * One tutorial's objects as verify applies them. Objects without a namespace (every chart's
 * own, decision D1) go into the tutorial's namespace; objects with an explicit namespace
 * (guestbook-logging's kube-system ones) and cluster-scoped objects are "shared": they outlive
 * nothing of verify's, so they are applied only with `--include-shared`.
 */
export interface Placed {
  readonly id: string;
  readonly namespace: string;
  readonly objects: readonly Manifest[];
  /** Objects outside the tutorial's namespace: an explicit other namespace, or cluster-scoped. */
  readonly shared: readonly Manifest[];
}

/** Dependencies first (as Helm orders an install), so each object finds what it refers to. */
export const INSTALL_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'Endpoints',
  'EndpointSlice',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
];
const rank = (o: Pick<Manifest, 'kind'>) => {
  const i = INSTALL_ORDER.indexOf(o.kind);
  return i < 0 ? INSTALL_ORDER.length : i;
};

/** Compares two objects for an install: dependencies first, kinds not listed last (for `sort`). */
export function installOrder(a: Pick<Manifest, 'kind'>, b: Pick<Manifest, 'kind'>): number {
  return rank(a) - rank(b);
}

export function place(id: string, namespace: string, docs: readonly Manifest[]): Placed {
  const objects: Manifest[] = [];
  const shared: Manifest[] = [];
  for (const d of docs) {
    const copy: Manifest = JSON.parse(JSON.stringify(d));
    if (isClusterScoped(copy) || copy.metadata.namespace) shared.push(copy);
    else copy.metadata.namespace = namespace;
    objects.push(copy);
  }
  objects.sort(installOrder);
  return { id, namespace, objects, shared };
}

/** Synthesizes the chosen charts in this process, as `npm run synth` would, and returns their documents. */
export function synthCharts(charts: readonly TutorialChart[], settings: Settings): Map<string, Manifest[]> {
  // Stryker disable next-line StringLiteral: the folder's prefix only names it for a person looking at the temporary folder
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-synth-'));
  try {
    const { charts: built } = buildApp(settings, outdir, charts);
    return new Map([...built].map(([id, chart]) => [id, chart.toJson() as Manifest[]]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
