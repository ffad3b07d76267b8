/**
 * The results of a verify run: one row per tutorial step (dry run, apply, ready, each check,
 * clean-up), printed as a plain table and, on request, as JUnit XML.
 */

/** pass; fail; skip (with its reason: "not run: simulated nodes" is a skip, never a pass). */
export type Status = 'pass' | 'fail' | 'skip';

export interface ResultRow {
  readonly tutorial: string;
  readonly check: string;
  readonly status: Status;
  /** What the table shows: "passed", "FAILED: <reason>", "not run: <why>". */
  readonly detail: string;
  readonly seconds: number;
}

export function passed(tutorial: string, check: string, seconds: number, detail = 'passed'): ResultRow {
  return { tutorial, check, status: 'pass', detail, seconds };
}
export function failed(tutorial: string, check: string, seconds: number, reason: string): ResultRow {
  return { tutorial, check, status: 'fail', detail: `FAILED: ${reason}`, seconds };
}
export function notRun(tutorial: string, check: string, why: string): ResultRow {
  return { tutorial, check, status: 'skip', detail: `not run: ${why}`, seconds: 0 };
}

export const SIMULATED = 'simulated nodes';

export interface Totals {
  readonly pass: number;
  readonly fail: number;
  readonly skip: number;
}

export function totals(rows: readonly ResultRow[]): Totals {
  return {
    pass: rows.filter((r) => r.status === 'pass').length,
    fail: rows.filter((r) => r.status === 'fail').length,
    skip: rows.filter((r) => r.status === 'skip').length,
  };
}

function time(seconds: number): string {
  if (seconds === 0) return '-';
  return seconds < 60
    ? `${seconds.toFixed(1)}s`
    : `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/** The plain-text table: tutorial, check, result, time; each shortened failure or skip again in full; one summary line. */
export function formatTable(rows: readonly ResultRow[], maxResult = 100): string[] {
  const cells = rows.map((r) => [
    r.tutorial,
    r.check,
    r.detail.length > maxResult ? `${r.detail.slice(0, maxResult - 1)}…` : r.detail,
    time(r.seconds),
  ]);
  const header = ['TUTORIAL', 'CHECK', 'RESULT', 'TIME'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const t = totals(rows);
  const cut = rows.filter((r) => r.status !== 'pass' && r.detail.length > maxResult);
  const details = cut.length ? ['', 'In full:', ...cut.map((r) => `- ${r.tutorial} / ${r.check}: ${r.detail}`)] : [];
  return [line(header), ...cells.map(line), ...details, '', `${t.pass} passed, ${t.fail} failed, ${t.skip} not run`];
}

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // eslint-disable-next-line no-control-regex -- characters XML 1.0 cannot hold
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testsuite per tutorial, one testcase per row; a skip is <skipped message=...>. */
export function junitXml(rows: readonly ResultRow[], context: string): string {
  const byTutorial = new Map<string, ResultRow[]>();
  for (const r of rows) byTutorial.set(r.tutorial, [...(byTutorial.get(r.tutorial) ?? []), r]);
  const t = totals(rows);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="npm run verify (${xml(context)})" tests="${rows.length}" failures="${t.fail}" skipped="${t.skip}" time="${rows.reduce((s, r) => s + r.seconds, 0).toFixed(3)}">`,
  ];
  for (const [tutorial, list] of byTutorial) {
    const tt = totals(list);
    out.push(
      `  <testsuite name="${xml(tutorial)}" tests="${list.length}" failures="${tt.fail}" skipped="${tt.skip}" time="${list.reduce((s, r) => s + r.seconds, 0).toFixed(3)}">`,
    );
    for (const r of list) {
      const open = `    <testcase classname="${xml(tutorial)}" name="${xml(r.check)}" time="${r.seconds.toFixed(3)}"`;
      if (r.status === 'pass') out.push(`${open}/>`);
      else if (r.status === 'skip') out.push(`${open}><skipped message="${xml(r.detail)}"/></testcase>`);
      else out.push(`${open}><failure message="${xml(r.detail)}"/></testcase>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
