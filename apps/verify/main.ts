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
  readonly root: string;
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
  if (problems.length) {
    for (const p of problems) deps.err(`verify: apps/charts.ts: ${p}`);
    return 2;
  }
  if (options.list) {
    for (const l of listing()) deps.out(l);
    return 0;
  }

  // Everything below refuses before anything is created.
  const chosen = TUTORIAL_CHARTS.filter((c) => options.tutorials.includes(c.id));
  let tutorials: Tutorial[];
  try {
    const docs = synthCharts(chosen, settingsFromEnv(deps.env));
    tutorials = chosen.map((c) => ({
      placed: place(c.id, `${options.prefix}${c.id}`, docs.get(c.id)!),
      checks: c.checks ?? [],
    }));
  } catch (e) {
    deps.err(`verify: ${e instanceof ValidationError ? e.message : `synth failed: ${(e as Error).message}`}`);
    return 2;
  }
  let api: Api;
  try {
    const kubeconfig = (deps.findKubeconfig ?? findKubeconfig)(deps.env);
    if (kubeconfig.found === undefined) {
      deps.err(`verify: ${noKubeconfigMessage(kubeconfig)}`);
      return 2;
    }
    if (options.context === undefined) {
      const view = readKubeconfig();
      if (!view.current) {
        deps.err(
          'verify: no reachable cluster: the kubeconfig has no current context (set KUBECONFIG, or pass --context)',
        );
        return 2;
      }
      const refusal = contextRefusal(view.current, undefined, deps.env.VERIFY_CONTEXT_ALLOW);
      if (refusal) {
        deps.err(`verify: ${refusal}`);
        return 2;
      }
    }
    api = deps.connect(options.context);
  } catch (e) {
    deps.err(`verify: no reachable cluster: ${(e as Error).message}`);
    return 2;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const io: Io = { line: deps.out, progress: deps.progress };
  const verifier = new Verifier(api, options, io, controller.signal, deps.root);
  const removeHandler = deps.onInterrupt(() => {
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
  });

  const rows: ResultRow[] = [];
  let interrupted = false;
  try {
    const refusals = await verifier.preflight(tutorials);
    if (refusals.length) {
      for (const r of refusals) deps.err(`verify: refused: ${r}`);
      deps.err('verify: nothing was created');
      return 2;
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
  } catch (e) {
    if (!(e instanceof Interrupted)) {
      rows.push({
        tutorial: '(all)',
        check: 'run',
        status: 'fail',
        detail: `FAILED: ${(e as Error).message}`,
        seconds: 0,
      });
    } else {
      interrupted = true;
      rows.push({
        tutorial: '(all)',
        check: 'run',
        status: 'fail',
        detail: 'FAILED: interrupted (Ctrl-C)',
        seconds: 0,
      });
    }
  } finally {
    if (!options.keep) {
      rows.push(...(await verifier.cleanup()));
    } else if (verifier.created.namespaces.length) {
      deps.out(
        `--keep: left namespace${verifier.created.namespaces.length > 1 ? 's' : ''} ${verifier.created.namespaces.join(', ')}${verifier.created.shared.length ? ` and ${verifier.created.shared.length} shared objects` : ''}`,
      );
    }
    removeHandler();
  }

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
  if (interrupted) return 130;
  return totals(rows).fail > 0 ? 1 : 0;
}

/** The process entry (`npm run verify`, through scripts/run-verify.mjs). */
export function cli(argv: readonly string[], root: string): void {
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
    root,
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

export { USAGE };
