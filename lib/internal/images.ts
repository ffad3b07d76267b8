import { IConstruct } from 'constructs';
import { fail } from './validation';

/**
 * Image references and the one setting that points every image at a mirror (decision D3).
 *
 * Every construct takes its images as props. Before a reference is written into a manifest it
 * goes through {@link resolveImage}, which honours the `imageRegistry` context value of the
 * cdk8s app. The cdk8s app sets that context from the `IMAGE_REGISTRY` environment variable.
 */
export const IMAGE_REGISTRY_CONTEXT = 'imageRegistry';

/** A first path component that names a registry host: it has a dot or a port, or is localhost. */
const REGISTRY_HOST = /[.:]|^localhost$/;

/** Splits a reference into registry host and repository path (Docker's own rules). */
export function splitImage(image: string): { registry: string; path: string } {
  const slash = image.indexOf('/');
  // Docker Hub: "nginx:1.28" is "docker.io/library/nginx:1.28", "luksa/kubia" is "docker.io/luksa/kubia".
  if (slash < 0) return { registry: 'docker.io', path: `library/${image}` };
  const first = image.slice(0, slash);
  return REGISTRY_HOST.test(first)
    ? { registry: first, path: image.slice(slash + 1) }
    : { registry: 'docker.io', path: image };
}

const IMAGE_REF =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/**
 * The image to write for `scope`: the reference itself, or, when the app sets a mirror,
 * the same repository path and tag under the mirror (`mirror.example/library/nginx:1.28`).
 */
export function resolveImage(scope: IConstruct, prop: string, image: string): string {
  if (!IMAGE_REF.test(image)) {
    fail(scope, prop, image, 'must be an image reference such as "nginx:1.28" or "registry.k8s.io/echoserver:1.4"');
  }
  const mirror = scope.node.tryGetContext(IMAGE_REGISTRY_CONTEXT) as string | undefined;
  if (!mirror) return image;
  return `${mirror.replace(/\/+$/, '')}/${splitImage(image).path}`;
}

/**
 * Rewrites the frozen registries to their successor (decision D3): `k8s.gcr.io/x:t` and
 * `gcr.io/google_containers/x:t` are served as `registry.k8s.io/x:t`.
 */
export function modernRegistry(image: string): string {
  return image.replace(/^(k8s\.gcr\.io|gcr\.io\/google[_-]containers)\//, 'registry.k8s.io/');
}
