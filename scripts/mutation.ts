/**
 * Mutation testing beyond `npm run test:mutation` (StrykerJS over every source file):
 *
 *   node --import tsx scripts/mutation.ts scores [report.json ...]
 *     the mutation score per folder (lib/, apps/, infra/) of StrykerJS JSON reports
 *     (default reports/mutation/mutation.json), for the README and release notes;
 *   node --import tsx scripts/mutation.ts changed --base <ref> [--min <percent>]
 *     StrykerJS on the source files that differ from <ref> (what a pull request changes), then
 *     exit 1 when their score is under --min (default 85). No changed source file: nothing runs.
 *     Its report is reports/mutation-changed.json, so a whole run's reports stay as they were.
 *
 * The scores are StrykerJS's own (mutation-testing-metrics): killed and timed-out mutants over
 * all valid ones; mutants the type checker rejects, or that break a test file while it loads,
 * are not valid.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { git } from './git';

const ROOT = join(__dirname, '..');
const FOLDERS = ['lib', 'apps', 'infra'] as const;
const DEFAULT_REPORT = 'reports/mutation/mutation.json';
/** Sources StrykerJS does not mutate, each with its reason (stryker.config.mjs reads the same file). */
export const NOT_MUTATED: Readonly<Record<string, string>> = JSON.parse(
  readFileSync(join(ROOT, 'test', 'mutation', 'not-mutated.json'), 'utf8'),
);
/** `changed`'s report: StrykerJS's incremental file, which holds the whole report of its run. */
const CHANGED_REPORT = 'reports/mutation-changed.json';

interface Report {
  readonly files: Record<string, unknown>;
}

export interface FolderScore {
  readonly folder: string;
  readonly mutants: number;
  readonly valid: number;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Percent, or NaN when no mutant is valid. */
  readonly score: number;
}

type Metrics = {
  totalMutants: number;
  totalValid: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  mutationScore: number;
};

/** The metrics of the report's files under each folder (a folder no report covers is left out). */
export async function folderScores(reports: readonly Report[]): Promise<FolderScore[]> {
  const { calculateMetrics } = (await import('mutation-testing-metrics')) as {
    calculateMetrics(files: Record<string, unknown>): { metrics: Metrics };
  };
  const files: Record<string, unknown> = Object.assign({}, ...reports.map((r) => r.files));
  return FOLDERS.flatMap((folder) => {
    const own = Object.fromEntries(Object.entries(files).filter(([f]) => f.startsWith(`${folder}/`)));
    if (Object.keys(own).length === 0) return [];
    const m = calculateMetrics(own).metrics;
    return [
      {
        folder: `${folder}/`,
        mutants: m.totalMutants,
        valid: m.totalValid,
        killed: m.killed,
        timeout: m.timeout,
        survived: m.survived,
        noCoverage: m.noCoverage,
        score: m.mutationScore,
      },
    ];
  });
}

function table(scores: readonly FolderScore[]): string {
  const rows = scores.map(
    (s) =>
      `| \`${s.folder}\` | ${s.mutants} | ${s.valid} | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.noCoverage} | ${s.valid ? `${s.score.toFixed(2)}%` : 'no valid mutant'} |`,
  );
  return [
    '| Folder | Mutants | Valid | Killed | Timed out | Survived | No coverage | Score |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function readReport(file: string): Report {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`mutation: no StrykerJS report at ${file} (run npm run test:mutation first)`);
  }
  try {
    return JSON.parse(text) as Report;
  } catch (e) {
    throw new Error(`mutation: ${file} is not a StrykerJS JSON report: ${(e as Error).message}`);
  }
}

/**
 * Why the changed files fail the threshold, one line per folder: a folder whose score is under
 * `min`. A folder without a valid mutant (every mutant rejected by the type checker) passes.
 */
export function belowThreshold(scores: readonly FolderScore[], min: number): string[] {
  return scores
    .filter((s) => s.valid > 0 && s.score < min)
    .map((s) => `mutation: the changed files under ${s.folder} score ${s.score.toFixed(2)}%, under --min ${min}%`);
}

/**
 * The TypeScript sources under lib/, apps/ and infra/ that differ from where the working tree
 * left `base` (their merge base: a pull request's own changes, not main's since), and still exist;
 * not those in `notMutated`.
 */
export function changedSources(base: string, cwd = ROOT, notMutated = NOT_MUTATED): string[] {
  const from = git(cwd, ['merge-base', '--', base, 'HEAD']);
  if (!from.ok)
    throw new Error(
      `mutation: --base ${JSON.stringify(base)} names no commit that shares history with HEAD here: ` +
        'it must be a branch, tag or commit (in CI: MUTATION_BASE; a shallow clone lacks it, fetch the history first)',
    );
  return git(cwd, ['diff', '--name-only', '--diff-filter=d', from.out, '--', ...FOLDERS])
    .out.split('\n')
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !(f in notMutated))
    .sort();
}

async function changed(base: string, min: number): Promise<number> {
  const files = changedSources(base);
  if (files.length === 0) {
    console.log(`mutation: no source file under ${FOLDERS.join('/, ')}/ differs from ${base}: nothing to mutate`);
    return 0;
  }
  console.log(`mutation: ${files.length} changed source file(s): ${files.join(', ')}`);
  const args = ['stryker', 'run', '--mutate', files.join(','), '--reporters', 'clear-text'];
  const run = spawnSync('npx', [...args, '--incrementalFile', CHANGED_REPORT], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) return run.status ?? 1;
  const scores = await folderScores([readReport(join(ROOT, CHANGED_REPORT))]);
  console.log(table(scores));
  const low = belowThreshold(scores, min);
  for (const line of low) console.error(line);
  return low.length ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { base: { type: 'string' }, min: { type: 'string', default: '85' } },
  });
  const [command, ...rest] = positionals;
  if (command === 'scores') {
    const reports = (rest.length ? rest : [join(ROOT, DEFAULT_REPORT)]).map(readReport);
    console.log(table(await folderScores(reports)));
    return 0;
  }
  if (command === 'changed' && values.base) {
    const min = Number(values.min);
    if (!(min >= 0 && min <= 100)) throw new Error(`mutation: --min ${JSON.stringify(values.min)} must be a percent`);
    return changed(values.base, min);
  }
  console.error('usage: mutation.ts scores [report.json ...] | changed --base <ref> [--min <percent>]');
  return 2;
}

if (require.main === module)
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error((e as Error).message);
      process.exitCode = 1;
    },
  );
