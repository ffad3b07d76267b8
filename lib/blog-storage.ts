import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { skipChecks } from './internal/scan';
import { addBudget, mustPlacePriority } from './internal/disruption';
import { HTTPD_ROOT, RUNTIME_DEFAULT_SECCOMP, containerSecurity, scratchDir, demoResources } from './internal/workload';
import { resolveImage } from './internal/images';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

export interface BlogStorageProps extends NamePrefixProps {
  /** Namespace of the claim and the Deployment. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** Number of `httpd` Pods sharing the claim. @default 2, as in the article */
  readonly replicas?: number;
  /** The web server image. @default {@link BlogStorage.IMAGE}, the article's `httpd:latest` pinned to its 2.4 line */
  readonly image?: string;
  /** Size the claim requests. @default "5Gi", as in the article */
  readonly storage?: string;
  /**
   * StorageClass of the claim when it is dynamically provisioned.
   * @default none: the cluster's default class (on GKE `standard-rwo`; decision D7)
   */
  readonly storageClassName?: string;
  /**
   * A directory on the node: when given, the chart writes the article's own hostPath
   * PersistentVolume `pv-local` (class `local`, label `type: local`, 10Gi) and the claim binds to
   * it by that label, as in the article. Only for a single-node cluster such as minikube.
   * @default none: the claim is dynamically provisioned, the only form that works on GKE
   */
  readonly hostPath?: string;
}

/** Every prop of {@link BlogStorageProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<BlogStorageProps>()(
  'namePrefix',
  'namespace',
  'replicas',
  'image',
  'storage',
  'storageClassName',
  'hostPath',
);

/** The props of {@link BlogStorage} checked and completed with the article's defaults. */
interface BlogStorageSettings {
  readonly n: Names;
  readonly namespace: string | undefined;
  readonly replicas: number;
  readonly image: string;
  readonly storage: string;
  readonly storageClassName: string | undefined;
  readonly hostPath: string | undefined;
}

/**
 * Seed 003, article B ("Persistent Storage with Persistent Volumes in Kubernetes", supergiant.io,
 * 2018), tutorial part: the claim `hostpath-pvc` and the Deployment `httpd` that serves the
 * claimed volume as its document root.
 *
 * The article binds the claim to a hostPath PersistentVolume on minikube. GKE nodes are
 * interchangeable and their disks are not for workloads, so by default the claim is dynamically
 * provisioned from the cluster's default StorageClass (no PV, no `local` class, no label
 * selector: a claim with a selector is never dynamically provisioned). The article's hostPath
 * form stays available through {@link BlogStorageProps.hostPath}.
 */
export class BlogStorage extends Construct {
  static readonly TUTORIAL_IMAGE = 'httpd:latest';
  /** The same official image pinned to its 2.4 line (docs/images.md §13b). */
  static readonly IMAGE = 'httpd:2.4';
  static readonly CLAIM_NAME = 'hostpath-pvc';
  static readonly DOCUMENT_ROOT = '/usr/local/apache2/htdocs';

  readonly claim: k8s.KubePersistentVolumeClaim;
  readonly deployment: k8s.KubeDeployment;
  /** `httpd-pdb`: the replicas move together (see {@link addBudgetMovingTogether}). */
  readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** The article's `pv-local`, only with {@link BlogStorageProps.hostPath}. */
  readonly volume?: k8s.KubePersistentVolume;
  readonly podLabels: Readonly<Record<string, string>> = { app: 'httpd' };

  constructor(scope: Construct, id: string, props: BlogStorageProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    this.podLabels = n.labels(this.podLabels);
    const s = this.settings(props, n);
    if (s.hostPath !== undefined) this.volume = this.addLocalVolume(n, s.hostPath);
    this.claim = this.addClaim(s);
    this.deployment = this.addHttpd(s, this.claim);
    this.podDisruptionBudget = this.addBudgetMovingTogether(s.replicas);
  }

  /** The props checked and completed with the article's defaults, before anything is written. */
  private settings(props: BlogStorageProps, n: Names): BlogStorageSettings {
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? 2);
    const image = resolveImage(this, 'image', props.image ?? BlogStorage.IMAGE);
    const storage = v.storageSize(this, 'storage', props.storage ?? '5Gi');
    const storageClassName =
      props.storageClassName === undefined ? undefined : v.objectName(this, 'storageClassName', props.storageClassName);
    if (props.hostPath !== undefined) {
      // The article's path printed as "/home//data": its <user-name> placeholder was stripped.
      if (!props.hostPath.startsWith('/') || props.hostPath.includes('//')) {
        v.fail(
          this,
          'hostPath',
          props.hostPath,
          'must be an absolute path without empty segments, such as "/home/docker/data" (the article\'s "/home//data" lost its user name)',
        );
      }
      if (storageClassName !== undefined)
        v.fail(
          this,
          'storageClassName',
          storageClassName,
          'cannot be combined with hostPath, which uses the article\'s class "local"',
        );
    }
    return { n, namespace, replicas, image, storage, storageClassName, hostPath: props.hostPath };
  }

  /** hostpath-pv.yaml, the article's `pv-local`. PersistentVolumes are cluster-scoped: no namespace. */
  private addLocalVolume(n: Names, hostPath: string): k8s.KubePersistentVolume {
    return new k8s.KubePersistentVolume(this, 'pv-local', {
      metadata: { name: n.name('pv-local'), labels: n.labels({ type: 'local' }) },
      spec: {
        storageClassName: 'local',
        capacity: { storage: k8s.Quantity.fromString('10Gi') },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: hostPath },
      },
    });
  }

  /**
   * hostpath-pvc.yaml. ReadWriteOnce: one node mounts it read-write, which is why the Pods
   * of {@link addHttpd} are kept on one node.
   */
  private addClaim(s: BlogStorageSettings): k8s.KubePersistentVolumeClaim {
    const { n } = s;
    return new k8s.KubePersistentVolumeClaim(this, 'claim', {
      metadata: { name: n.name(BlogStorage.CLAIM_NAME), namespace: s.namespace },
      spec: {
        storageClassName: s.hostPath !== undefined ? 'local' : s.storageClassName,
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: k8s.Quantity.fromString(s.storage) } },
        selector: s.hostPath !== undefined ? { matchLabels: n.labels({ type: 'local' }) } : undefined,
      },
    });
  }

  /** httpd-deployment.yaml on apps/v1: the replicas serve the claimed volume as their document root. */
  private addHttpd(s: BlogStorageSettings, claim: k8s.KubePersistentVolumeClaim): k8s.KubeDeployment {
    // See BlogStatefulSet (lib/blog-statefulset.ts): httpd writes only under logs/.
    const logs = scratchDir('logs', '/usr/local/apache2/logs');

    // Co-located replicas (below) get a priority above every Pod without a class, so a replica
    // that must join a full node preempts a Pod there instead of staying Pending.
    const priorityClassName = mustPlacePriority(this);

    const deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: s.n.name('httpd'), namespace: s.namespace },
      spec: {
        replicas: s.replicas,
        selector: { matchLabels: { ...this.podLabels } },
        template: {
          metadata: { labels: { ...this.podLabels } },
          spec: {
            automountServiceAccountToken: false,
            // The runtime's default seccomp filter.
            securityContext: RUNTIME_DEFAULT_SECCOMP,
            // The article's two replicas share one ReadWriteOnce volume, which worked only because
            // minikube has one node. On a multi-node cluster the second Pod would wait forever for
            // the disk (Multi-Attach error), so all replicas are required on the node of the first
            // (a Pod that matches its own affinity term may start on any node when none matches yet).
            // `app: httpd` alone would also match the `apache-http` StatefulSet Pods of article A
            // (chart blog-statefulset, same label, same default namespace), and a replica could then
            // follow one of them to another node; only Deployment Pods carry `pod-template-hash`
            // (set by the Deployment controller, old and new ReplicaSets alike).
            // Co-located, so not spread over nodes, and never stranded: a replica created while
            // another runs (a rollout's surge Pod, a replacement after an eviction) can only go to
            // that node; if it is full, the PriorityClass `tutorials-must-place` lets it preempt a
            // lower-priority Pod there, which its controller recreates elsewhere (decision D8;
            // the capacity contract keeps room for it).
            priorityClassName,
            affinity: {
              podAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  {
                    labelSelector: {
                      matchLabels: { ...this.podLabels },
                      matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }],
                    },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                ],
              },
            },
            containers: [
              {
                name: 'httpd',
                image: s.image,
                imagePullPolicy: 'IfNotPresent',
                ports: [{ containerPort: 80, name: 'web' }],
                volumeMounts: [{ name: 'web', mountPath: BlogStorage.DOCUMENT_ROOT }, logs.mount],
                // httpd's master runs as root (port 80, then www-data children); see lib/blog-statefulset.ts.
                securityContext: containerSecurity({ user: 0, writesRootFilesystem: false }),
                // httpd serving the article's static files.
                resources: demoResources('256Mi'),
              },
            ],
            volumes: [{ name: 'web', persistentVolumeClaim: { claimName: claim.name } }, logs.volume],
          },
        },
      },
    });
    skipChecks(deployment, {
      CKV_K8S_8: 'the article sets no probes; httpd serves its static files within a second of starting',
      CKV_K8S_9: 'the article sets no probes; httpd opens port 80 within a second of starting',
      CKV_K8S_23: HTTPD_ROOT,
      CKV_K8S_37: `${HTTPD_ROOT}: it binds the port and calls setuid with the runtime's default capabilities (NET_RAW is dropped)`,
      CKV_K8S_40: HTTPD_ROOT,
    });
    return deployment;
  }

  /**
   * The budget httpd-pdb lets a drain take every replica at once. The replicas share one node
   * (one ReadWriteOnce disk), so a drain of that node takes them all whatever the budget says;
   * one replica unavailable at a time would deadlock it: the evicted replica's replacement can
   * only join its sibling on the cordoned node, stays Pending, and the budget then refuses the
   * sibling's eviction until the drain times out. So they move together, with downtime, which a
   * single disk cannot avoid.
   */
  private addBudgetMovingTogether(replicas: number): k8s.KubePodDisruptionBudget {
    return addBudget(this.deployment, this.podLabels, { maxUnavailable: replicas });
  }
}
