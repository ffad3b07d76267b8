import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ValidationError } from '../lib';
import { publishDirectory } from '../apps/publish';
import { formatError, formatReport, main } from '../apps/synth';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'publish-'));
const read = (dir: string) => Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

describe('publishDirectory', () => {
  it('replaces the target with what was written, and leaves no staging or previous directory', () => {
    const root = tmp();
    const target = path.join(root, 'out');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'old.yaml'), 'old');
    publishDirectory(target, (staging) => fs.writeFileSync(path.join(staging, 'new.yaml'), 'new'));
    expect(read(target)).toEqual({ 'new.yaml': 'new' });
    expect(fs.readdirSync(root)).toEqual(['out']);
  });

  it('keeps the previous target byte-identical when writing fails half-way', () => {
    const root = tmp();
    const target = path.join(root, 'out');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'a.yaml'), 'previous');
    expect(() => publishDirectory(target, (staging) => {
      fs.writeFileSync(path.join(staging, 'a.yaml'), 'half');
      throw new Error('boom');
    })).toThrow('boom');
    expect(read(target)).toEqual({ 'a.yaml': 'previous' });
    expect(fs.readdirSync(root)).toEqual(['out']);
  });

  it('creates the target when there was none', () => {
    const target = path.join(tmp(), 'fresh');
    publishDirectory(target, (staging) => fs.writeFileSync(path.join(staging, 'x'), '1'));
    expect(read(target)).toEqual({ x: '1' });
  });
});

describe('synth output', () => {
  it('prints one aligned line per file, then one line per warning', () => {
    const lines = formatReport([
      { files: [{ path: 'dist/a.k8s.yaml', summary: '2 objects' }, { path: 'dist/long-name.k8s.yaml', summary: '3 objects' }], warnings: ['w1'] },
      { files: [{ path: 'cdktf.out/x.json', summary: '1 resources, 0 outputs' }], warnings: [] },
    ]);
    expect(lines).toEqual([
      'dist/a.k8s.yaml          2 objects',
      'dist/long-name.k8s.yaml  3 objects',
      'cdktf.out/x.json         1 resources, 0 outputs',
      'warning: w1',
    ]);
  });

  it('prints a rule that was broken as its message alone, and an unexpected error without a stack unless DEBUG is set', () => {
    const rule = new ValidationError('cdk8s app settings', 'X', '"y"', 'must be z');
    expect(formatError(rule, {})).toBe('cdk8s app settings: X is "y"; must be z');
    const crash = new Error('disk full');
    expect(formatError(crash, {})).toBe('synth failed: disk full (set DEBUG=1 for the stack trace)');
    expect(formatError(crash, { DEBUG: '1' })).toContain('    at ');
  });
});

describe('main', () => {
  const bad = { MYSQL_PASSWORD_FILE: path.join(os.tmpdir(), 'no-such-password-file') };

  it('stops on a bad setting with exit code 1 and exactly one line, before writing anything', () => {
    const lines: string[] = [];
    const cwd = process.cwd();
    const dir = tmp();
    process.chdir(dir);
    try {
      expect(main(['all'], bad, { out: (l) => lines.push(l), err: (l) => lines.push(l) })).toBe(1);
    } finally {
      process.chdir(cwd);
    }
    expect(lines).toEqual([expect.stringMatching(/^cdk8s app settings: MYSQL_PASSWORD_FILE is ".*no-such-password-file"; must name a readable file/)]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('under the cdk8s CLI, exits 0 on failure but creates no output folder, so the CLI fails without a stack trace of its own', () => {
    const cliOut = path.join(tmp(), '.cdk8s.out');
    const lines: string[] = [];
    expect(main(['k8s', '--cdk8s-cli'], { ...bad, CDK8S_OUTDIR: cliOut }, { out: (l) => lines.push(l), err: (l) => lines.push(l) })).toBe(0);
    expect(lines).toHaveLength(1);
    expect(fs.existsSync(cliOut)).toBe(false);
  });

  it('refuses an unknown mode', () => {
    const lines: string[] = [];
    expect(main(['everything'], {}, { out: (l) => lines.push(l), err: (l) => lines.push(l) })).toBe(2);
    expect(lines[0]).toMatch(/^usage: /);
  });
});
