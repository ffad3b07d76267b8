/** A container as a synthesized manifest writes it, as far as the checkov scan's rules read it. */
export interface ManifestContainer {
  image?: string;
  imagePullPolicy?: string;
}

/** A Pod spec as a synthesized manifest writes it: its containers. */
export interface ManifestPodSpec {
  containers?: ManifestContainer[];
  initContainers?: ManifestContainer[];
}

/**
 * The Pod spec of a Pod, of a workload's template or of a CronJob's job template, read from a
 * manifest as plain JSON (`S`: the shape the caller reads; the scan reads only the containers).
 */
export function podSpecOf<S = ManifestPodSpec>(o: { kind: string; spec?: unknown }): S | undefined {
  const spec = o.spec as { template?: { spec?: S }; jobTemplate?: { spec?: { template?: { spec?: S } } } } | undefined;
  if (o.kind === 'Pod') return o.spec as S | undefined;
  if (o.kind === 'CronJob') return spec?.jobTemplate?.spec?.template?.spec;
  return spec?.template?.spec;
}
