/**
 * What the cdk8s app and the cdktf app must agree on, in one place that both import: the
 * LoadBalancer Services and their reserved addresses, the StorageClasses the charts name, and
 * the node pool the charts must fit on. No name of this contract is written anywhere else.
 */
export * from './load-balancers';
export * from './storage-classes';
export * from './machine-types';
export * from './capacity';
export * from './system-pods';
export * from './priority-classes';
