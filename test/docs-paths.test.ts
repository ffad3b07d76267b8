/**
 * The documents name files of this repository in backticks (`lib/nginx-https.ts`,
 * `docs/applying.md`); a file that moves or goes must take its mentions with it. Paths with a
 * placeholder (`lib/<id>.ts`), a glob or a generated location (`dist/`, `cdktf.out/`) are not
 * files of the repository and are left out.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const DOCS = [
  'README.md',
  'docs/conventions.md',
  ...['applying', 'verify', 'synth', 'testing'].map((d) => `docs/${d}.md`),
];
const TOP = /^(lib|apps|infra|test|scripts|docs|examples|\.ci|\.github)\//;

/** Backticked repository paths in `text`, without placeholders, globs and line suffixes. */
export function repositoryPaths(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/`([^`\s]+)`/g)) {
    const p = m[1].replace(/[:#]\S*$/, '').replace(/[.,;)]+$/, '');
    if (!TOP.test(p) || /[<>*{}$]/.test(p)) continue;
    out.add(p);
  }
  return [...out];
}

describe('paths named in the documents exist', () => {
  it('finds backticked paths and skips placeholders', () => {
    expect(repositoryPaths('see `lib/nginx-https.ts`, `lib/<id>.ts`, `dist/x.yaml`, `docs/a.md:12`')).toEqual([
      'lib/nginx-https.ts',
      'docs/a.md',
    ]);
  });

  it.each(DOCS)('%s', (doc) => {
    const missing = repositoryPaths(fs.readFileSync(path.join(ROOT, doc), 'utf8')).filter(
      (p) => !fs.existsSync(path.join(ROOT, p)),
    );
    expect(missing).toEqual([]);
  });
});
