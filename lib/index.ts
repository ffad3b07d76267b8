// The public API: one construct per tutorial (lib/<tutorial>.ts), the shared types their props
// use, and the contract between the two apps. Everything under lib/internal/ is private.
export { ValidationError } from './internal/validation';
export { IMAGE_REGISTRY_CONTEXT, modernRegistry, resolveImage, splitImage } from './internal/images';
export { EXTERNAL_METADATA, ExternalKind, ExternalObject, declareExternal, externalObjects } from './internal/external';
export { TlsMaterial } from './internal/tls';
export {
  PRINT_WARNINGS_CONTEXT,
  WARNING_METADATA,
  addTutorialWarning,
  formatWarnings,
  printTutorialWarnings,
  tutorialWarnings,
} from './internal/warnings';
export {
  ExternalTrafficPolicy,
  LOAD_BALANCER_SOURCE_RANGES_CONTEXT,
  ServiceType,
  ServicePortSpec,
  serviceDnsName,
  setLoadBalancerSourceRanges,
} from './internal/service';
export { ImageRuntime } from './internal/workload';
export { MAX_NAME_PREFIX_LENGTH, NAME_PREFIX_LABEL, NamePrefixProps } from './internal/names';
export { ManualEndpointsKind } from './internal/endpoints';
export { REPOSITORY_WIDE_SKIPS, addRepositoryWideSkips } from './internal/scan';
export { addPriorityClasses } from './internal/disruption';
export * from './contracts';

export * from './nginx-https';
export * from './source-ip';
export * from './zookeeper';
export * from './cassandra';
export * from './guestbook';
export * from './guestbook-logging';
export * from './wordpress';
export * from './redis-config';
export * from './external-ip';
export * from './statefulset-basics';
export * from './hello-minikube';
export * from './kubernetes-bootcamp';
export * from './pod-termination';
export * from './apparmor';
export * from './blog-statefulset';
export * from './blog-storage';
export * from './blog-sidecar-logging';
export * from './blog-networking';
export * from './kubia';
