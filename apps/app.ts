import * as fs from 'fs';
import * as path from 'path';
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
 * Synthesizes into a fresh sibling directory and swaps it into place only when every chart
 * was written, so a failed synth never leaves half-written output behind.
 */
export function synthAtomically(outdir: string, settings: Settings): { files: string[]; warnings: string[] } {
  const target = path.resolve(outdir);
  const staging = `${target}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  let warnings: string[];
  try {
    const { app } = buildApp(settings, staging);
    warnings = tutorialWarnings(app);
    app.synth();
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { files: fs.readdirSync(target).sort(), warnings };
}
