// npm run diff's comparison and rendering, on in-memory trees (no git, no synth).
import { stringify } from 'yaml';
import { type Change, compareTrees } from '../scripts/diff/compare';
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT, renderMarkdown, renderText, summaryLine } from '../scripts/diff/render';

const sides = { ref: 'HEAD~1', commit: 'abc123' };
const yaml = (...docs: object[]) => docs.map((d) => stringify(d)).join('---\n');
const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});
const service = (name: string, port: number, namespace?: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { ports: [{ port }] },
});
const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } },
});

describe('manifests, object by object', () => {
  const base = files({
    'dist/app.k8s.yaml': yaml(
      configMap('settings', { mode: 'slow' }),
      service('web', 80),
      deployment('web', 1),
      service('web', 80, 'other'),
    ),
    'dist/gone.k8s.yaml': yaml(configMap('old', { a: '1' })),
    'dist/same.k8s.yaml': yaml(deployment('untouched', 3)),
  });
  const head = files({
    'dist/app.k8s.yaml': yaml(
      configMap('settings', { mode: 'fast' }),
      deployment('web', 1),
      service('web', 8080, 'other'),
      configMap('extra', { b: '2' }),
    ),
    'dist/new.k8s.yaml': yaml(service('fresh', 443)),
    'dist/same.k8s.yaml': yaml(deployment('untouched', 3)),
  });
  const changes = compareTrees(base, head, { base: 'HEAD~1', head: 'working tree' });

  it('lists exactly the added, removed and changed objects, keyed by apiVersion, kind, namespace and name', () => {
    expect(changes.map((c) => [c.file, c.status, c.title])).toEqual([
      ['dist/app.k8s.yaml', 'changed', 'ConfigMap settings (v1)'],
      ['dist/app.k8s.yaml', 'changed', 'Service other/web (v1)'],
      ['dist/app.k8s.yaml', 'added', 'ConfigMap extra (v1)'],
      ['dist/app.k8s.yaml', 'removed', 'Service web (v1)'],
      ['dist/gone.k8s.yaml', 'removed', 'ConfigMap old (v1)'],
      ['dist/new.k8s.yaml', 'added', 'Service fresh (v1)'],
    ]);
  });

  it('gives each changed object a unified diff of its YAML with the changed lines', () => {
    const settings = changes.find((c) => c.title.startsWith('ConfigMap settings'))!;
    expect(settings.diff.split('\n')).toEqual(expect.arrayContaining(['-  mode: slow', '+  mode: fast']));
    expect(settings.diff).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@/);
    const port = changes.find((c) => c.title === 'Service other/web (v1)')!;
    expect(port.diff).toContain('-    - port: 80\n+    - port: 8080');
    const added = changes.find((c) => c.title === 'Service fresh (v1)')!;
    expect(added.diff.split('\n').filter((l) => l.startsWith('-'))).toEqual([]);
    expect(added.diff).toContain('+  name: fresh');
    const removed = changes.find((c) => c.title === 'ConfigMap old (v1)')!;
    expect(removed.diff.split('\n').filter((l) => l.startsWith('+'))).toEqual([]);
  });

  it('prints only what changed: the unchanged objects and files are not mentioned', () => {
    const text = renderText(changes, sides);
    expect(text).not.toContain('untouched');
    expect(text).not.toContain('same.k8s.yaml');
    expect(text).not.toContain('Deployment web');
  });

  it('summarises in one line, with counts per file and kind', () => {
    expect(summaryLine(changes)).toBe(
      '6 changes (2 changed, 2 added, 2 removed) in 3 files: ' +
        'dist/app.k8s.yaml (ConfigMap 1 changed, 1 added; Service 1 changed, 1 removed); ' +
        'dist/gone.k8s.yaml (ConfigMap 1 removed); dist/new.k8s.yaml (Service 1 added)',
    );
    expect(renderText(changes, sides).split('\n')[0]).toBe(`Against HEAD~1 (abc123): ${summaryLine(changes)}`);
  });

  it('reports no change for equal trees, and for objects whose keys are only reordered', () => {
    const reordered = files({
      'dist/app.k8s.yaml': yaml({
        kind: 'ConfigMap',
        data: { b: '2', a: '1' },
        metadata: { name: 'x' },
        apiVersion: 'v1',
      }),
    });
    const original = files({ 'dist/app.k8s.yaml': yaml(configMap('x', { a: '1', b: '2' })) });
    expect(compareTrees(original, reordered)).toEqual([]);
    expect(compareTrees(base, base)).toEqual([]);
    expect(renderText([], sides)).toBe(
      'No change: the working tree synthesizes the same manifests and stacks as HEAD~1 (abc123).\n',
    );
    expect(renderMarkdown([], sides)).toContain('No change');
  });

  it('refuses a file that is not YAML, naming it', () => {
    expect(() => compareTrees(files({}), files({ 'dist/bad.k8s.yaml': 'a: [\n' }))).toThrow(
      /dist\/bad\.k8s\.yaml is not valid YAML/,
    );
  });
});

describe('Secrets and sensitive stack values', () => {
  const secret = (data: Record<string, string>, stringData?: Record<string, string>, label = 'a') => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'mysql-pass', labels: { tier: label } },
    data,
    ...(stringData ? { stringData } : {}),
  });
  const values = ['czNjcjN0', 'YWRtaW4=', 'bmV3LXNlY3JldA==', 'dG9rZW4=', 'plain-old', 'plain-new', 'gone-value'];

  it('shows which Secret values were added, removed, changed or unchanged, and none of the values', () => {
    const base = files({
      'dist/s.k8s.yaml': yaml(
        secret({ password: 'czNjcjN0', user: 'YWRtaW4=', old: 'gone-value' }, { x: 'plain-old' }),
      ),
    });
    const head = files({
      'dist/s.k8s.yaml': yaml(
        secret({ password: 'bmV3LXNlY3JldA==', user: 'YWRtaW4=', token: 'dG9rZW4=' }, { x: 'plain-new' }),
      ),
    });
    const changes = compareTrees(base, head);
    expect(changes).toHaveLength(1);
    expect(changes[0].redacted).toEqual([
      'data.old: removed',
      'data.password: changed',
      'data.token: added',
      'data.user: unchanged',
      'stringData.x: changed',
    ]);
    expect(changes[0].diff.split('\n')).toEqual(
      expect.arrayContaining([
        '-  password: <redacted>',
        '+  password: <redacted, changed>',
        '+  token: <redacted, added>',
        '-  old: <redacted>',
        '   user: <redacted>',
      ]),
    );
    const outputs = [renderText(changes, sides), renderMarkdown(changes, sides), JSON.stringify(changes)];
    for (const out of outputs) for (const v of values) expect(out).not.toContain(v);
  });

  it('hides the values of an added or removed Secret too', () => {
    const changes = compareTrees(files({}), files({ 'dist/s.k8s.yaml': yaml(secret({ password: 'czNjcjN0' })) }));
    expect(changes[0].status).toBe('added');
    expect(changes[0].redacted).toEqual(['data.password: present']);
    expect(changes[0].diff).toContain('+  password: <redacted>');
    expect(JSON.stringify(changes)).not.toContain('czNjcjN0');
  });

  it('says the values are unchanged when only the rest of a Secret changed', () => {
    const changes = compareTrees(
      files({ 'dist/s.k8s.yaml': yaml(secret({ password: 'czNjcjN0' }, undefined, 'a')) }),
      files({ 'dist/s.k8s.yaml': yaml(secret({ password: 'czNjcjN0' }, undefined, 'b')) }),
    );
    expect(changes[0].redacted).toEqual(['data.password: unchanged']);
    expect(changes[0].diff).toContain('-    tier: a\n+    tier: b');
    expect(changes[0].diff).not.toContain('czNjcjN0');
  });

  const stack = (endpoint: string, machine: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      '//': { metadata: { version: endpoint } },
      resource: {
        google_container_node_pool: { pool: { machine_type: machine, node_count: 4 } },
        google_compute_network: { vpc: { name: 'tutorials' } },
        kubernetes_secret_v1: { creds: { metadata: { name: 'c' }, data: { key: `${endpoint}-secret` } } },
      },
      output: {
        endpoint: { sensitive: true, value: endpoint },
        name: { value: 'tutorials' },
        ...extra,
      },
      variable: { project: { type: 'string', default: '' } },
    });
  const file = 'cdktf.out/stacks/gke/cdk.tf.json';

  it('compares stacks resource by resource (type and name) and output by output, sensitive values redacted', () => {
    const changes = compareTrees(
      files({ [file]: stack('10.0.0.1', 'e2-standard-2') }),
      files({ [file]: stack('10.0.0.2', 'e2-standard-4', { region: { value: 'us-central1' } }) }),
    );
    expect(changes.map((c) => [c.status, c.kind, c.title])).toEqual([
      ['changed', 'google_container_node_pool', 'google_container_node_pool.pool'],
      ['changed', 'kubernetes_secret_v1', 'kubernetes_secret_v1.creds'],
      ['changed', 'output', 'output.endpoint'],
      ['added', 'output', 'output.region'],
    ]);
    expect(changes[0].diff).toContain('-  "machine_type": "e2-standard-2",\n+  "machine_type": "e2-standard-4",');
    expect(changes[1].redacted).toEqual(['data.key: changed']);
    expect(changes[2].redacted).toEqual(['value: changed']);
    expect(changes[2].diff).toContain('+  "value": "<redacted, changed>"');
    const text = renderText(changes, sides);
    expect(text).not.toMatch(/10\.0\.0\.[12]/);
    expect(text).not.toContain('google_compute_network');
    expect(summaryLine(changes)).toBe(
      `4 changes (3 changed, 1 added, 0 removed) in 1 file: ${file} ` +
        '(google_container_node_pool 1 changed; kubernetes_secret_v1 1 changed; output 1 changed, 1 added)',
    );
  });

  it('ignores cdktf metadata ("//"), which is not infrastructure', () => {
    const a = JSON.stringify({ '//': { metadata: { version: '0.20.0' } }, resource: {} });
    const b = JSON.stringify({ '//': { metadata: { version: '0.21.0' } }, resource: {} });
    expect(compareTrees(files({ [file]: a }), files({ [file]: b }))).toEqual([]);
  });
});

describe('the Markdown comment', () => {
  const change = (i: number, lines: number): Change => ({
    file: `dist/chart-${i}.k8s.yaml`,
    kind: 'ConfigMap',
    title: `ConfigMap cm-${i} (v1)`,
    status: 'changed',
    diff: `@@ -1,${lines} +1,${lines} @@\n${Array.from({ length: lines }, (_, j) => `-  k${j}: old-${i}\n+  k${j}: new-${i}`).join('\n')}\n`,
    redacted: [],
  });

  it('starts with the marker and the summary, then one <details> per change with its diff', () => {
    const md = renderMarkdown([change(1, 2), change(2, 2)], sides);
    expect(md.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(md).toContain('2 changes (2 changed, 0 added, 0 removed) in 2 files');
    expect(md.match(/<details>/g)).toHaveLength(2);
    expect(md).toContain('```diff\n@@ -1,2 +1,2 @@\n-  k0: old-1\n+  k0: new-1');
    expect(md).not.toContain('Cut');
  });

  it('stays under GitHub’s 65,536 characters and says what it cut', () => {
    const changes = Array.from({ length: 200 }, (_, i) => change(i, 20));
    const full = changes.map((c) => c.diff.length).reduce((a, b) => a + b, 0);
    expect(full).toBeGreaterThan(GITHUB_COMMENT_LIMIT); // the test needs a cut
    const md = renderMarkdown(changes, sides);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const shown = md.match(/<details>/g)!.length;
    const cutCount = Number(/\*\*Cut:\*\* (\d+) of 200 changes are not shown/.exec(md)![1]);
    expect(shown + cutCount).toBe(200);
    expect(shown).toBeGreaterThan(10);
    // Every cut change is named, or counted in "and N more".
    const named = (md.split('**Cut:**')[1].match(/^- changed <code>/gm) ?? []).length;
    const more = Number(/^- and (\d+) more$/m.exec(md)?.[1] ?? 0);
    expect(named + more).toBe(cutCount);
    // Equal sizes: the first ones fit, the first cut one is named.
    expect(md).toContain(`- changed <code>ConfigMap cm-${shown} (v1)</code>`);
  });

  it('keeps a small later change when one huge change does not fit', () => {
    const md = renderMarkdown([change(0, 5000), change(1, 1)], sides);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toContain('cm-1 (v1)</code> in');
    expect(md).toContain('**Cut:** 1 of 2 changes are not shown');
    expect(md).toContain('- changed <code>ConfigMap cm-0 (v1)</code>');
  });

  it('escapes HTML in titles and fences a diff that contains backticks', () => {
    const c = { ...change(1, 1), title: 'ConfigMap <b>x</b> (v1)', diff: '@@ -1 +1 @@\n-a: ```\n+a: ````\n' };
    const md = renderMarkdown([c], sides);
    expect(md).toContain('<code>ConfigMap &lt;b&gt;x&lt;/b&gt; (v1)</code>');
    expect(md).toContain('`````diff\n');
  });
});
