#!/usr/bin/env node
/**
 * `npm run test:cluster`: build (first run only) and start a throwaway control plane on
 * loopback, run the cluster suites against it with node's test runner, and always stop it and
 * remove its folder: on success, failure, SIGINT and SIGTERM.
 *
 *   npm run test:cluster                     # stage 1 (+ stage 2 when its binaries build)
 *   npm run test:cluster -- --kubeconfig     # dry run of stage 1 against $KUBECONFIG; creates nothing
 *   npm run test:cluster -- --stage 1        # stage 1 only
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildBlocked, ensureBinary, ensureKwokStages } from './build.mts';
import { type Binaries, LocalCluster, stopOnExit } from './cluster.mts';
import { KUBERNETES_VERSION } from './versions.mts';
import { exitOf } from '../../../scripts/child-exit.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const log = (m: string) => process.stderr.write(`[cluster] ${m}\n`);

interface Options {
  /** Dry run against $KUBECONFIG instead of a local control plane. */
  external: boolean;
  stages: string[];
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { external: false, stages: ['1', '2'] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kubeconfig') opts.external = true;
    else if (a === '--stage') opts.stages = [argv[++i]];
    else if (a.startsWith('--stage=')) opts.stages = [a.slice('--stage='.length)];
    else throw new Error(`unknown argument ${a}`);
  }
  if (opts.external) opts.stages = ['1'];
  return opts;
}

const SUITES: Record<string, string> = {
  1: 'test/cluster/stage1-apiserver.test.mts',
  2: 'test/cluster/stage2-scheduling.test.mts',
};

/** node --test, one file after the other (stage 2 builds on stage 1's namespaces). */
function runSuites(files: string[], env: Record<string, string>): Promise<number> {
  return exitOf(
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=1',
        '--test-reporter=spec',
        // A failed assertion must end the suite: no loop or open handle a test left behind keeps it alive.
        '--test-force-exit',
        '--test-timeout=600000',
        ...files,
      ],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, ...env },
      },
    ),
  );
}

function ensureSynth(): void {
  const haveDist =
    fs.existsSync(path.join(ROOT, 'dist')) &&
    fs.readdirSync(path.join(ROOT, 'dist')).some((f) => f.endsWith('.k8s.yaml'));
  const haveStack = fs.existsSync(path.join(ROOT, 'cdktf.out', 'stacks', 'tutorials-gke-config', 'cdk.tf.json'));
  if (haveDist && haveStack) return;
  log('dist/ or cdktf.out/ missing: running npm run synth');
  const r = spawnSync('npm', ['run', 'synth'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run synth failed');
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  ensureSynth();

  if (opts.external) {
    const kubeconfig = process.env.KUBECONFIG;
    if (!kubeconfig) throw new Error('--kubeconfig: set KUBECONFIG to the cluster to dry-run against');
    log(`dry run against ${kubeconfig}: nothing is created`);
    return runSuites([SUITES[1]], { CLUSTER_MODE: 'external', CLUSTER_KUBECONFIG: kubeconfig });
  }

  const started = Date.now();
  const binaries: Binaries = { etcd: ensureBinary('etcd'), 'kube-apiserver': ensureBinary('kube-apiserver') };
  const blocked: BuildBlocked[] = [];
  if (opts.stages.includes('2')) {
    for (const name of ['kube-scheduler', 'kube-controller-manager', 'kwok']) {
      try {
        binaries[name] = ensureBinary(name);
        if (name === 'kwok') binaries.kwokStages = ensureKwokStages();
      } catch (e) {
        if (!(e instanceof BuildBlocked)) throw e;
        blocked.push(e);
        log(`BLOCKED: ${e.message}`);
      }
    }
  }
  log(`binaries ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);

  const cluster = new LocalCluster({ binaries, log });
  let exitCode = 1;
  stopOnExit(cluster, log);
  try {
    await cluster.start();
    const stage2 = opts.stages.includes('2') && blocked.length === 0;
    if (stage2) await cluster.startStage2();
    const env = {
      CLUSTER_MODE: 'local',
      CLUSTER_KUBECONFIG: cluster.kubeconfigPath,
      CLUSTER_KUBERNETES_VERSION: KUBERNETES_VERSION,
      CLUSTER_STAGE2_BLOCKED: blocked.map((b) => `${b.spec.module}@${b.spec.version}: ${b.evidence}`).join('\n\n'),
    };
    const files = [SUITES[1], ...(opts.stages.includes('2') ? [SUITES[2]] : [])];
    exitCode = await runSuites(files, env);
    log(`suites finished in ${((Date.now() - started) / 1000).toFixed(1)}s (exit ${exitCode})`);
  } finally {
    await cluster.stop();
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(e instanceof BuildBlocked ? `BLOCKED: ${e.message}` : ((e as Error).stack ?? String(e)));
    process.exit(1);
  },
);
