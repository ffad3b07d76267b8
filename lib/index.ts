export * from './validation';
export * from './images';
export * from './external';
export * from './tls';
export { ExternalTrafficPolicy, ServiceType, ServicePortSpec, serviceDnsName } from './internal/service';
export { ImageRuntime } from './internal/workload';
export * from './nginx-https';
export * from './source-ip';
export * from './load-balancers';
