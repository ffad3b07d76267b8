/**
 * The scan's parsing, suppression rules and tables (scripts/scan/), on small fixtures trimmed
 * from real checkov 3.3.30 `-o json --compact` runs. No Python needed: checkov itself runs only
 * in `npm run scan`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotationUsed, kubernetesSuppressions } from '../scripts/scan/annotations';
import {
  baselineReport,
  failedList,
  fileTable,
  summaryMarkdown,
  suppressionsMarkdown,
  unitName,
  verdictLines,
} from '../scripts/scan/render';
import {
  applyTerraformJsonSuppressions,
  type Finding,
  normaliseTerraformResources,
  parseCheckovJson,
  reasonProblem,
  summarise,
  terraformJsonAddresses,
  terraformJsonSuppressions,
  verdict,
} from '../scripts/scan/results';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'scan', name), 'utf8');
const K8S = 'dist/web.k8s.yaml';
const TF = 'cdktf.out/stacks/gke/cdk.tf.json';
const SCANNED = [K8S, 'dist/other.k8s.yaml', TF];
const FILES = [
  { file: K8S, framework: 'kubernetes' as const },
  { file: TF, framework: 'terraform_json' as const },
];

/** The scan's pipeline minus checkov and the file system, as main.ts runs it. */
function scan(k8sFixture: string, tfFixture = 'tf.json', stack: unknown = JSON.parse(fixture('cdk.tf.json'))) {
  const k8s = parseCheckovJson(fixture(k8sFixture), 'kubernetes', SCANNED);
  const tf = parseCheckovJson(fixture(tfFixture), 'terraform_json', SCANNED);
  const tfFindings = normaliseTerraformResources(tf.findings, new Map([[TF, terraformJsonAddresses(stack)]]));
  const applied = applyTerraformJsonSuppressions(
    [...k8s.findings, ...tfFindings],
    terraformJsonSuppressions(TF, stack),
  );
  const summary = summarise(applied.findings, FILES);
  return { ...applied, summary, verdict: verdict(applied.findings, summary), version: k8s.checkovVersion };
}

describe('parseCheckovJson', () => {
  test('reads every record with its outcome, the file resolved against the scanned files, and the reason of a skip', () => {
    const { findings, checkovVersion, parsingErrors } = parseCheckovJson(
      fixture('k8s-happy.json'),
      'kubernetes',
      SCANNED,
    );
    expect(checkovVersion).toBe('3.3.30');
    expect(parsingErrors).toEqual([]);
    expect(findings.map((f) => f.outcome)).toEqual(['passed', 'passed', 'passed', 'skipped', 'skipped', 'skipped']);
    expect(new Set(findings.map((f) => f.file))).toEqual(new Set([K8S]));
    expect(findings.find((f) => f.checkId === 'CKV2_K8S_6')).toEqual({
      framework: 'kubernetes',
      file: K8S,
      resource: 'Pod.default.web.app-web',
      checkId: 'CKV2_K8S_6',
      checkName: 'Minimize the admission of pods which lack an associated NetworkPolicy',
      outcome: 'skipped',
      reason: 'the tutorial has no NetworkPolicy',
    });
  });

  test("takes checkov's bare summary (nothing scanned) as no finding", () => {
    expect(parseCheckovJson(fixture('empty.json'), 'terraform_json', SCANNED)).toEqual({
      checkovVersion: '3.3.30',
      findings: [],
      parsingErrors: [],
    });
  });

  test('takes a list of reports, and refuses a report of another framework', () => {
    const one = JSON.parse(fixture('tf.json'));
    expect(parseCheckovJson(JSON.stringify([one, one]), 'terraform_json', SCANNED).findings).toHaveLength(8);
    expect(() => parseCheckovJson(fixture('tf.json'), 'kubernetes', SCANNED)).toThrow(/expected check_type kubernetes/);
  });

  test('refuses output that is not JSON, and a path that matches no scanned file or several', () => {
    expect(() => parseCheckovJson('Traceback (most recent call last):', 'kubernetes', SCANNED)).toThrow(/not JSON/);
    expect(() => parseCheckovJson(fixture('k8s-happy.json'), 'kubernetes', [TF])).toThrow(
      /matches 0 of the scanned files/,
    );
    expect(() => parseCheckovJson(fixture('k8s-happy.json'), 'kubernetes', [K8S, `x/${K8S}`])).toThrow(/matches 2/);
  });
});

describe('the verdict', () => {
  test('happy path: only passed and reasoned skips, so the scan passes, with one row per file', () => {
    const stack = JSON.parse(fixture('cdk.tf.json'));
    stack.resource.google_container_cluster.cluster_A4C38409['//'].checkov.skip.CKV_GCP_21 =
      'labels are set by the platform';
    const { verdict: v, summary } = scan('k8s-happy.json', 'tf.json', stack);
    expect(v.ok).toBe(true);
    expect(verdictLines(v)).toEqual([]);
    expect(summary).toEqual([
      { file: K8S, framework: 'kubernetes', passed: 3, failed: 0, skipped: 3 },
      { file: TF, framework: 'terraform_json', passed: 2, failed: 0, skipped: 2 },
    ]);
  });

  test('an unsuppressed finding fails the scan and is listed', () => {
    const { verdict: v } = scan('k8s-unsuppressed.json');
    expect(v.ok).toBe(false);
    expect(v.failed.map((f) => [f.checkId, f.resource])).toEqual([
      ['CKV_K8S_28', 'Deployment.default.web'],
      ['CKV_GCP_21', 'google_container_cluster.cluster_A4C38409'],
    ]);
    expect(verdictLines(v)[0]).toMatch(/^2 failed check\(s\)/);
  });

  test('a suppression without a reason is refused: checkov\'s "No comment provided" and an empty reason', () => {
    const { verdict: v } = scan('k8s-no-reason.json');
    expect(v.ok).toBe(false);
    expect(v.refused).toEqual([
      {
        file: K8S,
        resource: 'Deployment.default.web',
        checkId: 'CKV_K8S_21',
        problem: 'no reason (checkov says "No comment provided")',
      },
      { file: K8S, resource: 'Deployment.default.web', checkId: 'CKV_K8S_22', problem: 'no reason' },
    ]);
    expect(verdictLines(v)).toContain(
      'refused suppression of CKV_K8S_22 on Deployment.default.web (dist/web.k8s.yaml): no reason',
    );
  });

  test('a file without checks is a note; a framework that reported nothing on any file fails the scan', () => {
    const k8sOnly = parseCheckovJson(fixture('k8s-happy.json'), 'kubernetes', SCANNED).findings;
    const some = verdict(
      k8sOnly,
      summarise(k8sOnly, [...FILES, { file: 'dist/other.k8s.yaml', framework: 'kubernetes' }]),
    );
    expect(some.empty).toEqual([TF, 'dist/other.k8s.yaml']);
    expect(some.unread).toEqual(['terraform_json']);
    expect(some.ok).toBe(false);
    expect(verdictLines(some)).toEqual([
      "checkov's terraform_json framework reported no check on any of its files: it did not read them",
    ]);
  });

  test('reasonProblem accepts one line and nothing else', () => {
    expect(reasonProblem('the tutorial image runs as root')).toBeUndefined();
    expect(reasonProblem(undefined)).toBe('no reason');
    expect(reasonProblem('  ')).toBe('no reason');
    expect(reasonProblem('No comment provided')).toMatch(/No comment provided/);
    expect(reasonProblem('one\ntwo')).toBe('the reason is not one line');
  });
});

describe('Terraform JSON suppressions (applied by the scan: checkov honours none in cdk.tf.json)', () => {
  test('maps checkov\'s "resource.NAME" to the TYPE.NAME address, and applies the marker on one resource for one check', () => {
    const { findings, unused } = scan('k8s-happy.json');
    const tf = findings.filter((f) => f.framework === 'terraform_json');
    expect(new Set(tf.map((f) => f.resource))).toEqual(new Set(['google_container_cluster.cluster_A4C38409']));
    expect(tf.find((f) => f.checkId === 'CKV_GCP_12')).toMatchObject({
      outcome: 'skipped',
      reason: "the tutorials' Services need no NetworkPolicy",
    });
    expect(tf.find((f) => f.checkId === 'CKV_GCP_21')?.outcome).toBe('failed');
    expect(unused).toEqual([]);
  });

  test('a marker with an empty reason is refused, one for a check that did not run is unused', () => {
    const stack = JSON.parse(fixture('cdk.tf.json'));
    stack.resource.google_container_cluster.cluster_A4C38409['//'].checkov.skip = { CKV_GCP_12: '', CKV_GCP_999: 'x' };
    const { verdict: v, unused } = scan('k8s-happy.json', 'tf.json', stack);
    expect(v.refused.map((r) => [r.checkId, r.problem])).toEqual([['CKV_GCP_12', 'no reason']]);
    expect(unused.map((s) => s.checkId)).toEqual(['CKV_GCP_999']);
  });

  test("a name that is not unique in the file keeps checkov's id", () => {
    const doc = {
      resource: { a_type: { same: {} }, b_type: { same: {} }, c_type: { other: {} } },
      data: { d_type: { src: {} } },
    };
    expect(terraformJsonAddresses(doc)).toEqual(
      new Map([
        ['resource.other', 'c_type.other'],
        ['data.src', 'data.d_type.src'],
      ]),
    );
  });
});

describe('Kubernetes suppression annotations', () => {
  const manifest = (annotations: Record<string, string>, templateAnnotations: Record<string, string> = {}) =>
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', annotations },
      spec: {
        template: {
          metadata: { annotations: templateAnnotations },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      },
    });
  const problems = (annotations: Record<string, string>, template: Record<string, string> = {}) =>
    kubernetesSuppressions(K8S, manifest(annotations, template)).map((s) => s.problem);

  test('CHECK_ID=reason on the object is the one well-formed shape', () => {
    expect(
      kubernetesSuppressions(K8S, manifest({ 'checkov.io/skip-CKV_K8S_20': 'CKV_K8S_20=the image runs as root' })),
    ).toEqual([
      {
        file: K8S,
        resource: 'Deployment.default.web',
        key: 'checkov.io/skip-CKV_K8S_20',
        checkId: 'CKV_K8S_20',
        reason: 'the image runs as root',
      },
    ]);
  });

  test('refuses what checkov ignores, records without a reason, or crashes on', () => {
    expect(problems({ 'checkov.io/skip1': 'CKV_K8S_20' })).toEqual(['no reason: write CHECK_ID=reason']);
    expect(problems({ 'checkov.io/skip1': 'CKV_K8S_20=' })).toEqual(['no reason after the =']);
    expect(problems({ 'checkov.io/skip1': 'CKV_K8S_20=a=b' })).toEqual([
      "the reason contains '=', on which checkov 3.3.30 crashes",
    ]);
    expect(problems({ 'checkov.io/skip1': 'CKV_K8S_20,CKV_K8S_21=both' })[0]).toMatch(/one check per annotation/);
    expect(problems({ 'checkov.io/skip1': 'CKV_K8S_20 =spaced' })[0]).toMatch(/one check per annotation/);
    expect(problems({}, { 'checkov.io/skip1': 'CKV_K8S_20=on the template' })).toEqual([
      "on spec.template.metadata.annotations, which checkov ignores: annotate the object's own metadata",
    ]);
    expect(problems({ 'example.com/other': 'x' })).toEqual([]);
  });

  test("an annotation is used when checkov skipped that check on the object or on its template's Pod", () => {
    const [s] = kubernetesSuppressions(
      K8S,
      manifest({ 'checkov.io/skip-CKV2_K8S_6': 'CKV2_K8S_6=no NetworkPolicy in the tutorial' }),
    );
    expect(annotationUsed(s, [{ file: K8S, resource: 'Pod.default.web.app-web', checkId: 'CKV2_K8S_6' }])).toBe(true);
    expect(annotationUsed(s, [{ file: K8S, resource: 'Pod.default.webby.app-web', checkId: 'CKV2_K8S_6' }])).toBe(
      false,
    );
    expect(annotationUsed(s, [{ file: K8S, resource: 'Deployment.default.web', checkId: 'CKV_K8S_20' }])).toBe(false);
  });
});

describe('tables and documents', () => {
  test('the per-file table: file, passed, failed, skipped, and a total', () => {
    const { summary } = scan('k8s-unsuppressed.json');
    expect(fileTable(summary)).toBe(
      [
        'File                              Passed  Failed  Skipped',
        '--------------------------------  ------  ------  -------',
        'dist/web.k8s.yaml                      3       1        2',
        'cdktf.out/stacks/gke/cdk.tf.json       2       1        1',
        'total                                  5       2        3',
      ].join('\n'),
    );
  });

  test('the failed list names check, resource, file and check name', () => {
    const { verdict: v } = scan('k8s-unsuppressed.json');
    const lines = failedList(v.failed).split('\n');
    expect(lines[0]).toMatch(/^Check\s+Resource\s+File\s+Name$/);
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(
        /^CKV_GCP_21\s+google_container_cluster\.cluster_A4C38409\s+cdktf\.out\/stacks\/gke\/cdk\.tf\.json\s+\S/,
      ),
      expect.stringMatching(
        /^CKV_K8S_28\s+Deployment\.default\.web\s+dist\/web\.k8s\.yaml\s+Minimize the admission of containers with the NET_RAW capability/,
      ),
    ]);
    expect(failedList([])).toBe('No failed check.');
  });

  test('chart and stack names', () => {
    expect(unitName('dist/guestbook.k8s.yaml')).toBe('guestbook');
    expect(unitName('cdktf.out/stacks/tutorials-gke/cdk.tf.json')).toBe('tutorials-gke');
  });

  test('the README summary and docs/scan-suppressions.md come from the findings', () => {
    const { findings, summary } = scan('k8s-happy.json');
    expect(summaryMarkdown(summary)).toBe(
      [
        '| Chart / stack | Framework | Passed | Suppressed (with reason) | Failed |',
        '| --- | --- | ---: | ---: | ---: |',
        '| `web` | kubernetes | 3 | 3 | 0 |',
        '| `gke` | terraform_json | 2 | 1 | 1 |',
        '| **total** |  | 5 | 4 | 1 |',
      ].join('\n'),
    );
    const doc = suppressionsMarkdown(findings, summary, '3.3.30');
    expect(doc).toContain('checkov 3.3.30');
    expect(doc).toContain(
      "| `gke` | `google_container_cluster.cluster_A4C38409` | CKV_GCP_12 | Ensure Network Policy is enabled on Kubernetes Engine Clusters | the tutorials' Services need no NetworkPolicy |",
    );
    expect(doc).toContain('| `web` | `Pod.default.web.app-web` | CKV2_K8S_6 |');
    expect(doc.match(/^\| `(web|gke)` \| `/gm)).toHaveLength(4);
  });

  test('a | in a reason does not break the Markdown table', () => {
    const f: Finding = {
      framework: 'kubernetes',
      file: K8S,
      resource: 'Pod.default.p',
      checkId: 'CKV_K8S_1',
      checkName: 'n',
      outcome: 'skipped',
      reason: 'a | b',
    };
    expect(suppressionsMarkdown([f], summarise([f], [FILES[0]]), 'x')).toContain('| a \\| b |');
  });

  test('the baseline lists every failed check per file and object, and per check id', () => {
    const { findings, summary } = scan('k8s-unsuppressed.json');
    const report = baselineReport(findings, summary, { checkovVersion: '3.3.30', seconds: 1.25, date: 'D' });
    expect(report).toContain('checkov 3.3.30 scan of dist/ (kubernetes) and cdktf.out/ (terraform_json), D, 1.3 s');
    expect(report).toContain(
      '\ndist/web.k8s.yaml\n  Deployment.default.web\n    CKV_K8S_28   Minimize the admission of containers with the NET_RAW capability\n',
    );
    expect(report).toContain(
      '\nCKV_K8S_28  1  Minimize the admission of containers with the NET_RAW capability\n    web: Deployment.default.web\n',
    );
  });
});
