/**
 * `npm run repeat -- [--runs N] <npm script> [-- args]`: runs one suite N times in a row and
 * reports how many runs passed, so that a flaky suite shows as flaky rather than as green once.
 * After every run it looks for control-plane processes (etcd, kube-apiserver, kube-scheduler,
 * kube-controller-manager, kwok) that the run started and left behind, counts such a run as
 * failed, and kills them.
 *
 *   npm run repeat -- --runs 10 test:cluster
 *   npm run repeat -- --runs 10 test:verify
 *
 * Each run's output goes to .cache/repeat/<script>-<n>.log; the summary names the failed runs
 * with the first failing line of each.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exitOf } from './child-exit';

const ROOT = path.resolve(__dirname, '..');
const MARKER = 'REPEAT_RUN_MARKER';
const CONTROL_PLANE = ['etcd', 'kube-apiserver', 'kube-scheduler', 'kube-controller-manager', 'kwok'];

interface Options {
  runs: number;
  script: string;
  args: string[];
}

export function parseArgs(argv: string[]): Options {
  let runs = 10;
  let script: string | undefined;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (script !== undefined) args.push(a);
    else if (a === '--runs' || a.startsWith('--runs=')) {
      const value = a === '--runs' ? argv[++i] : a.slice('--runs='.length);
      if (!/^[1-9]\d*$/.test(value ?? ''))
        throw new Error(`repeat: --runs ${JSON.stringify(value ?? '')}: must be a whole number of runs, 1 or more`);
      runs = Number(value);
    } else if (a.startsWith('-'))
      throw new Error(`repeat: unknown option ${a}; usage: npm run repeat -- [--runs N] <npm script> [-- args]`);
    else script = a;
  }
  if (!script) throw new Error('repeat: name the npm script to repeat, such as test:cluster');
  const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
  if (!(script in scripts)) throw new Error(`repeat: package.json has no script ${JSON.stringify(script)}`);
  return { runs, script, args };
}

/**
 * Control-plane processes (by the basename of their program) that carry `marker` in their
 * environment, which every process a run starts inherits: so another suite's control plane on
 * the same machine is never mistaken for one this run left behind.
 */
export function strayProcesses(marker: string): Array<{ name: string; pid: number }> {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const found: Array<{ name: string; pid: number }> = [];
  for (const line of ps.stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)/.exec(line);
    const name = m && path.basename(m[2]);
    if (!m || !name || !CONTROL_PLANE.includes(name)) continue;
    let environ = '';
    try {
      environ = fs.readFileSync(`/proc/${m[1]}/environ`, 'utf8');
    } catch {
      continue; // gone already
    }
    if (environ.split('\0').includes(`${MARKER}=${marker}`)) found.push({ name, pid: Number(m[1]) });
  }
  return found;
}

const describe = (procs: Array<{ name: string; pid: number }>) =>
  procs.map((p) => `${p.name} (pid ${p.pid})`).join(', ');

async function runOnce(opts: Options, log: string, marker: string): Promise<{ code: number; seconds: number }> {
  const started = Date.now();
  const out = fs.openSync(log, 'w');
  try {
    const child = spawn('npm', ['run', '--silent', opts.script, ...(opts.args.length ? ['--', ...opts.args] : [])], {
      cwd: ROOT,
      env: { ...process.env, [MARKER]: marker },
      stdio: ['ignore', out, out],
    });
    return { code: await exitOf(child), seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.closeSync(out);
  }
}

/** The first line of a failed run that says what failed (an assertion, a timeout, an error). */
function firstFailure(log: string): string {
  const lines = fs.readFileSync(log, 'utf8').split('\n');
  const hit = lines.find((l) => /^\s*(✖|not ok)|AssertionError|Error:|timed out/.test(l));
  return (hit ?? lines.filter(Boolean).slice(-1)[0] ?? '').trim().slice(0, 300);
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const dir = path.join(ROOT, '.cache', 'repeat');
  fs.mkdirSync(dir, { recursive: true });
  const failures: string[] = [];
  for (let n = 1; n <= opts.runs; n++) {
    const log = path.join(dir, `${opts.script.replace(/[^\w.-]/g, '_')}-${n}.log`);
    const marker = `${process.pid}-${n}-${Date.now()}`;
    const { code, seconds } = await runOnce(opts, log, marker);
    const stray = strayProcesses(marker);
    const ok = code === 0 && stray.length === 0;
    let why = '';
    if (code !== 0) why = firstFailure(log);
    if (stray.length) why += `${why ? '; ' : ''}left running: ${describe(stray)}`;
    process.stdout.write(
      `run ${n}/${opts.runs}: ${ok ? 'passed' : 'FAILED'} in ${seconds.toFixed(0)} s${ok ? '' : `: ${why}`} (${path.relative(ROOT, log)})\n`,
    );
    if (!ok) failures.push(`run ${n}: ${why}`);
    for (const p of stray) process.kill(p.pid, 'SIGKILL');
  }
  const passed = opts.runs - failures.length;
  process.stdout.write(
    `${opts.script}: ${passed} of ${opts.runs} runs passed\n${failures.map((f) => `  ${f}\n`).join('')}`,
  );
  return failures.length ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    },
  );
}
