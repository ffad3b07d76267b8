/**
 * The layout is part of the design (docs/conventions.md): `lib/*.ts` holds only tutorial
 * constructs and the index, each file is named after its construct, no tutorial imports
 * another, and the README's tutorial table is the chart registry, row for row.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TUTORIAL_CHARTS } from '../apps/charts';
import { synthTutorial } from './harness';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const libFiles = fs
  .readdirSync(LIB)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''));

/** The construct classes a chart's build adds directly to the chart. */
function constructsOf(id: string): string[] {
  return synthTutorial(id).chart.node.children.map((c) => c.constructor.name);
}

/** `NginxHttps` -> `nginxhttps`; `nginx-https` -> `nginxhttps`: the file and class name rule. */
const key = (name: string) => name.replace(/-/g, '').toLowerCase();

/** The relative imports of a file (`./x`, `../y`). */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
}

/** The README's tutorial table as rows of cells. */
function readmeTable(): string[][] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('| Tutorial | Construct (file) | Output | Status |');
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf('\n\n', start);
  return readme
    .slice(start, end)
    .split('\n')
    .slice(2)
    .map((row) => row.split(' | ').map((c) => c.replace(/^\| ?| ?\|$/g, '').trim()));
}

describe('lib/ layout', () => {
  it('holds only tutorial constructs at the top level: each file is a construct some chart builds, named after it', () => {
    const built = new Set(TUTORIAL_CHARTS.flatMap((c) => constructsOf(c.id)).map(key));
    expect(libFiles.length).toBeGreaterThan(0);
    expect(libFiles.filter((f) => !built.has(key(f)))).toEqual([]);
  });

  it('exports each tutorial construct from a file of the same name, and from the index', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const index = require('../lib') as Record<string, unknown>;
    for (const file of libFiles) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(LIB, file)) as Record<string, unknown>;
      const classes = Object.keys(mod).filter((k) => key(k) === key(file));
      expect({ file, classes }).toEqual({ file, classes: [expect.any(String)] });
      expect(index[classes[0]]).toBe(mod[classes[0]]);
    }
  });

  it('no tutorial file imports another tutorial file (shared code lives in lib/internal/ or lib/contracts/)', () => {
    const offending = libFiles.flatMap((f) =>
      relativeImports(path.join(LIB, `${f}.ts`))
        .filter((i) => libFiles.includes(i.replace(/^\.\//, '')))
        .map((i) => `lib/${f}.ts imports ${i}`),
    );
    expect(offending).toEqual([]);
  });

  it('lib/internal/ and lib/contracts/ import no tutorial file', () => {
    const offending = ['internal', 'contracts'].flatMap((dir) =>
      fs.readdirSync(path.join(LIB, dir)).flatMap((f) =>
        relativeImports(path.join(LIB, dir, f))
          .filter((i) => libFiles.some((t) => i === `../${t}`))
          .map((i) => `lib/${dir}/${f} imports ${i}`),
      ),
    );
    expect(offending).toEqual([]);
  });

  it('every tutorial constructor starts with tutorialProps (unknown props refused, duplicate objects refused)', () => {
    const missing = libFiles.filter(
      (f) =>
        !/super\(scope, id\);\n\s*tutorialProps\(this, props, PROPS(, \{[^}]*\})?\);/.test(
          fs.readFileSync(path.join(LIB, `${f}.ts`), 'utf8'),
        ),
    );
    expect(missing).toEqual([]);
  });

  it('the rule itself catches a misnamed construct', () => {
    expect(key('BlogNetworking')).toBe(key('blog-networking'));
    expect(key('ServiceTutorial')).not.toBe(key('blog-networking'));
  });
});

describe('README tutorial table', () => {
  const rows = readmeTable();

  it('lists every registered chart once, in registry order, with its title and output file', () => {
    expect(rows.map((r) => [r[0], r[2]])).toEqual(TUTORIAL_CHARTS.map((c) => [c.title, `\`dist/${c.id}.k8s.yaml\``]));
  });

  it('names the constructs each chart builds, and their files', () => {
    for (const [i, chart] of TUTORIAL_CHARTS.entries()) {
      const constructs = constructsOf(chart.id);
      for (const name of constructs) {
        expect({ chart: chart.id, cell: rows[i][1], has: rows[i][1].includes(`\`${name}\``) }).toEqual({
          chart: chart.id,
          cell: rows[i][1],
          has: true,
        });
        const file = libFiles.find((f) => key(f) === key(name));
        expect({ chart: chart.id, cell: rows[i][1], file: file && rows[i][1].includes(`lib/${file}.ts`) }).toEqual({
          chart: chart.id,
          cell: rows[i][1],
          file: true,
        });
      }
    }
  });
});

/**
 * Lines of a test file that change state its worker shares with the next test file
 * (jest-light-runner runs the files of a worker in one process): the working directory and
 * environment variables. test/harness/ has the helpers that restore them (`inDirectory`).
 */
function sharedStateWrites(source: string): string[] {
  return source
    .split('\n')
    .filter(
      (line) =>
        /\bprocess\.chdir\(/.test(line) ||
        /\bprocess\.env(\.\w+|\[[^\]]+\])\s*(=(?!=)|\+=|\?\?=|\|\|=)/.test(line) ||
        /\bdelete\s+process\.env\b/.test(line) ||
        /Object\.assign\(\s*process\.env\b/.test(line),
    )
    .map((line) => line.trim());
}

describe('test files that share a worker', () => {
  // This file is left out: its samples of the rule below are such lines.
  const testFiles = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.ts') && f !== 'layout.test.ts');

  it('leave the working directory and the environment as they found them (through test/harness/)', () => {
    expect(testFiles.length).toBeGreaterThan(30);
    const offending = testFiles.flatMap((f) =>
      sharedStateWrites(fs.readFileSync(path.join(__dirname, f), 'utf8')).map((line) => `${f}: ${line}`),
    );
    expect(offending).toEqual([]);
  });

  it('the rule itself catches a change of directory or of an environment variable', () => {
    const sample = [
      'process.chdir(dir);',
      "process.env.GKE_ZONE = 'x';",
      "process.env['A'] ??= '1';",
      'delete process.env.GKE_ZONE;',
      'Object.assign(process.env, env);',
      "if (process.env.CI === '1') run();",
      'main([mode], { ...process.env });',
    ].join('\n');
    expect(sharedStateWrites(sample)).toEqual([
      'process.chdir(dir);',
      "process.env.GKE_ZONE = 'x';",
      "process.env['A'] ??= '1';",
      'delete process.env.GKE_ZONE;',
      'Object.assign(process.env, env);',
    ]);
  });
});
