/**
 * The Kubernetes suppressions in the synthesized manifests, read before checkov runs. checkov
 * 3.3.30 is lax and sometimes fatal about them: it ignores an id with a space or a comma list,
 * ignores annotations on a Pod template, records "No comment provided" for a value without
 * `=reason`, and crashes on a reason that contains `=`. So the scan insists on the one shape it
 * honours: on the object's own `metadata.annotations`, a key containing `checkov.io/skip`, and
 * the value `CHECK_ID=one-line reason without '='`. Each annotation names one check on one object.
 */
import { parseAllDocuments } from 'yaml';

export const SKIP_KEY_PREFIXES = ['checkov.io/skip', 'bridgecrew.io/skip', 'cortex.io/skip'] as const;
const VALUE = /^(CKV2?_[A-Z0-9]+_\d+)=(.*)$/;

export interface KubernetesSuppression {
  readonly file: string;
  /** checkov's id of the object: `Kind.namespace.name`. */
  readonly resource: string;
  readonly key: string;
  readonly checkId?: string;
  readonly reason?: string;
  /** Why checkov would not honour it as a reasoned suppression, if it would not. */
  readonly problem?: string;
}

const isSkipKey = (key: string) => SKIP_KEY_PREFIXES.some((p) => key.includes(p));

function valueProblem(value: unknown): { checkId?: string; reason?: string; problem?: string } {
  if (typeof value !== 'string') return { problem: 'the value is not a string' };
  const m = VALUE.exec(value);
  if (!m) {
    if (/[ ,]/.test(value.split('=')[0]))
      return { problem: 'checkov ignores an id with a space or a list of ids: one check per annotation' };
    if (!value.includes('=')) return { problem: 'no reason: write CHECK_ID=reason' };
    return { problem: `not CHECK_ID=reason: ${JSON.stringify(value)}` };
  }
  const [, checkId, reason] = m;
  if (reason.includes('='))
    return { checkId, reason, problem: "the reason contains '=', on which checkov 3.3.30 crashes" };
  if (reason.trim() === '') return { checkId, reason, problem: 'no reason after the =' };
  if (/[\r\n]/.test(reason)) return { checkId, reason, problem: 'the reason is not one line' };
  return { checkId, reason };
}

/** Skip annotations anywhere below the object's own metadata (Pod templates): checkov ignores them. */
function nestedSkipKeys(node: unknown, path: string[], out: { path: string; key: string }[]): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => nestedSkipKeys(n, [...path, String(i)], out));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if (
      k === 'annotations' &&
      path[path.length - 1] === 'metadata' &&
      path.length > 1 &&
      typeof v === 'object' &&
      v !== null
    ) {
      for (const key of Object.keys(v)) if (isSkipKey(key)) out.push({ path: [...path, k].join('.'), key });
    }
    nestedSkipKeys(v, [...path, k], out);
  }
}

/** Every skip annotation in one manifest file's text, with the problem for each that is not well formed. */
export function kubernetesSuppressions(file: string, text: string): KubernetesSuppression[] {
  const out: KubernetesSuppression[] = [];
  for (const doc of parseAllDocuments(text)) {
    const obj = doc.toJS() as {
      kind?: string;
      metadata?: { name?: string; namespace?: string; annotations?: Record<string, unknown> };
    } | null;
    if (!obj || typeof obj !== 'object') continue;
    const resource = `${obj.kind}.${obj.metadata?.namespace ?? 'default'}.${obj.metadata?.name}`;
    for (const [key, value] of Object.entries(obj.metadata?.annotations ?? {})) {
      if (isSkipKey(key)) out.push({ file, resource, key, ...valueProblem(value) });
    }
    const nested: { path: string; key: string }[] = [];
    nestedSkipKeys(obj, [], nested);
    for (const n of nested) {
      out.push({
        file,
        resource,
        key: n.key,
        problem: `on ${n.path}, which checkov ignores: annotate the object's own metadata`,
      });
    }
  }
  return out;
}

/**
 * Whether a well-formed annotation took effect: checkov reported that check skipped on that
 * object, or on the Pod it derives from the object's template (`Pod.<ns>.<name>.<labels>`).
 */
export function annotationUsed(
  s: KubernetesSuppression,
  skipped: readonly { file: string; resource: string; checkId: string }[],
): boolean {
  const [, ns, ...name] = s.resource.split('.');
  const derivedPod = `Pod.${ns}.${name.join('.')}.`;
  return skipped.some(
    (f) =>
      f.file === s.file && f.checkId === s.checkId && (f.resource === s.resource || f.resource.startsWith(derivedPod)),
  );
}
