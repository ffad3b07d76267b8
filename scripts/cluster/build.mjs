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
 * Usage: node scripts/cluster/build.mjs [kube-apiserver etcd kube-scheduler kube-controller-manager kwok]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ETCD_VERSION, GOTOOLCHAIN, KUBERNETES_VERSION, KWOK_VERSION, minorOf, stagingVersion } from './versions.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = process.env.CLUSTER_CACHE_DIR ?? path.join(ROOT, '.cache', 'cluster');

/** What each binary is built from. */
export const BINARIES = {
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
  constructor(binary, spec, evidence) {
    super(`building ${binary} from ${spec.module}@${spec.version} failed:\n${evidence}`);
    this.binary = binary;
    this.spec = spec;
    this.evidence = evidence;
  }
}

function moduleDir(spec) {
  return path.join(CACHE, `${spec.key}-${spec.version}`);
}

export function binaryPath(name) {
  return path.join(moduleDir(BINARIES[name]), 'bin', name);
}

function goEnv() {
  return {
    ...process.env,
    GOTOOLCHAIN,
    GOFLAGS: '-mod=mod -buildvcs=false',
    // The proxy only (no direct VCS fetches, which this network does not allow anyway).
    GOPROXY: process.env.GOPROXY && process.env.GOPROXY !== 'off' ? process.env.GOPROXY : 'https://proxy.golang.org',
  };
}

function go(args, cwd, log) {
  const started = Date.now();
  const r = spawnSync('go', args, { cwd, env: goEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`cannot run go (${r.error.message}); test:cluster needs Go ≥ 1.24 on PATH`);
  fs.appendFileSync(
    log,
    `$ go ${args.join(' ')}  (${((Date.now() - started) / 1000).toFixed(1)}s, exit ${r.status})\n${r.stdout}${r.stderr}\n`,
  );
  return r;
}

/** The lines of a failed go command that name what the proxy did not serve, or its last lines. */
function evidenceOf(output) {
  const lines = output.split('\n').filter(Boolean);
  const proxy = lines.filter((l) =>
    /proxy\.golang\.org|404|410|not found|unknown revision|invalid version|no matching versions/i.test(l),
  );
  return (proxy.length ? proxy : lines.slice(-15)).join('\n');
}

/** The replace block that points kubernetes' staging modules at their published versions. */
function stagingReplaces(kubernetesGoMod, version) {
  const block = /^replace \(\n([\s\S]*?)^\)/m.exec(kubernetesGoMod);
  if (!block) throw new Error('k8s.io/kubernetes go.mod has no replace block');
  return block[1]
    .split('\n')
    .map((l) => /^\s*(k8s\.io\/[\w.-]+)\s*=>\s*\.\/staging\//.exec(l))
    .filter(Boolean)
    .map((m) => `\t${m[1]} => ${m[1]} ${version}`);
}

function writeWrapper(dir, spec) {
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'build.log');
  const gomod = path.join(dir, 'go.mod');
  if (fs.existsSync(path.join(dir, 'go.sum')) && fs.existsSync(gomod)) return log;
  fs.writeFileSync(gomod, `module cluster-build\n\ngo 1.24.0\n`);
  // Download the module itself first, to read its go.mod (replaces) from the module cache.
  const dl = go(['mod', 'download', '-json', `${spec.module}@${spec.version}`], dir, log);
  if (dl.status !== 0) throw new BuildBlocked(path.basename(dir), spec, evidenceOf(dl.stdout + dl.stderr));
  const info = JSON.parse(dl.stdout);
  const upstream = fs.readFileSync(info.GoMod, 'utf8');
  let replaces = [];
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
    `// Generated by scripts/cluster/build.mjs: builds ${spec.module}@${spec.version} from the module proxy.\n` +
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
  const tidy = go(['mod', 'tidy'], dir, log);
  if (tidy.status !== 0) {
    fs.rmSync(path.join(dir, 'go.sum'), { force: true });
    throw new BuildBlocked(path.basename(dir), spec, evidenceOf(tidy.stdout + tidy.stderr));
  }
  return log;
}

function ldflags(name, spec) {
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
  if (name === 'kwok') flags.push(`-X sigs.k8s.io/kwok/pkg/consts.Version=${spec.version}`);
  return flags.join(' ');
}

/** Builds `name` unless it is cached; returns its path. Throws BuildBlocked with the go error. */
export function ensureBinary(name, { quiet = false } = {}) {
  const spec = BINARIES[name];
  if (!spec) throw new Error(`unknown binary ${name}`);
  const out = binaryPath(name);
  if (fs.existsSync(out)) return out;
  const dir = moduleDir(spec);
  const started = Date.now();
  if (!quiet)
    process.stderr.write(`[cluster] building ${name} from ${spec.module}@${spec.version} (first run only) …\n`);
  const log = writeWrapper(dir, spec);
  const tmp = `${out}.partial`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const b = go(['build', '-trimpath', '-ldflags', ldflags(name, spec), '-o', tmp, spec.pkg], dir, log);
  if (b.status !== 0) throw new BuildBlocked(name, spec, evidenceOf(b.stdout + b.stderr));
  fs.renameSync(tmp, out);
  const seconds = (Date.now() - started) / 1000;
  fs.appendFileSync(
    path.join(CACHE, 'build-times.log'),
    `${new Date().toISOString()} ${name} ${spec.version} ${seconds.toFixed(1)}s\n`,
  );
  if (!quiet) process.stderr.write(`[cluster] built ${name} in ${seconds.toFixed(0)}s\n`);
  return out;
}

/**
 * kwok's "fast" node and Pod stages (nodes Ready at once; Pods scheduled to a kwok node become
 * Running and Ready at once, complete when they are Job Pods, and go when deleted), read from the
 * kwok module as downloaded into the module cache, so nothing of kwok is copied into this repo.
 */
export function ensureKwokStages() {
  const spec = BINARIES.kwok;
  const out = path.join(moduleDir(spec), 'stages.yaml');
  if (fs.existsSync(out)) return out;
  const dir = moduleDir(spec);
  const log = path.join(dir, 'build.log');
  fs.mkdirSync(dir, { recursive: true });
  const dl = go(['mod', 'download', '-json', `${spec.module}@${spec.version}`], dir, log);
  if (dl.status !== 0) throw new BuildBlocked('kwok stages', spec, evidenceOf(dl.stdout + dl.stderr));
  const moduleRoot = JSON.parse(dl.stdout).Dir;
  const docs = [];
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

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BINARIES);
  let failed = false;
  for (const n of names) {
    try {
      console.log(`${n}: ${ensureBinary(n)}`);
    } catch (e) {
      failed = true;
      console.error(e instanceof BuildBlocked ? `BLOCKED ${e.message}` : e);
    }
  }
  process.exit(failed ? 1 : 0);
}
