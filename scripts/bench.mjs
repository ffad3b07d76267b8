#!/usr/bin/env node
// Times the routine tasks several times and prints the median, min and max of each, plus the
// peak memory of one run (GNU time's max RSS, when /usr/bin/time exists). Targets belong here,
// not in timed tests: a slow machine should not fail the test suite.
//
// Usage: npm run bench [-- --runs N]   (exits 1 when a task is over its target)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const env = { ...process.env, CHECKPOINT_DISABLE: '1', npm_config_update_notifier: 'false' };
const hasTime = existsSync('/usr/bin/time');

// Targets on the 2-core build machine (median seconds, peak RSS MB), about twice the first
// measured figures: a run over them means something slowed down (a root import of
// @cdktf/provider-google, a type-checking runtime, a chart doing work at import time).
// The root-import variant is a comparison, not a target.
const tasks = [
  { name: 'synth:k8s (cdk8s synth)', cmd: ['npm', 'run', '--silent', 'synth:k8s'], target: { seconds: 4, rssMb: 400 } },
  { name: 'synth:infra (cdktf synth)', cmd: ['npm', 'run', '--silent', 'synth:infra'], target: { seconds: 8, rssMb: 600 } },
  { name: 'test (jest)', cmd: ['npx', 'jest', '--silent'], target: { seconds: 20, rssMb: 1000 } },
  ...(existsSync('scripts/bench-infra-root-import.mjs')
    ? [{ name: 'infra synth, root-import variant', cmd: ['node', 'scripts/bench-infra-root-import.mjs'] }]
    : []),
];

function once(cmd) {
  const start = process.hrtime.bigint();
  const argv = hasTime ? ['/usr/bin/time', '-f', '%M', ...cmd] : cmd;
  const r = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`${cmd.join(' ')} failed with ${r.status}`);
  }
  const rssKb = hasTime ? Number((r.stderr.trim().split('\n').pop() ?? '').trim()) : NaN;
  return { seconds, rssMb: rssKb / 1024 };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const results = [];
console.log(`node ${process.version}, ${runs} runs each${hasTime ? '' : ' (no /usr/bin/time: memory not measured)'}`);
for (const t of tasks) {
  once(t.cmd); // warm-up: file cache, npx resolution
  const samples = Array.from({ length: runs }, () => once(t.cmd));
  const secs = samples.map((s) => s.seconds);
  const row = {
    task: t.name,
    medianSeconds: +median(secs).toFixed(2),
    minSeconds: +Math.min(...secs).toFixed(2),
    maxSeconds: +Math.max(...secs).toFixed(2),
    peakRssMb: hasTime ? +Math.max(...samples.map((s) => s.rssMb)).toFixed(0) : null,
  };
  const over = t.target && (row.medianSeconds > t.target.seconds || (row.peakRssMb !== null && row.peakRssMb > t.target.rssMb));
  row.target = t.target ?? null;
  row.overTarget = !!over;
  results.push(row);
  const verdict = t.target ? `  target ${t.target.seconds}s/${t.target.rssMb} MB: ${over ? 'OVER' : 'ok'}` : '';
  console.log(`${row.task.padEnd(40)} median ${row.medianSeconds}s  (min ${row.minSeconds}s, max ${row.maxSeconds}s)${row.peakRssMb ? `  peak RSS ${row.peakRssMb} MB` : ''}${verdict}`);
}
if (results.some((r) => r.overTarget)) {
  console.log('some task is over its target');
  process.exitCode = 1;
}
writeFileSync('bench-results.json', JSON.stringify({ node: process.version, runs, cpus: execFileSync('nproc').toString().trim(), results }, null, 2) + '\n');
