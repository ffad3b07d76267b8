#!/usr/bin/env node
/**
 * `npm run bench:cluster [-- --cold]`: times `npm run test:cluster` and samples the memory of its
 * whole process tree (etcd, kube-apiserver, controllers, kwok, node) every half second.
 *
 *   (default)  warm: the binaries are already in .cache/cluster
 *   --cold     cold: an empty binary cache, Go module cache and Go build cache (temporary folders,
 *              removed afterwards), as on a machine that has never built them
 *   --build-only  only build the binaries (control-plane/build.mts), no suites; with
 *              --cold this is the cold-build figure: the run also writes
 *              test/cluster/control-plane/cold-build.json (read by `npm run bench`) and copies the per-step
 *              log to .cache/cluster/cold-build-<date>.log
 *
 * Prints one JSON line and appends it to .cache/cluster/bench.jsonl. No thresholds: timings are
 * reported, not asserted (docs/cluster.md has the figures). The load average at start and end is
 * recorded, since other work on the machine stretches a build.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE } from './build.mts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const cold = process.argv.includes('--cold');
const buildOnly = process.argv.includes('--build-only');
const passThrough = process.argv.slice(2).filter((a) => a !== '--cold' && a !== '--build-only');

/** pid -> { ppid, rssKiB, name } for every process. */
function processTable(): Map<number, { ppid: number; rss: number; name: string }> {
  const table = new Map<number, { ppid: number; rss: number; name: string }>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const status = fs.readFileSync(`/proc/${d}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const rss = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
      table.set(Number(d), { ppid, rss, name });
    } catch {
      /* gone */
    }
  }
  return table;
}

function treeRss(root: number): { total: number; byName: Record<string, number> } {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  let total = 0;
  const byName: Record<string, number> = {};
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop() as number;
    const p = table.get(pid);
    if (p) {
      total += p.rss;
      byName[p.name] = Math.max(byName[p.name] ?? 0, p.rss);
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return { total, byName };
}

const env = { ...process.env };
let tmp: string | undefined;
if (cold) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cluster-cold-'));
  Object.assign(env, {
    CLUSTER_CACHE_DIR: path.join(tmp, 'cluster'),
    GOMODCACHE: path.join(tmp, 'gomod'),
    GOCACHE: path.join(tmp, 'gocache'),
  });
}

const loadAtStart = os.loadavg();
const started = Date.now();
const command: [string, string[]] = buildOnly
  ? [process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'build.mts'), ...passThrough]]
  : ['npm', ['run', 'test:cluster', '--', ...passThrough]];
const child = spawn(command[0], command[1], {
  cwd: ROOT,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
child.stdout.on('data', (c) => {
  out += c;
  process.stdout.write(c);
});
child.stderr.on('data', (c) => {
  out += c;
  process.stderr.write(c);
});
let peak = 0;
const peakByName: Record<string, number> = {};
const timer = setInterval(() => {
  const { total, byName } = treeRss(child.pid as number);
  peak = Math.max(peak, total);
  for (const [n, r] of Object.entries(byName)) peakByName[n] = Math.max(peakByName[n] ?? 0, r);
}, 500);
const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
clearInterval(timer);
const seconds = (Date.now() - started) / 1000;
// CPU time of every process of the run: each parent waits for its children, so it all ends up in
// this process's cutime and cstime (fields 16 and 17 of /proc/self/stat, in clock ticks).
const cpuSeconds = (() => {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return Math.round((Number(fields[13]) + Number(fields[14])) / 100);
  } catch {
    return undefined;
  }
})();
const binariesReady = /binaries ready in ([\d.]+)s/.exec(out)?.[1];
const result: Record<string, unknown> & { steps?: string[] } = {
  date: new Date().toISOString(),
  kind: `${cold ? 'cold' : 'warm'}${buildOnly ? ' build' : ''}`,
  exitCode: code,
  totalSeconds: Number(seconds.toFixed(1)),
  cpuSeconds,
  buildSeconds: binariesReady ? Number(binariesReady) : buildOnly ? Number(seconds.toFixed(1)) : undefined,
  peakTreeRssMiB: Math.round(peak / 1024),
  peakRssMiBByProcess: Object.fromEntries(
    Object.entries(peakByName)
      .filter(([, r]) => r > 20 * 1024)
      .map(([n, r]) => [n, Math.round(r / 1024)]),
  ),
  cores: os.cpus().length,
  loadAverage: { start: loadAtStart.map((l) => +l.toFixed(1)), end: os.loadavg().map((l) => +l.toFixed(1)) },
};
if (buildOnly) {
  const times = path.join(env.CLUSTER_CACHE_DIR ?? CACHE, 'build-times.log');
  const steps = fs.existsSync(times) ? fs.readFileSync(times, 'utf8') : '';
  result.steps = steps
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ').slice(1).join(' '));
  // What the build takes on idle cores even if nothing in it ran in parallel: its CPU time plus
  // the longest module download (downloads wait on the network, and overlap each other).
  const downloads = steps
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ').slice(1).join(' '))
    .filter((l) => l.startsWith('modules:'))
    .map((l) => Number(/ ([\d.]+)s/.exec(l)?.[1] ?? 0));
  if (cpuSeconds !== undefined) result.idleEstimateSeconds = Math.round(cpuSeconds + Math.max(0, ...downloads));
  if (cold && code === 0) {
    const stamp = String(result.date).replace(/[:.]/g, '-');
    fs.mkdirSync(path.join(ROOT, '.cache', 'cluster'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, '.cache', 'cluster', `cold-build-${stamp}.log`), steps);
    fs.writeFileSync(
      path.join(import.meta.dirname, 'cold-build.json'),
      `${JSON.stringify({ ...result, note: 'written by npm run bench:cluster -- --cold --build-only' }, null, 2)}\n`,
    );
  }
}
if (tmp) {
  // The module cache is read-only on disk; make it removable first.
  const scratch = tmp;
  spawn('chmod', ['-R', 'u+w', scratch]).on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
}
fs.mkdirSync(CACHE, { recursive: true });
fs.appendFileSync(
  path.join(cold ? path.join(ROOT, '.cache', 'cluster') : CACHE, 'bench.jsonl'),
  `${JSON.stringify(result)}\n`,
);
console.log(JSON.stringify(result));
process.exitCode = code;
