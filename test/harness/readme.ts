import * as fs from 'fs';
import * as path from 'path';

/** The README's tutorial table: one row per tutorial, its cells without the pipes. */
export function readmeTable(): string[][] {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('| Tutorial | Construct (file) | Output | Status |');
  if (start === -1) throw new Error('README.md has no tutorial table');
  const end = readme.indexOf('\n\n', start);
  return readme
    .slice(start, end)
    .split('\n')
    .slice(2)
    .map((row) => row.split(' | ').map((c) => c.replace(/^\| ?| ?\|$/g, '').trim()));
}
