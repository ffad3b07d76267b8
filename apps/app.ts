import { App, Chart } from 'cdk8s';
import { IMAGE_REGISTRY_CONTEXT, tutorialWarnings } from '../lib';
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
 * The warnings of a built app, before it is written: the constructs' own (a valid but probably
 * unintended combination of props) and the app's.
 */
export function chartWarnings(app: App, _settings: Settings): string[] {
  return tutorialWarnings(app);
}
