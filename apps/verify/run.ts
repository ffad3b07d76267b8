/* eslint-disable @typescript-eslint/no-explicit-any -- server JSON is read loosely */
import { TutorialCheck } from '../checks';
import { checkJob, checkJobName, matchOutput, oneLine } from './checks';
import { ApiResponse, Discovery, ExecResult, restPath } from './kube';
import { Manifest, Placed } from './manifests';
import { VerifyOptions } from './options';
import { ResultRow, SIMULATED, failed, notRun, passed } from './report';
import { missingSecrets, throwawaySecret } from './secrets';

/**
 * The orchestration of `npm run verify`: pre-flight refusals, then per tutorial dry run, apply
 * (with throw-away Secrets), wait, checks, clean-up. Every call to the cluster goes through the
 * small {@link Api} interface, which `Kube` (apps/verify/kube.ts) implements with
 * `@kubernetes/client-node`.
 */

export interface Api {
  readonly context: { readonly name: string; readonly server: string };
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    pathAndQuery: string,
    body?: unknown,
    contentType?: string,
    timeoutMs?: number,
  ): Promise<ApiResponse>;
  exec(
    namespace: string,
    pod: string,
    container: string,
    command: readonly string[],
    timeoutMs: number,
  ): Promise<ExecResult>;
}

export interface Io {
  /** A finished line (stdout). */
  readonly line: (text: string) => void;
  /** A live progress line, replaced by the next one on a terminal. */
  readonly progress: (text: string) => void;
}

export interface Tutorial {
  readonly placed: Placed;
  readonly checks: readonly TutorialCheck[];
}

export const FIELD_MANAGER = 'k8s-tutorials-verify';
export const MANAGED_LABEL = 'app.kubernetes.io/managed-by';
export const RUN_LABEL = 'k8s-tutorials-verify/run';

export class Refusal extends Error {}
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

const seconds = (since: number) => (Date.now() - since) / 1000;

export function statusMessage(r: ApiResponse): string {
  if (r.body && typeof r.body === 'object' && r.body.message)
    return `${r.status} ${r.body.reason ?? ''}: ${r.body.message}`.replace(/ +:/, ':');
  return `${r.status}: ${typeof r.body === 'string' ? r.body.slice(0, 300) : JSON.stringify(r.body)}`;
}

/** One permission a SelfSubjectAccessReview asks about. */
type Review = { namespace?: string; verb: string; group: string; resource: string; subresource?: string };

/** The rows of a tutorial that writes outside its namespace, without --include-shared: nothing is deployed. */
function sharedNotRun(t: Tutorial): ResultRow[] {
  const id = t.placed.id;
  const where = [
    ...new Set(
      t.placed.shared.map((o) => (o.metadata.namespace ? `namespace ${o.metadata.namespace}` : 'cluster scope')),
    ),
  ].join(' and ');
  return [
    notRun(id, 'deploy', `writes to ${where}, which is not throw-away; pass --include-shared`),
    ...t.checks.map((c) => notRun(id, c.name, 'not deployed')),
  ];
}

/** What verify created, so that clean-up (also after Ctrl-C) deletes exactly that. */
export class Created {
  readonly namespaces: string[] = [];
  readonly shared: Manifest[] = [];
}

export class Verifier {
  private readonly discovery = new Discovery((path) => this.call('GET', path));
  readonly created = new Created();
  private simulated = false;

  constructor(
    private readonly api: Api,
    private readonly options: VerifyOptions,
    private readonly io: Io,
    private readonly signal: AbortSignal,
    private readonly pollMs = 2000,
  ) {}

  // ---------------------------------------------------------------- REST helpers

  private async sleep(ms: number): Promise<void> {
    if (this.signal.aborted) throw new Interrupted();
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(new Interrupted());
      };
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async call(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<ApiResponse> {
    if (this.signal.aborted) throw new Interrupted();
    return this.api.request(method, path, body, contentType);
  }

  private async get(path: string): Promise<any> {
    const r = await this.call('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${statusMessage(r)}`);
    return r.body;
  }

  /** The server's resource for apiVersion/kind, from discovery. */
  async resource(apiVersion: string, kind: string): Promise<{ name: string; namespaced: boolean }> {
    const found = await this.discovery.resource(apiVersion, kind);
    if (!found) throw new Refusal(`the cluster does not serve ${apiVersion} ${kind}`);
    return found;
  }

  async pathOf(o: Manifest, name = true): Promise<string> {
    return restPath(o, await this.resource(o.apiVersion, o.kind), name);
  }

  /** Server-side apply (field manager k8s-tutorials-verify), strict field validation; `dryRun` persists nothing. */
  async apply(o: Manifest, dryRun: boolean): Promise<ApiResponse> {
    const q = new URLSearchParams({ fieldManager: FIELD_MANAGER, force: 'true', fieldValidation: 'Strict' });
    if (dryRun) q.set('dryRun', 'All');
    return this.call('PATCH', `${await this.pathOf(o)}?${q}`, o, 'application/apply-patch+yaml');
  }

  // ---------------------------------------------------------------- pre-flight

  /**
   * Everything that is refused before anything is created: an unreachable cluster, a namespace
   * that already exists, a shared object that already exists, and a permission verify lacks
   * (one SelfSubjectAccessReview per verb and resource it will use). Returns the refusals.
   */
  async preflight(tutorials: readonly Tutorial[]): Promise<string[]> {
    const unreachable = await this.reachCluster();
    if (unreachable) return [unreachable];
    const out: string[] = [];
    const reviews = new Map<string, Review>();
    const review = (r: Review) => reviews.set(JSON.stringify(r), r);
    review({ verb: 'create', group: '', resource: 'namespaces' });
    review({ verb: 'delete', group: '', resource: 'namespaces' });
    review({ verb: 'list', group: '', resource: 'nodes' });
    for (const t of tutorials) out.push(...(await this.tutorialRefusals(t, review)));
    out.push(...(await this.missingPermissions(reviews.values())));
    if (out.length) return out;
    await this.readNodes();
    return out;
  }

  /** GET /version: undefined once the cluster answers (and the run says which cluster it is), else why not. */
  private async reachCluster(): Promise<string | undefined> {
    let version: any;
    try {
      const r = await this.api.request('GET', '/version', undefined, undefined, 10_000);
      if (r.status === 401 || r.status === 403)
        return `the cluster at ${this.api.context.server} refused the context's credentials: ${statusMessage(r)}`;
      if (r.status !== 200)
        return `the cluster at ${this.api.context.server} answered GET /version with ${statusMessage(r)}`;
      version = r.body;
    } catch (e) {
      return `no reachable cluster: context '${this.api.context.name}' points at ${this.api.context.server}, which did not answer (${(e as Error).message})`;
    }
    this.io.line(
      `cluster: ${this.api.context.server} (context ${this.api.context.name}, Kubernetes ${version?.gitVersion ?? '?'})`,
    );
    return undefined;
  }

  /**
   * What refuses one tutorial: its namespace or a shared object (or a throw-away Secret outside
   * its namespace) already exists, or the cluster does not serve a kind. Adds every permission
   * the tutorial needs to `review`.
   */
  private async tutorialRefusals(t: Tutorial, review: (r: Review) => void): Promise<string[]> {
    const out: string[] = [];
    const ns = t.placed.namespace;
    const existing = await this.call('GET', `/api/v1/namespaces/${ns}`);
    if (existing.status === 200)
      out.push(
        `${t.placed.id}: namespace ${ns} already exists; verify only deletes what it created (delete it, or choose another --namespace-prefix)`,
      );
    // Shared objects (another namespace, cluster scope) are only touched with --include-shared.
    const touched = t.placed.objects.filter((o) => this.options.includeShared || !t.placed.shared.includes(o));
    const secrets = missingSecrets(touched).map(
      (s) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: s.name, namespace: s.namespace } }) as Manifest,
    );
    for (const s of secrets.filter((x) => x.metadata.namespace !== ns)) {
      // A throw-away Secret outside the tutorial's namespace (guestbook-logging's kube-system/dynamic-logging)
      // must not replace, and later delete, the user's own.
      const r = await this.call('GET', await this.pathOf(s));
      if (r.status === 200)
        out.push(
          `${t.placed.id}: Secret ${s.metadata.namespace}/${s.metadata.name} already exists; verify will not replace or delete a Secret it did not create`,
        );
    }
    for (const o of [
      ...touched,
      ...secrets,
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: ns } } as Manifest,
    ]) {
      let res: { name: string; namespaced: boolean };
      try {
        res = await this.resource(o.apiVersion, o.kind);
      } catch (e) {
        out.push(`${t.placed.id}: ${(e as Error).message}`);
        continue;
      }
      const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
      const namespace = res.namespaced ? o.metadata.namespace : undefined;
      for (const verb of ['create', 'patch', 'delete', 'get']) review({ namespace, verb, group, resource: res.name });
      if (t.placed.shared.includes(o)) {
        const r = await this.call('GET', await this.pathOf(o));
        if (r.status === 200)
          out.push(
            `${t.placed.id}: ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.kind} ${o.metadata.name} already exists; verify will not overwrite or delete an object it did not create`,
          );
      }
    }
    for (const [group, resource, sub, verb] of [
      ['', 'pods', undefined, 'list'],
      ['', 'pods', 'exec', 'create'],
      ['', 'pods', 'log', 'get'],
      ['batch', 'jobs', undefined, 'create'],
      ['', 'events', undefined, 'list'],
      ['', 'persistentvolumeclaims', undefined, 'list'],
    ] as const) {
      review({ namespace: ns, verb, group, resource, ...(sub ? { subresource: sub } : {}) });
    }
    return out;
  }

  /** One SelfSubjectAccessReview per permission: each one denied, or that none can be asked. */
  private async missingPermissions(reviews: Iterable<Review>): Promise<string[]> {
    const out: string[] = [];
    for (const attrs of reviews) {
      const r = await this.call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: attrs },
      });
      if (r.status !== 201 && r.status !== 200) {
        out.push(`cannot check permissions (SelfSubjectAccessReview): ${statusMessage(r)}`);
        break;
      }
      if (!r.body.status?.allowed) {
        out.push(
          `missing permission: ${attrs.verb} ${attrs.group ? `${attrs.group}/` : ''}${attrs.resource}${attrs.subresource ? `/${attrs.subresource}` : ''}${attrs.namespace ? ` in namespace ${attrs.namespace}` : ' (cluster-wide)'}${r.body.status?.reason ? ` (${r.body.status.reason})` : ''}`,
        );
      }
    }
    return out;
  }

  /** The nodes: how many, and whether they are simulated (kwok), in which case no check is run. */
  private async readNodes(): Promise<void> {
    const nodes = (await this.get('/api/v1/nodes')).items as any[];
    this.simulated =
      nodes.length > 0 &&
      nodes.every(
        (n) => n.metadata.annotations?.['kwok.x-k8s.io/node'] === 'fake' || n.metadata.labels?.type === 'kwok',
      );
    if (this.simulated)
      this.io.line(
        `nodes: ${nodes.length} simulated (kwok): Pods become Ready without containers, so the tutorials' checks are not run`,
      );
    else this.io.line(`nodes: ${nodes.length}`);
  }

  get simulatedNodes(): boolean {
    return this.simulated;
  }

  // ---------------------------------------------------------------- one tutorial

  /**
   * Dry run, apply, wait, checks. Returns its rows and whether the run should stop (a refused
   * dry run stops it: the server's answer applies to the next tutorial too).
   */
  async verify(t: Tutorial): Promise<{ rows: ResultRow[]; stop: boolean }> {
    const id = t.placed.id;
    if (t.placed.shared.length && !this.options.includeShared) return { rows: sharedNotRun(t), stop: false };
    const rows: ResultRow[] = [];

    // 1. namespace, then the server-side dry run of every object (and of the throw-away Secrets).
    const all = await this.dryRun(t, rows);
    if (!all) return { rows, stop: true };

    // 2. apply.
    if (!(await this.applyAll(t, all, rows))) return { rows, stop: false };

    // 3. wait for readiness.
    if (!(await this.waitReady(t, rows))) {
      for (const c of t.checks) rows.push(notRun(id, c.name, 'not ready'));
      return { rows, stop: false };
    }

    // 4. the tutorial's checks.
    for (const c of t.checks) {
      if (this.simulated) {
        rows.push(notRun(id, c.name, SIMULATED));
        continue;
      }
      rows.push(await this.runCheck(id, t.placed.namespace, c));
    }
    return { rows, stop: false };
  }

  /**
   * Creates the tutorial's namespace, then dry-runs every object and the throw-away Secrets it
   * needs; adds the row, and returns the objects to apply, or undefined when the server refused.
   */
  private async dryRun(t: Tutorial, rows: ResultRow[]): Promise<Manifest[] | undefined> {
    const id = t.placed.id;
    const ns = t.placed.namespace;
    const started = Date.now();
    const nsObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { [MANAGED_LABEL]: FIELD_MANAGER, [RUN_LABEL]: id } },
    };
    const made = await this.call('POST', '/api/v1/namespaces', nsObject);
    if (made.status !== 201) {
      rows.push(failed(id, 'dry run', seconds(started), `creating namespace ${ns}: ${statusMessage(made)}`));
      return undefined;
    }
    this.created.namespaces.push(ns);
    this.io.line(`${id}: namespace ${ns}`);
    const secrets = missingSecrets(t.placed.objects).map((s) => throwawaySecret(s.namespace, s.name, s.keys));
    const all = [...secrets, ...t.placed.objects];
    for (const o of all) {
      const r = await this.apply(o, true);
      if (r.status >= 300) {
        rows.push(failed(id, 'dry run', seconds(started), `${o.kind} ${o.metadata.name} refused: ${statusMessage(r)}`));
        return undefined;
      }
    }
    rows.push(
      passed(
        id,
        'dry run',
        seconds(started),
        `passed (${all.length} objects${secrets.length ? `, ${secrets.length} throw-away Secret${secrets.length > 1 ? 's' : ''}` : ''})`,
      ),
    );
    return all;
  }

  /** Applies `all`, noting the shared objects it creates for the clean-up; adds the row, and whether all were applied. */
  private async applyAll(t: Tutorial, all: readonly Manifest[], rows: ResultRow[]): Promise<boolean> {
    const id = t.placed.id;
    const started = Date.now();
    for (const o of all) {
      if (t.placed.shared.includes(o) || (o.kind === 'Secret' && o.metadata.namespace !== t.placed.namespace))
        this.created.shared.push(o);
      const r = await this.apply(o, false);
      if (r.status >= 300) {
        rows.push(failed(id, 'apply', seconds(started), `${o.kind} ${o.metadata.name}: ${statusMessage(r)}`));
        return false;
      }
    }
    rows.push(passed(id, 'apply', seconds(started)));
    return true;
  }

  /** Polls the tutorial's readiness until it is ready or the timeout passes; adds the row, and whether it got ready. */
  private async waitReady(t: Tutorial, rows: ResultRow[]): Promise<boolean> {
    const id = t.placed.id;
    const started = Date.now();
    const deadline = started + this.options.timeoutMs;
    let state = await this.readiness(t);
    let last = '';
    while (!state.ready && Date.now() < deadline) {
      const line = `${id}: ${state.summary}`;
      if (line !== last) {
        this.io.progress(`  waiting  ${line}`);
        last = line;
      }
      await this.sleep(Math.min(this.pollMs, Math.max(0, deadline - Date.now())));
      state = await this.readiness(t);
    }
    this.io.progress(`  ${state.ready ? 'ready' : 'timeout'}  ${id}: ${state.summary}`);
    if (!state.ready) {
      const reasons = await this.reasons(t);
      for (const r of reasons) this.io.line(`  ${id}: ${r}`);
      rows.push(
        failed(
          id,
          'ready',
          seconds(started),
          `not ready after ${this.options.timeoutMs / 1000}s (${state.summary}); ${reasons.join('; ') || 'the cluster gives no reason'}`,
        ),
      );
      return false;
    }
    rows.push(passed(id, 'ready', seconds(started), `passed (${state.summary})`));
    return true;
  }

  /** Pods ready x/y (from the workloads' status), claims bound, load balancer addresses. */
  async readiness(t: Tutorial): Promise<{ ready: boolean; summary: string }> {
    let want = 0;
    let ready = 0;
    for (const o of t.placed.objects) {
      if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'].includes(o.kind)) continue;
      const r = await this.call('GET', await this.pathOf(o));
      if (r.status !== 200) {
        want += o.spec?.replicas ?? 1;
        continue;
      }
      const s = r.body.status ?? {};
      // A status the controller has not yet written for this generation says nothing (a new
      // DaemonSet's desiredNumberScheduled is 0 until its controller has counted the nodes).
      const observed = o.kind === 'Pod' || (s.observedGeneration ?? 0) >= (r.body.metadata?.generation ?? 1);
      if (!observed) {
        want += o.kind === 'DaemonSet' ? 1 : (r.body.spec?.replicas ?? 1);
        continue;
      }
      if (o.kind === 'Pod') {
        want += 1;
        const isReady = (s.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
        if (isReady || s.phase === 'Succeeded') ready += 1;
      } else if (o.kind === 'DaemonSet') {
        want += s.desiredNumberScheduled ?? 0;
        ready += Math.min(s.numberReady ?? 0, s.desiredNumberScheduled ?? 0);
      } else {
        const n = r.body.spec?.replicas ?? 1;
        want += n;
        ready += Math.min(s.readyReplicas ?? 0, n);
      }
    }
    const claims = (await this.get(`/api/v1/namespaces/${t.placed.namespace}/persistentvolumeclaims`)).items as any[];
    const bound = claims.filter((c) => c.status?.phase === 'Bound').length;
    const lbs = t.placed.objects.filter((o) => o.kind === 'Service' && o.spec?.type === 'LoadBalancer');
    let assigned = 0;
    for (const s of lbs) {
      const r = await this.call('GET', await this.pathOf(s));
      if ((r.body?.status?.loadBalancer?.ingress ?? []).length > 0) assigned += 1;
    }
    const parts = [`pods ready ${ready}/${want}`];
    if (claims.length) parts.push(`claims bound ${bound}/${claims.length}`);
    if (lbs.length)
      parts.push(
        this.simulated
          ? `load balancers ${assigned}/${lbs.length} (not waited for: simulated nodes, no cloud controller)`
          : `load balancer addresses ${assigned}/${lbs.length}`,
      );
    const lbOk = this.simulated || assigned === lbs.length;
    return { ready: ready === want && bound === claims.length && lbOk, summary: parts.join(', ') };
  }

  /** Why a tutorial is not ready, as the cluster says it: container waiting reasons, scheduling, claims, Warning events. */
  async reasons(t: Tutorial): Promise<string[]> {
    const ns = t.placed.namespace;
    const out: string[] = [];
    const pods = (await this.get(`/api/v1/namespaces/${ns}/pods`)).items as any[];
    for (const p of pods) {
      const name = `Pod ${p.metadata.name}`;
      const sched = (p.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
      if (sched?.status === 'False') {
        out.push(`${name} not scheduled: ${sched.reason ?? ''} ${oneLine(sched.message ?? '', 200)}`.trim());
        continue;
      }
      for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
        const w = cs.state?.waiting;
        if (w && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing')
          out.push(
            `${name} container ${cs.name} waiting: ${w.reason}${w.message ? ` (${oneLine(w.message, 160)})` : ''}`,
          );
        else if (cs.state?.terminated && cs.state.terminated.exitCode !== 0)
          out.push(
            `${name} container ${cs.name} terminated: ${cs.state.terminated.reason ?? ''} exit ${cs.state.terminated.exitCode}`,
          );
      }
      const readyCond = (p.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      if (readyCond?.status !== 'True' && p.status?.phase !== 'Succeeded' && !out.some((l) => l.startsWith(`${name} `)))
        out.push(
          `${name} phase ${p.status?.phase ?? '?'}, not Ready${readyCond?.reason ? ` (${readyCond.reason})` : ''}`,
        );
    }
    for (const c of (await this.get(`/api/v1/namespaces/${ns}/persistentvolumeclaims`)).items as any[]) {
      if (c.status?.phase !== 'Bound')
        out.push(
          `claim ${c.metadata.name} ${c.status?.phase ?? 'Pending'} (class ${c.spec?.storageClassName ?? 'default'})`,
        );
    }
    const events = ((await this.get(`/api/v1/namespaces/${ns}/events`)).items as any[])
      .filter((e) => e.type === 'Warning')
      .sort((a, b) =>
        String(b.lastTimestamp ?? b.eventTime ?? '').localeCompare(String(a.lastTimestamp ?? a.eventTime ?? '')),
      )
      .slice(0, 5);
    for (const e of events)
      out.push(
        `event ${e.involvedObject?.kind}/${e.involvedObject?.name} ${e.reason}: ${oneLine(e.message ?? '', 200)}`,
      );
    return out;
  }

  // ---------------------------------------------------------------- checks

  async runCheck(id: string, ns: string, c: TutorialCheck): Promise<ResultRow> {
    const started = Date.now();
    try {
      const { output, exitCode } = 'exec' in c.run ? await this.runExec(ns, c) : await this.runJob(ns, c);
      const m = matchOutput(c.match, output, exitCode);
      return m.ok
        ? passed(id, c.name, seconds(started))
        : failed(id, c.name, seconds(started), `${m.reason}; expected: ${c.expect}`);
    } catch (e) {
      if (e instanceof Interrupted) throw e;
      return failed(id, c.name, seconds(started), `${(e as Error).message}; expected: ${c.expect}`);
    }
  }

  private async runExec(ns: string, c: TutorialCheck): Promise<ExecResult> {
    if (!('exec' in c.run)) throw new Error('not an exec check');
    const { pod, container, command } = c.run.exec;
    ns = c.run.exec.namespace ?? ns;
    let target: any;
    if (typeof pod === 'string') {
      target = await this.get(`/api/v1/namespaces/${ns}/pods/${pod}`);
    } else {
      const selector = Object.entries(pod)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const pods = (await this.get(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`))
        .items as any[];
      target = pods.find((p) =>
        (p.status?.conditions ?? []).some((x: any) => x.type === 'Ready' && x.status === 'True'),
      );
      if (!target) throw new Error(`no Ready Pod with labels ${selector}`);
    }
    return this.api.exec(ns, target.metadata.name, container ?? target.spec.containers[0].name, command, 120_000);
  }

  private async runJob(ns: string, c: TutorialCheck): Promise<ExecResult> {
    const job = checkJob(c, ns) as Manifest;
    const name = checkJobName(c);
    const path = `/apis/batch/v1/namespaces/${ns}/jobs`;
    const r = await this.call('POST', path, job);
    if (r.status !== 201) throw new Error(`creating Job ${name}: ${statusMessage(r)}`);
    try {
      const deadline = Date.now() + 180_000;
      for (;;) {
        const j = await this.get(`${path}/${name}`);
        if ((j.status?.succeeded ?? 0) > 0 || (j.status?.failed ?? 0) > 0) break;
        if (Date.now() > deadline) throw new Error(`Job ${name} did not finish within 180s`);
        await this.sleep(this.pollMs);
      }
      const pods = (
        await this.get(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`job-name=${name}`)}`)
      ).items as any[];
      const pod = pods[0];
      if (!pod) throw new Error(`Job ${name} finished without a Pod`);
      const log = await this.call('GET', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`);
      const output = typeof log.body === 'string' ? log.body : JSON.stringify(log.body ?? '');
      const exitCode = pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ?? 1;
      return { output, exitCode };
    } finally {
      await this.api.request('DELETE', `${path}/${name}?propagationPolicy=Background`).catch(() => undefined);
    }
  }

  // ---------------------------------------------------------------- clean-up

  /**
   * Deletes what this run created (its namespaces, with their claims, Secrets and Jobs; and
   * shared objects it created), then waits up to `waitMs` for the namespaces to be gone. Does
   * not use the abort signal: it is what runs after Ctrl-C.
   */
  async cleanup(waitMs = 180_000): Promise<ResultRow[]> {
    const rows: ResultRow[] = [];
    const started = Date.now();
    const errors: string[] = [];
    for (const o of [...this.created.shared].reverse()) {
      try {
        const r = await this.api.request('DELETE', `${await this.pathOf(o)}?propagationPolicy=Background`);
        if (r.status >= 300 && r.status !== 404) errors.push(`${o.kind} ${o.metadata.name}: ${statusMessage(r)}`);
      } catch (e) {
        errors.push(`${o.kind} ${o.metadata.name}: ${(e as Error).message}`);
      }
    }
    for (const ns of this.created.namespaces) {
      try {
        const r = await this.api.request('DELETE', `/api/v1/namespaces/${ns}?propagationPolicy=Background`);
        if (r.status >= 300 && r.status !== 404) errors.push(`namespace ${ns}: ${statusMessage(r)}`);
      } catch (e) {
        errors.push(`namespace ${ns}: ${(e as Error).message}`);
      }
    }
    const deadline = Date.now() + waitMs;
    let remaining = [...this.created.namespaces];
    while (remaining.length && Date.now() < deadline) {
      const still: string[] = [];
      for (const ns of remaining) {
        const r = await this.api
          .request('GET', `/api/v1/namespaces/${ns}`)
          .catch(() => ({ status: 0, body: undefined }));
        if (r.status !== 404) still.push(ns);
      }
      remaining = still;
      if (remaining.length) {
        this.io.progress(
          `  cleaning up: waiting for namespace${remaining.length > 1 ? 's' : ''} ${remaining.join(', ')} to be deleted`,
        );
        await new Promise((r) => setTimeout(r, this.pollMs));
      }
    }
    const what = `${this.created.namespaces.length} namespace${this.created.namespaces.length === 1 ? '' : 's'}${this.created.shared.length ? ` and ${this.created.shared.length} shared objects` : ''}`;
    if (errors.length) rows.push(failed('(all)', 'clean-up', seconds(started), errors.join('; ')));
    else if (remaining.length)
      rows.push(
        failed(
          '(all)',
          'clean-up',
          seconds(started),
          `deleted ${what}; still terminating after ${waitMs / 1000}s: ${remaining.join(', ')}`,
        ),
      );
    else rows.push(passed('(all)', 'clean-up', seconds(started), `passed (deleted ${what})`));
    this.created.namespaces.length = 0;
    this.created.shared.length = 0;
    return rows;
  }
}
