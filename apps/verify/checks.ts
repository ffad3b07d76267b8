/**
 * A tutorial's own checks, as data. Each registry entry in `apps/charts.ts` lists
 * the checks a person runs by hand at the end of the tutorial; `npm run verify` runs them on a
 * live cluster, in order (a later check may rely on an earlier one: ZooKeeper's `get /hello` on
 * zk-1 reads what `create /hello world` wrote on zk-0).
 *
 * Nothing here talks to a cluster: this file holds the types, the matching of a check's output,
 * and the Job manifest a `job` check runs (which must pass the project's check harness).
 */

/** Exec into one of the tutorial's running Pods, as `kubectl exec <pod> -- <command>` does. */
export interface ExecRun {
  /** A Pod name (`zk-0`), or labels of which the first Ready Pod is used (`deploy/curl-deployment`'s `{ app: 'curlpod' }`). */
  readonly pod: string | Readonly<Record<string, string>>;
  /** The container; @default the Pod's first container */
  readonly container?: string;
  /**
   * The Pod's namespace, for a chart that puts its Pods in a namespace of its own (guestbook-logging's
   * `kube-system`). @default the tutorial's namespace
   */
  readonly namespace?: string;
  readonly command: readonly string[];
}

/** A short-lived Job in the tutorial's namespace (for the checks a tutorial runs from a throw-away Pod). */
export interface JobRun {
  /** A tagged image (decision D3). */
  readonly image: string;
  readonly command: readonly string[];
  /** The image's user, so the Job keeps runAsNonRoot where the image allows it (decision D5). @default root (0) */
  readonly user?: number;
}

export type CheckRun = { readonly exec: ExecRun } | { readonly job: JobRun };

/** What the output (stdout, then stderr) must show. Every given condition must hold. */
export interface CheckMatch {
  /** A substring of the output. */
  readonly contains?: string;
  /** A regular expression (multiline) the output must match. */
  readonly regex?: string;
  /** The number of lines that match `regex` (multiline); for `nodetool status`' `UN` lines. */
  readonly lines?: { readonly regex: string; readonly count: number };
  /** The exit code the command must end with. @default 0 */
  readonly exitCode?: number;
}

export interface TutorialCheck {
  /** Short, unique within the tutorial: the table's "check" column and the JUnit test name. */
  readonly name: string;
  /** The expected result, in the tutorial's words (printed with a failure). */
  readonly expect: string;
  readonly run: CheckRun;
  readonly match: CheckMatch;
  /** What this check does not prove, when it differs from the tutorial's own step. */
  readonly note?: string;
}

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
    if ('job' in c.run && !/:[\w.-]+$/.test(c.run.job.image))
      out.push(`${at}: image '${c.run.job.image}' has no tag (decision D3)`);
    const m = c.match;
    if (m.contains === undefined && m.regex === undefined && m.lines === undefined)
      out.push(`${at}: 'match' states nothing to look for`);
    for (const [field, re] of [
      ['regex', m.regex],
      ['lines.regex', m.lines?.regex],
    ] as const) {
      if (re === undefined) continue;
      try {
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

// ---------------------------------------------------------------- shorthands for apps/charts.ts

/** curlimages/curl (Alpine, `sh`), the image the nginx-https chart already uses for its client; user curl_user (100). */
export const CURL_IMAGE = 'curlimages/curl:8.8.0';
/** The tutorials' own DNS test image (`kubectl run -i --tty --image busybox:1.28 dns-test`). */
export const BUSYBOX_IMAGE = 'busybox:1.28';

/** A Job running `sh -c <script>` in the curl image. */
export function curlJob(script: string): CheckRun {
  return { job: { image: CURL_IMAGE, user: 100, command: ['sh', '-c', script] } };
}

/** An exec into a Pod (`kubectl exec <pod> -- <command...>`). */
export function exec(pod: ExecRun['pod'], command: readonly string[], container?: string): CheckRun {
  return { exec: { pod, command, ...(container ? { container } : {}) } };
}
