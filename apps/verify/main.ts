import * as fs from 'fs';
import * as path from 'path';
import { TUTORIAL_CHARTS } from '../charts';
import { settingsFromEnv } from '../settings';
import { ValidationError } from '../../lib';
import { checkListProblems } from './checks';
import { Kube, readKubeconfig } from './kube';
import { place, synthCharts } from './manifests';
import {
  HELP,
  KubeconfigSearch,
  USAGE,
  VerifyOptions,
  contextRefusal,
  findKubeconfig,
  noKubeconfigMessage,
  parseArgs,
} from './options';
import { ResultRow, formatTable, junitXml, notRun, totals } from './report';
import { Api, Interrupted, Io, Tutorial, Verifier } from './run';

/**
 * `npm run verify`: each chosen tutorial on the cluster of the current kubeconfig context (see
 * the README, "Verify on your cluster"). Exit codes: 0 nothing failed (checks that were not run
 * are listed as such), 1 something failed, 2 refused before anything was created, 130 interrupted.
 */

type Env = Readonly<Record<string, string | undefined>>;

export interface MainDeps {
  readonly env: Env;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** A live line (a terminal rewrites it; a log gets each distinct line once). */
  readonly progress: (line: string) => void;
  /** The cluster client for a context; tests may pass their own. */
  readonly connect: (context: string | undefined) => Api;
  /** Where the kubeconfig is; tests may pass their own. @default {@link findKubeconfig} */
  readonly findKubeconfig?: (env: Env) => KubeconfigSearch;
  /** Installs the Ctrl-C handler; returns its remover. */
  readonly onInterrupt: (handler: () => void) => () => void;
}

export function listing(): string[] {
  const lines: string[] = [];
  for (const c of TUTORIAL_CHARTS) {
    lines.push(`${c.id}  (${c.title})`);
    lines.push('  - ready: every Pod Ready, every claim Bound, every load balancer address assigned');
    for (const k of c.checks ?? []) {
      const how =
        'exec' in k.run
          ? `exec ${
              typeof k.run.exec.pod === 'string'
                ? k.run.exec.pod
                : Object.entries(k.run.exec.pod)
                    .map(([a, b]) => `${a}=${b}`)
                    .join(',')
            }${k.run.exec.namespace ? ` -n ${k.run.exec.namespace}` : ''} -- ${k.run.exec.command.join(' ')}`
          : `job ${k.run.job.image}: ${k.run.job.command.join(' ')}`;
      lines.push(`  - ${k.name}: ${k.expect}`, `      ${how}`);
      if (k.note) lines.push(`      note: ${k.note}`);
    }
  }
  return lines;
}

export async function main(argv: readonly string[], deps: MainDeps): Promise<number> {
  const options = readOptions(argv, deps);
  if (typeof options === 'number') return options;

  // Everything below refuses before anything is created.
  const tutorials = synthTutorials(options, deps);
  if (!tutorials) return 2;
  const api = connectCluster(options, deps);
  if (!api) return 2;

  // Stryker disable all: the run on a reached cluster; npm run test:verify runs this on a throwaway kube-apiserver; a mutant run cannot start one
  const controller = new AbortController();
  const io: Io = { line: deps.out, progress: deps.progress };
  const verifier = new Verifier(api, options, io, controller.signal);
  const removeHandler = deps.onInterrupt(interruptHandler(options, deps, controller));

  const rows: ResultRow[] = [];
  let outcome: Outcome;
  try {
    outcome = await runTutorials(verifier, tutorials, rows, deps);
  } finally {
    rows.push(...(await leaveCluster(verifier, options, deps)));
    removeHandler();
  }
  if (outcome === 'refused') return 2;

  report(rows, verifier, options, api, deps);
  if (outcome === 'interrupted') return 130;
  return totals(rows).fail > 0 ? 1 : 0;
  // Stryker restore all
}

/** The options; or, when there is nothing to verify (help, the list, a bad argument or check list), the exit code. */
function readOptions(argv: readonly string[], deps: MainDeps): VerifyOptions | number {
  if (argv.includes('--help') || argv.includes('-h')) {
    for (const l of HELP) deps.out(l);
    return 0;
  }
  const known = TUTORIAL_CHARTS.map((c) => c.id);
  const parsed = parseArgs(argv, known);
  if ('error' in parsed) {
    deps.err(`verify: ${parsed.error}`);
    return 2;
  }
  const options: VerifyOptions = parsed;
  const problems = TUTORIAL_CHARTS.flatMap((c) => checkListProblems(c.id, c.checks ?? []));
  // Stryker disable next-line ConditionalExpression: the tutorials' check list is valid (test/verify-checks.test.ts), so no run reaches this branch until an edit breaks the list
  if (problems.length) {
    for (const p of problems) deps.err(`verify: apps/charts.ts: ${p}`);
    return 2;
  }
  if (options.list) {
    for (const l of listing()) deps.out(l);
    return 0;
  }
  return options;
}

/** The chosen tutorials, synthesized and placed in their namespaces; undefined (after saying why) when synth refuses. */
function synthTutorials(options: VerifyOptions, deps: MainDeps): Tutorial[] | undefined {
  // Stryker disable next-line all: which tutorials run, and in which namespaces, shows only on a reached cluster (npm run test:verify)
  const chosen = TUTORIAL_CHARTS.filter((c) => options.tutorials.includes(c.id));
  try {
    const docs = synthCharts(chosen, settingsFromEnv(deps.env));
    return chosen.map((c) => ({
      // Stryker disable next-line all: as above
      placed: place(c.id, `${options.prefix}${c.id}`, docs.get(c.id)!),
      checks: c.checks ?? [],
    }));
  } catch (e) {
    deps.err(`verify: ${e instanceof ValidationError ? e.message : `synth failed: ${(e as Error).message}`}`);
    return undefined;
  }
}

/** The cluster client, once a kubeconfig and an allowed context are found; undefined (after saying why) otherwise. */
function connectCluster(options: VerifyOptions, deps: MainDeps): Api | undefined {
  try {
    const kubeconfig = (deps.findKubeconfig ?? findKubeconfig)(deps.env);
    if (kubeconfig.found === undefined) {
      deps.err(`verify: ${noKubeconfigMessage(kubeconfig)}`);
      return undefined;
    }
    // Stryker disable all: reads the kubeconfig through @kubernetes/client-node, an ES module verify loads only to reach a cluster; npm run test:verify runs this
    if (options.context === undefined) {
      const view = readKubeconfig();
      if (!view.current) {
        deps.err(
          'verify: no reachable cluster: the kubeconfig has no current context (set KUBECONFIG, or pass --context)',
        );
        return undefined;
      }
      const refusal = contextRefusal(view.current, undefined, deps.env.VERIFY_CONTEXT_ALLOW);
      if (refusal) {
        deps.err(`verify: ${refusal}`);
        return undefined;
      }
    }
    // Stryker restore all
    return deps.connect(options.context);
  } catch (e) {
    deps.err(`verify: no reachable cluster: ${(e as Error).message}`);
    return undefined;
  }
}

// Stryker disable all: from here on, the run on a reached cluster and the process entry; npm run test:verify runs this on a throwaway kube-apiserver; a mutant run cannot start one

/** Ctrl-C: the first one aborts the run (which then deletes what it created, unless --keep), the second exits at once. */
function interruptHandler(options: VerifyOptions, deps: MainDeps, controller: AbortController): () => void {
  let interrupts = 0;
  return () => {
    interrupts += 1;
    if (interrupts === 1) {
      deps.err(
        options.keep
          ? 'verify: interrupted; --keep: leaving what was created'
          : 'verify: interrupted; deleting what was created (Ctrl-C again to stop at once)',
      );
      controller.abort();
    } else {
      deps.err(
        'verify: interrupted twice: stopping now; namespaces labelled app.kubernetes.io/managed-by=k8s-tutorials-verify may remain',
      );
      process.exit(130);
    }
  };
}

/** How a run ended: every tutorial tried, refused by the preflight (nothing created), or interrupted. */
type Outcome = 'done' | 'refused' | 'interrupted';

/** The preflight, then each tutorial in turn, adding their rows to `rows`; an error ends the run as one failed row. */
async function runTutorials(
  verifier: Verifier,
  tutorials: readonly Tutorial[],
  rows: ResultRow[],
  deps: MainDeps,
): Promise<Outcome> {
  try {
    const refusals = await verifier.preflight(tutorials);
    if (refusals.length) {
      for (const r of refusals) deps.err(`verify: refused: ${r}`);
      deps.err('verify: nothing was created');
      return 'refused';
    }
    let stopped: string | undefined;
    for (const t of tutorials) {
      if (stopped) {
        rows.push(notRun(t.placed.id, 'deploy', `stopped after ${stopped}'s dry run was refused`));
        continue;
      }
      const r = await verifier.verify(t);
      rows.push(...r.rows);
      if (r.stop) stopped = t.placed.id;
    }
    return 'done';
  } catch (e) {
    const interrupted = e instanceof Interrupted;
    rows.push({
      tutorial: '(all)',
      check: 'run',
      status: 'fail',
      detail: interrupted ? 'FAILED: interrupted (Ctrl-C)' : `FAILED: ${(e as Error).message}`,
      seconds: 0,
    });
    return interrupted ? 'interrupted' : 'done';
  }
}

/** Deletes what the run created and returns the cleanup's rows; with --keep, says what it leaves instead. */
async function leaveCluster(verifier: Verifier, options: VerifyOptions, deps: MainDeps): Promise<ResultRow[]> {
  if (!options.keep) return verifier.cleanup();
  const { namespaces, shared } = verifier.created;
  if (namespaces.length) {
    deps.out(
      `--keep: left namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')}${shared.length ? ` and ${shared.length} shared objects` : ''}`,
    );
  }
  return [];
}

/** The results table, the note on simulated nodes, and the JUnit file when asked for. */
function report(
  rows: readonly ResultRow[],
  verifier: Verifier,
  options: VerifyOptions,
  api: Api,
  deps: MainDeps,
): void {
  deps.out('');
  for (const l of formatTable(rows)) deps.out(l);
  if (verifier.simulatedNodes)
    deps.out(
      "The tutorials' checks were not run: the nodes are simulated (kwok) and run no containers. Not run is never counted as passed.",
    );
  if (options.junit) {
    fs.mkdirSync(path.dirname(path.resolve(options.junit)), { recursive: true });
    fs.writeFileSync(options.junit, junitXml(rows, api.context.name));
    deps.out(`JUnit XML: ${options.junit}`);
  }
}

/** The process entry (`npm run verify`, through scripts/run-verify.ts). */
export function cli(argv: readonly string[]): void {
  const tty = process.stdout.isTTY === true;
  let lastProgress = '';
  const deps: MainDeps = {
    env: process.env,
    out: (l) => {
      if (tty && lastProgress) {
        process.stdout.write('\r\x1b[K');
        lastProgress = '';
      }
      process.stdout.write(`${l}\n`);
    },
    err: (l) => {
      if (tty && lastProgress) {
        process.stdout.write('\r\x1b[K');
        lastProgress = '';
      }
      process.stderr.write(`${l}\n`);
    },
    progress: (l) => {
      if (tty) {
        process.stdout.write(`\r\x1b[K${l.slice(0, (process.stdout.columns ?? 120) - 1)}`);
        lastProgress = l;
      } else if (l !== lastProgress) {
        process.stdout.write(`${l}\n`);
        lastProgress = l;
      }
    },
    connect: (context) => new Kube(context),
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
  main(argv, deps).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`verify: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
// Stryker restore all

export { USAGE };
