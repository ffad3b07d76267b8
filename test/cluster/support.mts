/* eslint-disable @typescript-eslint/no-explicit-any -- these suites read loosely typed server JSON, as test/ does (eslint.config.mjs) */
/**
 * Shared by the cluster suites: the synthesized objects (dist/*.k8s.yaml and the cdktf config
 * stack), a client for the API server under test (@kubernetes/client-node 2.x, installed as
 * `kubernetes-client` so that the 0.19 copy the static harness reads its 1.27 models from stays),
 * and server-side apply that returns the server's warnings.
 *
 * These suites read synthesized output, not lib/, so they do not depend on how the constructs are
 * organised; from apps/ they take `npm run verify`'s install order (apps/verify/manifests.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as k8s from 'kubernetes-client';
import { parseAllDocuments } from 'yaml';
import { Discovery, restPath } from '../../apps/verify/kube.ts';
import { installOrder } from '../../apps/verify/manifests.ts';

export const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const DIST = path.join(ROOT, 'dist');
export const CONFIG_STACK = path.join(ROOT, 'cdktf.out', 'stacks', 'tutorials-gke-config', 'cdk.tf.json');
export const CLUSTER_STACK = path.join(ROOT, 'cdktf.out', 'stacks', 'tutorials-gke', 'cdk.tf.json');
export const WARNINGS_FILE = path.join(ROOT, 'docs', 'cluster-warnings.json');

export const FIELD_MANAGER = 'test-cluster';

/** `local`: the throwaway control plane the runner started. `external`: KUBECONFIG, dry run only. */
export const MODE = (process.env.CLUSTER_MODE ?? 'local') as 'local' | 'external';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: any;
}

export interface Tutorial {
  /** The dist file's basename, which is also the namespace the tutorial is applied in. */
  readonly id: string;
  readonly objects: K8sObject[];
}

export function loadTutorials(): Tutorial[] {
  if (!fs.existsSync(DIST)) throw new Error('dist/ is missing: run `npm run synth` first');
  const files = fs
    .readdirSync(DIST)
    .filter((f) => f.endsWith('.k8s.yaml'))
    .sort();
  if (files.length === 0) throw new Error('dist/ has no *.k8s.yaml: run `npm run synth` first');
  return files.map((f) => {
    const docs = parseAllDocuments(fs.readFileSync(path.join(DIST, f), 'utf8'));
    for (const d of docs) if (d.errors.length) throw new Error(`${f}: ${d.errors[0].message}`);
    const objects = docs.map((d) => d.toJS()).filter((o) => o && typeof o === 'object') as K8sObject[];
    return { id: f.replace(/\.k8s\.yaml$/, ''), objects };
  });
}

/**
 * The cluster-wide objects the config stack creates, as Kubernetes objects built from the stack's
 * own values: its StorageClasses, then its PriorityClasses (the charts' Pods name them, and the
 * API server refuses a Pod whose class does not exist). The suites apply them before the charts.
 */
export function stackClusterObjects(): K8sObject[] {
  return [...storageClassesOfStack(), ...stackPriorityClasses()];
}

/** The PriorityClasses the config stack creates (kubernetes_priority_class_v1). */
export function stackPriorityClasses(): K8sObject[] {
  const stack = JSON.parse(fs.readFileSync(CONFIG_STACK, 'utf8'));
  return (Object.values(stack.resource?.kubernetes_priority_class_v1 ?? {}) as any[]).map((r) => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: r.metadata.name },
    value: r.value,
    ...(r.preemption_policy ? { preemptionPolicy: r.preemption_policy } : {}),
    ...(r.global_default !== undefined ? { globalDefault: r.global_default } : {}),
    ...(r.description ? { description: r.description } : {}),
  }));
}

function storageClassesOfStack(): K8sObject[] {
  const stack = JSON.parse(fs.readFileSync(CONFIG_STACK, 'utf8'));
  const resources = Object.values(stack.resource?.kubernetes_storage_class_v1 ?? {}) as any[];
  if (resources.length === 0) throw new Error(`${CONFIG_STACK} has no kubernetes_storage_class_v1`);
  return resources.map((r) => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: r.metadata.name,
      ...(r.metadata.labels ? { labels: r.metadata.labels } : {}),
      ...(r.metadata.annotations ? { annotations: r.metadata.annotations } : {}),
    },
    provisioner: r.storage_provisioner,
    ...(r.parameters ? { parameters: r.parameters } : {}),
    ...(r.reclaim_policy ? { reclaimPolicy: r.reclaim_policy } : {}),
    ...(r.volume_binding_mode ? { volumeBindingMode: r.volume_binding_mode } : {}),
    ...(r.allow_volume_expansion !== undefined ? { allowVolumeExpansion: r.allow_volume_expansion } : {}),
    ...(r.mount_options ? { mountOptions: r.mount_options } : {}),
  }));
}

/** Dependencies first, so that a real apply finds what it refers to: `npm run verify`'s order. */
export { installOrder };

export const POD_SECURITY_LABELS = {
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
};

export function tutorialNamespace(id: string, labels: Record<string, string> = POD_SECURITY_LABELS): K8sObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: id, labels: { ...labels } } };
}

// ---------------------------------------------------------------- the client

export interface ApiResponse {
  status: number;
  body: any;
  warnings: string[];
}

/** `299 - "text", 299 - "other"`: one entry per quoted text (texts may contain commas). */
export function parseWarnings(header: string | undefined): string[] {
  if (!header) return [];
  return [...header.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
}

export class Cluster {
  readonly kc = new k8s.KubeConfig();
  private readonly http = new k8s.IsomorphicFetchHttpLibrary();
  /** The server's resources (apps/verify's discovery, as `npm run verify` reads them). */
  private readonly served = new Discovery((p) => this.request('GET', p));
  readonly core: k8s.CoreV1Api;
  readonly apps: k8s.AppsV1Api;
  readonly policy: k8s.PolicyV1Api;
  readonly discovery: k8s.DiscoveryV1Api;

  constructor(kubeconfigFile: string) {
    this.kc.loadFromFile(kubeconfigFile);
    this.core = this.kc.makeApiClient(k8s.CoreV1Api);
    this.apps = this.kc.makeApiClient(k8s.AppsV1Api);
    this.policy = this.kc.makeApiClient(k8s.PolicyV1Api);
    this.discovery = this.kc.makeApiClient(k8s.DiscoveryV1Api);
  }

  static fromEnv(): Cluster {
    const file = process.env.CLUSTER_KUBECONFIG ?? process.env.KUBECONFIG;
    if (!file) throw new Error('no kubeconfig: run this suite through `npm run test:cluster`');
    return new Cluster(file);
  }

  /** One request through the client's own transport (TLS, token) with the raw response. */
  async request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    pathAndQuery: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<ApiResponse> {
    const server = this.kc.getCurrentCluster()!.server.replace(/\/$/, '');
    const ctx = new k8s.RequestContext(server + pathAndQuery, k8s.HttpMethod[method]);
    ctx.setHeaderParam('Accept', 'application/json');
    if (body !== undefined) {
      ctx.setHeaderParam('Content-Type', contentType);
      ctx.setBody(typeof body === 'string' ? body : JSON.stringify(body));
    }
    await this.kc.applySecurityAuthentication(ctx);
    const rsp = await this.http.send(ctx).toPromise();
    const text = await rsp.body.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: rsp.httpStatusCode, body: parsed, warnings: parseWarnings(rsp.headers.warning) };
  }

  /** The server's resource for apiVersion/kind, from its discovery (so a kind it does not serve is an error). */
  async resource(apiVersion: string, kind: string): Promise<{ name: string; namespaced: boolean }> {
    const resource = await this.served.resource(apiVersion, kind);
    if (!resource) throw new Error(`the server does not serve ${apiVersion} ${kind}`);
    return resource;
  }

  /** The REST path of an object. */
  async pathOf(o: K8sObject): Promise<string> {
    return restPath(o, await this.resource(o.apiVersion, o.kind));
  }

  async isNamespaced(o: K8sObject): Promise<boolean> {
    return (await this.resource(o.apiVersion, o.kind)).namespaced;
  }

  /** Server-side apply with strict field validation; `dryRun` asks the server to persist nothing. */
  async apply(o: K8sObject, { dryRun }: { dryRun: boolean }): Promise<ApiResponse> {
    const query = new URLSearchParams({ fieldManager: FIELD_MANAGER, force: 'true', fieldValidation: 'Strict' });
    if (dryRun) query.set('dryRun', 'All');
    return this.request('PATCH', `${await this.pathOf(o)}?${query}`, o, 'application/apply-patch+yaml');
  }

  async version(): Promise<{ gitVersion: string; major: string; minor: string }> {
    const r = await this.request('GET', '/version');
    return r.body;
  }
}

/** `<namespace or -cluster->/<Kind>/<name>`: how warnings and refusals are keyed. */
export function objectKey(o: K8sObject): string {
  return `${o.metadata.namespace ?? '-cluster-'}/${o.kind}/${o.metadata.name}`;
}

export function statusMessage(r: ApiResponse): string {
  if (r.body && typeof r.body === 'object' && r.body.message)
    return `${r.status} ${r.body.reason ?? ''}: ${r.body.message}`;
  return `${r.status}: ${typeof r.body === 'string' ? r.body.slice(0, 500) : JSON.stringify(r.body)}`;
}

/** Gives every namespaced object without a namespace the tutorial's namespace (objects with one keep it). */
export async function placed(cluster: Cluster, tutorial: Tutorial): Promise<K8sObject[]> {
  const out: K8sObject[] = [];
  for (const o of tutorial.objects) {
    const copy: K8sObject = structuredClone(o);
    if (!copy.metadata.namespace && (await cluster.isNamespaced(copy))) copy.metadata.namespace = tutorial.id;
    out.push(copy);
  }
  return out.sort(installOrder);
}

export function isPodSecurityWarning(w: string): boolean {
  return w.includes('would violate PodSecurity');
}
