/**
 * Reading checkov's `-o json` output, and the rules the scan puts on it. Pure functions only
 * (no process, no file system) so that test/scan.test.ts can run them on small fixtures
 * without Python.
 *
 * What checkov 3.3.30 does, found by experiment (see docs/scan.md):
 * - Kubernetes: an annotation on the object's own `metadata.annotations` whose key contains
 *   `checkov.io/skip` and whose value is `CHECK_ID=reason` skips that check on that object, and on
 *   the Pod checkov derives from a workload's template (graph checks such as CKV2_K8S_6). The
 *   result is `SKIPPED` with `suppress_comment: "reason"`; a value without `=` gives
 *   `suppress_comment: "No comment provided"`, one ending in `=` gives `""`. A reason containing
 *   `=` makes checkov crash (it splits on every `=`); ids with spaces or comma lists are ignored;
 *   annotations on `spec.template.metadata` are ignored.
 * - Terraform JSON (the `terraform_json` framework, the only one that reads cdktf's
 *   `cdk.tf.json`): checkov honours no suppression in the file at all (its runner passes an empty
 *   skip list). So the scan honours one itself, on one resource for one check:
 *   `"//": { "checkov": { "skip": { "CKV_GCP_12": "reason" } } }` inside the resource, which cdktf
 *   writes for `resource.addOverride('//.checkov.skip.CKV_GCP_12', 'reason')`. checkov ignores
 *   the `"//"` key when it evaluates the resource.
 */

export type Framework = 'kubernetes' | 'terraform_json';
export type Outcome = 'passed' | 'failed' | 'skipped';

/** One check on one object, with the file resolved to a path relative to the project root. */
export interface Finding {
  readonly framework: Framework;
  readonly file: string;
  /** checkov's resource id: `Kind.namespace.name` (Kubernetes), `type.name` (Terraform JSON). */
  readonly resource: string;
  readonly checkId: string;
  readonly checkName: string;
  readonly outcome: Outcome;
  /** The suppression's reason, for skipped findings (as checkov or the Terraform JSON marker gave it). */
  readonly reason?: string;
}

export interface ParsedReport {
  readonly checkovVersion?: string;
  readonly findings: Finding[];
  readonly parsingErrors: string[];
}

/** What checkov writes when it skipped a check whose suppression has no `=reason`. */
export const CHECKOV_NO_COMMENT = 'No comment provided';

interface CheckovRecord {
  check_id: string;
  check_name: string;
  check_result: { result: string; suppress_comment?: string };
  file_path: string;
  resource: string;
}

interface CheckovReport {
  check_type?: string;
  results?: {
    passed_checks?: CheckovRecord[];
    failed_checks?: CheckovRecord[];
    skipped_checks?: CheckovRecord[];
    parsing_errors?: string[];
  };
  summary?: { checkov_version?: string };
  checkov_version?: string;
}

const OUTCOME_OF_LIST = { passed_checks: 'passed', failed_checks: 'failed', skipped_checks: 'skipped' } as const;

/**
 * checkov's file paths are relative to its `-d` folder, and not consistently (with `-d dist` the
 * Kubernetes runner says `/dist/x.k8s.yaml`, the Terraform JSON one `/stacks/s/cdk.tf.json` for
 * `-d cdktf.out`). Resolve each to the one scanned file whose path ends with it.
 */
export function resolveFile(checkovPath: string, scannedFiles: readonly string[]): string {
  const tail = checkovPath.replace(/^\/+/, '');
  const matches = scannedFiles.filter((f) => f === tail || f.endsWith(`/${tail}`));
  if (matches.length !== 1) {
    throw new Error(
      `checkov reported ${checkovPath}, which matches ${matches.length} of the scanned files (${scannedFiles.join(', ')})`,
    );
  }
  return matches[0];
}

/**
 * Parses checkov's stdout for `-o json`: one report object, a list of them (several frameworks),
 * or a bare summary `{ passed: 0, failed: 0, ... }` when nothing was scanned.
 */
export function parseCheckovJson(text: string, framework: Framework, scannedFiles: readonly string[]): ParsedReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`checkov's output is not JSON (${(e as Error).message}): ${text.slice(0, 200)}`);
  }
  const reports = (Array.isArray(data) ? data : [data]) as CheckovReport[];
  const findings: Finding[] = [];
  const parsingErrors: string[] = [];
  let checkovVersion: string | undefined;
  for (const report of reports) {
    if (typeof report !== 'object' || report === null) throw new Error('checkov output: a report is not an object');
    checkovVersion ??= report.summary?.checkov_version ?? report.checkov_version;
    if (!report.results) continue; // the bare summary checkov prints when no file was scanned
    if (report.check_type !== framework) {
      throw new Error(`checkov output: expected check_type ${framework}, got ${report.check_type}`);
    }
    for (const [list, outcome] of Object.entries(OUTCOME_OF_LIST) as [keyof typeof OUTCOME_OF_LIST, Outcome][]) {
      for (const r of report.results[list] ?? []) {
        const finding: Finding = {
          framework,
          file: resolveFile(r.file_path, scannedFiles),
          resource: r.resource,
          checkId: r.check_id,
          checkName: r.check_name,
          outcome,
          ...(outcome === 'skipped' ? { reason: r.check_result.suppress_comment ?? '' } : {}),
        };
        findings.push(finding);
      }
    }
    parsingErrors.push(...(report.results.parsing_errors ?? []));
  }
  return { checkovVersion, findings, parsingErrors };
}

/** A Terraform JSON suppression: on one resource (`type.name`, or `data.type.name`), one check. */
export interface TerraformJsonSuppression {
  readonly file: string;
  readonly resource: string;
  readonly checkId: string;
  /** As written; not necessarily a string (validation refuses anything but a non-empty line). */
  readonly reason: unknown;
}

/** Reads the `"//": { "checkov": { "skip": { CHECK_ID: reason } } }` markers of a cdk.tf.json. */
export function terraformJsonSuppressions(file: string, doc: unknown): TerraformJsonSuppression[] {
  const out: TerraformJsonSuppression[] = [];
  if (typeof doc !== 'object' || doc === null) return out;
  for (const blockType of ['resource', 'data'] as const) {
    const blocks = (doc as Record<string, unknown>)[blockType];
    if (typeof blocks !== 'object' || blocks === null) continue;
    for (const [type, byName] of Object.entries(blocks as Record<string, unknown>)) {
      if (type === '//' || typeof byName !== 'object' || byName === null) continue;
      for (const [name, config] of Object.entries(byName as Record<string, unknown>)) {
        const skip = (config as { '//'?: { checkov?: { skip?: unknown } } } | null)?.['//']?.checkov?.skip;
        if (skip === undefined) continue;
        const resource = blockType === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
        if (typeof skip !== 'object' || skip === null || Array.isArray(skip)) {
          out.push({ file, resource, checkId: '(malformed)', reason: undefined });
          continue;
        }
        for (const [checkId, reason] of Object.entries(skip as Record<string, unknown>)) {
          out.push({ file, resource, checkId, reason });
        }
      }
    }
  }
  return out;
}

/**
 * checkov's terraform_json runner names a resource `resource.NAME` in its Python checks (it
 * drops the type) but `TYPE.NAME` in its graph checks. Map the first to the second, from the
 * file itself, wherever NAME is unique there (cdktf's names carry a hash, so they are).
 */
export function terraformJsonAddresses(doc: unknown): Map<string, string> {
  const seen = new Map<string, string[]>();
  if (typeof doc === 'object' && doc !== null) {
    for (const blockType of ['resource', 'data'] as const) {
      const blocks = (doc as Record<string, unknown>)[blockType];
      if (typeof blocks !== 'object' || blocks === null) continue;
      for (const [type, byName] of Object.entries(blocks as Record<string, unknown>)) {
        if (type === '//' || typeof byName !== 'object' || byName === null) continue;
        for (const name of Object.keys(byName)) {
          if (name === '//') continue;
          const short = `${blockType}.${name}`;
          seen.set(short, [
            ...(seen.get(short) ?? []),
            blockType === 'data' ? `data.${type}.${name}` : `${type}.${name}`,
          ]);
        }
      }
    }
  }
  return new Map([...seen].filter(([, full]) => full.length === 1).map(([short, [full]]) => [short, full]));
}

/** Rewrites Terraform JSON findings' `resource.NAME` ids to `TYPE.NAME` (see terraformJsonAddresses). */
export function normaliseTerraformResources(
  findings: readonly Finding[],
  addressesByFile: ReadonlyMap<string, Map<string, string>>,
): Finding[] {
  return findings.map((f) => {
    const full = f.framework === 'terraform_json' ? addressesByFile.get(f.file)?.get(f.resource) : undefined;
    return full ? { ...f, resource: full } : f;
  });
}

/**
 * Applies Terraform JSON suppressions to checkov's findings: the named check on the named
 * resource becomes `skipped` with the marker's reason (as checkov does for a Kubernetes
 * annotation, whatever the check's result). A marker that matches no finding is returned as
 * unused: it names a check that did not run there, or a resource that is not in the file.
 */
export function applyTerraformJsonSuppressions(
  findings: readonly Finding[],
  suppressions: readonly TerraformJsonSuppression[],
): { findings: Finding[]; unused: TerraformJsonSuppression[] } {
  const key = (file: string, resource: string, checkId: string) => `${file}\u0000${resource}\u0000${checkId}`;
  const byKey = new Map(suppressions.map((s) => [key(s.file, s.resource, s.checkId), s]));
  const used = new Set<string>();
  const out = findings.map((f) => {
    if (f.framework !== 'terraform_json') return f;
    const k = key(f.file, f.resource, f.checkId);
    const s = byKey.get(k);
    if (!s) return f;
    used.add(k);
    return { ...f, outcome: 'skipped' as const, reason: typeof s.reason === 'string' ? s.reason : '' };
  });
  const unused = suppressions.filter((s) => !used.has(key(s.file, s.resource, s.checkId)));
  return { findings: out, unused };
}

/** Why a suppression's reason is refused, or undefined when it is a one-line reason. */
export function reasonProblem(reason: string | undefined): string | undefined {
  if (reason === undefined || reason.trim() === '') return 'no reason';
  if (reason.trim() === CHECKOV_NO_COMMENT) return `no reason (checkov says "${CHECKOV_NO_COMMENT}")`;
  if (/[\r\n]/.test(reason)) return 'the reason is not one line';
  return undefined;
}

export interface Refusal {
  readonly file: string;
  readonly resource: string;
  readonly checkId: string;
  readonly problem: string;
}

/** Every skipped finding whose reason is missing, empty, checkov's placeholder, or not one line. */
export function refusedSuppressions(findings: readonly Finding[]): Refusal[] {
  const out: Refusal[] = [];
  for (const f of findings) {
    if (f.outcome !== 'skipped') continue;
    const problem = reasonProblem(f.reason);
    if (problem) out.push({ file: f.file, resource: f.resource, checkId: f.checkId, problem });
  }
  return out;
}

export interface FileSummary {
  readonly file: string;
  readonly framework: Framework;
  passed: number;
  failed: number;
  skipped: number;
}

/** Counts per scanned file, in the order given; a file with no finding at all keeps zeros. */
export function summarise(
  findings: readonly Finding[],
  files: readonly { file: string; framework: Framework }[],
): FileSummary[] {
  const rows = new Map(files.map((f) => [f.file, { ...f, passed: 0, failed: 0, skipped: 0 } as FileSummary]));
  for (const f of findings) {
    const row = rows.get(f.file);
    if (!row) throw new Error(`a finding names ${f.file}, which was not scanned`);
    row[f.outcome] += 1;
  }
  return [...rows.values()];
}

export interface Verdict {
  readonly failed: Finding[];
  readonly refused: Refusal[];
  /** Files on which no check ran: none of checkov's checks applies to their objects (a note, not a failure). */
  readonly empty: string[];
  /** Frameworks that reported nothing on any of their files: checkov did not read them (a failure). */
  readonly unread: Framework[];
  readonly problems: string[];
  readonly ok: boolean;
}

/**
 * The scan fails on any failed check, any refused suppression, any other problem, and when a
 * framework reported no check on any of its files. One file without checks is fine: the
 * tutorials-gke-config stack holds only a StorageClass and data sources, which no check covers.
 */
export function verdict(
  findings: readonly Finding[],
  summary: readonly FileSummary[],
  problems: readonly string[] = [],
): Verdict {
  const failed = findings.filter((f) => f.outcome === 'failed');
  const refused = refusedSuppressions(findings);
  const isEmpty = (s: FileSummary) => s.passed + s.failed + s.skipped === 0;
  const empty = summary.filter(isEmpty).map((s) => s.file);
  const frameworks = [...new Set(summary.map((s) => s.framework))];
  const unread = frameworks.filter((fw) => summary.filter((s) => s.framework === fw).every(isEmpty));
  return {
    failed,
    refused,
    empty,
    unread,
    problems: [...problems],
    ok: failed.length === 0 && refused.length === 0 && unread.length === 0 && problems.length === 0,
  };
}
