import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as v from './validation';

/**
 * The label that tells two copies of one tutorial apart when they share a namespace: written
 * on every Pod and added to every selector, and only when a prefix is set, so the tutorial's own
 * manifests stay exactly as they are. `app.kubernetes.io/instance` is Kubernetes' recommended
 * label for "a unique name identifying the instance of an application".
 */
export const NAME_PREFIX_LABEL = 'app.kubernetes.io/instance';

/** The longest prefix accepted: every name a tutorial derives from it must stay a valid name. */
export const MAX_NAME_PREFIX_LENGTH = 20;

/** The prop every tutorial construct takes for two copies side by side (decision D1). */
export interface NamePrefixProps {
  /**
   * Prefix for every name the construct writes or uses: object names, claim names, Secret and
   * ConfigMap references, Service names in DNS names, env and seeds (`<prefix>-<name>`). Pods
   * also get the label `app.kubernetes.io/instance: <prefix>` and every selector requires it, so
   * two copies in one namespace select only their own Pods. A lower-case DNS label of at most
   * 20 characters starting with a letter. The tutorial's own commands (`kubectl exec zk-0`,
   * `curl http://frontend`) then need the prefixed names. @default none: the tutorial's names
   */
  readonly namePrefix?: string;
}

/** The names of one construct: the tutorial's names, prefixed when a prefix is set. */
export class Names {
  /** Checks `prefix` (prop `namePrefix` of `scope`) and returns the construct's names. */
  static of(scope: IConstruct, prefix: string | undefined): Names {
    if (prefix === undefined) return new Names(undefined);
    v.check(
      scope,
      'namePrefix',
      prefix,
      /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(prefix) && prefix.length <= MAX_NAME_PREFIX_LENGTH
        ? undefined
        : `must be a lower-case DNS label of at most ${MAX_NAME_PREFIX_LENGTH} characters that starts with a letter (a-z, 0-9 and "-"; leave it out for the tutorial's names)`,
    );
    return new Names(prefix);
  }

  private constructor(readonly prefix: string | undefined) {}

  /** `name`, or `<prefix>-name`. */
  name(name: string): string {
    return this.prefix === undefined ? name : `${this.prefix}-${name}`;
  }

  /** Pod labels (and so selectors): the tutorial's, plus {@link NAME_PREFIX_LABEL} when prefixed. */
  labels<T extends Record<string, string>>(labels: T): T {
    return this.prefix === undefined ? labels : { ...labels, [NAME_PREFIX_LABEL]: this.prefix };
  }

  /** Labels a bare Pod (one no selector picks) with {@link NAME_PREFIX_LABEL} when prefixed, as every other Pod. */
  labelPod(pod: IConstruct): void {
    if (this.prefix !== undefined) ApiObject.of(pod).metadata.addLabel(NAME_PREFIX_LABEL, this.prefix);
  }
}
