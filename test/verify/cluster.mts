/* eslint-disable @typescript-eslint/no-explicit-any -- server JSON is read loosely, as the cluster suites do */
/**
 * The control plane for the verify suite: the cluster suites' own, not a copy: `LocalCluster`
 * and `ensureBinary`/`ensureKwokStages` (test/cluster/control-plane/), and the node pool and GKE
 * classes of test/cluster/gke.mts. The binaries come from .cache/cluster unless
 * CLUSTER_CACHE_DIR says otherwise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { ensureBinary, ensureKwokStages } from '../cluster/control-plane/build.mts';
import { LocalCluster, stopOnExit } from '../cluster/control-plane/cluster.mts';
import * as gke from '../cluster/gke.mts';
import { Provisioner } from '../cluster/provisioner.mts';
import * as support from '../cluster/support.mts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface Started {
  kubeconfig: string;
  request(method: string, p: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
  nodes: string[];
}

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok; registers the
 * node pool of the cluster stack (kwok plays its kubelets); creates GKE's StorageClasses and the
 * config stack's `fast`; and runs a stand-in for the PD CSI driver's provisioner (as stage 2
 * does), so claims bind. Nothing here runs a container.
 */
export async function startCluster(log: (m: string) => void): Promise<Started> {
  const binaries: Record<string, string> = {};
  for (const name of ['etcd', 'kube-apiserver', 'kube-scheduler', 'kube-controller-manager', 'kwok'])
    binaries[name] = ensureBinary(name);
  binaries.kwokStages = ensureKwokStages();
  const cluster = new LocalCluster({ binaries, log });
  let provisioner: { stop(): Promise<void> } | undefined;
  // The control plane is this process's children: stopped on Ctrl-C, SIGTERM and any exit.
  const release = stopOnExit(cluster, log, async () => {
    killRunning();
    await provisioner?.stop();
  });
  const stop = async () => {
    await provisioner?.stop();
    await cluster.stop();
    release();
  };
  try {
    await cluster.start();
    await cluster.startStage2();
    const started = await preparePool(cluster.kubeconfigPath);
    provisioner = started.provisioner;
    return { ...started, stop };
  } catch (e) {
    // A failure while starting leaves nothing running either.
    await stop();
    throw e;
  }
}

/**
 * Registers the node pool of the cluster stack (kwok plays its kubelets), creates GKE's
 * StorageClasses and the config stack's `fast`, waits for the nodes, and starts the stand-in for
 * the PD CSI driver's provisioner (as stage 2 does), so claims bind.
 */
async function preparePool(kubeconfig: string) {
  const client = new support.Cluster(kubeconfig);
  const request = (method: string, p: string, body?: unknown, contentType?: string) =>
    client.request(method as Parameters<typeof client.request>[0], p, body, contentType) as Promise<{
      status: number;
      body: any;
    }>;
  const pool = gke.nodePoolFromStack();
  const nodes = gke.poolNodes(pool);
  for (const n of nodes) {
    const r = await request('POST', '/api/v1/nodes', n);
    if (r.status >= 300) throw new Error(`node ${n.metadata.name}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  // GKE's StorageClasses, and the stack's StorageClasses and PriorityClasses, applied as stage 2 does.
  for (const o of [...gke.GKE_STORAGE_CLASSES, ...support.stackClusterObjects()]) {
    const r = await client.apply(o, { dryRun: false });
    if (r.status >= 300) throw new Error(`${o.kind} ${o.metadata.name}: ${support.statusMessage(r)}`);
  }
  // Wait for kwok to mark the nodes Ready.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await request('GET', '/api/v1/nodes');
    const ready = (r.body.items as any[]).filter((n) =>
      (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
    );
    if (ready.length === nodes.length) break;
    if (Date.now() > deadline) throw new Error(`nodes not Ready after 120s: ${ready.length}/${nodes.length}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const provisioner = new Provisioner(request, pool.zone);
  provisioner.start();
  return { kubeconfig, request, nodes: nodes.map((n: any) => n.metadata.name), provisioner };
}

/** verify processes still running: the suite's clean-up kills them. */
const running = new Set<ReturnType<typeof spawn>>();
export function killRunning(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface VerifyRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run verify`'s entry (scripts/run-verify.ts, which runs the compiled build) with `args` against
 * `kubeconfig`. `onOutput` sees stdout as it arrives (the interrupt test sends SIGINT from there).
 */
export function runVerify(
  args: string[],
  kubeconfig: string,
  onOutput?: (soFar: string, child: ReturnType<typeof spawn>) => void,
  env: Record<string, string> = {},
  limitMs = 15 * 60_000,
): Promise<VerifyRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'run-verify.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, KUBECONFIG: kubeconfig, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
      onOutput?.(stdout, child);
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    // A run that never ends (a wait that nothing interrupts) fails its test instead of hanging the suite.
    const timer = setTimeout(() => {
      stderr += `\n[verify-suite] killed after ${limitMs / 1000}s\n`;
      child.kill('SIGKILL');
    }, limitMs);
    running.add(child);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function managedNamespaces(ns: any[]): string[] {
  return ns
    .filter((n) => n.metadata.labels?.['app.kubernetes.io/managed-by'] === 'k8s-tutorials-verify')
    .map((n) => n.metadata.name);
}

export function writeFile(p: string, text: string) {
  fs.writeFileSync(p, text, { mode: 0o600 });
}
