import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { closestName, editDistance } from '../../lib/shared';

/**
 * `npm run verify -- [tutorial ...] [--namespace-prefix p] [--keep] [--timeout 10m] [--junit file]
 * [--context name] [--include-shared] [--list]`: parsing and the production guard. No cluster.
 */

export interface VerifyOptions {
  readonly tutorials: readonly string[];
  readonly prefix: string;
  readonly keep: boolean;
  readonly timeoutMs: number;
  readonly junit?: string;
  readonly context?: string;
  readonly includeShared: boolean;
  readonly list: boolean;
}

export const USAGE =
  'usage: npm run verify -- [tutorial ...] [--namespace-prefix p] [--keep] [--timeout 10m] [--junit file] [--context name] [--include-shared] [--list]';

/** `--help`: what each option does. */
// Stryker disable StringLiteral: prose for people; the tests check that every option of USAGE is explained
export const HELP = [
  USAGE,
  '',
  'Runs each tutorial (all by default) in a namespace of its own on the cluster of the current',
  'kubeconfig context, waits until it is ready, runs the checks the tutorial ends with, and deletes',
  'what it created. See the README, "Verify on your cluster".',
  '',
  '  tutorial ...            tutorial ids (npm run verify -- --list shows them and their checks)',
  '  --namespace-prefix p    namespaces are <p><tutorial> (default verify-)',
  '  --keep                  leave the namespaces in place afterwards',
  '  --timeout d             how long each tutorial may take to become ready: 90s, 10m, 1h (default 10m)',
  '  --junit file            also write the results as JUnit XML',
  '  --context name          use this kubeconfig context (and skip the production guard)',
  '  --include-shared        also run tutorials that write cluster-wide objects',
  '  --list                  list the tutorials and their checks, and exit',
  '  --help, -h              show this help, and exit',
  '',
  'Environment: KUBECONFIG (the kubeconfig files, else ~/.kube/config), VERIFY_CONTEXT_ALLOW (the',
  'contexts usable without --context, a regular expression). Exit codes: 0 nothing failed, 1 a check',
  'failed, 2 refused before anything was created, 130 interrupted.',
];
// Stryker restore StringLiteral

/** `90s`, `10m` or `1h`: a number with its unit. A bare number is refused: seconds or minutes? */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
  return n > 0 ? Math.round(n * 1000) : undefined;
}

/** Why a `--timeout` value is refused. */
export function durationRule(text: string | undefined): string {
  if (text !== undefined && /^\d+(\.\d+)?$/.test(text.trim()))
    return `needs a unit: ${text.trim()}s, ${text.trim()}m or ${text.trim()}h (a bare number could mean seconds or minutes)`;
  return 'must be a duration with its unit, such as 90s, 10m or 1h';
}

/** The options, or the one-line reason they are refused. `known` is the registry's ids. */
export function parseArgs(argv: readonly string[], known: readonly string[]): VerifyOptions | { error: string } {
  const o = readArgv(argv);
  if ('error' in o) return o;
  const error = unknownTutorials(o.tutorials, known) ?? prefixTooLong(o.prefix, o.tutorials, known);
  if (error !== undefined) return { error };
  return {
    tutorials: o.tutorials.length ? [...new Set(o.tutorials)] : [...known],
    prefix: o.prefix,
    keep: o.keep,
    timeoutMs: o.timeoutMs,
    junit: o.junit,
    context: o.context,
    includeShared: o.includeShared,
    list: o.list,
  };
}

/** The options as they are being read: every field writable, the tutorials as given. */
type ReadOptions = { -readonly [K in keyof VerifyOptions]: VerifyOptions[K] } & { tutorials: string[] };

/** Every argument in turn: flags, options with a value (`--x v` or `--x=v`) and tutorial ids. */
function readArgv(argv: readonly string[]): ReadOptions | { error: string } {
  const o: ReadOptions = {
    tutorials: [],
    prefix: 'verify-',
    keep: false,
    timeoutMs: 10 * 60_000,
    junit: undefined,
    context: undefined,
    includeShared: false,
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      // Stryker disable next-line StringLiteral: without '--', an argument with '=' is still refused or taken whole as a tutorial id below
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    switch (flag) {
      case '--keep':
        o.keep = true;
        break;
      case '--list':
        o.list = true;
        break;
      case '--include-shared':
        o.includeShared = true;
        break;
      case '--namespace-prefix':
      case '--timeout':
      case '--junit':
      case '--context': {
        const v = optionValue(flag, inline ?? argv[++i]);
        if ('error' in v) return v;
        Object.assign(o, v);
        break;
      }
      default:
        if (a.startsWith('-')) return { error: `unknown option ${a}; ${USAGE}` };
        o.tutorials.push(a);
    }
  }
  return o;
}

/** The value of an option that takes one, checked by its rule, as the field it sets; or the refusal. */
function optionValue(
  flag: '--namespace-prefix' | '--timeout' | '--junit' | '--context',
  v: string | undefined,
): Partial<VerifyOptions> | { error: string } {
  switch (flag) {
    case '--namespace-prefix':
      if (v === undefined || !/^[a-z0-9][a-z0-9-]*$/.test(v))
        return {
          error: `--namespace-prefix ${JSON.stringify(v ?? '')}: must be lower-case letters, digits and '-', starting with a letter or digit (it begins a namespace name)`,
        };
      return { prefix: v };
    case '--timeout': {
      const ms = v === undefined ? undefined : parseDuration(v);
      if (ms === undefined) return { error: `--timeout ${JSON.stringify(v ?? '')}: ${durationRule(v)}` };
      return { timeoutMs: ms };
    }
    case '--junit':
      if (!v) return { error: '--junit needs a file name' };
      return { junit: v };
    case '--context':
      if (!v) return { error: '--context needs a kubeconfig context name' };
      return { context: v };
  }
}

/** Why tutorial ids not in the registry are refused, with the ids most likely meant; undefined when all are known. */
function unknownTutorials(tutorials: readonly string[], known: readonly string[]): string | undefined {
  const unknown = tutorials.filter((t) => !known.includes(t));
  if (!unknown.length) return undefined;
  // Short ids: two edits (a swapped pair of letters, kubai) still count as a typo.
  const closest = (t: string) => closestName(t, known) ?? known.find((k) => editDistance(t, k) <= 2);
  const guesses = unknown.map((t) => [t, closest(t)] as const).filter(([, g]) => g !== undefined);
  const meant = guesses.length
    ? `; did you mean ${guesses.map(([t, g]) => (unknown.length > 1 ? `${g} (for ${t})` : g)).join(', ')}?`
    : '';
  return `unknown tutorial${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}${meant} The tutorials are: ${known.join(', ')} (npm run verify -- --list)`;
}

/** Why the prefix is refused when, with the longest chosen id, a namespace name would pass 63 characters. */
function prefixTooLong(prefix: string, tutorials: readonly string[], known: readonly string[]): string | undefined {
  const longest = Math.max(0, ...(tutorials.length ? tutorials : known).map((t) => t.length));
  if (prefix.length + longest > 63)
    return `--namespace-prefix ${JSON.stringify(prefix)}: with the tutorial id, a namespace name would exceed 63 characters`;
  return undefined;
}

/**
 * Context names verify uses without `--context`: local clusters (kind, minikube, k3d, Docker
 * Desktop) and this project's GKE cluster (`gke_<project>_<location>_tutorials`). Override with
 * VERIFY_CONTEXT_ALLOW (a regular expression).
 */
export const DEFAULT_CONTEXT_ALLOW = '^(kind-|minikube$|k3d-|docker-desktop$|gke_[^_]+_[^_]+_tutorials$)';

/**
 * Undefined when verify may use the context; otherwise the refusal. A `--context` given on the
 * command line is the user's explicit choice and is always accepted.
 */
export function contextRefusal(
  current: string,
  explicit: string | undefined,
  allow: string | undefined,
): string | undefined {
  if (explicit !== undefined) return undefined;
  const pattern = allow || DEFAULT_CONTEXT_ALLOW;
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    return `VERIFY_CONTEXT_ALLOW ${JSON.stringify(pattern)} is not a regular expression (${(e as Error).message})`;
  }
  if (re.test(current)) return undefined;
  return `the current context '${current}' does not match the allow pattern /${pattern}/ (VERIFY_CONTEXT_ALLOW), so it may be a production cluster; verify creates and deletes namespaces there. Name the context explicitly: --context ${current}`;
}

/** Where verify looked for a kubeconfig, and the first place that has one. */
export interface KubeconfigSearch {
  readonly found?: string;
  readonly looked: readonly string[];
}

/**
 * Where @kubernetes/client-node's `loadFromDefault` would read a kubeconfig from: the files of
 * KUBECONFIG (else ~/.kube/config), else the in-cluster service account. Without any of them it
 * invents a context named `loaded-context` for http://localhost, which is never what a user
 * meant, so verify stops first and says where it looked.
 */
export function findKubeconfig(
  env: Readonly<Record<string, string | undefined>>,
  exists: (file: string) => boolean = fs.existsSync,
  home: string = os.homedir(),
): KubeconfigSearch {
  const looked: string[] = [];
  if (env.KUBECONFIG) {
    for (const file of env.KUBECONFIG.split(path.delimiter).filter((f) => f !== '')) {
      if (exists(file)) return { found: file, looked };
      looked.push(`${file} (from KUBECONFIG): no such file`);
    }
  } else {
    const file = path.join(home, '.kube', 'config');
    if (exists(file)) return { found: file, looked };
    looked.push(`${file}: no such file (KUBECONFIG is not set)`);
  }
  const token = '/var/run/secrets/kubernetes.io/serviceaccount/token';
  if (env.KUBERNETES_SERVICE_HOST && exists(token)) return { found: 'the in-cluster service account', looked };
  looked.push('in-cluster service account: not running in a Pod');
  return { looked };
}

/** The message when {@link findKubeconfig} found nothing. */
export function noKubeconfigMessage(search: KubeconfigSearch): string {
  return (
    `no kubeconfig found; looked at: ${search.looked.join('; ')}. ` +
    'Point KUBECONFIG at the file your cluster tool wrote (kind create cluster, minikube start, ' +
    'gcloud container clusters get-credentials ...) and run verify again'
  );
}
