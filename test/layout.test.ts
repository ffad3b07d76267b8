/**
 * The layout is part of the design (docs/conventions.md): `lib/*.ts` holds only tutorial
 * constructs and the index, each file is named after its construct, no tutorial imports
 * another, and the README's tutorial table is the chart registry, row for row. The apps reach
 * lib/ only through its declared entries, and no layer imports the one that builds on it. The
 * project's own code is TypeScript (tool configurations aside), no product code imports test/,
 * and no function in it is over 80 lines.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseSync } from '@swc/core';
import { TUTORIAL_CHARTS } from '../apps/charts';
import { synthTutorial } from './harness';
import { readmeTable } from './harness/readme';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
/** lib/'s entries beside the tutorial files: the public API, and the apps' own helpers. */
const ENTRIES = ['index.ts', 'shared.ts'];
const libFiles = fs
  .readdirSync(LIB)
  .filter((f) => f.endsWith('.ts') && !ENTRIES.includes(f))
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

/** Every `.ts` file under `dir` (relative to the repository), recursively. */
function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? tsFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
    );
}

/** The ways into lib/ for apps/ and infra/: the public API, the contracts, and lib/shared.ts. */
const LIB_ENTRIES = /^lib(\/index|\/shared|\/contracts(\/index|\/[a-z-]+)?)?$/;

/**
 * What `file` (a repository path) may not import, given its relative imports: apps/ and infra/
 * reach lib/ only through {@link LIB_ENTRIES}; infra/ never imports apps/; lib/ imports neither
 * apps/ nor infra/; the chart registry (apps/charts.ts, apps/checks.ts) needs nothing of the
 * verify runner (apps/verify/).
 */
function boundaryViolations(file: string, imports: readonly string[]): string[] {
  const top = file.split('/')[0];
  return imports.flatMap((i) => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), i));
    const into = target.split('/')[0];
    const bad =
      ((top === 'apps' || top === 'infra') && into === 'lib' && !LIB_ENTRIES.test(target)) ||
      (top === 'infra' && into === 'apps') ||
      (top === 'lib' && (into === 'apps' || into === 'infra')) ||
      (['apps/charts.ts', 'apps/checks.ts'].includes(file) && target.startsWith('apps/verify/'));
    return bad ? [`${file} imports ${i}`] : [];
  });
}

/** The files `start` (repository paths) reach through relative imports, and the cdk8s packages any of them imports. */
function cdk8sReachedFrom(start: readonly string[]): string[] {
  const seen = new Set<string>();
  const todo = [...start];
  const found: string[] = [];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/from '(cdk8s|cdk8s-plus-27)'/g)) found.push(`${file} imports ${m[1]}`);
    for (const i of relativeImports(path.join(ROOT, file))) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), i));
      todo.push(fs.existsSync(path.join(ROOT, `${target}.ts`)) ? `${target}.ts` : `${target}/index.ts`);
    }
  }
  return found;
}

/** The README's tutorial table as rows of cells. */
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

describe('boundaries between lib/, apps/ and infra/', () => {
  const files = ['lib', 'apps', 'infra'].flatMap(tsFiles);

  it('finds the files of all three layers', () => {
    for (const f of [
      'lib/shared.ts',
      'lib/internal/validation.ts',
      'apps/charts.ts',
      'apps/verify/run.ts',
      'infra/index.ts',
    ])
      expect(files).toContain(f);
  });

  it('apps/ and infra/ import lib/ only through lib/index.ts, lib/contracts/ and lib/shared.ts; infra/ imports no app; lib/ imports neither; the registry needs nothing of apps/verify/', () => {
    expect(files.flatMap((f) => boundaryViolations(f, relativeImports(path.join(ROOT, f))))).toEqual([]);
  });

  it('the cdktf app (infra/) loads no cdk8s package, also through lib/shared.ts', () => {
    expect(cdk8sReachedFrom(files.filter((f) => f.startsWith('infra/')))).toEqual([]);
    // The rule itself: the Service helpers build on cdk8s-plus.
    expect(cdk8sReachedFrom(['lib/internal/service.ts'])).toContain('lib/internal/service.ts imports cdk8s-plus-27');
  });

  it('the rule itself catches an import of lib/internal/, of an app from infra/ or lib/, and of the verify runner from the registry', () => {
    expect(
      boundaryViolations('infra/cluster.ts', [
        '../lib/internal/validation',
        '../lib/shared',
        '../lib/contracts/machine-types',
        '../lib',
      ]),
    ).toEqual(['infra/cluster.ts imports ../lib/internal/validation']);
    expect(
      boundaryViolations('apps/verify/options.ts', ['../../lib/internal/validation', '../../lib/nginx-https']),
    ).toEqual([
      'apps/verify/options.ts imports ../../lib/internal/validation',
      'apps/verify/options.ts imports ../../lib/nginx-https',
    ]);
    expect(boundaryViolations('infra/config.ts', ['../apps/settings'])).toEqual([
      'infra/config.ts imports ../apps/settings',
    ]);
    expect(
      boundaryViolations('lib/internal/scan.ts', ['../../infra/checkov', '../../apps/app', './validation']),
    ).toEqual(['lib/internal/scan.ts imports ../../infra/checkov', 'lib/internal/scan.ts imports ../../apps/app']);
    expect(boundaryViolations('apps/charts.ts', ['./verify/checks', './checks', '../lib'])).toEqual([
      'apps/charts.ts imports ./verify/checks',
    ]);
    expect(boundaryViolations('apps/synth.ts', ['../infra/config', './verify/main'])).toEqual([]);
  });
});

describe('README tutorial table', () => {
  const rows = readmeTable();

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

/** The tool configurations that stay JavaScript, each saying why in its first lines. */
const JAVASCRIPT_TOOL_CONFIGS = [
  'eslint.config.mjs',
  'jest.config.js',
  'stryker.config.mjs',
  'test/mutation/coverage.js',
  'test/mutation/environment.js',
  'test/mutation/filter.js',
  'test/mutation/sequencer.js',
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

/**
 * Functions longer than `limit` lines (from the signature to the closing brace, doc comment
 * left out) in a TypeScript source: a constructor or `main` that long is a procedure that should
 * read as a table of contents of named steps instead.
 */
function longFunctions(file: string, source: string, limit = 80): string[] {
  // swc's parser (the one StrykerJS's runs use): spans are 1-based byte offsets into the UTF-8 text.
  const module = parseSync(source, { syntax: 'typescript', comments: false });
  const bytes = Buffer.from(source);
  const lineStarts = [0];
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const text = (span: Span) => bytes.subarray(span.start - 1, span.end - 1).toString();
  const found: string[] = [];
  // Every object of the tree is walked: swc wraps call arguments and array elements in objects
  // without a type (`{ spread, expression }`). `parent` is the nearest typed node above.
  const visit = (value: unknown, parent?: Node): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((v) => visit(v, parent));
    const node = value as Node;
    const fn = typeof node.type === 'string' && node.span ? functionLike(node) : null;
    if (fn) {
      const first = lineOf(node.span.start - 1);
      const last = lineOf(node.span.end - 1);
      const name = fn.name ?? (parent?.type === 'VariableDeclarator' ? text((parent.id as Node).span) : '(anonymous)');
      if (last - first + 1 > limit) found.push(`${file}:${first + 1} ${name} (${last - first + 1} lines)`);
    }
    const next = typeof node.type === 'string' ? node : parent;
    for (const child of Object.values(node)) visit(child, next);
  };
  // A function's name as the source spells it, or undefined when the function has none (an
  // expression, whose name is then its variable's); null when the node is no function with a body.
  const functionLike = (node: Node): { name?: string } | null => {
    // Methods and accessors keep their body in `function` or on the node, by kind and swc version.
    const body = node.body ?? node.function?.body;
    switch (node.type) {
      case 'ArrowFunctionExpression':
        return {};
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        return body ? { name: node.identifier ? text(node.identifier.span) : undefined } : null;
      case 'Constructor':
        return body ? { name: 'constructor' } : null;
      case 'ClassMethod':
      case 'PrivateMethod':
      case 'MethodProperty':
      case 'GetterProperty':
      case 'SetterProperty':
        return body ? { name: text(node.key.span) } : null;
      default:
        return null;
    }
  };
  visit(module as unknown as Node);
  return found;
}

interface Span {
  readonly start: number;
  readonly end: number;
}
/** A node of swc's syntax tree, read generically. */
type Node = { readonly type: string; readonly span: Span } & Record<string, any>;

/** The project's own code, test files (describe bodies are lists of cases) left out. */
function codeFiles(): string[] {
  return ownFiles().filter(
    (f) => /^(lib|apps|infra|scripts|test)\/.*\.m?ts$/.test(f) && !/\.test\.m?ts$|\.d\.ts$/.test(f),
  );
}

describe('functions', () => {
  it('none over 80 lines in lib/, apps/, infra/, scripts/ or the test harness and control plane', () => {
    const files = codeFiles();
    expect(files).toEqual(expect.arrayContaining(['lib/zookeeper.ts', 'apps/verify/main.ts', 'infra/stacks.ts']));
    const long = files.flatMap((f) => longFunctions(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(long).toEqual([]);
  });

  it('the rule itself catches a long constructor and a long arrow function', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `    const a${i} = ${i};`).join('\n');
    const source = [
      'class X {',
      '  constructor() {',
      body(79),
      '  }',
      '}',
      'const f = () => {',
      body(78),
      '};',
      'function short() {',
      body(10),
      '}',
    ].join('\n');
    expect(longFunctions('x.ts', source)).toEqual(['x.ts:2 constructor (81 lines)']);
    expect(longFunctions('x.ts', source, 79)).toEqual(['x.ts:2 constructor (81 lines)', 'x.ts:84 f (80 lines)']);
  });

  it('the rule itself counts lines after multi-byte text, and finds callbacks, methods and getters', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `    const a${i} = '—${i}';`).join('\n');
    const source = [
      '// A comment — with multi-byte text: é, ü, 日本',
      'run(() => {',
      body(3),
      '});',
      'const o = {',
      '  m() {',
      body(4),
      '  },',
      '  get g() {',
      body(2),
      '    return 1;',
      '  },',
      '};',
    ].join('\n');
    expect(longFunctions('x.ts', source, 3)).toEqual([
      'x.ts:2 (anonymous) (5 lines)',
      'x.ts:8 m (6 lines)',
      'x.ts:14 g (5 lines)',
    ]);
  });
});
