import { PassThrough } from 'stream';
import type * as K from 'kubernetes-client';

/**
 * The cluster of a kubeconfig context, through `@kubernetes/client-node` 2.x (installed as
 * `kubernetes-client`, as the cluster suites do). Its KubeConfig does the authentication every
 * kubeconfig may ask for (client certificates, tokens, exec plugins such as
 * gke-gcloud-auth-plugin); requests go through its own transport with the raw JSON, so verify
 * reads the server's messages exactly.
 *
 * The package is ESM-only; Node 20.19+ loads it from this compiled CommonJS with require(esm),
 * and it is loaded only when verify talks to a cluster (`--list` and the unit tests never do).
 */

export interface ApiResponse {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- server JSON, read loosely
  readonly body: any;
}

export interface ExecResult {
  readonly output: string;
  readonly exitCode: number;
}

export interface ContextInfo {
  readonly name: string;
  readonly server: string;
  readonly user: string;
}

/** The contexts of the kubeconfig verify would use, without connecting: for the production guard. */
export interface KubeconfigView {
  readonly current: string;
  readonly names: readonly string[];
}

let loaded: typeof K | undefined;
function client(): typeof K {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- require(esm), see above
  loaded ??= require('kubernetes-client') as typeof K;
  return loaded;
}

export function readKubeconfig(): KubeconfigView {
  const kc = new (client().KubeConfig)();
  kc.loadFromDefault();
  return { current: kc.getCurrentContext(), names: kc.getContexts().map((c) => c.name) };
}

export class Kube {
  private readonly kc: K.KubeConfig;
  private readonly http: K.IsomorphicFetchHttpLibrary;
  readonly context: ContextInfo;

  constructor(context?: string) {
    const k = client();
    this.kc = new k.KubeConfig();
    this.kc.loadFromDefault();
    if (context) this.kc.setCurrentContext(context);
    this.http = new k.IsomorphicFetchHttpLibrary();
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error(`the kubeconfig has no cluster for context '${this.kc.getCurrentContext()}'`);
    this.context = {
      name: this.kc.getCurrentContext(),
      server: cluster.server,
      user: this.kc.getCurrentUser()?.name ?? '',
    };
  }

  /** One request with the context's credentials; a network failure or `timeoutMs` throws. */
  async request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    pathAndQuery: string,
    body?: unknown,
    contentType = 'application/json',
    timeoutMs = 30_000,
  ): Promise<ApiResponse> {
    const k = client();
    const ctx = new k.RequestContext(this.context.server.replace(/\/$/, '') + pathAndQuery, k.HttpMethod[method]);
    ctx.setHeaderParam('Accept', 'application/json');
    if (body !== undefined) {
      ctx.setHeaderParam('Content-Type', contentType);
      ctx.setBody(typeof body === 'string' ? body : JSON.stringify(body));
    }
    await this.kc.applySecurityAuthentication(ctx);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from ${this.context.server} within ${timeoutMs / 1000}s`)),
        timeoutMs,
      );
    });
    try {
      const rsp = await Promise.race([this.http.send(ctx).toPromise(), timeout]);
      const text = await rsp.body.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: rsp.httpStatusCode, body: parsed };
    } finally {
      clearTimeout(timer);
    }
  }

  /** `kubectl exec <pod> -c <container> -- <command>`: stdout and stderr together, and the exit code. */
  async exec(
    namespace: string,
    pod: string,
    container: string,
    command: readonly string[],
    timeoutMs: number,
  ): Promise<ExecResult> {
    const k = client();
    const out = new PassThrough();
    let output = '';
    out.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    const exec = new k.Exec(this.kc);
    return new Promise<ExecResult>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`exec did not finish within ${timeoutMs / 1000}s; output: ${output.slice(-300)}`)),
        timeoutMs,
      );
      exec
        .exec(namespace, pod, container, [...command], out, out, null, false, (status: K.V1Status) => {
          clearTimeout(timer);
          // The exit code travels in the final Status: Success, or NonZeroExitCode with causes[ExitCode].
          const cause = status?.details?.causes?.find((c) => c.reason === 'ExitCode');
          const exitCode = status?.status === 'Success' ? 0 : Number(cause?.message ?? 1);
          setImmediate(() => resolve({ output, exitCode }));
        })
        .catch((e: unknown) => {
          clearTimeout(timer);
          reject(e);
        });
    });
  }
}

/** One resource of the server's discovery: its plural name, its kind, and whether it is namespaced. */
export interface ApiResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** The object fields a REST path is made of. */
interface Addressed {
  readonly apiVersion: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** The REST path of an object, or of its collection when `name` is false (a namespaced kind without a namespace: `default`). */
export function restPath(o: Addressed, resource: Pick<ApiResource, 'name' | 'namespaced'>, name = true): string {
  const group = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(o.metadata.namespace ?? 'default')}` : '';
  return `${group}${ns}/${resource.name}${name ? `/${encodeURIComponent(o.metadata.name)}` : ''}`;
}

/**
 * The server's resources, from its discovery documents (`/api/v1`, `/apis/<group>/<version>`),
 * each group version fetched once through `get`. A group version the server does not serve has
 * no resources; subresources (`pods/log`) are left out.
 */
export class Discovery {
  private readonly resources = new Map<string, readonly ApiResource[]>();

  constructor(private readonly get: (path: string) => Promise<ApiResponse>) {}

  /** The resource serving apiVersion/kind, or undefined when the server serves no such kind. */
  async resource(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    let served = this.resources.get(apiVersion);
    if (!served) {
      const r = await this.get(apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
      served = r.status === 200 ? (r.body.resources as ApiResource[]).filter((x) => !x.name.includes('/')) : [];
      this.resources.set(apiVersion, served);
    }
    return served.find((x) => x.kind === kind);
  }
}
