import { App, Chart } from 'cdk8s';
import {
  IMAGE_REGISTRY_CONTEXT,
  LOAD_BALANCER_SERVICES,
  PRINT_WARNINGS_CONTEXT,
  addRepositoryWideSkips,
  loadBalancerKey,
  setLoadBalancerSourceRanges,
  tutorialWarnings,
} from '../lib';
import { onePerNodeWarnings } from '../lib/shared';
import { TUTORIAL_CHARTS, TutorialChart } from './charts';
import { LinearApp } from './linear-app';
import { Settings } from './settings';

export interface BuiltApp {
  readonly app: App;
  readonly charts: ReadonlyMap<string, Chart>;
}

/**
 * Builds every tutorial chart. All props are validated here, in the constructors, so a
 * mistake throws before anything is written.
 */
export function buildApp(settings: Settings, outdir: string, only?: readonly TutorialChart[]): BuiltApp {
  // The app prints the constructs' warnings in its own report (apps/synth.ts), not at app.synth().
  const app = new LinearApp({ outdir });
  app.node.setContext(PRINT_WARNINGS_CONTEXT, false);
  app.node.setContext(IMAGE_REGISTRY_CONTEXT, settings.imageRegistry);
  if (settings.loadBalancerSourceRanges) setLoadBalancerSourceRanges(app, settings.loadBalancerSourceRanges);
  const charts = new Map<string, Chart>();
  for (const spec of only ?? TUTORIAL_CHARTS) {
    // Names are the tutorial's contract (decision D1): no hash suffixes.
    const chart = new Chart(app, spec.id, { disableResourceNameHashes: true });
    spec.build(chart, settings);
    // The scan's repository-wide suppressions (namespace, pull policy, digest, NetworkPolicy),
    // each on its own object with its reason: README "Policy scan (checkov)".
    addRepositoryWideSkips(chart);
    charts.set(spec.id, chart);
  }
  return { app, charts };
}

/**
 * The warnings of a built app, before it is written: the constructs' own (a valid but probably
 * unintended combination of props) and the app's.
 */
export function chartWarnings(app: App, settings: Settings, pool?: { nodes: number; setting: string }): string[] {
  const warnings = tutorialWarnings(app);
  if (pool) warnings.push(...onePerNodeWarnings(app, pool.nodes, pool.setting));
  const addresses = settings.loadBalancerAddresses;
  if (addresses !== undefined) {
    const ephemeral = LOAD_BALANCER_SERVICES.map(loadBalancerKey).filter((k) => addresses[k] === undefined);
    if (ephemeral.length > 0)
      warnings.push(
        `LOAD_BALANCER_ADDRESSES_FILE gives no address for ${ephemeral.join(', ')}: they get ephemeral addresses`,
      );
  }
  return warnings;
}
