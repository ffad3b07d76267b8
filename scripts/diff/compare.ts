/**
 * The comparison behind `npm run diff`, on files already read: the manifests in dist/ object by
 * object (apiVersion, kind, namespace, name) and the cdktf stacks in cdktf.out/ block by block
 * (resources by type and name, data sources, outputs, variables, providers, the terraform
 * block). Secret data and sensitive stack values are replaced by placeholders that say whether
 * each value was added, removed, changed or unchanged, before anything is rendered.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';
import { parseAllDocuments, stringify } from 'yaml';

/** A synthesized tree: relative path (`dist/x.k8s.yaml`, `cdktf.out/stacks/s/cdk.tf.json`) to content. */
export type Files = ReadonlyMap<string, string>;

export type Status = 'added' | 'removed' | 'changed';

export interface Change {
  readonly file: string;
  /** Kubernetes kind, Terraform resource type, or `output`, `variable`, `data.<type>`, ... */
  readonly kind: string;
  /** What a reviewer reads: `Deployment kubia (apps/v1)`, `google_container_node_pool.pool`, `output.endpoint`. */
  readonly title: string;
  readonly status: Status;
  /** Unified diff hunks (after the `---`/`+++` lines) of the rendered object, redacted. */
  readonly diff: string;
  /** The redacted values and what happened to each: `data.password: changed`. */
  readonly redacted: readonly string[];
}

/** Reads dist/*.yaml and cdktf.out/stacks/<stack>/cdk.tf.json of a synthesized tree. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const dist = join(dir, 'dist');
  if (existsSync(dist))
    for (const f of readdirSync(dist).sort())
      if (/\.ya?ml$/.test(f)) files.set(`dist/${f}`, readFileSync(join(dist, f), 'utf8'));
  const stacks = join(dir, 'cdktf.out', 'stacks');
  if (existsSync(stacks))
    for (const s of readdirSync(stacks).sort()) {
      const file = join(stacks, s, 'cdk.tf.json');
      if (existsSync(file)) files.set(`cdktf.out/stacks/${s}/cdk.tf.json`, readFileSync(file, 'utf8'));
    }
  return files;
}

/** One comparable unit of a file: a manifest object or a stack block. */
interface Item {
  readonly key: string;
  readonly kind: string;
  readonly title: string;
  readonly value: unknown;
}

/** Where secret values sit in an item: `[path to an object whose every value is secret]` or a single value. */
interface SecretSpot {
  /** Path from the item's value to the secret. */
  readonly path: readonly string[];
  /** true: every entry of the object at `path` is a secret value; false: the value at `path` is. */
  readonly map: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function manifestItems(file: string, text: string): Item[] {
  const items: Item[] = [];
  const seen = new Map<string, number>();
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${file} is not valid YAML: ${doc.errors[0].message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (!isObject(value)) throw new Error(`${file} holds a document that is not a Kubernetes object`);
    const meta = isObject(value.metadata) ? value.metadata : {};
    const apiVersion = String(value.apiVersion ?? '');
    const kind = String(value.kind ?? '');
    const namespace = meta.namespace === undefined ? '' : String(meta.namespace);
    const name = String(meta.name ?? '');
    let key = [apiVersion, kind, namespace, name].join('|');
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) key += `#${n}`;
    const title = `${kind} ${namespace ? `${namespace}/` : ''}${name} (${apiVersion})${n > 1 ? ` #${n}` : ''}`;
    items.push({ key, kind, title, value });
  }
  return items;
}

/** Stack resources whose attributes hold secrets: type to attributes (maps: each entry is secret). */
const SECRET_ATTRIBUTES: Readonly<Record<string, readonly SecretSpot[]>> = {
  kubernetes_secret: [
    { path: ['data'], map: true },
    { path: ['binary_data'], map: true },
  ],
  kubernetes_secret_v1: [
    { path: ['data'], map: true },
    { path: ['binary_data'], map: true },
  ],
  google_secret_manager_secret_version: [{ path: ['secret_data'], map: false }],
};

function stackItems(file: string, text: string): Item[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(json)) throw new Error(`${file} is not a Terraform JSON configuration`);
  const items: Item[] = [];
  const nested = (block: string, kindOf: (type: string) => string, titleOf: (type: string, name: string) => string) => {
    const byType = json[block];
    if (!isObject(byType)) return;
    for (const [type, byName] of Object.entries(byType))
      if (isObject(byName))
        for (const [name, value] of Object.entries(byName))
          items.push({ key: `${block}.${type}.${name}`, kind: kindOf(type), title: titleOf(type, name), value });
  };
  const flat = (block: string, kind: string, prefix: string) => {
    const byName = json[block];
    if (!isObject(byName)) return;
    for (const [name, value] of Object.entries(byName))
      items.push({ key: `${block}.${name}`, kind, title: `${prefix}.${name}`, value });
  };
  nested(
    'resource',
    (type) => type,
    (type, name) => `${type}.${name}`,
  );
  nested(
    'data',
    (type) => `data.${type}`,
    (type, name) => `data.${type}.${name}`,
  );
  flat('output', 'output', 'output');
  flat('variable', 'variable', 'var');
  flat('locals', 'locals', 'local');
  flat('module', 'module', 'module');
  flat('provider', 'provider', 'provider');
  if (json.terraform !== undefined)
    items.push({ key: 'terraform', kind: 'terraform', title: 'terraform', value: json.terraform });
  // The top-level "//" block is cdktf's metadata (its version, the stack's name): not infrastructure.
  return items;
}

function itemsOf(file: string, text: string): Item[] {
  return file.endsWith('.json') ? stackItems(file, text) : manifestItems(file, text);
}

/** Where the secrets of an item are, on either side. */
function secretSpots(item: Item): SecretSpot[] {
  const v = item.value;
  if (!isObject(v)) return [];
  if (item.key.startsWith('output.') && v.sensitive === true) return [{ path: ['value'], map: false }];
  if (item.key.startsWith('variable.') && v.sensitive === true) return [{ path: ['default'], map: false }];
  if (item.key.startsWith('resource.')) return [...(SECRET_ATTRIBUTES[item.kind] ?? [])];
  if (v.kind === 'Secret' && typeof v.apiVersion === 'string' && v.apiVersion === 'v1')
    return [
      { path: ['data'], map: true },
      { path: ['stringData'], map: true },
    ];
  return [];
}

const REDACTED = '<redacted>';
const placeholder = (what: 'changed' | 'added') => `<redacted, ${what}>`;

function getAt(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const p of path) v = isObject(v) ? v[p] : undefined;
  return v;
}

function setAt(value: unknown, path: readonly string[], replacement: unknown): void {
  let v = value;
  for (const p of path.slice(0, -1)) v = isObject(v) ? v[p] : undefined;
  if (isObject(v) && path[path.length - 1] in v) v[path[path.length - 1]] = replacement;
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    isObject(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, x[k]]),
        )
      : x,
  );

/**
 * Copies of both sides with every secret value replaced: `<redacted>` on the base side and on an
 * unchanged value, `<redacted, changed>` / `<redacted, added>` on the new side, so the diff shows
 * which secret changed without showing any. Returns the list of what happened to each.
 */
export function redact(
  base: Item | undefined,
  head: Item | undefined,
): { base: unknown; head: unknown; notes: string[] } {
  const b = base === undefined ? undefined : (structuredClone(base.value) as unknown);
  const h = head === undefined ? undefined : (structuredClone(head.value) as unknown);
  const spots = new Map<string, SecretSpot>();
  for (const s of [...(base ? secretSpots(base) : []), ...(head ? secretSpots(head) : [])])
    spots.set(s.path.join('.'), s);
  // Only one side present (an added or removed object): each secret value is simply there.
  const onlyOne = base === undefined || head === undefined;
  const notes: string[] = [];
  const note = (label: string, bv: unknown, hv: unknown) => {
    const status = onlyOne
      ? 'present'
      : bv === undefined
        ? 'added'
        : hv === undefined
          ? 'removed'
          : canonical(bv) === canonical(hv)
            ? 'unchanged'
            : 'changed';
    notes.push(`${label}: ${status}`);
    return status;
  };
  for (const spot of spots.values()) {
    const bv = getAt(b, spot.path);
    const hv = getAt(h, spot.path);
    const label = spot.path.join('.');
    if (spot.map) {
      const bm = isObject(bv) ? bv : {};
      const hm = isObject(hv) ? hv : {};
      for (const k of [...new Set([...Object.keys(bm), ...Object.keys(hm)])].sort()) {
        const status = note(`${label}.${k}`, bm[k], hm[k]);
        if (k in bm) bm[k] = REDACTED;
        if (k in hm) hm[k] = status === 'changed' || status === 'added' ? placeholder(status) : REDACTED;
      }
      // A secret map that is not an object (a token, say) is still a secret.
      if (bv !== undefined && !isObject(bv)) setAt(b, spot.path, REDACTED);
      if (hv !== undefined && !isObject(hv)) setAt(h, spot.path, REDACTED);
    } else if (bv !== undefined || hv !== undefined) {
      const status = note(label, bv, hv);
      setAt(b, spot.path, REDACTED);
      setAt(h, spot.path, status === 'changed' || status === 'added' ? placeholder(status) : REDACTED);
    }
  }
  return { base: b, head: h, notes };
}

function render(file: string, value: unknown): string {
  if (value === undefined) return '';
  return file.endsWith('.json') ? `${JSON.stringify(value, null, 2)}\n` : stringify(value, { lineWidth: 0 });
}

export interface DiffLabels {
  /** How the base is named in diff headers, e.g. `HEAD~1`. */
  readonly base: string;
  /** How the new side is named, e.g. `working tree`. */
  readonly head: string;
}

/** Every added, removed and changed item, file by file (files sorted, items in file order). */
export function compareTrees(base: Files, head: Files, labels: DiffLabels = { base: 'base', head: 'head' }): Change[] {
  const changes: Change[] = [];
  const files = [...new Set([...base.keys(), ...head.keys()])].sort(
    (a, b) => Number(a.endsWith('.json')) - Number(b.endsWith('.json')) || a.localeCompare(b),
  );
  for (const file of files) {
    const before = new Map(itemsOf(file, base.get(file) ?? '').map((i) => [i.key, i]));
    const after = itemsOf(file, head.get(file) ?? '');
    const keys = [...after.map((i) => i.key), ...[...before.keys()].filter((k) => !after.some((i) => i.key === k))];
    const afterByKey = new Map(after.map((i) => [i.key, i]));
    for (const key of keys) {
      const b = before.get(key);
      const h = afterByKey.get(key);
      if (b && h && canonical(b.value) === canonical(h.value)) continue;
      const status: Status = b === undefined ? 'added' : h === undefined ? 'removed' : 'changed';
      const item = (h ?? b)!;
      const red = redact(b, h);
      const patch = createTwoFilesPatch(
        `${labels.base}:${file}`,
        `${labels.head}:${file}`,
        render(file, red.base),
        render(file, red.head),
        undefined,
        undefined,
        { context: 3, headerOptions: FILE_HEADERS_ONLY },
      );
      changes.push({
        file,
        kind: item.kind,
        title: item.title,
        status,
        diff: patch.replace(/^--- .*\n\+\+\+ .*\n/, ''),
        redacted: red.notes,
      });
    }
  }
  return changes;
}
