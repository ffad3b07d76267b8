/**
 * Label selection as Kubernetes does it, shared by the jest harness (./objects.ts) and the
 * cluster suites (test/cluster/), which check that the real controllers agree with it.
 * Dependency-free, so the ES module suites import it as they are.
 */

/** A LabelSelector: matchLabels and matchExpressions, all of which must hold. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

/** Whether `labels` has every key of `selector` with its value (a Service selector, a nodeSelector); `{}` matches all. */
export function matchesLabels(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * Whether a LabelSelector matches `labels`: every matchLabels entry and every expression (In,
 * NotIn, Exists, DoesNotExist). An empty or absent selector matches everything, as in the API;
 * an unknown operator is an error, not a silent miss.
 */
export function matchesLabelSelector(
  selector: LabelSelector | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (!matchesLabels(selector?.matchLabels ?? {}, labels)) return false;
  return (selector?.matchExpressions ?? []).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn':
        return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        throw new Error(
          `label selector operator ${JSON.stringify(e.operator)}: not one of In, NotIn, Exists, DoesNotExist`,
        );
    }
  });
}
