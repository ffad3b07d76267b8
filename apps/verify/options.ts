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

/** `90s`, `10m`, `1h`, or plain seconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
  return n > 0 ? Math.round(n * 1000) : undefined;
}

/** The options, or the one-line reason they are refused. `known` is the registry's ids. */
export function parseArgs(argv: readonly string[], known: readonly string[]): VerifyOptions | { error: string } {
  const tutorials: string[] = [];
  let prefix = 'verify-';
  let keep = false;
  let timeoutMs = 10 * 60_000;
  let junit: string | undefined;
  let context: string | undefined;
  let includeShared = false;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--keep':
        keep = true;
        break;
      case '--list':
        list = true;
        break;
      case '--include-shared':
        includeShared = true;
        break;
      case '--namespace-prefix': {
        const v = value();
        if (v === undefined || !/^[a-z0-9]([a-z0-9-]*)?$/.test(v))
          return {
            error: `--namespace-prefix ${JSON.stringify(v ?? '')}: must be lower-case letters, digits and '-', starting with a letter or digit (it begins a namespace name)`,
          };
        prefix = v;
        break;
      }
      case '--timeout': {
        const v = value();
        const ms = v === undefined ? undefined : parseDuration(v);
        if (ms === undefined)
          return { error: `--timeout ${JSON.stringify(v ?? '')}: must be a duration such as 90s, 10m or 1h` };
        timeoutMs = ms;
        break;
      }
      case '--junit': {
        const v = value();
        if (!v) return { error: '--junit needs a file name' };
        junit = v;
        break;
      }
      case '--context': {
        const v = value();
        if (!v) return { error: '--context needs a kubeconfig context name' };
        context = v;
        break;
      }
      default:
        if (a.startsWith('-')) return { error: `unknown option ${a}; ${USAGE}` };
        tutorials.push(a);
    }
  }
  const unknown = tutorials.filter((t) => !known.includes(t));
  if (unknown.length)
    return {
      error: `unknown tutorial${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the tutorials are: ${known.join(', ')} (npm run verify -- --list)`,
    };
  const longest = Math.max(0, ...(tutorials.length ? tutorials : known).map((t) => t.length));
  if (prefix.length + longest > 63)
    return {
      error: `--namespace-prefix ${JSON.stringify(prefix)}: with the tutorial id, a namespace name would exceed 63 characters`,
    };
  return {
    tutorials: tutorials.length ? [...new Set(tutorials)] : [...known],
    prefix,
    keep,
    timeoutMs,
    junit,
    context,
    includeShared,
    list,
  };
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
