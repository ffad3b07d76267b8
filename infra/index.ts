// The GKE constructs, as the `k8s-tutorials-as-code/infra` entry point of the package. They need
// the optional peer dependencies cdktf, @cdktf/provider-google and @cdktf/provider-kubernetes.
export * from './config';
// The settings' reading; readAllowedSourceRanges stays with the repository's cdk8s app.
export { CDKTF_CONTEXT_KEYS, SETTINGS, configFromEnv } from './settings';
export * from './rules';
export * from './stacks';
export * from './addresses';
export * from './cluster';
export * from './firewall';
export * from './network';
export * from './node-pool';
export * from './service-account';
export * from './storage-classes';
