import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/**
 * The hand-written endpoints of a Service without a selector (seed 003's networking article and
 * seed 004's `kubia` examples both write one for an external address).
 */

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
      labels: {
        'kubernetes.io/service-name': props.serviceName,
        'endpointslice.kubernetes.io/managed-by': 'k8s-tutorials',
      },
    },
    addressType: 'IPv4',
    endpoints: props.addresses.map((ip) => ({ addresses: [ip] })),
    ports: [{ port: props.port, protocol: 'TCP' }],
  });
}
