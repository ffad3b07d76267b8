// The scale benchmark of `npm run bench`: 1, 10 and 50 copies of every tutorial in one cdk8s app,
// each copy a chart of its own in its own namespace, built through the chart registry
// (apps/charts.ts) and the public constructs (lib/index.ts), compiled (npm run build). Each size
// runs in a fresh child process, so peak memory is that size's alone.
//
//   node --import tsx scripts/bench-scale.ts [1 10 50]   prints the table and checks the growth
//   node --import tsx scripts/bench-scale.ts --child N   one size (used by the above; prints one JSON line)
//   --cdk8s-app   with cdk8s's own App instead of apps/linear-app.ts (the figures before the fix)
//
// Figures per size: wall time of the whole process (start-up, module load, build, synth, write),
// the build + synth part alone, peak RSS, and the objects and bytes written. The checks: the cost
// of the copies beyond the first grows no faster than linearly (the per-copy build + synth time at
// 50 copies is at most 1.5 times that at 10), and 50 copies take under 10 times one copy's wall time.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Charts from '../apps/charts';
import type * as LinearApp from '../apps/linear-app';
import type * as Settings from '../apps/settings';

const ROOT = path.resolve(__dirname, '..');
const THIS_FILE = __filename;

/** The figures of one size. */
interface Row {
  copies: number;
  charts: number;
  objects: number;
  megabytes: number;
  loadSeconds: number;
  synthSeconds: number;
  synthCpuSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  wallSeconds: number;
}

/** The sizes' rows, with the checks' figures. */
type Rows = Row[] & { growth?: number; ratio50to1?: number; cpuRatio50to1?: number };

/** One size in this process: returns its figures. */
function child(copies: number): Omit<Row, 'wallSeconds'> {
  const started = process.hrtime.bigint();
  // The compiled apps (npm run build), loaded here so that their load time is measured.
  const load = createRequire(__filename);
  const { Chart, App } = load('cdk8s') as typeof import('cdk8s');
  const AppClass = process.argv.includes('--cdk8s-app')
    ? App
    : (load(path.join(ROOT, 'build/apps/linear-app.js')) as typeof LinearApp).LinearApp;
  const { TUTORIAL_CHARTS } = load(path.join(ROOT, 'build/apps/charts.js')) as typeof Charts;
  const { settingsFromEnv } = load(path.join(ROOT, 'build/apps/settings.js')) as typeof Settings;
  const loaded = process.hrtime.bigint();
  const cpuAtLoad = process.cpuUsage();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
  try {
    const settings = settingsFromEnv({});
    const app = new AppClass({ outdir });
    for (let i = 1; i <= copies; i++) {
      for (const spec of TUTORIAL_CHARTS) {
        // One namespace per copy and tutorial, as a workshop with a namespace per attendee would,
        // and a name prefix for each copy after the first, for the objects outside the namespace
        // (guestbook-logging's in kube-system, cluster-scoped ones), which the copies share.
        const ns = `${spec.id}-${i}`;
        const chart = new Chart(app, ns, { namespace: ns, disableResourceNameHashes: true });
        spec.build(chart, settings, i === 1 ? {} : { namePrefix: `c${i}` });
      }
    }
    app.synth();
    const done = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpuAtLoad);
    let objects = 0;
    let bytes = 0;
    for (const f of fs.readdirSync(outdir)) {
      const text = fs.readFileSync(path.join(outdir, f), 'utf8');
      bytes += text.length;
      objects += text.split(/^---$/m).filter((d) => d.trim()).length;
    }
    return {
      copies,
      charts: copies * TUTORIAL_CHARTS.length,
      objects,
      megabytes: +(bytes / 1e6).toFixed(1),
      loadSeconds: +(Number(loaded - started) / 1e9).toFixed(2),
      synthSeconds: +(Number(done - loaded) / 1e9).toFixed(2),
      synthCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
      cpuSeconds: +((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(2),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Runs each size in a fresh process; returns the rows and the problems found. */
export function scaleBenchmark(sizes = [1, 10, 50]): { rows: Rows; problems: string[] } {
  const rows: Rows = sizes.map((n) => {
    const start = process.hrtime.bigint();
    const args = [
      '--import',
      'tsx',
      THIS_FILE,
      '--child',
      String(n),
      ...process.argv.filter((a) => a === '--cdk8s-app'),
    ];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: ROOT });
    const wallSeconds = +(Number(process.hrtime.bigint() - start) / 1e9).toFixed(2);
    if (r.status !== 0) throw new Error(`scale benchmark with ${n} copies failed:\n${r.stdout}${r.stderr}`);
    return { ...(JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Omit<Row, 'wallSeconds'>), wallSeconds };
  });
  const problems: string[] = [];
  const by = new Map(rows.map((r) => [r.copies, r]));
  const one = by.get(1);
  const ten = by.get(10);
  const fifty = by.get(50);
  if (one && ten && fifty) {
    // Per copy, beyond what one copy costs (JIT warm-up, first-use caches).
    const perCopy = (r: Row) => (r.synthSeconds - one.synthSeconds) / (r.copies - 1);
    const growth = perCopy(fifty) / perCopy(ten);
    rows.growth = +growth.toFixed(2);
    if (growth > 1.5) problems.push(`per-copy cost at 50 copies is ${growth.toFixed(2)}x that at 10: superlinear`);
  }
  if (one && fifty) {
    rows.ratio50to1 = +(fifty.wallSeconds / one.wallSeconds).toFixed(2);
    rows.cpuRatio50to1 = +(fifty.cpuSeconds / one.cpuSeconds).toFixed(2);
    if (rows.ratio50to1 >= 10) problems.push(`50 copies take ${rows.ratio50to1}x one copy's time (target < 10x)`);
  }
  return { rows, problems };
}

export function printScale({ rows, problems }: { rows: Rows; problems: string[] }): void {
  console.log('scale: copies of every tutorial, each in its own namespace (fresh process per size)');
  for (const r of rows)
    console.log(
      `  ${String(r.copies).padStart(3)} copies  ${String(r.charts).padStart(4)} charts  ${String(r.objects).padStart(5)} objects` +
        `  ${String(r.megabytes).padStart(5)} MB  wall ${r.wallSeconds}s (load ${r.loadSeconds}s, build+synth ${r.synthSeconds}s)` +
        `  CPU ${r.cpuSeconds}s` +
        `  peak RSS ${r.peakRssMb} MB`,
    );
  console.log(
    `  50 copies / 1 copy: ${rows.ratio50to1}x wall time (target < 10x; CPU time ${rows.cpuRatio50to1}x);` +
      ` per-copy cost at 50 vs 10 copies: ${rows.growth}x` +
      ` (linear: about 1)${problems.length ? `  OVER: ${problems.join('; ')}` : '  target ok'}`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  const i = process.argv.indexOf('--child');
  if (i > 0) {
    console.log(JSON.stringify(child(Number(process.argv[i + 1]))));
  } else {
    const sizes = process.argv.slice(2).map(Number).filter(Boolean);
    const result = scaleBenchmark(sizes.length ? sizes : undefined);
    printScale(result);
    process.exitCode = result.problems.length ? 1 : 0;
  }
}
