import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { barePodPriority } from './internal/disruption';
import { resolveImage } from './internal/images';
import { skipChecks } from './internal/scan';
import {
  ROOT_READ_ONLY,
  demoContainerResources,
  demoResourcesJson,
  podSecurity,
  runtimeDefaultSeccomp,
  selectByLabels,
  tutorialContainer,
} from './internal/workload';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

/** How the `hello-apparmor` Pod asks for its AppArmor profile. */
export enum AppArmorProfileForm {
  /**
   * The tutorial's annotation `container.apparmor.security.beta.kubernetes.io/hello:
   * localhost/<profile>`: the only form Kubernetes 1.27 knows; 1.30 and later still honour it
   * (deprecated, with a warning on create).
   */
  ANNOTATION = 'annotation',
  /**
   * The field `securityContext.appArmorProfile: {type: Localhost, localhostProfile: <profile>}`
   * (GA in Kubernetes 1.30). Kubernetes 1.27 to 1.29 API servers do not know the field:
   * `kubectl apply` refuses it (strict field validation) or, without validation, the server
   * drops it and the Pod runs unconfined. Use it only on 1.30+ clusters.
   */
  FIELD = 'field',
}

/** The tutorial's profile name. */
export const APPARMOR_PROFILE_NAME = 'k8s-apparmor-example-deny-write';
/** The profile `hello-apparmor-2` asks for, which nothing loads: the tutorial's "not loaded" case. */
export const APPARMOR_UNLOADED_PROFILE_NAME = 'k8s-apparmor-example-allow-write';

/**
 * The tutorial's profile `k8s-apparmor-example-deny-write` (S001; upstream
 * `pods/security/hello-apparmor` profile): everything allowed except file writes.
 */
export const APPARMOR_DENY_WRITE_PROFILE = `#include <tunables/global>

profile ${APPARMOR_PROFILE_NAME} flags=(attach_disconnected) {
  #include <abstractions/base>

  file,

  # Deny all file writes.
  deny /** w,
}
`;

export interface AppArmorProps extends NamePrefixProps {
  /** Namespace for every object. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** How the Pod asks for the profile. @default AppArmorProfileForm.ANNOTATION, the tutorial's (Kubernetes 1.27) */
  readonly profileForm?: AppArmorProfileForm;
  /** The `hello` container's image. @default {@link AppArmor.IMAGE}: `busybox:1.28`, the current tutorial's tag */
  readonly image?: string;
  /**
   * Write the `apparmor-loader` DaemonSet and the `apparmor-profiles` ConfigMap that load the
   * profile onto every node (the tutorial loads it over SSH and only links to a DaemonSet).
   * @default true
   */
  readonly loader?: boolean;
  /** The loader's image. @default {@link AppArmor.LOADER_IMAGE} */
  readonly loaderImage?: string;
  /** How often the loader looks for new profiles in the ConfigMap, in seconds. @default 30, as in the upstream example */
  readonly loaderPollSeconds?: number;
  /**
   * Also write the tutorial's last Pod, `hello-apparmor-2`, which asks for the profile
   * `k8s-apparmor-example-allow-write` that nothing loads: it is created and scheduled, and
   * never starts (the tutorial's "see what happens if you try to specify a profile that hasn't
   * been loaded"). @default false: a Pod that never starts by design stays out of a plain apply
   */
  readonly unloadedProfileExample?: boolean;
}

/** Every prop of {@link AppArmorProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<AppArmorProps>()(
  'namePrefix',
  'namespace',
  'profileForm',
  'image',
  'loader',
  'loaderImage',
  'loaderPollSeconds',
  'unloadedProfileExample',
);

/**
 * "Restrict a Container's Access to Resources with AppArmor": the Pod `hello-apparmor` confined
 * by the profile `k8s-apparmor-example-deny-write`, and a DaemonSet that loads that profile onto
 * every node from a ConfigMap (kubernetes/kubernetes test/images/apparmor-loader). GKE nodes
 * run Container-Optimized OS, which has AppArmor enabled.
 */
export class AppArmor extends Construct {
  /** The Pod image of the tutorial of the Kubernetes 1.27 era: untagged, so `latest`. */
  static readonly TUTORIAL_IMAGE = 'busybox';
  /** The default: busybox at the tag the current tutorial pins (decision D3: every default has a tag). */
  static readonly IMAGE = 'busybox:1.28';
  /**
   * The loader the tutorial links to, as Kubernetes' own e2e tests use it
   * (test/utils/image/manifest.go: `apparmor-loader:1.4` on the e2e registry). The upstream
   * example's `google/apparmor-loader:latest` is an unmaintained, untagged Docker Hub image (decision D3).
   */
  static readonly LOADER_IMAGE = 'registry.k8s.io/e2e-test-images/apparmor-loader:1.4';
  static readonly PROFILE_NAME = APPARMOR_PROFILE_NAME;
  static readonly CONFIG_MAP_NAME = 'apparmor-profiles';
  /** The annotation the tutorial puts on the Pod for its container `hello`. */
  static readonly ANNOTATION_KEY = 'container.apparmor.security.beta.kubernetes.io/hello';

  /** The `hello-apparmor` Pod. */
  readonly pod: ApiObject;
  /** The `hello-apparmor-2` Pod, when {@link AppArmorProps.unloadedProfileExample} is set. */
  readonly unloadedProfilePod?: ApiObject;
  readonly loader?: kplus.DaemonSet;
  readonly profiles?: kplus.ConfigMap;
  /** `daemon: apparmor-loader`: the loader's Pods, and the label for `kubectl apply -l` (README). */
  readonly loaderLabels: Readonly<Record<string, string>> = { daemon: 'apparmor-loader' };

  constructor(scope: Construct, id: string, props: AppArmorProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    this.loaderLabels = n.labels(this.loaderLabels);
    const namespace = v.optionalNamespace(this, props.namespace);
    const form = v.oneOf(this, 'profileForm', props.profileForm ?? AppArmorProfileForm.ANNOTATION, [
      AppArmorProfileForm.ANNOTATION,
      AppArmorProfileForm.FIELD,
    ]);
    const image = resolveImage(this, 'image', props.image ?? AppArmor.IMAGE);
    const withLoader = props.loader ?? true;
    if (!withLoader) {
      for (const prop of ['loaderImage', 'loaderPollSeconds'] as const) {
        if (props[prop] !== undefined) v.fail(this, prop, props[prop], 'only applies with loader: true');
      }
    }
    const loaderImage = resolveImage(this, 'loaderImage', props.loaderImage ?? AppArmor.LOADER_IMAGE);
    const poll = v.integerInRange(this, 'loaderPollSeconds', props.loaderPollSeconds ?? 30, 1, 3600);

    if (withLoader) {
      this.profiles = new kplus.ConfigMap(this, 'profiles', {
        // The label lets the README apply the loader first (`kubectl apply -l daemon=apparmor-loader`).
        metadata: { name: n.name(AppArmor.CONFIG_MAP_NAME), namespace, labels: { ...this.loaderLabels } },
        // The loader loads every file of the mounted directory; the key is the file name.
        data: { [AppArmor.PROFILE_NAME]: APPARMOR_DENY_WRITE_PROFILE },
      });
      this.loader = this.addLoader(n, namespace, loaderImage, poll, this.profiles);
    }

    this.pod = this.helloPod('pod', n.name('hello-apparmor'), AppArmor.PROFILE_NAME, namespace, form, image);
    n.labelPod(this.pod);
    if (props.unloadedProfileExample) {
      // The tutorial's last step, with the same container as hello-apparmor. The loader loads
      // only the ConfigMap's deny-write profile, so allow-write stays unknown to every node.
      this.unloadedProfilePod = this.helloPod(
        'pod-2',
        n.name('hello-apparmor-2'),
        APPARMOR_UNLOADED_PROFILE_NAME,
        namespace,
        form,
        image,
      );
      n.labelPod(this.unloadedProfilePod);
    }
  }

  /**
   * A tutorial Pod that runs busybox's echo and sleep confined by `profile`.
   * Written as a plain ApiObject: the securityContext.appArmorProfile field (Kubernetes 1.30)
   * is missing from the 1.27 types of cdk8s-plus-27, whose generated toJson drops unknown
   * fields, JSON patches included. So the container is written by hand, with the same D5 care.
   */
  private helloPod(
    id: string,
    name: string,
    profile: string,
    namespace: string | undefined,
    form: AppArmorProfileForm,
    image: string,
  ): ApiObject {
    const podSecurity: Record<string, unknown> = {
      runAsNonRoot: true,
      runAsUser: 65534,
      runAsGroup: 65534,
      seccompProfile: { type: 'RuntimeDefault' },
    };
    if (form === AppArmorProfileForm.FIELD) {
      // The current upstream hello-apparmor.yaml sets it for the whole Pod; one container here.
      podSecurity.appArmorProfile = { type: 'Localhost', localhostProfile: profile };
    }
    const pod = new ApiObject(this, id, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        // "Tell Kubernetes to apply the AppArmor profile <profile>."
        // Never together with the field: 1.30+ API servers refuse a Pod where the two disagree.
        annotations:
          form === AppArmorProfileForm.ANNOTATION ? { [AppArmor.ANNOTATION_KEY]: `localhost/${profile}` } : undefined,
      },
      spec: {
        // busybox's echo and sleep need no API access.
        automountServiceAccountToken: false,
        // No controller recreates it: see barePodPriority.
        priorityClassName: barePodPriority(this),
        // busybox's echo and sleep need neither root nor any write, so the Pod runs as nobody
        // (65534, numeric so that the kubelet can check runAsNonRoot).
        securityContext: podSecurity,
        containers: [
          {
            name: 'hello',
            image,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', "echo 'Hello AppArmor!' && sleep 1h"],
            // echo and sleep: a shell loop's size.
            resources: demoResourcesJson('64Mi'),
            securityContext: {
              // Not root, so no capability is in use; the AppArmor profile, not a capability,
              // refuses the tutorial's write.
              capabilities: { drop: ['ALL'] },
              allowPrivilegeEscalation: false,
              runAsNonRoot: true,
              runAsUser: 65534,
              runAsGroup: 65534,
              // Writable on purpose: the tutorial's `kubectl exec hello-apparmor -- touch /tmp/test`
              // must be refused by the AppArmor profile, not by a read-only mount (/tmp is
              // world-writable, so nobody may write there unless AppArmor says no).
              readOnlyRootFilesystem: false,
            },
          },
        ],
      },
    });
    skipChecks(pod, {
      CKV_K8S_8: "the tutorial's Pod runs busybox echo and sleep only: no server to probe",
      CKV_K8S_9: "the tutorial's Pod runs busybox echo and sleep only: no Service sends it traffic",
      CKV_K8S_22:
        "writable on purpose: the tutorial's `kubectl exec hello-apparmor -- touch /tmp/test` must be refused by the AppArmor profile, not by a read-only mount",
    });
    return pod;
  }

  /** The DaemonSet of test/images/apparmor-loader/example-daemon.yaml, in this namespace. */
  private addLoader(
    n: Names,
    namespace: string | undefined,
    image: string,
    poll: number,
    profiles: kplus.ConfigMap,
  ): kplus.DaemonSet {
    // securityfs, where AppArmor takes new profiles (/sys/kernel/security/apparmor/.load) and
    // lists loaded ones (.../profiles, which the loader reads first), is not mounted in a
    // container's own /sys; the host's /sys brings it along as a submount. Read-only as upstream:
    // the kubelet makes only the top mount read-only, the securityfs submount stays writable.
    const sys = kplus.Volume.fromHostPath(this, 'sys', 'sys', {
      path: '/sys',
      type: kplus.HostPathVolumeType.DIRECTORY,
    });
    // The profile `#include`s <tunables/global> and <abstractions/base>; apparmor_parser reads
    // them from /etc/apparmor.d, and the node's own copies match its kernel's AppArmor. COS and
    // Ubuntu nodes have it (Kubernetes' AppArmor e2e tests, which mount it, run on both).
    // Type Directory: a node without it fails the Pod visibly instead of getting an empty dir.
    const includes = kplus.Volume.fromHostPath(this, 'apparmor-includes', 'apparmor-includes', {
      path: '/etc/apparmor.d',
      type: kplus.HostPathVolumeType.DIRECTORY,
    });
    const profileVolume = kplus.Volume.fromConfigMap(this, 'profiles-volume', profiles, { name: 'profiles' });

    const daemon = new kplus.DaemonSet(this, 'loader', {
      metadata: { name: n.name('apparmor-loader'), namespace, labels: { ...this.loaderLabels } },
      select: false,
      // The loader (Alpine, no USER) must be root: loading a profile needs CAP_MAC_ADMIN in the
      // host's user namespace and an unconfined process, which only `privileged: true` gives
      // (privileged containers also run without the runtime's default AppArmor profile).
      // Source: apparmor-loader Dockerfile and example-daemon.yaml ("The loader requires root
      // permissions to actually load the profiles").
      securityContext: podSecurity(ROOT_READ_ONLY),
      containers: [
        tutorialContainer({
          name: 'apparmor-loader',
          image,
          // The image's ENTRYPOINT is `/usr/bin/loader -logtostderr -v=2`; poll the ConfigMap
          // directory so that profiles added later are loaded too.
          args: ['-poll', `${poll}s`, '/profiles'],
          volumeMounts: [
            { path: '/sys', volume: sys, readOnly: true },
            { path: '/etc/apparmor.d', volume: includes, readOnly: true },
            { path: '/profiles', volume: profileVolume, readOnly: true },
          ],
          // The loader writes only to securityfs (`apparmor_parser` without --write-cache);
          // its own root filesystem can stay read-only. loader.go.
          runtime: ROOT_READ_ONLY,
          // A Go poll loop that runs apparmor_parser when a profile changes (docs/images.md §11):
          // the demo programs' requests and limits; the tutorial's one profile compiles in
          // well under a second.
          resources: demoContainerResources('128Mi'),
          // privileged implies privilege escalation; the API refuses privileged: true together
          // with allowPrivilegeEscalation: false.
          securityContext: { privileged: true, allowPrivilegeEscalation: true },
        }),
      ],
    });
    runtimeDefaultSeccomp(daemon);
    selectByLabels(daemon, this.loaderLabels);
    const loads =
      'the loader loads AppArmor profiles into the host kernel (CAP_MAC_ADMIN, unconfined), which only privileged gives (upstream example-daemon.yaml)';
    skipChecks(daemon, {
      CKV_K8S_8:
        'the loader is a poll loop with no port or health endpoint (upstream loader.go); upstream sets no probe',
      CKV_K8S_9: 'the loader serves nothing: no Service sends it traffic',
      CKV_K8S_16: loads,
      CKV_K8S_20: `${loads}; the API refuses privileged together with allowPrivilegeEscalation false`,
      CKV_K8S_23: `the apparmor-loader image (Alpine, no USER) runs as root: ${loads}`,
      CKV_K8S_28: loads,
      CKV_K8S_37: loads,
      CKV_K8S_40: `the apparmor-loader image runs as root: ${loads}`,
    });
    return daemon;
  }
}
