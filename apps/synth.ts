import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { App as TerraformApp } from 'cdktf';
import { ValidationError, formatWarnings } from '../lib';
import { OPEN_LOAD_BALANCER } from '../lib/shared';
import { InfraConfig, configNotes, totalNodes } from '../infra/config';
import { configFromEnv } from '../infra/settings';
import { buildInfra } from '../infra/stacks';
import { buildApp, chartWarnings } from './app';
import { publishDirectory } from './publish';
import { Settings, settingsFromEnv } from './settings';
import { checkSettingNames } from './settings-table';

/**
 * One entry point for both apps, run from compiled JavaScript (`build/apps/synth.js`, started
 * by `scripts/run.ts`, which rebuilds changed sources first):
 * - `npm run synth` writes `dist/` and `cdktf.out/` from one Node process, so the libraries
 *   load once and no CLI or transpiler starts;
 * - `npm run synth:k8s` / `npm run synth:infra` run one half;
 * - `cdk8s synth` (cdk8s.yaml) and `cdktf synth|deploy|diff` (cdktf.json) run one half too,
 *   with the CLI's conventions (see {@link main}).
 *
 * Every setting and prop is read and checked before anything is written; each app writes into
 * a staging directory that replaces its output only when complete (publishDirectory), so a
 * failed synth leaves the previous `dist/` and `cdktf.out/` byte-identical.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** What a synth wrote: one entry per file, plus warnings for the user. */
export interface SynthReport {
  readonly files: ReadonlyArray<{ readonly path: string; readonly summary: string }>;
  readonly warnings: readonly string[];
  /** Facts about the chosen settings worth knowing before a deploy (an open control plane, say). */
  readonly notes?: readonly string[];
}

export interface K8sSynthOptions {
  /** Where the manifests go. @default dist */
  readonly outdir?: string;
  /** Settings already read; otherwise read from `env`. */
  readonly settings?: Settings;
  /** The node pool's size, to warn about workloads that need more nodes. @default the infra settings' */
  readonly nodes?: number;
}

/** Builds every chart, then publishes `dist/` atomically. */
export function synthK8s(env: Env, options: K8sSynthOptions = {}): SynthReport {
  const outdir = options.outdir ?? 'dist';
  const settings = options.settings ?? settingsFromEnv(env);
  const pool = options.nodes === undefined ? undefined : { nodes: options.nodes, setting: 'GKE_NODE_COUNT' };
  let report: SynthReport | undefined;
  publishDirectory(outdir, (staging) => {
    const { app, charts } = buildApp(settings, staging);
    const warnings = chartWarnings(app, settings, pool);
    app.synth();
    const files = [...charts.entries()].map(([id, chart]) => ({
      path: path.join(outdir, `${id}.k8s.yaml`),
      summary: `${objectCount(chart)} objects`,
    }));
    // The constructs' warning names their API; this app sets it from its environment.
    const open = warnings.some((w) => w.includes(OPEN_LOAD_BALANCER));
    const notes = open
      ? [
          'LOAD_BALANCER_SOURCE_RANGES (or GKE_ALLOWED_SOURCE_RANGES) sets loadBalancerSourceRanges for every chart of this app (docs/settings.md)',
        ]
      : [];
    report = { files, warnings, notes };
  });
  return report!;
}

/**
 * The objects `chart` writes, counted as `Chart.toJson()` selects them (the chart's own API
 * objects, not a nested chart's) without rendering them again: each `toJson()` of a chart
 * validates the whole app and resolves every object of the chart a second time.
 */
export function objectCount(chart: Chart): number {
  return chart.node.findAll().filter((c) => c instanceof ApiObject && Chart.of(c) === chart).length;
}

/** The context of the cdktf app: cdktf.json "context", then what the cdktf CLI passes. */
export function terraformContext(env: Env, cwd: string = process.cwd()): Record<string, unknown> {
  const file = path.join(cwd, 'cdktf.json');
  const fromFile = fs.existsSync(file)
    ? ((JSON.parse(fs.readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {})
    : {};
  const fromCli = env.CDKTF_CONTEXT_JSON ? (JSON.parse(env.CDKTF_CONTEXT_JSON) as Record<string, unknown>) : {};
  return { ...fromFile, ...fromCli };
}

/** The infrastructure settings from `env` and the cdktf context, checked. */
export function infraConfig(env: Env, context: Record<string, unknown> = terraformContext(env)): InfraConfig {
  return configFromEnv(env, (key) => context[key], Object.keys(context));
}

/** Builds both stacks, then publishes `cdktf.out/` atomically. `config` is read from `env` unless given. */
export function synthInfra(
  env: Env,
  outdir = 'cdktf.out',
  context = terraformContext(env),
  config = infraConfig(env, context),
): SynthReport {
  let report: SynthReport | undefined;
  publishDirectory(outdir, (staging) => {
    const app = new TerraformApp({ outdir: staging, context: context as Record<string, string> });
    buildInfra(app, config);
    app.synth();
    const stacksDir = path.join(staging, 'stacks');
    // Stryker disable next-line MethodExpression: the file systems here list the two stacks in this order already; the sort keeps the report's order on any other
    const files = fs
      .readdirSync(stacksDir)
      .sort()
      .map((stack) => {
        const json = JSON.parse(fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8')) as {
          resource?: Record<string, object>;
          output?: object;
        };
        const resources = Object.values(json.resource ?? {}).reduce((n, byId) => n + Object.keys(byId).length, 0);
        return {
          path: path.join(outdir, 'stacks', stack, 'cdk.tf.json'),
          summary: `${resources} resources, ${Object.keys(json.output ?? {}).length} outputs`,
        };
      });
    report = { files, warnings: [], notes: configNotes(config) };
  });
  return report!;
}

/** The lines a successful synth prints: one per file, then one per warning. */
export function formatReport(reports: readonly SynthReport[]): string[] {
  const files = reports.flatMap((r) => r.files);
  const width = Math.max(...files.map((f) => f.path.length));
  return [
    ...files.map((f) => `${f.path.padEnd(width)}  ${f.summary}`),
    ...reports.flatMap((r) => r.notes ?? []).map((n) => `note: ${n}`),
    ...formatWarnings(reports.flatMap((r) => r.warnings)),
  ];
}

/** The one line a failed synth prints: the rule that was broken, or the unexpected error. */
export function formatError(e: unknown, env: Env): string {
  if (e instanceof ValidationError) return e.message;
  const err = e as Error;
  return env.DEBUG
    ? String(err.stack ?? err)
    : `synth failed: ${err.message ?? String(e)} (set DEBUG=1 for the stack trace)`;
}

/** Where {@link main} prints: the report to `out`, a failure to `err`. */
export interface Output {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const STD_IO: Output = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/**
 * `main(['all' | 'k8s' | 'infra', ...flags])`. Returns the exit code.
 *
 * `--cdk8s-cli`: run by `cdk8s synth`, which deletes its output folder before it starts the app
 * and lists the YAML files the app leaves there. That folder is `.cdk8s.out` (cdk8s.yaml), never
 * `dist/`: the app publishes `dist/` itself and leaves hard links to the new files in the CLI's
 * folder. On failure it prints the message and creates no folder, and the CLI ends with its own
 * "synthesis failed" line and exit code 1 (a non-zero exit code from the app would make the CLI
 * print a Node stack trace of its own).
 *
 * `--cdktf-cli`: run by `cdktf synth|deploy|diff`, which reads `cdktf.out/` (CDKTF_OUTDIR) after
 * the app exits. On failure the app exits 1 and the CLI frames the message in its error report.
 */
export function main(argv: readonly string[], env: Env = process.env, io: Output = STD_IO): number {
  const print = io.err;
  const mode = argv[0] ?? 'all';
  if (!['all', 'k8s', 'infra'].includes(mode)) {
    print(`usage: synth [all|k8s|infra] [--cdk8s-cli|--cdktf-cli]; got ${JSON.stringify(mode)}`);
    return 2;
  }
  const underCdk8s = argv.includes('--cdk8s-cli');
  const underCdktf = argv.includes('--cdktf-cli');
  try {
    // Names a few letters from a setting: warnings, or an error in strict mode, before anything is written.
    const reports: SynthReport[] = [{ files: [], warnings: checkSettingNames(env) }];
    // Both halves read their settings before either writes, so `npm run synth` stops on a bad
    // infra setting with dist/ untouched too; each is read once and passed on.
    const context = terraformContext(env);
    const infra = infraConfig(env, context);
    if (mode === 'all' || mode === 'k8s') {
      // Stryker disable next-line ObjectLiteral: synthK8s reads the same settings from env; and no tutorial needs more than the settings' minimum of 4 nodes, so the pool warnings need a smaller pool than main can be given
      reports.push(synthK8s(env, { settings: settingsFromEnv(env), nodes: totalNodes(infra) }));
      if (underCdk8s && env.CDK8S_OUTDIR) linkInto(env.CDK8S_OUTDIR, reports[reports.length - 1]);
    }
    if (mode === 'all' || mode === 'infra')
      reports.push(synthInfra(env, underCdktf && env.CDKTF_OUTDIR ? env.CDKTF_OUTDIR : 'cdktf.out', context, infra));
    // The report goes to stdout: the cdktf CLI logs everything on stderr as an [ERROR]. The cdk8s
    // CLI swallows the app's stdout and lists the files itself, so there the notes and warnings
    // go to stderr, which it passes through: the same lines as `npm run synth` prints.
    for (const line of formatReport(reports)) {
      // Stryker disable next-line Regex: a file's line is its path, which never holds "note: " or "warning: "
      if (underCdk8s && /^(note|warning): /.test(line)) io.err(line);
      else io.out(line);
    }
    return 0;
  } catch (e) {
    print(formatError(e, env));
    return underCdk8s ? 0 : 1;
  }
}

/** Hard links of the published manifests in the cdk8s CLI's folder, which it lists. */
function linkInto(cliOutdir: string, report: SynthReport): void {
  fs.rmSync(cliOutdir, { recursive: true, force: true });
  fs.mkdirSync(cliOutdir, { recursive: true });
  for (const f of report.files) fs.linkSync(f.path, path.join(cliOutdir, path.basename(f.path)));
}
