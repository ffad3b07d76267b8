/**
 * checkov lives in a project-local virtual environment, `.venv-scan/` (git-ignored), installed
 * from the hashed lock scripts/scan/requirements.txt. It is (re)built only when it is missing or
 * when the lock (or the Python it was built with) changed: a stamp file in the venv holds the
 * SHA-256 of both.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const VENV_DIR = '.venv-scan';
export const REQUIREMENTS = 'scripts/scan/requirements.txt';
const STAMP = '.requirements.sha256';

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}`);
  return r.stdout;
}

/** Returns the checkov executable, installing it first when needed. */
export function ensureCheckov(
  root: string,
  log: (line: string) => void = console.error,
): { checkov: string; installed: boolean } {
  const python = process.env.SCAN_PYTHON ?? 'python3';
  const venv = join(root, VENV_DIR);
  const checkov = join(venv, 'bin', 'checkov');
  const pythonVersion = run(python, ['-c', 'import sys; print(sys.version)'], root);
  const want = createHash('sha256')
    .update(readFileSync(join(root, REQUIREMENTS)))
    .update(pythonVersion)
    .digest('hex');
  const stamp = join(venv, STAMP);
  if (existsSync(checkov) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) {
    return { checkov, installed: false };
  }
  log(`Installing checkov into ${VENV_DIR}/ from ${REQUIREMENTS} (missing, or the lock changed)...`);
  rmSync(venv, { recursive: true, force: true });
  run(python, ['-m', 'venv', venv], root);
  // The lock lists every package with its hashes, so no resolution happens here: --no-deps.
  run(
    join(venv, 'bin', 'python'),
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-input',
      '--require-hashes',
      '--no-deps',
      '-r',
      REQUIREMENTS,
    ],
    root,
  );
  writeFileSync(stamp, `${want}\n`);
  return { checkov, installed: true };
}
