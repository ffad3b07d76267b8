/**
 * `npm run scan`: checkov on every manifest in dist/ (kubernetes framework) and on
 * each cdktf stack in cdktf.out/ (terraform_json framework). Prints a table per file and the
 * failed checks, writes docs/scan-suppressions.md, and exits non-zero on any failed check, any
 * suppression without a reason, any malformed or unused suppression, or a file checkov did not
 * read. Run `npm run synth` first.
 *
 *   npm run scan                       scan, print, write docs/scan-suppressions.md
 *   npm run scan -- --check            ... but fail if docs/scan-suppressions.md is not current
 *   npm run scan -- --report FILE      also write the full worklist (every failed check) to FILE
 *   npm run scan -- --summary-md       also print the README summary table (Markdown)
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { annotationUsed, kubernetesSuppressions } from './annotations';
import { baselineReport, failedList, fileTable, summaryMarkdown, suppressionsMarkdown, verdictLines } from './render';
import {
  applyTerraformJsonSuppressions,
  type Finding,
  type Framework,
  normaliseTerraformResources,
  parseCheckovJson,
  summarise,
  terraformJsonAddresses,
  terraformJsonSuppressions,
  verdict,
} from './results';
import { ensureCheckov } from './venv';

const ROOT = join(__dirname, '..', '..');
const DOC = 'docs/scan-suppressions.md';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);

function listFiles(): { file: string; framework: Framework }[] {
  const dist = join(ROOT, 'dist');
  const stacks = join(ROOT, 'cdktf.out', 'stacks');
  if (!existsSync(dist) || !existsSync(stacks))
    throw new Error('dist/ or cdktf.out/stacks/ is missing: run `npm run synth` first');
  const k8s = readdirSync(dist)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: `dist/${f}`, framework: 'kubernetes' as const }));
  const tf = readdirSync(stacks)
    .sort()
    .filter((s) => existsSync(join(stacks, s, 'cdk.tf.json')))
    .map((s) => ({ file: `cdktf.out/stacks/${s}/cdk.tf.json`, framework: 'terraform_json' as const }));
  if (k8s.length === 0 || tf.length === 0) throw new Error('no manifest in dist/ or no stack in cdktf.out/stacks/');
  return [...k8s, ...tf];
}

/** Runs checkov on one folder with one framework; resolves to its JSON stdout. */
function checkov(exe: string, dir: string, framework: Framework): Promise<string> {
  // --skip-download and BC_SKIP_MAPPING: no call to the vendor's platform (there is no network
  // here, and nothing it would add is used); CKV_SKIP_PACKAGE_UPDATE_CHECK: no PyPI version check.
  const argv = ['-d', dir, '--framework', framework, '-o', 'json', '--compact', '--skip-download'];
  const env = { ...process.env, BC_SKIP_MAPPING: 'TRUE', CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true', LOG_LEVEL: 'WARNING' };
  return new Promise((resolve, reject) => {
    const child = spawn(exe, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      // checkov exits 1 when a check failed; anything else but 0 is checkov itself failing.
      if (code === 0 || code === 1) resolve(Buffer.concat(out).toString('utf8'));
      else
        reject(
          new Error(`checkov ${argv.join(' ')} exited ${code}:\n${Buffer.concat(err).toString('utf8').slice(-3000)}`),
        );
    });
  });
}

/** The Kubernetes suppressions of dist/, checked before checkov, which would crash on some (see annotations.ts). */
function kubernetesSuppressionsOf(files: { file: string; framework: Framework }[]) {
  return files
    .filter((f) => f.framework === 'kubernetes')
    .flatMap((f) => kubernetesSuppressions(f.file, readFileSync(join(ROOT, f.file), 'utf8')));
}

/** `checkov --version`. */
function versionOf(exe: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const c = spawn(exe, ['--version'], { env: { ...process.env, CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true' } });
    let s = '';
    c.stdout.on('data', (b: Buffer) => (s += b.toString()));
    c.on('error', reject);
    c.on('close', () => resolve(s.trim()));
  });
}

/**
 * The findings with every suppression applied: the Terraform JSON ones by the scan (checkov
 * honours none in cdk.tf.json), the Kubernetes ones by checkov. A suppression that matched
 * nothing, or has no string reason, goes to `problems`.
 */
function applySuppressions(
  files: { file: string; framework: Framework }[],
  k8sFindings: Finding[],
  tfRaw: Finding[],
  k8sSuppressions: ReturnType<typeof kubernetesSuppressionsOf>,
  problems: string[],
): Finding[] {
  const stacks = files
    .filter((f) => f.framework === 'terraform_json')
    .map((f) => ({ file: f.file, doc: JSON.parse(readFileSync(join(ROOT, f.file), 'utf8')) as unknown }));
  const tfSuppressions = stacks.flatMap((s) => terraformJsonSuppressions(s.file, s.doc));
  const addresses = new Map(stacks.map((s) => [s.file, terraformJsonAddresses(s.doc)]));
  const tfFindings = normaliseTerraformResources(tfRaw, addresses);
  const applied = applyTerraformJsonSuppressions([...k8sFindings, ...tfFindings], tfSuppressions);
  for (const s of applied.unused) {
    problems.push(
      `unused suppression of ${s.checkId} on ${s.resource} (${s.file}): no such check ran on that resource`,
    );
  }
  for (const s of tfSuppressions) {
    if (typeof s.reason !== 'string')
      problems.push(`suppression of ${s.checkId} on ${s.resource} (${s.file}): the reason is not a string`);
  }
  const findings: Finding[] = applied.findings;
  const skipped = findings.filter((f) => f.outcome === 'skipped');
  for (const s of k8sSuppressions) {
    if (!annotationUsed(s, skipped))
      problems.push(`unused suppression ${s.key} on ${s.resource} (${s.file}): checkov skipped no such check there`);
  }
  return findings;
}

/**
 * Writes docs/scan-suppressions.md (or, with --check, compares it) and the --report worklist;
 * returns false when --check found the document out of date.
 */
function writeDocuments(
  findings: Finding[],
  summary: ReturnType<typeof summarise>,
  checkovVersion: string,
  seconds: number,
): boolean {
  const doc = suppressionsMarkdown(findings, summary, checkovVersion);
  let docOk = true;
  if (flag('--check')) {
    const current = existsSync(join(ROOT, DOC)) ? readFileSync(join(ROOT, DOC), 'utf8') : '';
    docOk = current === doc;
    if (!docOk) console.error(`${DOC} is not current: run \`npm run scan\` and commit it.`);
  } else {
    writeFileSync(join(ROOT, DOC), doc);
  }
  const report = option('--report');
  if (report) {
    writeFileSync(
      report,
      baselineReport(findings, summary, { checkovVersion, seconds, date: new Date().toISOString() }),
    );
  }
  return docOk;
}

async function main(): Promise<number> {
  const started = process.hrtime.bigint();
  const files = listFiles();
  const problems: string[] = [];

  const k8sSuppressions = kubernetesSuppressionsOf(files);
  const malformed = k8sSuppressions.filter((s) => s.problem);
  if (malformed.length > 0) {
    for (const s of malformed)
      console.error(`malformed suppression ${s.key} on ${s.resource} (${s.file}): ${s.problem}`);
    console.error('Fix these annotations first: checkov would ignore them or crash.');
    return 1;
  }

  const { checkov: exe, installed } = ensureCheckov(ROOT);
  const installedAt = process.hrtime.bigint();
  const version = await versionOf(exe);

  const scanned = files.map((f) => f.file);
  const [k8sOut, tfOut] = await Promise.all([
    checkov(exe, 'dist', 'kubernetes'),
    checkov(exe, 'cdktf.out', 'terraform_json'),
  ]);
  const k8s = parseCheckovJson(k8sOut, 'kubernetes', scanned);
  const tf = parseCheckovJson(tfOut, 'terraform_json', scanned);
  for (const e of [...k8s.parsingErrors, ...tf.parsingErrors])
    problems.push(`checkov could not parse ${relative(ROOT, e) || e}`);
  const findings = applySuppressions(files, k8s.findings, tf.findings, k8sSuppressions, problems);

  const summary = summarise(findings, files);
  const v = verdict(findings, summary, problems);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const checkovVersion = k8s.checkovVersion ?? tf.checkovVersion ?? version;

  console.log(fileTable(summary));
  console.log('');
  console.log(failedList(v.failed));
  for (const f of v.empty) console.log(`note: no checkov check applies to the objects in ${f}.`);
  if (flag('--summary-md')) console.log(`\n${summaryMarkdown(summary)}`);

  const docOk = writeDocuments(findings, summary, checkovVersion, seconds);

  const installSeconds = Number(installedAt - started) / 1e9;
  console.log(
    `\ncheckov ${checkovVersion}; ${seconds.toFixed(1)} s${installed ? ` (of which ${installSeconds.toFixed(1)} s installing it)` : ''}.`,
  );
  const lines = verdictLines(v);
  for (const l of lines) console.error(l);
  return v.ok && docOk ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
