import { type LabelSelector, matchesLabelSelector } from './selectors';

/** The loose shape of a synthesized Kubernetes object, as the harness reads it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: any;
  [key: string]: any;
}

export interface PodTemplateOwner {
  readonly owner: K8sObject;
  /** Pod labels (the template's, or the Pod's own). */
  readonly labels: Record<string, string>;
  readonly podSpec: any;
  readonly namespace: string;
}

export const namespaceOf = (o: K8sObject): string => o.metadata?.namespace ?? 'default';
export const idOf = (o: K8sObject): string =>
  `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** Every Pod spec the documents would create, with the labels its Pods carry. */
export function podTemplates(docs: readonly K8sObject[]): PodTemplateOwner[] {
  const out: PodTemplateOwner[] = [];
  for (const o of docs) {
    const ns = namespaceOf(o);
    switch (o.kind) {
      case 'Pod':
        out.push({ owner: o, labels: o.metadata.labels ?? {}, podSpec: o.spec, namespace: ns });
        break;
      case 'Deployment':
      case 'StatefulSet':
      case 'DaemonSet':
      case 'ReplicaSet':
      case 'ReplicationController':
      case 'Job':
        out.push({
          owner: o,
          labels: o.spec?.template?.metadata?.labels ?? {},
          podSpec: o.spec?.template?.spec,
          namespace: ns,
        });
        break;
      case 'CronJob':
        out.push({
          owner: o,
          labels: o.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {},
          podSpec: o.spec?.jobTemplate?.spec?.template?.spec,
          namespace: ns,
        });
        break;
      default:
    }
  }
  return out;
}

/** All containers of a Pod spec, init containers included. */
export function containersOf(podSpec: any): any[] {
  return [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])];
}

/**
 * Label selection (a Service selector, or a LabelSelector's matchLabels and matchExpressions),
 * as ./selectors.ts does it; an empty selector selects nothing here, since a test that asks
 * means a selector that picks some Pods.
 */
export function selects(selector: LabelSelector | Record<string, string>, labels: Record<string, string>): boolean {
  const isLabelSelector = 'matchLabels' in selector || 'matchExpressions' in selector;
  const sel: LabelSelector = isLabelSelector
    ? (selector as LabelSelector)
    : { matchLabels: selector as Record<string, string> };
  if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) return false;
  return matchesLabelSelector(sel, labels);
}

/**
 * The Pod templates in `namespace` that a selector matches (a PodDisruptionBudget's, a Service's,
 * or an affinity term's labelSelector), so a test can assert a selector picks exactly the Pods it
 * is meant for and nothing else in the chart.
 */
export function selectedPodTemplates(
  docs: readonly K8sObject[],
  selector: Parameters<typeof selects>[0],
  namespace = 'default',
): PodTemplateOwner[] {
  return podTemplates(docs).filter((p) => p.namespace === namespace && selects(selector, p.labels));
}
