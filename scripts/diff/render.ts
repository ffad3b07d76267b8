/**
 * How `npm run diff` prints its changes: a one-line summary, then one section per changed
 * object, as plain text for a terminal or as Markdown for a pull-request comment.
 */
import type { Change, Status } from './compare';

/** GitHub refuses a comment body longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** The first line of the Markdown comment, which the pr-diff workflow looks for to update it. */
export const COMMENT_MARKER = '<!-- k8s-tutorials-as-code: npm run diff -->';

const STATUSES: readonly Status[] = ['changed', 'added', 'removed'];
const SIGN: Readonly<Record<Status, string>> = { changed: '~', added: '+', removed: '-' };

/**
 * `3 changes (2 changed, 1 added, 0 removed) in 2 files: dist/a.k8s.yaml (Deployment 1 changed,
 * Service 1 added); cdktf.out/stacks/s/cdk.tf.json (google_container_node_pool 1 changed)`.
 */
export function summaryLine(changes: readonly Change[]): string {
  if (changes.length === 0) return 'No change.';
  const byFile = new Map<string, Map<string, Map<Status, number>>>();
  for (const c of changes) {
    const kinds = byFile.get(c.file) ?? new Map<string, Map<Status, number>>();
    byFile.set(c.file, kinds);
    const counts = kinds.get(c.kind) ?? new Map<Status, number>();
    kinds.set(c.kind, counts);
    counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  }
  const total = (s: Status) => changes.filter((c) => c.status === s).length;
  const files = [...byFile].map(([file, kinds]) => {
    const parts = [...kinds].map(
      ([kind, counts]) =>
        `${kind} ${STATUSES.filter((s) => counts.has(s))
          .map((s) => `${counts.get(s)} ${s}`)
          .join(', ')}`,
    );
    return `${file} (${parts.join('; ')})`;
  });
  const n = changes.length;
  return (
    `${n} ${n === 1 ? 'change' : 'changes'} (${STATUSES.map((s) => `${total(s)} ${s}`).join(', ')}) ` +
    `in ${byFile.size} ${byFile.size === 1 ? 'file' : 'files'}: ${files.join('; ')}`
  );
}

/** What the two sides are, for the output's first line. */
export interface Sides {
  /** The ref as the user gave it, e.g. `HEAD~1` or `origin/main`. */
  readonly ref: string;
  /** Its commit, abbreviated. */
  readonly commit: string;
}

function noChange(sides: Sides): string {
  return `No change: the working tree synthesizes the same manifests and stacks as ${sides.ref} (${sides.commit}).`;
}

/** The terminal report: summary, then each change with its unified diff. */
export function renderText(changes: readonly Change[], sides: Sides): string {
  if (changes.length === 0) return `${noChange(sides)}\n`;
  const lines = [`Against ${sides.ref} (${sides.commit}): ${summaryLine(changes)}`];
  for (const c of changes) {
    lines.push('', `${SIGN[c.status]} ${c.status} ${c.title} in ${c.file}`);
    if (c.redacted.length > 0) lines.push(`  secret values (not shown): ${c.redacted.join(', ')}`);
    lines.push(c.diff.replace(/\n$/, ''));
  }
  return `${lines.join('\n')}\n`;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A code fence longer than any backtick run in `text`. */
function fence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function markdownSection(c: Change): string {
  const f = fence(c.diff);
  return [
    '<details>',
    `<summary>${SIGN[c.status]} <b>${c.status}</b> <code>${escapeHtml(c.title)}</code> in <code>${escapeHtml(c.file)}</code></summary>`,
    '',
    ...(c.redacted.length > 0 ? [`Secret values (not shown): ${escapeHtml(c.redacted.join(', '))}.`, ''] : []),
    `${f}diff`,
    c.diff.replace(/\n$/, ''),
    f,
    '</details>',
    '',
  ].join('\n');
}

/** Room kept for the note on what was cut. */
const NOTE_ROOM = 4_000;

/**
 * The pull-request comment: marker, summary, one `<details>` per change. Sections that would
 * take the comment past `limit` characters are left out (each one that fits is kept, in order),
 * and a closing note says how many were cut and names them.
 */
export function renderMarkdown(changes: readonly Change[], sides: Sides, limit = GITHUB_COMMENT_LIMIT): string {
  const head = `${COMMENT_MARKER}\n### Rendered changes against \`${sides.ref}\` (${sides.commit})\n\n`;
  if (changes.length === 0) return `${head}${noChange(sides)}\n`;
  let body = `${head}${escapeHtml(summaryLine(changes))}\n\n`;
  const cut: Change[] = [];
  for (const c of changes) {
    const section = markdownSection(c);
    if (body.length + section.length + NOTE_ROOM < limit) body += section;
    else cut.push(c);
  }
  if (cut.length === 0) return body;
  let note =
    `**Cut:** ${cut.length} of ${changes.length} changes are not shown, to keep this comment under GitHub's ` +
    `${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character limit; \`npm run diff -- --base ${sides.ref}\` prints them all:\n`;
  const room = limit - body.length - 200;
  let listed = 0;
  for (const c of cut) {
    const line = `- ${c.status} <code>${escapeHtml(c.title)}</code> in <code>${escapeHtml(c.file)}</code>\n`;
    if (note.length + line.length > room) break;
    note += line;
    listed++;
  }
  if (listed < cut.length) note += `- and ${cut.length - listed} more\n`;
  return `${body}${note}`;
}
