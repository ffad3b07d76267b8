// Times the routine tasks several times and prints the median, min and max of each, plus the
// peak memory of a run's whole process tree (scripts/bench-tree.ts). Targets belong here,
// not in timed tests: a slow machine should not fail the test suite.
//
// Usage: npm run bench [-- --runs N]   (exits 1 when a task is over its target)
import { execFileSync, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchTask, diffTasks } from './diff/bench';
import { coldBuildFigure, scaleFigure } from './bench-figures';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  CDK8S_CHECK_UPGRADE: 'false',
  CI: '1',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};
delete env.TF_CLI_CONFIG_FILE;

// The apps as the CLIs ran them before the one-process synth: TypeScript transpiled by tsx in
// each process, one CLI per app. `npm run synth` is compared with the sum of the two.
const tsxApp = (mode: string) => `node --import tsx scripts/bench-tsx-entry.ts ${mode}`;
const tasks: BenchTask[] = [
  {
    name: 'npm run synth (one process, compiled)',
    cmd: ['npm', 'run', '--silent', 'synth'],
    target: { rssMb: 300 },
    ratioOf: ['before: cdk8s synth via tsx', 'before: cdktf synth via tsx'],
    maxRatio: 0.2,
  },
  { name: 'npm run synth:k8s', cmd: ['npm', 'run', '--silent', 'synth:k8s'] },
  { name: 'npm run synth:infra', cmd: ['npm', 'run', '--silent', 'synth:infra'] },
  { name: 'npx cdk8s synth (compiled)', cmd: ['npx', 'cdk8s', 'synth'] },
  { name: 'npx cdktf synth (compiled)', cmd: ['npx', 'cdktf', 'synth'] },
  { name: 'before: cdk8s synth via tsx', cmd: ['npx', 'cdk8s', 'synth', '--app', tsxApp('k8s --cdk8s-cli')] },
  { name: 'before: cdktf synth via tsx', cmd: ['npx', 'cdktf', 'synth', '--app', tsxApp('infra --cdktf-cli')] },
  {
    name: 'npm test (jest)',
    // As a user runs it, through npm like `npm run synth` (npx would add its own package lookup).
    cmd: ['npm', 'test', '--silent', '--', '--silent'],
    target: { rssMb: 1000 },
    // The test suite's time in units of one synth: fast feedback, whatever the machine's speed.
    ratioOf: ['npm run synth (one process, compiled)'],
    maxRatio: 6,
    ratioLabel: 'one npm run synth',
  },
  {
    name: 'infra synth, root-import variant (tsx)',
    cmd: ['node', '--import', 'tsx', 'scripts/bench-infra-root-import.ts'],
  },
  ...diffTasks(env),
];

/** Where scripts/bench-tree.ts is, which times a command and samples its process tree. */
const BENCH_TREE = join(__dirname, 'bench-tree.ts');
/** tsx by path: the consumer's scratch folder, where some commands run, has no tsx of its own. */
const TSX = pathToFileURL(require.resolve('tsx')).href;

function once(cmd: string[], cwd?: string): { seconds: number; rssMb: number; cpuSeconds: number } {
  // The peak memory and the CPU time (user + system) of the whole process tree, jest's workers
  // included, which other work on a shared machine stretches far less than the wall time.
  const r = spawnSync(process.execPath, ['--import', TSX, BENCH_TREE, ...cmd], {
    env,
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const last = (r.stderr.trim().split('\n').pop() ?? '').trim();
  const report = last.startsWith('{') ? (JSON.parse(last) as Record<string, number>) : undefined;
  if (r.status !== 0 || !report) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`${cmd.join(' ')} failed with ${r.status}`);
  }
  return { seconds: report.seconds, rssMb: report.peakTreeRssMb, cpuSeconds: report.cpuSeconds };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** One line of the report and of bench-results.json. */
interface Row {
  task: string;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  peakRssMb: number | null;
  medianCpuSeconds?: number | null;
  installSizeMb?: number;
  target: BenchTask['target'] | null;
  ratioToBefore?: number;
  cpuRatioToBefore?: number;
  overTarget?: boolean;
}
const results: { row: Row | Record<string, unknown>; t: Partial<BenchTask> }[] = [];
const timed: { row: Row; t: Partial<BenchTask> }[] = [];
console.log(`node ${process.version}, ${runs} runs each, in rounds`);
once(['npm', 'run', '--silent', 'build']); // compile once, so no timed run includes the build
for (const t of tasks) once(t.cmd, t.cwd); // warm-up: file cache, npx resolution
// Round by round, every task once per round: load from outside that comes and goes during the
// bench then falls on every task alike, instead of on the few whose runs it happened to meet,
// and a ratio compares runs of the same round (see ratioOf below).
/** Each task's run of each round, by task name. */
const rounds = new Map<string, ReturnType<typeof once>[]>(tasks.map((t) => [t.name, []]));
for (let round = 0; round < runs; round++) for (const t of tasks) rounds.get(t.name)!.push(once(t.cmd, t.cwd));
for (const t of tasks) {
  const samples = rounds.get(t.name)!;
  const secs = samples.map((s) => s.seconds);
  const row: Row = {
    task: t.name,
    medianSeconds: +median(secs).toFixed(2),
    minSeconds: +Math.min(...secs).toFixed(2),
    maxSeconds: +Math.max(...secs).toFixed(2),
    peakRssMb: +Math.max(...samples.map((s) => s.rssMb)).toFixed(0),
    medianCpuSeconds: +median(samples.map((s) => s.cpuSeconds)).toFixed(2),
    target: t.target ?? null,
  };
  timed.push({ row, t });
}

// The consumer of the packed tarball: `npm install` of it (peers only) and its node_modules size.
const scratch = mkdtempSync(join(tmpdir(), 'bench-consumer-'));
try {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { env, encoding: 'utf8' }),
  );
  const app = join(scratch, 'app');
  const install = () => {
    rmSync(app, { recursive: true, force: true });
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}');
    return once(['npm', 'install', '--prefer-offline', '--no-package-lock', join(scratch, packed[0].filename)], app);
  };
  install();
  const samples = Array.from({ length: Math.min(runs, 3) }, install);
  const sizeMb =
    Number(execFileSync('du', ['-sk', join(app, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]) / 1024;
  const row: Row = {
    task: 'consumer: npm install of the packed tarball',
    medianSeconds: +median(samples.map((s) => s.seconds)).toFixed(2),
    minSeconds: +Math.min(...samples.map((s) => s.seconds)).toFixed(2),
    maxSeconds: +Math.max(...samples.map((s) => s.seconds)).toFixed(2),
    peakRssMb: +Math.max(...samples.map((s) => s.rssMb)).toFixed(0),
    installSizeMb: +sizeMb.toFixed(1),
    target: { installSizeMb: 60 },
  };
  timed.push({ row, t: { name: row.task, target: row.target ?? undefined } });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

let over = false;
for (const { row, t } of timed) {
  results.push({ row, t });
  const problems: string[] = [];
  if (t.target?.seconds !== undefined && row.medianSeconds > t.target.seconds)
    problems.push(`median over ${t.target.seconds}s`);
  if (t.target?.rssMb !== undefined && row.peakRssMb !== null && row.peakRssMb > t.target.rssMb)
    problems.push(`peak RSS over ${t.target.rssMb} MB`);
  if (t.target?.installSizeMb !== undefined && (row.installSizeMb ?? 0) > t.target.installSizeMb)
    problems.push(`install over ${t.target.installSizeMb} MB`);
  if (t.ratioOf) {
    // The median over the rounds of the ratio within each round.
    const own = rounds.get(row.task)!;
    const ratio = (key: 'seconds' | 'cpuSeconds') =>
      median(
        own.map((sample, round) => {
          const before = t.ratioOf!.reduce((sum, n) => sum + (rounds.get(n)?.[round]?.[key] ?? NaN), 0);
          return sample[key] / before;
        }),
      );
    row.ratioToBefore = +ratio('seconds').toFixed(3);
    row.cpuRatioToBefore = +ratio('cpuSeconds').toFixed(3);
    if (row.ratioToBefore > (t.maxRatio ?? Infinity)) problems.push(`ratio ${row.ratioToBefore} over ${t.maxRatio}`);
  }
  row.overTarget = problems.length > 0;
  over ||= row.overTarget;
  const extras = [
    row.peakRssMb ? `peak RSS ${row.peakRssMb} MB` : '',
    row.installSizeMb !== undefined ? `node_modules ${row.installSizeMb} MB` : '',
    row.ratioToBefore !== undefined ? `${row.ratioToBefore}x ${t.ratioLabel ?? 'the two CLIs via tsx'}` : '',
    row.cpuRatioToBefore !== undefined ? `(CPU time ${row.cpuRatioToBefore}x)` : '',
    problems.length ? `OVER: ${problems.join(', ')}` : t.target || t.ratioOf ? 'target ok' : '',
  ]
    .filter(Boolean)
    .join('  ');
  console.log(
    `${row.task.padEnd(46)} median ${row.medianSeconds}s (min ${row.minSeconds}s, max ${row.maxSeconds}s)  ${extras}`,
  );
}
// The cold build of the control plane (last recorded) and the scale benchmark: bench-figures.ts.
for (const figure of [coldBuildFigure(), scaleFigure()]) {
  results.push({ row: figure.row, t: {} });
  over ||= figure.problems.length > 0;
}
if (over) {
  console.log('some task is over its target');
  process.exitCode = 1;
}
writeFileSync(
  'bench-results.json',
  JSON.stringify(
    { node: process.version, runs, cpus: execFileSync('nproc').toString().trim(), results: results.map((r) => r.row) },
    null,
    2,
  ) + '\n',
);
