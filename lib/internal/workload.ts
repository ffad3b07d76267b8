import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/**
 * How an image must run, stated once per container (decision D5), for cdk8s-plus and raw
 * `k8s` containers alike.
 *
 * cdk8s-plus defaults every container to `runAsNonRoot`, a read-only root filesystem,
 * `imagePullPolicy: Always`, 1 CPU / 512Mi requests and, when a `portNumber` is given, a TCP
 * startup probe that kills anything slower than 30 s. Most tutorial images break under those
 * defaults, so no container here relies on them: each one states what its image needs, and
 * the construct that builds it says why in a comment next to the values.
 */
export interface ImageRuntime {
  /**
   * The UID the image runs as. `0`: root (no `runAsUser`, no `runAsNonRoot`; the image's own
   * user applies). Any other value is written as `runAsUser` with `runAsNonRoot: true`: numeric,
   * because the kubelet cannot verify `runAsNonRoot` against a named `USER`.
   */
  readonly user: number;
  /** The primary GID (`runAsGroup`). @default none: the image's own */
  readonly group?: number;
  /** The image writes outside its mounted volumes, so the root filesystem stays writable. */
  readonly writesRootFilesystem: boolean;
}

/** An image whose entrypoint runs as root and writes only to mounted volumes. */
export const ROOT_READ_ONLY: ImageRuntime = { user: 0, writesRootFilesystem: false };
/** An image whose entrypoint runs as root and writes to its root filesystem. */
export const ROOT_WRITABLE: ImageRuntime = { user: 0, writesRootFilesystem: true };

export interface TutorialContainerProps extends Omit<kplus.ContainerProps, 'securityContext' | 'portNumber' | 'port'> {
  /** What the image needs; required so that every container makes the D5 choice explicitly. */
  readonly runtime: ImageRuntime;
  /** Extra security settings beyond what `runtime` decides (privileged, an explicit root user). */
  readonly securityContext?: Omit<kplus.ContainerSecurityContextProps, 'ensureNonRoot' | 'readOnlyRootFilesystem'>;
}

/**
 * Container props for a cdk8s-plus container, with every cdk8s-plus default that could break
 * a tutorial image replaced by an explicit value:
 * - `ports` only (never `portNumber`), so cdk8s-plus adds no 30 s startup probe; probes are
 *   the tutorial's own, passed by the caller;
 * - `resources` default to none (the tutorials set them only where they matter), never to
 *   cdk8s-plus's 1 CPU request, which alone would fill a 2-vCPU node;
 * - `imagePullPolicy: IfNotPresent`, Kubernetes' own default for a tagged image;
 * - user, group, `runAsNonRoot` and `readOnlyRootFilesystem` from `runtime`;
 * - `allowPrivilegeEscalation: false` stays on: no tutorial image uses setuid binaries.
 */
export function tutorialContainer(props: TutorialContainerProps): kplus.ContainerProps {
  const { runtime, securityContext, ...rest } = props;
  const nonRoot = runtime.user !== 0;
  const drop = securityContext?.capabilities || securityContext?.privileged ? undefined : droppedCapabilities(runtime);
  return {
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    resources: {},
    ...rest,
    securityContext: {
      allowPrivilegeEscalation: false,
      ...(drop ? { capabilities: { drop: drop as kplus.Capability[] } } : {}),
      ...(nonRoot ? { user: runtime.user } : {}),
      group: runtime.group,
      ...securityContext,
      ensureNonRoot: nonRoot,
      readOnlyRootFilesystem: !runtime.writesRootFilesystem,
    },
  };
}

/**
 * The Pod-level security context of a cdk8s-plus workload whose containers have `runtime`:
 * cdk8s-plus would otherwise set `runAsNonRoot: true` on every Pod, and the kubelet would
 * refuse to start a root image.
 */
export function podSecurity(runtime: ImageRuntime): kplus.PodSecurityContextProps {
  if (runtime.user === 0) return { ensureNonRoot: false };
  return { ensureNonRoot: true, user: runtime.user, group: runtime.group };
}

/** The container security context of a raw `k8s` container for `runtime`, plus `extra`. */
export function containerSecurity(runtime: ImageRuntime, extra: k8s.SecurityContext = {}): k8s.SecurityContext {
  const drop = extra.capabilities || extra.privileged ? undefined : droppedCapabilities(runtime);
  return {
    allowPrivilegeEscalation: false,
    ...(drop ? { capabilities: { drop } } : {}),
    readOnlyRootFilesystem: !runtime.writesRootFilesystem,
    ...(runtime.user === 0 ? {} : { runAsNonRoot: true, runAsUser: runtime.user }),
    runAsGroup: runtime.group,
    ...extra,
  };
}

/**
 * The capabilities a container drops, unless its caller states capabilities or
 * `privileged` itself (the tutorial's own setting, which is kept exactly):
 * - a non-root image drops `ALL`: a process that is not root has no effective capabilities
 *   anyway, and `allowPrivilegeEscalation: false` keeps file capabilities from adding any;
 * - a root image drops `NET_RAW` only (raw sockets: ping, packet crafting, which no tutorial
 *   server uses). Its entrypoint keeps the runtime's other default capabilities, which these
 *   entrypoints use as root before they start the server (chown of data directories, setuid
 *   to the service user, binding a port below 1024); the constructs suppress CKV_K8S_37
 *   (drop ALL) on those objects with the image fact.
 */
export function droppedCapabilities(runtime: ImageRuntime): string[] {
  return runtime.user === 0 ? ['NET_RAW'] : ['ALL'];
}

/**
 * The Pod's seccomp profile: the container runtime's default filter, which blocks
 * only system calls no tutorial image makes (GKE Autopilot applies it to every Pod). For a raw
 * `k8s` Pod spec: `securityContext: { ...RUNTIME_DEFAULT_SECCOMP }`.
 */
export const RUNTIME_DEFAULT_SECCOMP: k8s.PodSecurityContext = { seccompProfile: { type: 'RuntimeDefault' } };

/**
 * The same for a cdk8s-plus workload or Pod, whose security context props have no seccomp
 * field: a JSON patch on its Pod spec's security context (which cdk8s-plus always writes).
 */
export function runtimeDefaultSeccomp(pod: kplus.AbstractPod): void {
  const path =
    pod instanceof kplus.Pod
      ? '/spec/securityContext/seccompProfile'
      : '/spec/template/spec/securityContext/seccompProfile';
  ApiObject.of(pod).addJsonPatch(JsonPatch.add(path, RUNTIME_DEFAULT_SECCOMP.seccompProfile));
}

/** An `emptyDir` volume and its mount, for a path an image writes to under a read-only root filesystem. */
export function scratchDir(name: string, mountPath: string): { volume: k8s.Volume; mount: k8s.VolumeMount } {
  return { volume: { name, emptyDir: {} }, mount: { name, mountPath } };
}

/** cdk8s-plus's generated label `cdk8s.io/metadata.addr` as a JSON pointer segment ("/" written "~1"). */
const ADDRESS_LABEL_POINTER = 'cdk8s.io~1metadata.addr';

/**
 * Makes a cdk8s-plus workload select its Pods by exactly the tutorial's labels (decision D1).
 *
 * Call it on a workload created with `select: false`. cdk8s-plus would otherwise select on a
 * generated `cdk8s.io/metadata.addr` label; `kubectl get pods -l run=my-nginx` and the
 * tutorial's Services rely on the tutorial's labels alone, so the generated one is removed.
 */
export function selectByLabels(workload: kplus.Workload, labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) workload.podMetadata.addLabel(key, value);
  workload.select(kplus.LabelSelector.of({ labels }));
  ApiObject.of(workload).addJsonPatch(JsonPatch.remove(`/spec/template/metadata/labels/${ADDRESS_LABEL_POINTER}`));
}

/** The same for a bare cdk8s-plus Pod, whose generated label sits on the Pod itself. */
export function withoutAddressLabel(pod: kplus.Pod): void {
  ApiObject.of(pod).addJsonPatch(JsonPatch.remove(`/metadata/labels/${ADDRESS_LABEL_POINTER}`));
}

/**
 * The same for the Pod template of a cdk8s-plus workload that keeps its generated selector
 * (a Job, whose controller selects its Pods by a `controller-uid` label of its own).
 */
export function withoutTemplateAddressLabel(workload: kplus.Workload): void {
  ApiObject.of(workload).addJsonPatch(JsonPatch.remove(`/spec/template/metadata/labels/${ADDRESS_LABEL_POINTER}`));
}

/**
 * The writable directories of the official nginx image (docker-library/nginx): its pid file
 * `/run/nginx.pid` and its temp files under `/var/cache/nginx`. Mounted on emptyDirs, they let
 * an nginx container keep `readOnlyRootFilesystem: true`. Its master process still starts as
 * root (to bind port 80 and switch workers to the `nginx` user, UID 101), so such containers
 * use `runtime: NGINX_RUNTIME`. The entrypoint's IPv6 helper skips a read-only
 * conf.d/default.conf instead of failing. Sources: docker-library/nginx Dockerfile, nginx.conf,
 * 10-listen-on-ipv6-by-default.sh; docs/images.md.
 */
export function nginxScratchMounts(scope: Construct): kplus.VolumeMount[] {
  return NGINX_SCRATCH.map(([name, path]) => ({ path, volume: kplus.Volume.fromEmptyDir(scope, name, name) }));
}

/** The same directories for a raw `k8s` container: one {@link scratchDir} each. */
export function nginxScratchDirs(): Array<{ volume: k8s.Volume; mount: k8s.VolumeMount }> {
  return NGINX_SCRATCH.map(([name, path]) => scratchDir(name, path));
}

/** [volume name, mount path] of each writable directory of the official nginx image. */
const NGINX_SCRATCH: ReadonlyArray<readonly [string, string]> = [
  ['nginx-cache', '/var/cache/nginx'],
  ['nginx-run', '/run'],
];

/** How the official nginx image runs: root master, nothing written outside {@link nginxScratchMounts}. */
export const NGINX_RUNTIME: ImageRuntime = ROOT_READ_ONLY;

/**
 * Memory limit of a tiny demo program, generous so that no real cluster OOM-kills it (no scan
 * would notice): 64Mi for a shell loop or a curl client (busybox, curl), 128Mi for a Go or
 * Node.js demo server, 256Mi for nginx, httpd or Python.
 */
export type DemoMemoryLimit = '64Mi' | '128Mi' | '256Mi';

/**
 * Requests and limits for a tiny demo program whose tutorial sets none: 10m CPU /
 * 32Mi requested, so that the charts still fit the node pool's capacity contract
 * (test/contracts.test.ts), at most 100m CPU and `memoryLimit`. Databases, JVMs and Beats get
 * no limit the tutorial does not set; their constructs suppress the checks with the reason.
 */
export function demoResources(memoryLimit: DemoMemoryLimit): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') },
    limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString(memoryLimit) },
  };
}

/** {@link demoResources} for a cdk8s-plus container. */
export function demoContainerResources(memoryLimit: DemoMemoryLimit): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
    memory: { request: Size.mebibytes(32), limit: Size.mebibytes(parseInt(memoryLimit, 10)) },
  };
}

/** {@link demoResources} as plain JSON, for a container of a hand-written `ApiObject`. */
export function demoResourcesJson(memoryLimit: DemoMemoryLimit): Record<string, Record<string, string>> {
  return { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: memoryLimit } };
}

/** Why an official nginx container runs as root, for the checks its constructs suppress. */
export const NGINX_ROOT =
  "the official nginx image's master runs as root to bind its ports and switch its workers to the nginx user (UID 101)";

/** Why an official httpd container runs as root, for the checks its constructs suppress. */
export const HTTPD_ROOT =
  "the official httpd image's master runs as root to bind port 80 and then switches its children to www-data";
