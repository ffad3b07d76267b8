import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOT_MUTATED, belowThreshold, changedSources, folderScores } from '../scripts/mutation';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** A StrykerJS report file with one mutant per status given. */
function file(...statuses: string[]) {
  return {
    language: 'typescript',
    source: 'const a = 1;\n',
    mutants: statuses.map((status, i) => ({
      id: `${i}`,
      mutatorName: 'BooleanLiteral',
      replacement: 'false',
      status,
      location: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
    })),
  };
}

describe('scripts/mutation.ts scores', () => {
  it('scores each folder as StrykerJS does: killed and timed out over valid mutants', async () => {
    const scores = await folderScores([
      {
        files: {
          'lib/a.ts': file('Killed', 'Killed', 'Survived', 'CompileError', 'RuntimeError'),
          'lib/internal/b.ts': file('Timeout', 'NoCoverage'),
          'infra/c.ts': file('Killed', 'Killed', 'Killed', 'Survived'),
        },
      },
      { files: { 'apps/d.ts': file('Killed', 'Ignored') } },
    ]);
    expect(scores).toEqual([
      { folder: 'lib/', mutants: 7, valid: 5, killed: 2, timeout: 1, survived: 1, noCoverage: 1, score: 60 },
      { folder: 'apps/', mutants: 2, valid: 1, killed: 1, timeout: 0, survived: 0, noCoverage: 0, score: 100 },
      { folder: 'infra/', mutants: 4, valid: 4, killed: 3, timeout: 0, survived: 1, noCoverage: 0, score: 75 },
    ]);
  });
});

describe('scripts/mutation.ts changed: the threshold', () => {
  const score = (folder: string, valid: number, value: number) => ({
    folder,
    mutants: valid + 3,
    valid,
    killed: 0,
    timeout: 0,
    survived: 0,
    noCoverage: 0,
    score: value,
  });
  it('fails each folder under the minimum, naming it, its score and the minimum; at the minimum passes', () => {
    expect(belowThreshold([score('lib/', 10, 84.99), score('apps/', 4, 85), score('infra/', 3, 100)], 85)).toEqual([
      'mutation: the changed files under lib/ score 84.99%, under --min 85%',
    ]);
  });
  it('passes a folder without a valid mutant (every mutant rejected by the type checker)', () => {
    expect(belowThreshold([score('lib/', 0, NaN)], 85)).toEqual([]);
  });
});

describe('scripts/mutation.ts changed', () => {
  let repo: string;
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: repo,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  const write = (f: string, text = 'export const x = 1;\n') => {
    mkdirSync(join(repo, f, '..'), { recursive: true });
    writeFileSync(join(repo, f), text);
  };
  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'mutation-changed-'));
    git('init', '-q');
    for (const f of ['lib/a.ts', 'lib/gone.ts', 'apps/b.ts', 'infra/c.ts', 'test/a.test.ts']) write(f);
    git('add', '-A');
    git('commit', '-qm', 'base');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('lists the TypeScript sources under lib/, apps/ and infra/ that differ from the base, and no other file', () => {
    write('lib/a.ts', 'export const x = 2;\n');
    write('lib/new.ts');
    write('lib/types.d.ts', 'export type T = 1;\n');
    write('infra/c.ts', 'export const x = 3;\n');
    write('test/a.test.ts', 'export const y = 1;\n');
    write('docs/x.md', '# x\n');
    rmSync(join(repo, 'lib/gone.ts'));
    git('add', '-A');
    expect(changedSources('HEAD', repo)).toEqual(['infra/c.ts', 'lib/a.ts', 'lib/new.ts']);
  });

  it("lists a branch's own changes, not those its base made since the branch point", () => {
    const main = git('rev-parse', '--abbrev-ref', 'HEAD');
    git('checkout', '-qb', 'feature');
    write('apps/b.ts', 'export const x = 2;\n');
    git('commit', '-qam', 'feature');
    git('checkout', '-q', main);
    write('infra/c.ts', 'export const x = 2;\n');
    git('commit', '-qam', 'main moves on');
    git('checkout', '-q', 'feature');
    expect(changedSources(main, repo)).toEqual(['apps/b.ts']);
  });

  it('leaves out the sources StrykerJS does not mutate', () => {
    write('apps/b.ts', 'export const x = 2;\n');
    write('lib/a.ts', 'export const x = 2;\n');
    git('add', '-A');
    expect(changedSources('HEAD', repo, { 'apps/b.ts': 'a reason' })).toEqual(['lib/a.ts']);
  });

  it('lists nothing when no source changed, and names a base git cannot resolve', () => {
    expect(changedSources('HEAD', repo)).toEqual([]);
    expect(() => changedSources('no-such-ref', repo)).toThrow(
      /--base "no-such-ref" names no commit that shares history with HEAD here: it must be a branch, tag or commit \(in CI: MUTATION_BASE/,
    );
  });
});

describe('the sources StrykerJS does not mutate', () => {
  it('each exists, has its reason, and is left out of the StrykerJS configuration', async () => {
    const entries = Object.entries(NOT_MUTATED);
    expect(entries.length).toBeGreaterThan(0);
    for (const [file, reason] of entries)
      expect([file, existsSync(join(__dirname, '..', file)), reason.length > 40]).toEqual([file, true, true]);
    const config = (await import(pathToFileURL(join(__dirname, '..', 'stryker.config.mjs')).href)) as {
      default: { mutate: string[] };
    };
    expect(config.default.mutate.filter((p) => p.startsWith('!'))).toEqual(
      Object.keys(NOT_MUTATED).map((f) => `!${f}`),
    );
  });
});
