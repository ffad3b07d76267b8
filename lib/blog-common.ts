import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as v from './validation';

/**
 * Small helpers shared by the constructs of seed 003 (the supergiant.io StatefulSet, storage and
 * networking articles) and seed 004 (the "Kubernetes in Action" `kubia` examples).
 *
 * These constructs write the raw `k8s` API (not cdk8s-plus) because their sources use kinds that
 * cdk8s-plus-27 cannot express exactly (ReplicaSet, volumeClaimTemplates, selector-less Services
 * with Endpoints, Ingress to a NodePort Service) and because every object must carry exactly the
 * source's labels (decision D1). So no cdk8s-plus default reaches these containers, and each one
 * states its own security context (decision D5) through {@link containerSecurity}.
 */

/** What an image needs at run time (decision D5); the caller comments why, with the source. */
export interface ContainerRuntime {
  /**
   * The UID to run as. `0` (root) writes no `runAsUser` and no `runAsNonRoot` (the image's own
   * user, root, applies); any other value sets `runAsUser` and `runAsNonRoot: true`.
   */
  readonly user: number;
  /** The image writes outside its mounted volumes, so the root filesystem stays writable. */
  readonly writesRootFilesystem: boolean;
}

/** The container security context for `runtime`; privilege escalation stays off (no image here uses setuid binaries). */
export function containerSecurity(runtime: ContainerRuntime): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: !runtime.writesRootFilesystem,
    ...(runtime.user === 0 ? {} : { runAsNonRoot: true, runAsUser: runtime.user }),
  };
}

/** An `emptyDir` volume and its mount, for a path an image writes to under a read-only root filesystem. */
export function scratchDir(name: string, mountPath: string): { volume: k8s.Volume; mount: k8s.VolumeMount } {
  return { volume: { name, emptyDir: {} }, mount: { name, mountPath } };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Validates a list of IPv4 endpoint addresses (at least one). */
export function ipv4Addresses(scope: Construct, prop: string, value: readonly string[]): string[] {
  if (value.length === 0) v.fail(scope, prop, value, 'must list at least one IPv4 address');
  for (const ip of value) {
    if (!IPV4.test(ip)) v.fail(scope, prop, value, `must list IPv4 addresses only; "${ip}" is not one`);
  }
  return [...value];
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Validates a map of node or Pod labels (at least one): keys are `[prefix/]name` with a DNS
 * subdomain prefix and a name of at most 63 alphanumerics, `-`, `_`, `.`; values are empty or
 * the same form as a name (Kubernetes "Labels and Selectors", syntax and character set).
 */
export function labels(scope: Construct, prop: string, value: Record<string, string>): Record<string, string> {
  if (Object.keys(value).length === 0) v.fail(scope, prop, value, 'must name at least one label');
  for (const [key, val] of Object.entries(value)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash === -1 ? undefined : key.slice(0, slash);
    const name = key.slice(slash + 1);
    if ((prefix !== undefined && !v.isDns1123Subdomain(prefix)) || !LABEL_NAME.test(name)) {
      v.fail(scope, prop, value, `must have label keys of the form [prefix/]name (name: at most 63 alphanumerics, '-', '_', '.'); "${key}" is not one`);
    }
    if (typeof val !== 'string' || (val !== '' && !LABEL_NAME.test(val))) {
      v.fail(scope, prop, value, `must have label values of at most 63 alphanumerics, '-', '_', '.'; "${String(val)}" of "${key}" is not one`);
    }
  }
  return { ...value };
}

/** How the endpoints of a Service without a selector are written. */
export enum ManualEndpointsKind {
  /** `v1` Endpoints, as both sources write them (deprecated since Kubernetes 1.33, still served). */
  ENDPOINTS = 'Endpoints',
  /** `discovery.k8s.io/v1` EndpointSlice, the current API, labelled with the Service's name. */
  ENDPOINT_SLICE = 'EndpointSlice',
}

export interface ManualEndpointsProps {
  /** The Service name; an Endpoints object has the same name, an EndpointSlice the label `kubernetes.io/service-name`. */
  readonly serviceName: string;
  readonly namespace?: string;
  readonly addresses: readonly string[];
  readonly port: number;
  readonly kind: ManualEndpointsKind;
}

/**
 * The hand-written endpoints of a selector-less Service. For an EndpointSlice the label
 * `endpointslice.kubernetes.io/managed-by` names this project, so the EndpointSlice controller,
 * which owns slices labelled `endpointslice-controller.k8s.io`, leaves it alone.
 */
export function manualEndpoints(scope: Construct, id: string, props: ManualEndpointsProps): void {
  if (props.kind === ManualEndpointsKind.ENDPOINTS) {
    new k8s.KubeEndpoints(scope, id, {
      metadata: { name: props.serviceName, namespace: props.namespace },
      subsets: [{ addresses: props.addresses.map((ip) => ({ ip })), ports: [{ port: props.port }] }],
    });
    return;
  }
  new k8s.KubeEndpointSlice(scope, id, {
    metadata: {
      name: `${props.serviceName}-1`,
      namespace: props.namespace,
      labels: { 'kubernetes.io/service-name': props.serviceName, 'endpointslice.kubernetes.io/managed-by': 'k8s-tutorials' },
    },
    addressType: 'IPv4',
    endpoints: props.addresses.map((ip) => ({ addresses: [ip] })),
    ports: [{ port: props.port, protocol: 'TCP' }],
  });
}
