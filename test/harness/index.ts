import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Chart } from 'cdk8s';
import { externalObjects } from '../../lib/internal/external';
import { buildApp } from '../../apps/app';
import { TUTORIAL_CHARTS, TutorialChart } from '../../apps/charts';
import { NginxCertificateFiles, writeNginxCertificate } from '../../apps/nginx-certificate';
import { Settings } from '../../apps/settings';
import { K8sObject } from './objects';
import { Finding, checkDocuments } from './rules';

export * from './objects';
export * from './rules';

export interface SynthResult {
  readonly app: App;
  readonly chart: Chart;
  /** The chart's documents, parsed, in output order. */
  readonly docs: K8sObject[];
  /** The chart's YAML exactly as `cdk8s synth` writes it. */
  readonly yaml: string;
}

/** The chart spec with this id, as the cdk8s app registers it. */
export function chartSpec(id: string): TutorialChart {
  const spec = TUTORIAL_CHARTS.find((c) => c.id === id);
  if (!spec) throw new Error(`no tutorial chart '${id}' in apps/charts.ts`);
  return spec;
}

let sharedOutdir: string | undefined;
/**
 * One output folder per test process for the apps the harness builds: they are rendered in
 * memory and never written (`Testing.app()` made a new temporary folder for each, and left it).
 */
function outdir(): string {
  if (sharedOutdir === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    sharedOutdir = dir;
  }
  return sharedOutdir;
}

/**
 * A new empty folder for a test, inside the test process's one output folder, so that it goes
 * when the process exits (`fs.mkdtempSync` in the system's temporary folder stays behind).
 */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(outdir(), prefix));
}

/**
 * A cdk8s app for a test, writing (if it is ever synthesized) into the test process's one output
 * folder, which is removed when the process exits; cdk8s's `Testing.app()` makes a temporary
 * folder per app and leaves it.
 */
export function testApp(props: Omit<AppProps, 'outdir'> = {}): App {
  return new App({ ...props, outdir: outdir() });
}

/** Builds one tutorial chart the way `npm run synth` does and returns its documents. */
export function synthTutorial(id: string, settings: Settings = {}): SynthResult {
  const { app, charts } = buildApp(settings, outdir(), [chartSpec(id)]);
  const chart = charts.get(id)!;
  return result(app, chart);
}

/** Builds a chart from arbitrary constructs (for construct-level tests). */
export function synthConstructs(build: (chart: Chart) => void): SynthResult {
  const app = new App({ outdir: outdir() });
  const chart = new Chart(app, 'test', { disableResourceNameHashes: true });
  build(chart);
  return result(app, chart);
}

/**
 * The documents now; the YAML (a second synth of the whole app) on first read, which most tests
 * never do.
 */
function result(app: App, chart: Chart): SynthResult {
  const docs = chart.toJson() as K8sObject[];
  let yaml: string | undefined;
  return {
    app,
    chart,
    docs,
    get yaml() {
      return (yaml ??= app.synthYaml());
    },
  };
}

/** Every harness rule against a chart's documents, with the chart's declared external objects. */
export function harnessFindings(result: SynthResult): Finding[] {
  return checkDocuments(result.docs, { external: externalObjects(result.chart) });
}

/** The documents of `kind` (and `name`, when given). */
export function findAll(docs: readonly K8sObject[], kind: string, name?: string): K8sObject[] {
  return docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
}

/** The one document of `kind` named `name`; throws if there is not exactly one. */
export function findOne(docs: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = findAll(docs, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind} '${name}', found ${found.length}`);
  return found[0];
}

/**
 * Runs `fn` with `dir` as the working directory and restores the previous one, whatever happens.
 * Test files share their worker process (jest-light-runner), so a test file never calls
 * `process.chdir` itself (test/layout.test.ts checks it).
 */
export function inDirectory<T>(dir: string, fn: () => T): T {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(previous);
  }
}

/**
 * Runs `fn` with the environment variables `vars` set (undefined: unset) and restores each one,
 * whatever happens; for the same reason as {@link inDirectory}.
 */
export function withEnv<T>(vars: Readonly<Record<string, string | undefined>>, fn: () => T): T {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(vars);
  try {
    return fn();
  } finally {
    set(previous);
  }
}

let certificate: (NginxCertificateFiles & { certificatePem: string; privateKeyPem: string }) | undefined;
/**
 * A CN=my-nginx certificate and key for the namespace `web`, made as `npm run nginx-cert -- DIR web`
 * makes them (needs openssl), once per worker process: openssl's RSA key generation was a tenth of
 * a second or more per test file. The files must not be changed.
 */
export function testCertificate(): Readonly<NginxCertificateFiles & { certificatePem: string; privateKeyPem: string }> {
  if (!certificate) {
    const files = writeNginxCertificate(tempDir('test-cert-'), 'web');
    certificate = {
      ...files,
      certificatePem: fs.readFileSync(files.certificate, 'utf8'),
      privateKeyPem: fs.readFileSync(files.key, 'utf8'),
    };
  }
  return certificate;
}
