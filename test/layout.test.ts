/**
 * The layout is part of the design (docs/conventions.md): `lib/*.ts` holds only tutorial
 * constructs and the index, each file is named after its construct, no tutorial imports
 * another, and the README's tutorial table is the chart registry, row for row. The project's own
 * code is TypeScript (tool configurations aside), and no product code imports test/.
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

/** The tool configurations that stay JavaScript, each saying why in its first lines. */
const JAVASCRIPT_TOOL_CONFIGS = [
  'eslint.config.mjs',
  'jest.config.js',
  'stryker.config.mjs',
  'test/mutation/coverage.js',
  'test/mutation/environment.js',
  'test/mutation/filter.js',
];

/** The project's own files (relative, `/`-separated), without dependencies and generated output. */
function ownFiles(): string[] {
  // Dependencies, generated output, caches and scratch (.gitignore); of the hidden folders only
  // .ci and .github hold the project's own files.
  const skip = /^(node_modules|build|dist|cdktf\.out|coverage|reports)($|\.)|^\.(?!ci$|github$)/;
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!skip.test(e.name)) visit(rel);
      } else out.push(rel);
    }
  };
  visit('');
  return out;
}

/** The JavaScript among `files` that is not a listed tool configuration. */
function ownJavaScript(files: readonly string[]): string[] {
  return files.filter((f) => /\.(js|mjs|cjs)$/.test(f) && !JAVASCRIPT_TOOL_CONFIGS.includes(f));
}

/** The imports of `text` (a file at `file`, relative to the root) that resolve into test/. */
function importsOfTests(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)].map(
    (m) => m[1],
  );
  return specifiers.filter((s) => {
    if (!s.startsWith('.')) return false;
    const target = path
      .relative(ROOT, path.resolve(ROOT, path.dirname(file), s))
      .split(path.sep)
      .join('/');
    return target === 'test' || target.startsWith('test/');
  });
}

describe("the project's own code", () => {
  it('is TypeScript, except the tool configurations whose tools read JavaScript only', () => {
    const files = ownFiles();
    expect(files).toEqual(expect.arrayContaining(JAVASCRIPT_TOOL_CONFIGS));
    expect(ownJavaScript(files)).toEqual([]);
    for (const f of JAVASCRIPT_TOOL_CONFIGS)
      expect({ f, head: fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').slice(0, 2).join('\n') }).toEqual({
        f,
        head: expect.stringContaining('Stays JavaScript: '),
      });
  });

  it('the rule itself catches a script in JavaScript', () => {
    expect(
      ownJavaScript(['scripts/run.mjs', 'test/e2e/x.test.js', 'lib/a.cjs', 'jest.config.js', 'scripts/run.ts']),
    ).toEqual(['scripts/run.mjs', 'test/e2e/x.test.js', 'lib/a.cjs']);
  });

  it('lib/, apps/, infra/ and scripts/ import nothing of test/ (the harness, the suites, the control plane)', () => {
    const product = ownFiles().filter((f) => /^(lib|apps|infra|scripts)\/.*\.(ts|mts)$/.test(f));
    expect(product.length).toBeGreaterThan(50);
    const offending = product.flatMap((f) =>
      importsOfTests(f, fs.readFileSync(path.join(ROOT, f), 'utf8')).map((s) => `${f}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('the rule itself catches an import of the control plane or the harness', () => {
    const text = [
      "import { LocalCluster } from '../test/cluster/control-plane/cluster.mts';",
      "const h = require('../../test/harness');",
      "const c = await import('../test');",
      "import { x } from './verify/kube';",
      "import { y } from 'test-lib';",
    ].join('\n');
    expect(importsOfTests('apps/synth.ts', text)).toEqual(['../test/cluster/control-plane/cluster.mts', '../test']);
    expect(importsOfTests('apps/verify/run.ts', text)).toEqual(['../../test/harness']);
  });
});
