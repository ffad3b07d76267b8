#!/usr/bin/env node
/**
 * Builds the control-plane binaries from their Go modules (served by the Go module proxy) into
 * .cache/cluster/<module>-<version>/bin, which is git-ignored. A binary that is already there is
 * not rebuilt, so only the first run pays for the build.
 *
 * k8s.io/kubernetes cannot be `go install`ed: its go.mod replaces every k8s.io staging module
 * with ./staging/src/…, which the published module zip does not contain. So each build gets a
 * small wrapper module that requires k8s.io/kubernetes and replaces each of those staging
 * modules with its published version (v0.<minor>.<patch>), the list read from kubernetes' own
 * go.mod. Same idea for kwok, which is built as a library dependency.
 *
 * Usage: node --import tsx test/cluster/control-plane/build.mts [kube-apiserver etcd kube-scheduler kube-controller-manager kwok]
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ETCD_VERSION, GOTOOLCHAIN, KUBERNETES_VERSION, KWOK_VERSION, minorOf, stagingVersion } from './versions.mts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
export const CACHE = process.env.CLUSTER_CACHE_DIR ?? path.join(ROOT, '.cache', 'cluster');

/** What one binary is built from: its Go module and version, and its package. */
export interface BinarySpec {
  /** The cache folder's prefix: one wrapper module (and one `go build`) per key. */
  key: string;
  module: string;
  version: string;
  pkg: string;
}

/** What each binary is built from. */
export const BINARIES: Record<string, BinarySpec> = {
  'kube-apiserver': {
    key: 'kubernetes',
    module: 'k8s.io/kubernetes',
    version: KUBERNETES_VERSION,
    pkg: 'k8s.io/kubernetes/cmd/kube-apiserver',
  },
  'kube-scheduler': {
    key: 'kubernetes',
    module: 'k8s.io/kubernetes',
    version: KUBERNETES_VERSION,
    pkg: 'k8s.io/kubernetes/cmd/kube-scheduler',
  },
  'kube-controller-manager': {
    key: 'kubernetes',
    module: 'k8s.io/kubernetes',
    version: KUBERNETES_VERSION,
    pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager',
  },
  etcd: { key: 'etcd', module: 'go.etcd.io/etcd/server/v3', version: ETCD_VERSION, pkg: 'go.etcd.io/etcd/server/v3' },
  kwok: { key: 'kwok', module: 'sigs.k8s.io/kwok', version: KWOK_VERSION, pkg: 'sigs.k8s.io/kwok/cmd/kwok' },
};

export class BuildBlocked extends Error {
  readonly binary: string;
  readonly spec: BinarySpec;
  readonly evidence: string;
  constructor(binary: string, spec: BinarySpec, evidence: string) {
    super(`building ${binary} from ${spec.module}@${spec.version} failed:\n${evidence}`);
    this.binary = binary;
    this.spec = spec;
    this.evidence = evidence;
  }
}

function moduleDir(spec: BinarySpec): string {
  return path.join(CACHE, `${spec.key}-${spec.version}`);
}

export function binaryPath(name: string): string {
  return path.join(moduleDir(BINARIES[name]), 'bin', name);
}

function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOTOOLCHAIN,
    GOFLAGS: '-mod=mod -buildvcs=false',
    // Pure Go: none of these binaries needs cgo, and without it no C compiler runs (net, os/user).
    CGO_ENABLED: '0',
    // The proxy only (no direct VCS fetches, which this network does not allow anyway).
    GOPROXY: process.env.GOPROXY && process.env.GOPROXY !== 'off' ? process.env.GOPROXY : 'https://proxy.golang.org',
  };
}

function logCommand(log: string, args: string[], started: number, status: number | null, output: string): void {
  fs.appendFileSync(
    log,
    `$ go ${args.join(' ')}  (${((Date.now() - started) / 1000).toFixed(1)}s, exit ${status})\n${output}\n`,
  );
}

interface GoResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function go(args: string[], cwd: string, log: string): GoResult {
  const started = Date.now();
  const r = spawnSync('go', args, { cwd, env: goEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`cannot run go (${r.error.message}); test:cluster needs Go ≥ 1.24 on PATH`);
  logCommand(log, args, started, r.status, r.stdout + r.stderr);
  return r;
}

/** `go` without blocking, so the modules build side by side (see buildMissing). */
function goAsync(args: string[], cwd: string, log: string): Promise<GoResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd, env: goEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', (e) => reject(new Error(`cannot run go (${e.message}); test:cluster needs Go ≥ 1.24 on PATH`)));
    child.on('close', (status) => {
      logCommand(log, args, started, status, stdout + stderr);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The lines of a failed go command that name what the proxy did not serve, or its last lines. */
function evidenceOf(output: string): string {
  const lines = output.split('\n').filter(Boolean);
  const proxy = lines.filter((l) =>
    /proxy\.golang\.org|404|410|not found|unknown revision|invalid version|no matching versions/i.test(l),
  );
  return (proxy.length ? proxy : lines.slice(-15)).join('\n');
}

/** The replace block that points kubernetes' staging modules at their published versions. */
function stagingReplaces(kubernetesGoMod: string, version: string): string[] {
  const block = /^replace \(\n([\s\S]*?)^\)/m.exec(kubernetesGoMod);
  if (!block) throw new Error('k8s.io/kubernetes go.mod has no replace block');
  return block[1]
    .split('\n')
    .map((l) => /^\s*(k8s\.io\/[\w.-]+)\s*=>\s*\.\/staging\//.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `\t${m[1]} => ${m[1]} ${version}`);
}

/** Appends one line per step to CACHE/build-times.log: `<date> <step> <version> <seconds>s [detail]`. */
function recordStep(step: string, version: string, seconds: number, detail = ''): void {
  fs.mkdirSync(CACHE, { recursive: true });
  fs.appendFileSync(
    path.join(CACHE, 'build-times.log'),
    `${new Date().toISOString()} ${step} ${version} ${seconds.toFixed(1)}s${detail ? ` ${detail}` : ''}\n`,
  );
}

/** Writes the wrapper module and downloads what it needs (module zips, go.sum). */
async function writeWrapper(dir: string, spec: BinarySpec): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'build.log');
  const gomod = path.join(dir, 'go.mod');
  if (fs.existsSync(path.join(dir, 'go.sum')) && fs.existsSync(gomod)) return log;
  const started = Date.now();
  fs.writeFileSync(gomod, `module cluster-build\n\ngo 1.24.0\n`);
  // Download the module itself first, to read its go.mod (replaces) from the module cache.
  const dl = await goAsync(['mod', 'download', '-json', `${spec.module}@${spec.version}`], dir, log);
  if (dl.status !== 0) throw new BuildBlocked(path.basename(dir), spec, evidenceOf(dl.stdout + dl.stderr));
  const info = JSON.parse(dl.stdout);
  const upstream = fs.readFileSync(info.GoMod, 'utf8');
  let replaces: string[] = [];
  if (spec.module === 'k8s.io/kubernetes') replaces = stagingReplaces(upstream, stagingVersion(spec.version));
  else {
    // Any other module's own replace directives (kwok has none that point into itself; keep it general).
    const block = /^replace \(\n([\s\S]*?)^\)/m.exec(upstream);
    if (block)
      replaces = block[1]
        .split('\n')
        .filter((l) => l.includes('=>') && !/=>\s*\.\.?\//.test(l))
        .map((l) => `\t${l.trim()}`);
    for (const m of upstream.matchAll(/^replace (\S+ (?:\S+ )?=> \S+ \S+)$/gm)) replaces.push(`\t${m[1]}`);
  }
  const content =
    `// Generated by test/cluster/control-plane/build.mts: builds ${spec.module}@${spec.version} from the module proxy.\n` +
    `module cluster-build\n\ngo 1.24.0\n\nrequire ${spec.module} ${spec.version}\n` +
    (replaces.length ? `\nreplace (\n${replaces.join('\n')}\n)\n` : '');
  fs.writeFileSync(gomod, content);
  const pkgs = Object.values(BINARIES)
    .filter((b) => b.module === spec.module)
    .map((b) => b.pkg);
  fs.writeFileSync(
    path.join(dir, 'tools.go'),
    `//go:build tools\n\npackage tools\n\nimport (\n${pkgs.map((p) => `\t_ "${p}"`).join('\n')}\n)\n`,
  );
  const tidy = await goAsync(['mod', 'tidy'], dir, log);
  if (tidy.status !== 0) {
    fs.rmSync(path.join(dir, 'go.sum'), { force: true });
    throw new BuildBlocked(path.basename(dir), spec, evidenceOf(tidy.stdout + tidy.stderr));
  }
  recordStep(`modules:${spec.key}`, spec.version, (Date.now() - started) / 1000, '(download + go mod tidy)');
  return log;
}

function ldflags(spec: BinarySpec): string {
  const flags = ['-s', '-w'];
  if (spec.module === 'k8s.io/kubernetes') {
    // Without these the binaries report v0.0.0, and version-gated features (emulation version,
    // compatibility checks) misbehave.
    const { major, minor } = minorOf(spec.version);
    flags.push(
      `-X k8s.io/component-base/version.gitVersion=${spec.version}`,
      `-X k8s.io/component-base/version.gitMajor=${major}`,
      `-X k8s.io/component-base/version.gitMinor=${minor}`,
      '-X k8s.io/component-base/version.gitTreeState=clean',
      `-X k8s.io/client-go/pkg/version.gitVersion=${spec.version}`,
      `-X k8s.io/client-go/pkg/version.gitMajor=${major}`,
      `-X k8s.io/client-go/pkg/version.gitMinor=${minor}`,
    );
  }
  if (spec.module === BINARIES.kwok.module) flags.push(`-X sigs.k8s.io/kwok/pkg/consts.Version=${spec.version}`);
  return flags.join(' ');
}

/**
 * The compile and link steps of one `go build`, from its -debug-trace file: the wall time from the
 * first to the last compile, the CPU seconds of all compiles, the slowest packages, and each link.
 */
function traceSummary(file: string) {
  const events = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; tid: number; ph: string; ts: number }[];
  const open = new Map<string, number>();
  const compiles: { pkg: string; start: number; end: number }[] = [];
  const links: { pkg: string; start: number; end: number }[] = [];
  for (const e of events) {
    const m = /^Executing action \((build|link) (.+)\)$/.exec(e.name ?? '');
    if (!m) continue;
    const id = `${e.tid} ${e.name}`;
    if (e.ph === 'B') open.set(id, e.ts);
    else if (e.ph === 'E' && open.has(id)) {
      const span = { pkg: m[2], start: open.get(id) as number, end: e.ts };
      (m[1] === 'link' ? links : compiles).push(span);
      open.delete(id);
    }
  }
  const s = (us: number) => +(us / 1e6).toFixed(1);
  return {
    packages: compiles.length,
    compileWallSeconds: compiles.length
      ? s(Math.max(...compiles.map((c) => c.end)) - Math.min(...compiles.map((c) => c.start)))
      : 0,
    compileActionSeconds: s(compiles.reduce((t, c) => t + c.end - c.start, 0)),
    slowestPackages: [...compiles]
      .sort((a, b) => b.end - b.start - (a.end - a.start))
      .slice(0, 5)
      .map((c) => `${c.pkg} ${s(c.end - c.start)}s`),
    links: links.map((l) => ({ pkg: l.pkg, seconds: s(l.end - l.start) })),
  };
}

/**
 * Builds the binaries `names` of one module with one `go build`: packages they share (most of
 * kube-apiserver, kube-scheduler and kube-controller-manager) are compiled once, and go links
 * the binaries side by side. No DWARF is generated (-dwarf=false; -s -w strips it anyway).
 */
async function buildModule(spec: BinarySpec, names: string[]): Promise<void> {
  const dir = moduleDir(spec);
  const log = await writeWrapper(dir, spec);
  const bin = path.join(dir, 'bin');
  const tmp = path.join(bin, `.partial-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const trace = path.join(dir, 'build-trace.json');
  const pkgs = names.map((n) => BINARIES[n].pkg);
  const started = Date.now();
  const b = await goAsync(
    [
      'build',
      '-trimpath',
      '-gcflags=all=-dwarf=false',
      '-ldflags',
      ldflags(spec),
      `-debug-trace=${trace}`,
      '-o',
      `${tmp}/`,
      ...pkgs,
    ],
    dir,
    log,
  );
  if (b.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new BuildBlocked(names.join(', '), spec, evidenceOf(b.stdout + b.stderr));
  }
  const seconds = (Date.now() - started) / 1000;
  for (const n of names) {
    // go names a binary after its package's last path element, without a /vN suffix (etcd: "server").
    const built = path.basename(BINARIES[n].pkg.replace(/\/v\d+$/, ''));
    fs.renameSync(path.join(tmp, built), binaryPath(n));
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const t = traceSummary(trace);
    recordStep(
      `compile:${spec.key}`,
      spec.version,
      t.compileWallSeconds,
      `(${t.packages} packages, ${t.compileActionSeconds} action-s; slowest: ${t.slowestPackages.join(', ')})`,
    );
    for (const l of t.links) {
      const binary = names.find((n) => BINARIES[n].pkg === l.pkg) ?? path.basename(l.pkg);
      recordStep(`link:${binary}`, spec.version, l.seconds);
    }
  } catch (e) {
    fs.appendFileSync(log, `no step breakdown: ${(e as Error).message}\n`);
  } finally {
    fs.rmSync(trace, { force: true });
  }
  recordStep(`build:${spec.key}`, spec.version, seconds, `(${names.join(' ')}: one go build)`);
}

/**
 * Builds every binary of `names` that is not cached: one `go build` per module, the modules side
 * by side (their downloads and links overlap the others' compiles). Resolves to a map of
 * binary name to BuildBlocked for those that could not be built.
 */
export async function buildMissing(
  names: string[] = Object.keys(BINARIES),
  { quiet = false } = {},
): Promise<Map<string, BuildBlocked>> {
  const byModule = new Map<string, string[]>();
  for (const n of names) {
    const spec = BINARIES[n];
    if (!spec) throw new Error(`unknown binary ${n}`);
    if (fs.existsSync(binaryPath(n))) continue;
    byModule.set(spec.key, [...(byModule.get(spec.key) ?? []), n]);
  }
  const failed = new Map<string, BuildBlocked>();
  if (!byModule.size) return failed;
  const started = Date.now();
  const say = (m: string) => quiet || process.stderr.write(`[cluster] ${m}\n`);
  say(`building ${[...byModule.values()].flat().join(', ')} (first run only; see docs/cluster.md) …`);
  await Promise.all(
    [...byModule.values()].map(async (group) => {
      const spec = BINARIES[group[0]];
      fs.mkdirSync(path.join(moduleDir(spec), 'bin'), { recursive: true });
      const t0 = Date.now();
      try {
        await buildModule(spec, group);
        say(`built ${group.join(', ')} in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
      } catch (e) {
        if (!(e instanceof BuildBlocked)) throw e;
        for (const n of group) failed.set(n, e);
      }
    }),
  );
  recordStep('total', '-', (Date.now() - started) / 1000, `(${[...byModule.values()].flat().join(' ')})`);
  return failed;
}

const THIS_FILE = fileURLToPath(import.meta.url);
/** Binaries whose build failed in this process, so a blocked one is not retried for every caller. */
const BLOCKED = new Map<string, BuildBlocked>();

/**
 * Returns the path of binary `name`, building it first if it is not cached. A cold cache builds
 * every missing binary of CLUSTER_BINARIES (default: all five, which the two stages use) in one
 * pass, modules side by side, rather than one by one as they are asked for. Throws BuildBlocked
 * with the go error.
 */
export function ensureBinary(name: string, { quiet = false } = {}): string {
  const spec = BINARIES[name];
  if (!spec) throw new Error(`unknown binary ${name}`);
  const out = binaryPath(name);
  if (fs.existsSync(out)) return out;
  const blocked = BLOCKED.get(name);
  if (blocked) throw blocked;
  const wanted = (process.env.CLUSTER_BINARIES?.split(/[\s,]+/).filter(Boolean) ?? Object.keys(BINARIES)).filter(
    (n) => BINARIES[n],
  );
  if (!wanted.includes(name)) wanted.push(name);
  // The build is asynchronous (modules in parallel); callers here are synchronous, so it runs in a
  // child process that reports what it could not build.
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', THIS_FILE, '--json', ...(quiet ? ['--quiet'] : []), ...wanted],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  let report: { blocked?: Record<string, { evidence: string }> };
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`building ${name} failed (exit ${r.status}):\n${r.stdout}`);
  }
  for (const [n, b] of Object.entries(report.blocked ?? {}))
    BLOCKED.set(n, new BuildBlocked(n, BINARIES[n], b.evidence));
  const failed = BLOCKED.get(name);
  if (failed) throw failed;
  if (!fs.existsSync(out)) throw new Error(`building ${name} left no binary at ${out}`);
  return out;
}

/**
 * kwok's "fast" node and Pod stages (nodes Ready at once; Pods scheduled to a kwok node become
 * Running and Ready at once, complete when they are Job Pods, and go when deleted), read from the
 * kwok module as downloaded into the module cache, so nothing of kwok is copied into this repo.
 */
export function ensureKwokStages(): string {
  const spec = BINARIES.kwok;
  const out = path.join(moduleDir(spec), 'stages.yaml');
  if (fs.existsSync(out)) return out;
  const dir = moduleDir(spec);
  const log = path.join(dir, 'build.log');
  fs.mkdirSync(dir, { recursive: true });
  const dl = go(['mod', 'download', '-json', `${spec.module}@${spec.version}`], dir, log);
  if (dl.status !== 0) throw new BuildBlocked('kwok stages', spec, evidenceOf(dl.stdout + dl.stderr));
  const moduleRoot = JSON.parse(dl.stdout).Dir;
  const docs: string[] = [];
  for (const sub of ['kustomize/stage/node/fast', 'kustomize/stage/pod/fast']) {
    const d = path.join(moduleRoot, sub);
    for (const f of fs
      .readdirSync(d)
      .filter((x) => x.endsWith('.yaml') && x !== 'kustomization.yaml')
      .sort()) {
      docs.push(`# ${spec.module}@${spec.version}/${sub}/${f}\n${fs.readFileSync(path.join(d, f), 'utf8').trim()}\n`);
    }
  }
  fs.writeFileSync(`${out}.partial`, docs.join('---\n'));
  fs.renameSync(`${out}.partial`, out);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const quiet = args.includes('--quiet');
  const names = args.filter((a) => !a.startsWith('--'));
  const failed = await buildMissing(names.length ? names : Object.keys(BINARIES), { quiet });
  if (json) {
    const blocked = Object.fromEntries([...failed].map(([n, e]) => [n, { evidence: e.evidence }]));
    process.stdout.write(`${JSON.stringify({ blocked })}\n`);
  } else {
    for (const n of names.length ? names : Object.keys(BINARIES)) {
      if (failed.has(n)) console.error(`BLOCKED ${failed.get(n)?.message}`);
      else console.log(`${n}: ${binaryPath(n)}`);
    }
  }
  process.exit(failed.size ? 1 : 0);
}
