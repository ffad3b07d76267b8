/**
 * Runs one command for `npm run bench` and reports, as one JSON line on stderr, its wall time and
 * the peak memory and CPU time of its whole process tree:
 *
 *   node --import tsx scripts/bench-tree.ts <command> [args...]
 *   -> {"seconds":1.23,"peakTreeRssMb":512,"cpuSeconds":2.5,"exitCode":0}
 *
 * `/usr/bin/time` sees a process and the children it waits for; jest's worker processes
 * (jest-light-runner) outlive jest by a moment and are never waited for, so their memory and CPU
 * would be missing. This samples /proc every 50 ms instead: the memory is the largest sum of the
 * tree's resident sets in one sample, the CPU the sum over every process seen of its last
 * user + system time. A process that lives less than 50 ms is missed (a `git` call, say).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

const TICKS_PER_SECOND = 100;

interface Proc {
  readonly ppid: number;
  readonly rssKb: number;
  readonly cpuTicks: number;
}

/** One process from /proc, or undefined if it is gone. */
function readProc(pid: number): Proc | undefined {
  try {
    // Fields after the command name, which may contain spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const rssPages = Number(f[21]);
    return { ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), rssKb: rssPages * 4 };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  process.stderr.write('usage: bench-tree.ts <command> [args...]\n');
  process.exit(2);
}

const seen = new Map<number, Proc>(); // every process of the tree, at its last sample
let peakRssKb = 0;
const started = process.hrtime.bigint();
const child = spawn(cmd, args, { stdio: 'inherit' });
const root = child.pid!;

/** One sample: the root's descendants now, plus every process seen before that still runs. */
function sample(): void {
  const procs = new Map<number, Proc>();
  for (const pid of allPids()) {
    const p = readProc(pid);
    if (p) procs.set(pid, p);
  }
  const tree = new Set<number>([root, ...seen.keys()].filter((pid) => procs.has(pid)));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of procs)
      if (!tree.has(pid) && tree.has(p.ppid)) {
        tree.add(pid);
        grew = true;
      }
  }
  let rss = 0;
  for (const pid of tree) {
    const p = procs.get(pid)!;
    rss += p.rssKb;
    seen.set(pid, p);
  }
  peakRssKb = Math.max(peakRssKb, rss);
}

const timer = setInterval(sample, 50);
child.on('exit', (code, signal) => {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Processes that outlive the command (jest's workers) are followed until they end, for at most 10 s.
  const until = Date.now() + 10_000;
  const finish = () => {
    sample();
    const running = [...seen.keys()].filter((pid) => pid !== root && readProc(pid) !== undefined);
    if (running.length > 0 && Date.now() < until) return void setTimeout(finish, 50);
    clearInterval(timer);
    const cpuTicks = [...seen.values()].reduce((s, p) => s + p.cpuTicks, 0);
    process.stderr.write(
      `${JSON.stringify({
        seconds: +seconds.toFixed(3),
        peakTreeRssMb: +(peakRssKb / 1024).toFixed(0),
        cpuSeconds: +(cpuTicks / TICKS_PER_SECOND).toFixed(2),
        exitCode: code ?? (signal ? 128 : 1),
      })}\n`,
    );
    process.exitCode = code ?? 1;
  };
  finish();
});
