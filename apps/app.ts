import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { IMAGE_REGISTRY_CONTEXT, LOAD_BALANCER_SOURCE_RANGES_CONTEXT, tutorialWarnings } from '../lib';
import { TUTORIAL_CHARTS, TutorialChart } from './charts';
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
  const app = new App({ outdir });
  if (settings.imageRegistry) app.node.setContext(IMAGE_REGISTRY_CONTEXT, settings.imageRegistry);
  if (settings.loadBalancerSourceRanges) app.node.setContext(LOAD_BALANCER_SOURCE_RANGES_CONTEXT, [...settings.loadBalancerSourceRanges]);
  const charts = new Map<string, Chart>();
  for (const spec of only ?? TUTORIAL_CHARTS) {
    // Names are the tutorial's contract (decision D1): no hash suffixes.
    const chart = new Chart(app, spec.id, { disableResourceNameHashes: true });
    spec.build(chart, settings);
    charts.set(spec.id, chart);
  }
  return { app, charts };
}

/**
 * Decision D9: the one synth warning that lists, as `<chart>/<service>`, every LoadBalancer
 * Service without `loadBalancerSourceRanges` (reachable from every address), or none when there
 * is no such Service.
 */
export function openLoadBalancerWarnings(charts: ReadonlyMap<string, Chart>): string[] {
  const open: string[] = [];
  for (const [id, chart] of charts) {
    for (const o of chart.toJson() as Array<{ kind: string; metadata: { name: string }; spec?: { type?: string; loadBalancerSourceRanges?: string[] } }>) {
      if (o.kind === 'Service' && o.spec?.type === 'LoadBalancer' && !o.spec.loadBalancerSourceRanges?.length) open.push(`${id}/${o.metadata.name}`);
    }
  }
  if (open.length === 0) return [];
  return [`LoadBalancer Services open to every address on the internet: ${open.join(', ')}. `
    + 'Set LOAD_BALANCER_SOURCE_RANGES (or GKE_ALLOWED_SOURCE_RANGES) to the CIDR ranges that may reach them.'];
}

/**
 * Synthesizes into a fresh sibling directory and swaps it into place only when every chart
 * was written, so a failed synth never leaves half-written output behind.
 */
export function synthAtomically(outdir: string, settings: Settings): { files: string[]; warnings: string[] } {
  const target = path.resolve(outdir);
  const staging = `${target}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  let warnings: string[];
  try {
    const { app, charts } = buildApp(settings, staging);
    warnings = [...tutorialWarnings(app), ...openLoadBalancerWarnings(charts)];
    app.synth();
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { files: fs.readdirSync(target).sort(), warnings };
}
