/**
 * How `npm run verify` judges a tutorial's checks (`apps/checks.ts`, as data): the check list's
 * own problems, the matching of a check's output, and the Job manifest a `job` check runs (which
 * must pass the project's check harness). Nothing here talks to a cluster.
 */
import { CheckMatch, TutorialCheck } from '../checks';

export interface CheckOutcome {
  readonly ok: boolean;
  /** Why it failed, in one line; empty when ok. */
  readonly reason: string;
}

const NAME = /^[a-z0-9][a-z0-9 ./=-]*$/;

/** Problems with a tutorial's check list (names, regular expressions, commands); empty when valid. */
export function checkListProblems(tutorial: string, checks: readonly TutorialCheck[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of checks) {
    const at = `${tutorial}: check '${c.name}'`;
    if (!NAME.test(c.name)) out.push(`${at}: name must be lower-case words (${NAME})`);
    if (seen.has(c.name)) out.push(`${at}: name used twice`);
    seen.add(c.name);
    if (!c.expect.trim()) out.push(`${at}: 'expect' is empty; say the expected result in the tutorial's words`);
    const command = 'exec' in c.run ? c.run.exec.command : c.run.job.command;
    if (command.length === 0) out.push(`${at}: empty command`);
    const blank = command.findIndex((arg) => arg.trim() === '');
    if (blank !== -1) out.push(`${at}: argument ${blank + 1} of the command is empty`);
    if ('job' in c.run && !/:[\w.-]+$/.test(c.run.job.image))
      out.push(`${at}: image '${c.run.job.image}' has no tag (decision D3)`);
    const m = c.match;
    if (m.contains === undefined && m.regex === undefined && m.lines === undefined)
      out.push(`${at}: 'match' states nothing to look for`);
    if (m.contains === '') out.push(`${at}: 'match.contains' is empty, which any output contains`);
    for (const [field, re] of [
      ['regex', m.regex],
      ['lines.regex', m.lines?.regex],
    ] as const) {
      if (re === undefined) continue;
      try {
        // Stryker disable next-line StringLiteral: a flag does not change whether a pattern compiles
        new RegExp(re, 'm');
      } catch (e) {
        out.push(`${at}: ${field} ${JSON.stringify(re)} is not a regular expression (${(e as Error).message})`);
      }
    }
    if (m.lines && (!Number.isInteger(m.lines.count) || m.lines.count < 0))
      out.push(`${at}: lines.count must be a whole number`);
  }
  return out;
}

/** Whether a check's output and exit code show what the tutorial says they should. */
export function matchOutput(match: CheckMatch, output: string, exitCode: number): CheckOutcome {
  const want = match.exitCode ?? 0;
  const tail = oneLine(output);
  if (exitCode !== want) return { ok: false, reason: `exit code ${exitCode}, expected ${want}; output: ${tail}` };
  if (match.contains !== undefined && !output.includes(match.contains))
    return { ok: false, reason: `output lacks ${JSON.stringify(match.contains)}: ${tail}` };
  if (match.regex !== undefined && !new RegExp(match.regex, 'm').test(output))
    return { ok: false, reason: `output does not match /${match.regex}/: ${tail}` };
  if (match.lines !== undefined) {
    const re = new RegExp(match.lines.regex);
    const n = output.split(/\r?\n/).filter((l) => re.test(l)).length;
    if (n !== match.lines.count)
      return { ok: false, reason: `${n} lines match /${match.lines.regex}/, expected ${match.lines.count}: ${tail}` };
  }
  return { ok: true, reason: '' };
}

/** An output shortened to one line for the table. */
export function oneLine(text: string, max = 160): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s || '(no output)';
}

/** Labels on every object verify creates for a check. */
export const CHECK_LABEL = 'k8s-tutorials-verify/check';

/** A Job's name from the check's name: `verify-<name>`, a DNS label of at most 63 characters. */
export function checkJobName(check: TutorialCheck): string {
  return `verify-${check.name.replace(/[^a-z0-9-]+/g, '-').replace(/-+$/, '')}`.slice(0, 63).replace(/-+$/, '');
}

/**
 * The Job a `job` check runs: one Pod, no retries, a deadline, no service account token, the
 * image's user, nothing writable but an emptyDir at /tmp, small explicit resources (D5).
 */
export function checkJob(
  check: TutorialCheck,
  namespace: string | undefined,
  deadlineSeconds = 120,
): Record<string, unknown> {
  if (!('job' in check.run)) throw new Error(`check '${check.name}' is not a job check`);
  const { image, command, user = 0 } = check.run.job;
  const labels = { [CHECK_LABEL]: checkJobName(check) };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: checkJobName(check), ...(namespace ? { namespace } : {}), labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: deadlineSeconds,
      ttlSecondsAfterFinished: 600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: user === 0 ? {} : { runAsUser: user, runAsNonRoot: true },
          containers: [
            {
              name: 'check',
              image,
              imagePullPolicy: 'IfNotPresent',
              command: [...command],
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}
