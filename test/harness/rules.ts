import * as fs from 'fs';
import * as path from 'path';
import { ExternalObject } from '../../lib/internal/external';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '../../lib/internal/validation';
import { K8sObject, containersOf, idOf, namespaceOf, podTemplates, selects } from './objects';

/**
 * The checks every chart must pass. Each rule returns findings instead of throwing, so one run
 * reports every problem, and each rule has a failing-case test in test/harness.test.ts.
 */
export interface Finding {
  readonly rule: RuleName;
  readonly object: string;
  readonly message: string;
}

export type RuleName =
  | 'schema'
  | 'unknown-fields'
  | 'api-version'
  | 'service-selector'
  | 'target-port-name'
  | 'statefulset-service'
  | 'references'
  | 'names'
  | 'dns-namespace'
  | 'requests'
  | 'replica-spread'
  | 'disruption-budget'
  | 'namespace-scope'
  | 'reserved-labels'
  | 'namespace';

export interface RuleContext {
  /** Objects the chart refers to but the user creates (decision D6). */
  readonly external: readonly ExternalObject[];
}

type Rule = (docs: readonly K8sObject[], ctx: RuleContext) => Finding[];

// ---- schema: every object against the Kubernetes 1.27 OpenAPI schema -------------------------

// kubernetes-models 4.x is generated from the Kubernetes 1.27 OpenAPI spec; each kind's class
// validates types, required fields and quantity formats with that spec's JSON schema.
function modelClass(apiVersion: string, kind: string): (new (o: unknown) => { validate(): void }) | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const modulePath = `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(modulePath)[kind];
  } catch {
    return undefined;
  }
}

const schema: Rule = (docs) =>
  docs.flatMap((o) => {
    const Model = modelClass(o.apiVersion, o.kind);
    if (!Model)
      return [
        {
          rule: 'schema' as const,
          object: idOf(o),
          message: `${o.apiVersion} ${o.kind} is not a kind of the Kubernetes 1.27 API`,
        },
      ];
    try {
      new Model(o).validate();
      return [];
    } catch (e) {
      return [{ rule: 'schema' as const, object: idOf(o), message: (e as Error).message }];
    }
  });

// ---- unknown-fields: no field the 1.27 API does not define -----------------------------------

// kubernetes-models' validators accept unknown properties, but `kubectl apply` (1.27+, strict
// field validation by default) rejects them, and a misspelt optional field is otherwise silently
// dropped. @kubernetes/client-node 0.19 is generated from exactly the 1.27 API; its models list
// every field of every type, which is what this rule walks.
interface Attribute {
  baseName: string;
  type: string;
}
type Model = { getAttributeTypeMap?: () => Attribute[] } | undefined;
type ModelMap = Record<string, Model>;
const clientModels = new Map<string, Model>();
/**
 * The client-node model of each type, loaded one file at a time: the package's index loads all
 * 535 models (a quarter of a second in every test file that checks a chart); a chart uses a few
 * dozen. Each model is in the file named after it, first letter lower-case (`V1Deployment` in
 * `v1Deployment.js`), which test/harness.test.ts checks against the index.
 */
export function clientModel(type: string): Model {
  if (!clientModels.has(type)) {
    let model: Model;
    if (/^[A-Z][A-Za-z0-9]*$/.test(type)) {
      const file = `@kubernetes/client-node/dist/gen/model/${type[0].toLowerCase()}${type.slice(1)}`;
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        model = (require(file) as ModelMap)[type];
      } catch {
        model = undefined;
      }
    }
    clientModels.set(type, model);
  }
  return clientModels.get(type);
}

function unknownPaths(value: unknown, type: string, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownPaths(v, array[1], `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === 'object')
      for (const [k, v] of Object.entries(value)) unknownPaths(v, map[1], `${path}.${k}`, out);
    return;
  }
  const attrs = clientModel(type)?.getAttributeTypeMap?.();
  if (!attrs || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const attr = attrs.find((a) => a.baseName === key);
    if (!attr) out.push(`${path}.${key}`);
    else unknownPaths(v, attr.type, `${path}.${key}`, out);
  }
}

/** The client-node model of a kind: `apps/v1` `Deployment` is `V1Deployment`. */
function topLevelModel(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop() ?? '';
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

const unknownFields: Rule = (docs) =>
  docs.flatMap((o) => {
    const type = topLevelModel(o.apiVersion, o.kind);
    if (!clientModel(type)) return []; // an unknown kind is the schema rule's finding
    const paths: string[] = [];
    unknownPaths(o, type, '', paths);
    return paths.map((p) => ({
      rule: 'unknown-fields' as const,
      object: idOf(o),
      message: `field '${p.slice(1)}' is not part of the Kubernetes 1.27 API; kubectl apply rejects it`,
    }));
  });

// ---- api-version: only current, GA API versions (decision D2) ---------------------------------

const CURRENT_API_VERSIONS = new Set([
  'v1',
  'apps/v1',
  'batch/v1',
  'policy/v1',
  'networking.k8s.io/v1',
  'storage.k8s.io/v1',
  'rbac.authorization.k8s.io/v1',
  'discovery.k8s.io/v1',
  'autoscaling/v2',
  'scheduling.k8s.io/v1',
]);

const apiVersion: Rule = (docs) =>
  docs
    .filter((o) => !CURRENT_API_VERSIONS.has(o.apiVersion))
    .map((o) => ({
      rule: 'api-version' as const,
      object: idOf(o),
      message: `${o.apiVersion} is not a current GA API version (decision D2)`,
    }));

// ---- service-selector: every Service selects at least one Pod template of the chart ----------

function endpointsFor(docs: readonly K8sObject[], svc: K8sObject): boolean {
  const name = svc.metadata.name;
  return docs.some(
    (o) =>
      namespaceOf(o) === namespaceOf(svc) &&
      ((o.kind === 'Endpoints' && o.metadata.name === name) ||
        (o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'] === name)),
  );
}

const serviceSelector: Rule = (docs) => {
  const pods = podTemplates(docs);
  return docs
    .filter((o) => o.kind === 'Service')
    .flatMap((svc) => {
      if (svc.spec?.type === 'ExternalName') return [];
      const selector = svc.spec?.selector;
      if (!selector || Object.keys(selector).length === 0) {
        return endpointsFor(docs, svc)
          ? []
          : [
              {
                rule: 'service-selector' as const,
                object: idOf(svc),
                message: 'has no selector and no Endpoints or EndpointSlice of its own: it can never have endpoints',
              },
            ];
      }
      const hits = pods.filter((p) => p.namespace === namespaceOf(svc) && selects(selector, p.labels));
      return hits.length > 0
        ? []
        : [
            {
              rule: 'service-selector' as const,
              object: idOf(svc),
              message: `selector ${JSON.stringify(selector)} matches no Pod template in the chart`,
            },
          ];
    });
};

// ---- target-port-name: a named targetPort is a port name a selected container declares -------

const targetPortName: Rule = (docs) => {
  const pods = podTemplates(docs);
  return docs
    .filter((o) => o.kind === 'Service' && o.spec?.selector)
    .flatMap((svc) => {
      const selected = pods.filter((p) => p.namespace === namespaceOf(svc) && selects(svc.spec.selector, p.labels));
      return (svc.spec.ports ?? [])
        .filter((p: any) => typeof p.targetPort === 'string')
        .filter(
          (p: any) =>
            !selected.some((pod) =>
              containersOf(pod.podSpec).some((c) => (c.ports ?? []).some((cp: any) => cp.name === p.targetPort)),
            ),
        )
        .map((p: any) => ({
          rule: 'target-port-name' as const,
          object: idOf(svc),
          message: `targetPort '${p.targetPort}' is not the name of a port that any selected container declares`,
        }));
    });
};

// ---- statefulset-service: serviceName names a headless Service that selects the set's Pods ---

const statefulSetService: Rule = (docs) =>
  docs
    .filter((o) => o.kind === 'StatefulSet')
    .flatMap((sts) => {
      const name = sts.spec?.serviceName;
      const svc = docs.find(
        (o) => o.kind === 'Service' && o.metadata.name === name && namespaceOf(o) === namespaceOf(sts),
      );
      const problem = !name
        ? 'has no serviceName'
        : !svc
          ? `serviceName '${name}' names no Service in the chart`
          : svc.spec?.clusterIP !== 'None'
            ? `serviceName '${name}' is not headless (clusterIP: None), so Pods get no stable DNS names`
            : !svc.spec?.selector || !selects(svc.spec.selector, sts.spec?.template?.metadata?.labels ?? {})
              ? `Service '${name}' does not select the StatefulSet's Pods`
              : undefined;
      return problem ? [{ rule: 'statefulset-service' as const, object: idOf(sts), message: problem }] : [];
    });

// ---- references: ConfigMaps, Secrets, PVCs and ServiceAccounts a Pod uses exist ------------

interface Ref {
  kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount' | 'PriorityClass';
  name: string;
  optional: boolean;
}

function podReferences(podSpec: any): Ref[] {
  const refs: Ref[] = [];
  for (const vol of podSpec?.volumes ?? []) {
    if (vol.configMap) refs.push({ kind: 'ConfigMap', name: vol.configMap.name, optional: !!vol.configMap.optional });
    if (vol.secret) refs.push({ kind: 'Secret', name: vol.secret.secretName, optional: !!vol.secret.optional });
    if (vol.persistentVolumeClaim)
      refs.push({ kind: 'PersistentVolumeClaim', name: vol.persistentVolumeClaim.claimName, optional: false });
    for (const src of vol.projected?.sources ?? []) {
      if (src.configMap) refs.push({ kind: 'ConfigMap', name: src.configMap.name, optional: !!src.configMap.optional });
      if (src.secret) refs.push({ kind: 'Secret', name: src.secret.name, optional: !!src.secret.optional });
    }
  }
  for (const c of containersOf(podSpec)) {
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef)
        refs.push({ kind: 'ConfigMap', name: from.configMapRef.name, optional: !!from.configMapRef.optional });
      if (from.secretRef) refs.push({ kind: 'Secret', name: from.secretRef.name, optional: !!from.secretRef.optional });
    }
    for (const env of c.env ?? []) {
      const cm = env.valueFrom?.configMapKeyRef;
      const sec = env.valueFrom?.secretKeyRef;
      if (cm) refs.push({ kind: 'ConfigMap', name: cm.name, optional: !!cm.optional });
      if (sec) refs.push({ kind: 'Secret', name: sec.name, optional: !!sec.optional });
    }
  }
  for (const s of podSpec?.imagePullSecrets ?? []) refs.push({ kind: 'Secret', name: s.name, optional: false });
  const sa = podSpec?.serviceAccountName;
  if (sa && sa !== 'default') refs.push({ kind: 'ServiceAccount', name: sa, optional: false });
  // The API server refuses a Pod whose PriorityClass does not exist (cluster-scoped; the two
  // system-* classes always do).
  const pc = podSpec?.priorityClassName;
  if (pc && !['system-cluster-critical', 'system-node-critical'].includes(pc))
    refs.push({ kind: 'PriorityClass', name: pc, optional: false });
  return refs;
}

const references: Rule = (docs, ctx) =>
  podTemplates(docs).flatMap((pod) => {
    // Claims made from a StatefulSet's volumeClaimTemplates exist once its Pods do.
    const templates = new Set<string>((pod.owner.spec?.volumeClaimTemplates ?? []).map((t: any) => t.metadata?.name));
    return podReferences(pod.podSpec)
      .filter((r) => !r.optional)
      .filter((r) => !(r.kind === 'PersistentVolumeClaim' && templates.has(r.name)))
      .filter(
        (r) =>
          !docs.some(
            (o) =>
              o.kind === r.kind &&
              o.metadata.name === r.name &&
              (r.kind === 'PriorityClass' || namespaceOf(o) === pod.namespace),
          ),
      )
      .filter(
        (r) =>
          !ctx.external.some(
            (e) =>
              e.kind === r.kind &&
              e.name === r.name &&
              (r.kind === 'PriorityClass' || (e.namespace ?? 'default') === pod.namespace),
          ),
      )
      .map((r) => ({
        rule: 'references' as const,
        object: idOf(pod.owner),
        message: `uses ${r.kind} '${r.name}' in namespace '${pod.namespace}', which the chart neither writes nor declares as created outside it`,
      }));
  });

// ---- names: valid DNS names, no cdk8s hash suffix ---------------------------------------------

// cdk8s appends "-c8" and six hex digits of a hash when a name is not set (decision D1).
const CDK8S_HASH = /-c8[0-9a-f]{6}$/;

const names: Rule = (docs) =>
  docs.flatMap((o) => {
    const name = o.metadata?.name ?? '';
    const found: Finding[] = [];
    const add = (message: string) => found.push({ rule: 'names', object: idOf(o), message });
    // Services and Namespaces are RFC 1035 / 1123 labels; most other kinds are RFC 1123 subdomains.
    if (o.kind === 'Service' && !isDns1035Label(name))
      add(`name '${name}' is not an RFC 1035 label, which a Service name must be`);
    else if (o.kind === 'Namespace' && !isDns1123Label(name)) add(`name '${name}' is not an RFC 1123 label`);
    else if (!isDns1123Subdomain(name)) add(`name '${name}' is not an RFC 1123 subdomain`);
    if (CDK8S_HASH.test(name))
      add(`name '${name}' carries a cdk8s hash suffix; the tutorial's name is the contract (decision D1)`);
    if (o.metadata?.namespace !== undefined && !isDns1123Label(o.metadata.namespace))
      add(`namespace '${o.metadata.namespace}' is not an RFC 1123 label`);
    if (o.kind === 'StatefulSet' && name.length > 52)
      add(
        `StatefulSet name '${name}' is longer than 52 characters, so its Pods' controller-revision-hash label would overflow`,
      );
    return found;
  });

// ---- dns-namespace: no namespace frozen into a DNS name (decision D1) ----------------------

// `<name>.<namespace>.svc` or `.svc.cluster.local`: the segment before `.svc` is the namespace.
// A `$(VAR)` there (the downward API's POD_NAMESPACE) is filled in by the kubelet at run time.
const NAMESPACED_DNS = /\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?(?![-a-z0-9])/g;
const ENV_REFERENCE = /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g;

function stringsIn(value: unknown, path: string, out: Array<[string, string]>): void {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => stringsIn(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) stringsIn(v, path ? `${path}.${k}` : k, out);
}

/**
 * An object written without a namespace lands in whichever namespace `kubectl apply -n` names,
 * so a DNS name in it that spells out a namespace points at the wrong one (Cassandra's seeds
 * then never resolve, and each node starts a ring of its own). And an env value's `$(VAR)` is
 * expanded only from variables declared earlier in the same container's env list; otherwise
 * the container sees the literal text.
 */
const dnsNamespace: Rule = (docs) =>
  docs.flatMap((o) => {
    const found: Finding[] = [];
    if (o.metadata?.namespace === undefined) {
      const strings: Array<[string, string]> = [];
      stringsIn(o, '', strings);
      for (const [path, value] of strings) {
        for (const m of value.matchAll(NAMESPACED_DNS)) {
          found.push({
            rule: 'dns-namespace',
            object: idOf(o),
            message: `${path} names namespace '${m[1]}' in a DNS name, but the object has none: applied with \`kubectl apply -n <other>\`, it points at '${m[1]}' (use $(POD_NAMESPACE) from the downward API, or a short name)`,
          });
        }
      }
    }
    for (const pod of podTemplates([o])) {
      for (const c of containersOf(pod.podSpec)) {
        const env: any[] = c.env ?? [];
        env.forEach((e, i) => {
          for (const m of String(e.value ?? '').matchAll(ENV_REFERENCE)) {
            if (!env.slice(0, i).some((earlier) => earlier.name === m[1])) {
              found.push({
                rule: 'dns-namespace',
                object: idOf(o),
                message: `container '${c.name}' env ${e.name} uses $(${m[1]}), which no earlier entry of its env list declares; Kubernetes leaves it unexpanded`,
              });
            }
          }
        });
      }
    }
    return found;
  });

// ---- requests: no BestEffort container --------------------------------------------------------

/**
 * Every container and init container requests CPU and memory: explicitly, or through a limit,
 * which Kubernetes copies to an unset request. A container without either is BestEffort for
 * that resource: its Pod is evicted first under memory pressure, and the capacity contract
 * would count it as 0.
 */
const requestsRule: Rule = (docs) =>
  podTemplates(docs).flatMap((t) =>
    containersOf(t.podSpec).flatMap((c: any) =>
      (['cpu', 'memory'] as const)
        .filter((r) => c.resources?.requests?.[r] === undefined && c.resources?.limits?.[r] === undefined)
        .map((r) => ({
          rule: 'requests' as const,
          object: idOf(t.owner),
          message: `container ${c.name} requests no ${r} (neither resources.requests.${r} nor a limit): its Pod would be BestEffort for ${r}`,
        })),
    ),
  );

// ---- replica-spread and disruption-budget: replicas that survive a node -----------------------

const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);
const HOSTNAME = 'kubernetes.io/hostname';

/** Workloads that run two or more Pods of one template (DaemonSets are one per node by nature). */
function replicated(docs: readonly K8sObject[]) {
  return podTemplates(docs).filter((t) => REPLICATED_KINDS.has(t.owner.kind) && (t.owner.spec?.replicas ?? 1) >= 2);
}

/** A term on kubernetes.io/hostname whose selector picks the workload's own Pods. */
const ownHostnameTerm = (term: any, labels: Record<string, string>): boolean =>
  term?.topologyKey === HOSTNAME && term.labelSelector !== undefined && selects(term.labelSelector, labels);

/**
 * Every replicated workload spreads its Pods over nodes: a topologySpreadConstraint or pod
 * anti-affinity term (required or preferred) on kubernetes.io/hostname that selects its own
 * Pods. A workload whose replicas must share a node instead (required pod affinity to its own
 * Pods on kubernetes.io/hostname) passes: it says why next to the affinity.
 */
const replicaSpread: Rule = (docs) =>
  replicated(docs).flatMap((t) => {
    const spec = t.podSpec ?? {};
    const anti = spec.affinity?.podAntiAffinity ?? {};
    // A Deployment's controller adds pod-template-hash to every Pod, which a term may select on.
    const labels = t.owner.kind === 'Deployment' ? { ...t.labels, 'pod-template-hash': 'any' } : t.labels;
    const spread =
      (spec.topologySpreadConstraints ?? []).some((c: any) => ownHostnameTerm(c, labels)) ||
      (anti.requiredDuringSchedulingIgnoredDuringExecution ?? []).some((term: any) => ownHostnameTerm(term, labels)) ||
      (anti.preferredDuringSchedulingIgnoredDuringExecution ?? []).some((w: any) =>
        ownHostnameTerm(w.podAffinityTerm, labels),
      );
    const coLocated = (spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(
      (term: any) => ownHostnameTerm(term, labels),
    );
    if (spread || coLocated) return [];
    return [
      {
        rule: 'replica-spread' as const,
        object: idOf(t.owner),
        message: `${t.owner.spec?.replicas} replicas with nothing that spreads them over nodes (a topologySpreadConstraint or pod anti-affinity on ${HOSTNAME} selecting its own Pods): one node's loss can take them all`,
      },
    ];
  });

/** Equal label maps. */
const sameLabels = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * Every replicated workload has one PodDisruptionBudget (policy/v1), named `<workload>-pdb`, in
 * its namespace, whose selector is exactly its Pod labels (matchLabels only) and selects no
 * other Pod template of the chart: a budget that also counted another workload's Pods would
 * let a drain take this one's, and a Pod under two budgets cannot be evicted at all.
 */
const disruptionBudget: Rule = (docs) => {
  const budgets = docs.filter((d) => d.kind === 'PodDisruptionBudget');
  const templates = podTemplates(docs);
  const findings: Finding[] = [];
  for (const t of replicated(docs)) {
    const name = `${t.owner.metadata.name}-pdb`;
    const mine = budgets.filter(
      (b) => namespaceOf(b) === t.namespace && b.spec?.selector && selects(b.spec.selector, t.labels),
    );
    const problem = (message: string) => findings.push({ rule: 'disruption-budget', object: idOf(t.owner), message });
    if (mine.length === 0) {
      problem(`no PodDisruptionBudget selects its Pods: a drain may evict all ${t.owner.spec?.replicas} at once`);
      continue;
    }
    if (mine.length > 1)
      problem(`${mine.length} PodDisruptionBudgets select its Pods; the eviction API refuses a Pod under two`);
    for (const b of mine) {
      const sel = b.spec.selector;
      if (b.apiVersion !== 'policy/v1') problem(`${idOf(b)} is ${b.apiVersion}, not policy/v1`);
      if (b.metadata.name !== name) problem(`${idOf(b)} should be named ${name}, after the workload`);
      if ((sel.matchExpressions ?? []).length > 0 || !sameLabels(sel.matchLabels ?? {}, t.labels))
        problem(`${idOf(b)} selects ${JSON.stringify(sel)}, not exactly the Pod labels ${JSON.stringify(t.labels)}`);
      const others = templates.filter(
        (o) => o.owner !== t.owner && o.namespace === t.namespace && selects(sel, o.labels),
      );
      for (const o of others) problem(`${idOf(b)} also selects the Pods of ${idOf(o.owner)}`);
    }
  }
  return findings;
};

// ---- namespace-scope: namespaced kinds by the API's own account; cluster-scoped ones carry none --

// @kubernetes/client-node 0.19 is generated from the Kubernetes 1.27 API: its `createNamespaced<Kind>`
// methods are the kinds that live in a namespace, its other `create<Kind>` methods the
// cluster-scoped ones (subresources such as PodEviction only add names no object has). They are
// read from the API classes' declarations (`dist/gen/api/*V<n>*Api.d.ts`): loading the classes
// would load the package's HTTP client and its dependencies, a quarter of a second per process.
let scopes: { namespaced: Set<string>; cluster: Set<string> } | undefined;
function kindScopes(): { namespaced: Set<string>; cluster: Set<string> } {
  if (scopes) return scopes;
  const dir = path.join(path.dirname(require.resolve('@kubernetes/client-node/package.json')), 'dist', 'gen', 'api');
  const namespaced = new Set<string>();
  const cluster = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((f) => /V\d\w*Api\.d\.ts$/.test(f))) {
    for (const [, method] of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/^\s+(create\w+)\(/gm)) {
      const ns = /^createNamespaced(\w+)$/.exec(method);
      const cl = /^create(\w+)$/.exec(method);
      if (ns) namespaced.add(ns[1]);
      else if (cl) cluster.add(cl[1]);
    }
  }
  if (!namespaced.has('Pod') || !cluster.has('Namespace'))
    throw new Error(
      `no createNamespacedPod or createNamespace in ${dir}: has @kubernetes/client-node changed its layout?`,
    );
  scopes = { namespaced, cluster };
  return scopes;
}

/** `namespaced` or `cluster` as the 1.27 API serves the kind, undefined for a kind it does not have. */
export function scopeOf(kind: string): 'namespaced' | 'cluster' | undefined {
  const { namespaced, cluster } = kindScopes();
  return namespaced.has(kind) ? 'namespaced' : cluster.has(kind) ? 'cluster' : undefined;
}

const namespaceScope: Rule = (docs) =>
  docs.flatMap((o) => {
    const scope = scopeOf(o.kind);
    const problem =
      scope === undefined
        ? `the Kubernetes 1.27 API serves no kind '${o.kind}', so whether it lives in a namespace is unknown`
        : scope === 'cluster' && o.metadata?.namespace !== undefined
          ? `${o.kind} is cluster-scoped, but the object names namespace '${o.metadata.namespace}'`
          : undefined;
    return problem ? [{ rule: 'namespace-scope' as const, object: idOf(o), message: problem }] : [];
  });

// ---- reserved-labels: no label value that a Kubernetes controller keeps for its own objects ----

/** Labels a controller sets on what it creates; on a hand-written object they make it adopt, delete or mis-select it. */
const RESERVED_LABELS: ReadonlyArray<{ key: string; value?: RegExp; owner: string }> = [
  // The EndpointSlice controller deletes slices labelled as its own that it did not compute;
  // the mirroring controller does the same for mirrored ones. `kubernetes.io/service-name` is
  // how a hand-written slice names its Service, and is not reserved.
  {
    key: 'endpointslice.kubernetes.io/managed-by',
    value: /^endpointslice(mirroring)?-controller\.k8s\.io$/,
    owner: 'the EndpointSlice controllers',
  },
  { key: 'pod-template-hash', owner: 'the Deployment controller' },
  { key: 'controller-revision-hash', owner: 'the StatefulSet and DaemonSet controllers' },
  { key: 'statefulset.kubernetes.io/pod-name', owner: 'the StatefulSet controller' },
  { key: 'apps.kubernetes.io/pod-index', owner: 'the StatefulSet controller' },
  { key: 'controller-uid', owner: 'the Job controller' },
  { key: 'batch.kubernetes.io/controller-uid', owner: 'the Job controller' },
  { key: 'job-name', owner: 'the Job controller' },
  { key: 'batch.kubernetes.io/job-name', owner: 'the Job controller' },
  { key: 'batch.kubernetes.io/job-completion-index', owner: 'the Job controller' },
];

/** The label sets of an object: its own, and those of every Pod template it holds. */
function labelSets(o: K8sObject): Array<[string, Record<string, string>]> {
  const sets: Array<[string, Record<string, string>]> = [['metadata.labels', o.metadata?.labels ?? {}]];
  if (o.spec?.template?.metadata?.labels) sets.push(['spec.template.metadata.labels', o.spec.template.metadata.labels]);
  const job = o.spec?.jobTemplate;
  if (job?.metadata?.labels) sets.push(['spec.jobTemplate.metadata.labels', job.metadata.labels]);
  if (job?.spec?.template?.metadata?.labels)
    sets.push(['spec.jobTemplate.spec.template.metadata.labels', job.spec.template.metadata.labels]);
  return sets;
}

const reservedLabels: Rule = (docs) =>
  docs.flatMap((o) =>
    labelSets(o).flatMap(([path, labels]) =>
      RESERVED_LABELS.filter((r) => r.key in labels && (!r.value || r.value.test(labels[r.key]))).map((r) => ({
        rule: 'reserved-labels' as const,
        object: idOf(o),
        message: `${path} sets '${r.key}: ${labels[r.key]}', a label reserved for objects managed by ${r.owner}`,
      })),
    ),
  );

// ---- namespace: every namespaced object of a construct lands in the expected namespace -------

/**
 * Every namespaced object among `docs` is in `namespace` (as `kubectl apply` reads it: no
 * namespace is `default`). Not part of RULES: the expected namespace is the construct's or the
 * chart's, which only the caller knows (test/namespaces.test.ts drives every construct).
 */
export function namespaceFindings(docs: readonly K8sObject[], namespace: string): Finding[] {
  return docs
    .filter((o) => scopeOf(o.kind) === 'namespaced' && namespaceOf(o) !== namespace)
    .map((o) => ({
      rule: 'namespace' as const,
      object: idOf(o),
      message: `is in namespace '${namespaceOf(o)}', not in '${namespace}' where its construct was placed`,
    }));
}

export const RULES: Record<Exclude<RuleName, 'namespace'>, Rule> = {
  schema,
  'unknown-fields': unknownFields,
  'api-version': apiVersion,
  'service-selector': serviceSelector,
  'target-port-name': targetPortName,
  'statefulset-service': statefulSetService,
  references,
  names,
  'dns-namespace': dnsNamespace,
  requests: requestsRule,
  'replica-spread': replicaSpread,
  'disruption-budget': disruptionBudget,
  'namespace-scope': namespaceScope,
  'reserved-labels': reservedLabels,
};

/** Runs every rule. An empty list means the documents passed. */
export function checkDocuments(docs: readonly K8sObject[], ctx: RuleContext): Finding[] {
  return (Object.keys(RULES) as Array<keyof typeof RULES>).flatMap((r) => RULES[r](docs, ctx));
}
