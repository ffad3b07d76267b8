/**
 * The helpers the repository's own apps (`apps/`, the cdk8s app and `npm run verify`; `infra/`,
 * the cdktf app) share with the tutorial constructs: the validation rules and error helpers (so
 * that a bad setting fails with the same rule and wording as the prop it feeds), the checkov
 * check-id rule, the Pod spec of a manifest, and the warnings the cdk8s app prints. This is the
 * one entry through which the apps reach `lib/internal/`. It is not part of the published API:
 * `package.json` exports only `lib/index.ts` (and `infra/index.ts`), and these names may change
 * with the apps. It re-exports only modules that need no cdk8s, so that the cdktf app loads none.
 */
export {
  Problem,
  check,
  checkCheckovId,
  checkSetting,
  cidrProblem,
  closestName,
  editDistance,
  fail,
  failSetting,
  isDns1035Label,
  isDns1123Subdomain,
  isIpv4,
  sourceRangeProblem,
} from './internal/validation';
export { podSpecOf } from './internal/manifests';
export { OPEN_LOAD_BALANCER, onePerNodeWarnings } from './internal/warnings';
