/**
 * A tutorial's own checks, as data. Each registry entry in `apps/charts.ts` lists
 * the checks a person runs by hand at the end of the tutorial; `npm run verify` runs them on a
 * live cluster, in order (a later check may rely on an earlier one: ZooKeeper's `get /hello` on
 * zk-1 reads what `create /hello world` wrote on zk-0).
 *
 * This file holds the types and the shorthands the registry writes them with, so that the
 * registry needs nothing of the runner (`apps/verify/`).
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
