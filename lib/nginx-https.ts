import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { declareExternal } from './internal/external';
import { addTutorialWarning, secretInOutputWarning } from './internal/warnings';
import { resolveImage } from './internal/images';
import { skipChecks } from './internal/scan';
import { keepUpAcrossNodes } from './internal/disruption';
import {
  ImageRuntime,
  NGINX_RUNTIME,
  nginxScratchMounts,
  podSecurity,
  runtimeDefaultSeccomp,
  selectByLabels,
  tutorialContainer,
  demoContainerResources,
  NGINX_ROOT,
} from './internal/workload';
import { ServiceType, serviceDnsName, serviceTypeProp, tutorialService } from './internal/service';
import { TlsMaterial, validateTlsMaterial } from './internal/tls';
import * as v from './internal/validation';
import { propKeys, tutorialProps } from './internal/props';
import { NamePrefixProps, Names } from './internal/names';

/** Which state of "Connecting Applications with Services" to write. */
export enum NginxForm {
  /** `run-my-nginx.yaml` plus `kubectl expose`: 2 plain nginx replicas behind a ClusterIP Service on port 80. */
  PLAIN = 'plain',
  /** `nginx-secure-app.yaml`: nginx serving HTTP and HTTPS with the `nginxsecret` certificate and `nginxconfigmap`. */
  SECURE = 'secure',
}

/** The tutorial's `default.conf` (S000; upstream `service/networking/nginx-default.conf`). */
export const NGINX_DEFAULT_CONF = `server {
        listen 80 default_server;
        listen [::]:80 default_server ipv6only=on;

        listen 443 ssl;

        root /usr/share/nginx/html;
        index index.html;

        server_name localhost;
        ssl_certificate /etc/nginx/ssl/tls.crt;
        ssl_certificate_key /etc/nginx/ssl/tls.key;

        location / {
                try_files $uri $uri/ =404;
        }
}
`;

export interface NginxHttpsProps extends NamePrefixProps {
  /** Which state of the tutorial to write. @default NginxForm.SECURE, the tutorial's final form */
  readonly form?: NginxForm;
  /** Namespace for every object. @default none: the namespace of the kubectl context ("default") */
  readonly namespace?: string;
  /** Number of nginx Pods. @default 2 for the plain form, 1 for the secure form, as in the tutorial */
  readonly replicas?: number;
  /**
   * The nginx image. @default "nginx" (the tutorial's, untagged) for the plain form;
   * {@link NginxHttps.SECURE_IMAGE} for the secure form, because the tutorial's
   * {@link NginxHttps.TUTORIAL_SECURE_IMAGE} has a Docker schema 1 manifest (decision D3)
   */
  readonly image?: string;
  /**
   * Service type. @default ClusterIP for the plain form, NodePort for the secure form; the
   * tutorial's last step switches the secure Service to LoadBalancer
   */
  readonly serviceType?: ServiceType;
  /** Reserved address for a LoadBalancer Service. @default none: an ephemeral address */
  readonly loadBalancerIP?: string;
  /**
   * Client ranges (IPv4 CIDRs) its LoadBalancer Service admits. @default the app's
   * setLoadBalancerSourceRanges, else every address (and synth warns)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** Service port that forwards to nginx's port 80 in the secure form. @default 8080, as in the tutorial */
  readonly httpPort?: number;
  /** Service port for HTTPS in the secure form (forwarded to the same container port). @default 443 */
  readonly httpsPort?: number;
  /**
   * Certificate and key for `nginxsecret`. When given, the Secret is written; otherwise the
   * chart only refers to it and the user creates it (decision D6). @default none
   */
  readonly tls?: TlsMaterial;
  /** Write the tutorial's `curl-deployment` test client (secure form only). @default true */
  readonly curlClient?: boolean;
  /** Image of the test client. @default {@link NginxHttps.CURL_IMAGE} (the tutorial's `radial/busyboxplus:curl` is schema 1) */
  readonly curlImage?: string;
}

/** Every prop of {@link NginxHttpsProps}, refused when unknown (the compiler keeps the list complete). */
const PROPS = propKeys<NginxHttpsProps>()(
  'namePrefix',
  'form',
  'namespace',
  'replicas',
  'image',
  'serviceType',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'httpPort',
  'httpsPort',
  'tls',
  'curlClient',
  'curlImage',
);

/** The props of {@link NginxHttps} checked and completed with the tutorial's defaults. */
interface NginxHttpsSettings {
  readonly n: Names;
  /** Whether the form is {@link NginxForm.SECURE}. */
  readonly secure: boolean;
  readonly namespace: string | undefined;
  readonly replicas: number;
  readonly image: string;
  readonly serviceType: ServiceType;
  readonly httpPort: number;
  readonly httpsPort: number;
  /** The name of the certificate's Secret, `nginxsecret`. */
  readonly secretName: string;
}

/**
 * "Connecting Applications with Services": nginx behind a Service `my-nginx`, first plain and
 * then served over HTTPS with a certificate from the Secret `nginxsecret` and the server
 * configuration from the ConfigMap `nginxconfigmap`.
 */
export class NginxHttps extends Construct {
  /** The tutorial's HTTPS image; schema 1, refused by containerd 2 (GKE 1.33+). */
  static readonly TUTORIAL_SECURE_IMAGE = 'bprashanth/nginxhttps:1.0';
  /**
   * The default HTTPS image: the official nginx image that `bprashanth/nginxhttps` was built
   * FROM. It includes `/etc/nginx/conf.d/*.conf`, so the tutorial's ConfigMap configures it the
   * same way; only the upstream image's auto-reload-on-certificate-change script is missing.
   */
  static readonly SECURE_IMAGE = 'nginx:1.28';
  /** The tutorial's image for the plain form: untagged, so `latest`. */
  static readonly TUTORIAL_PLAIN_IMAGE = 'nginx';
  /** The plain form's default: the same image, pinned like the secure form's (decision D3). */
  static readonly PLAIN_IMAGE = 'nginx:1.28';
  /** The tutorial's curl client; schema 1. */
  static readonly TUTORIAL_CURL_IMAGE = 'radial/busyboxplus:curl';
  /** Default curl client: curl on Alpine, with the `sh` that the tutorial's loop needs. */
  static readonly CURL_IMAGE = 'curlimages/curl:8.8.0';

  static readonly SECRET_NAME = 'nginxsecret';
  static readonly CONFIG_MAP_NAME = 'nginxconfigmap';
  /** Where the Secret is mounted; `default.conf` reads `tls.crt` and `tls.key` from here. */
  static readonly SSL_DIR = '/etc/nginx/ssl';
  /** Where the ConfigMap is mounted; nginx includes `*.conf` from here. */
  static readonly CONF_DIR = '/etc/nginx/conf.d';

  readonly form: NginxForm;
  readonly service: ReturnType<typeof tutorialService>;
  readonly deployment: kplus.Deployment;
  /** `my-nginx.<namespace>.svc.cluster.local` */
  readonly serviceDnsName: string;
  /** The Pod labels the Service selects. */
  readonly podLabels: Readonly<Record<string, string>> = { run: 'my-nginx' };

  constructor(scope: Construct, id: string, props: NginxHttpsProps = {}) {
    super(scope, id);
    tutorialProps(this, props, PROPS);
    const n = Names.of(this, props.namePrefix);
    this.form = props.form ?? NginxForm.SECURE;
    const s = this.settings(props, n);
    this.podLabels = n.labels(this.podLabels);
    this.serviceDnsName = serviceDnsName(n.name('my-nginx'), s.namespace);
    const { volumes, volumeMounts } = this.addVolumes(s, props);
    this.service = this.addService(s, props);
    this.deployment = this.addNginx(s, volumes, volumeMounts);
    if (s.secure && (props.curlClient ?? true)) this.addCurlClient(n, s.secretName, s.namespace, props.curlImage);
  }

  /** The props checked and completed with the tutorial's defaults for {@link form}, before anything is written. */
  private settings(props: NginxHttpsProps, n: Names): NginxHttpsSettings {
    const secure = this.form === NginxForm.SECURE;
    const namespace = v.optionalNamespace(this, props.namespace);
    const replicas = v.replicas(this, 'replicas', props.replicas ?? (secure ? 1 : 2));
    const image = resolveImage(
      this,
      'image',
      props.image ?? (secure ? NginxHttps.SECURE_IMAGE : NginxHttps.PLAIN_IMAGE),
    );
    const serviceType = props.serviceType ?? (secure ? ServiceType.NODE_PORT : ServiceType.CLUSTER_IP);
    serviceTypeProp(this, serviceType);
    const httpPort = v.port(this, 'httpPort', props.httpPort ?? 8080);
    const httpsPort = v.port(this, 'httpsPort', props.httpsPort ?? 443);
    if (!secure) {
      for (const prop of ['tls', 'curlClient', 'curlImage', 'httpPort', 'httpsPort'] as const) {
        if (props[prop] !== undefined)
          v.fail(
            this,
            prop,
            prop === 'tls' ? '<certificate and key>' : props[prop],
            'only applies to the secure form (form: NginxForm.SECURE)',
          );
      }
    }
    if (props.tls) validateTlsMaterial(this, 'tls', props.tls);
    return {
      n,
      secure,
      namespace,
      replicas,
      image,
      serviceType,
      httpPort,
      httpsPort,
      secretName: n.name(NginxHttps.SECRET_NAME),
    };
  }

  /**
   * nginx's volumes: its scratch directories, and in the secure form the certificate and the
   * server configuration.
   *
   * The official nginx image (and bprashanth/nginxhttps, built FROM it) needs root to bind
   * ports 80 and 443, and writes only the two directories of nginxScratchMounts, so the root
   * filesystem stays read-only; its IPv6 helper skips the read-only ConfigMap default.conf.
   */
  private addVolumes(
    s: NginxHttpsSettings,
    props: NginxHttpsProps,
  ): { volumes: kplus.Volume[]; volumeMounts: kplus.VolumeMount[] } {
    const volumeMounts: kplus.VolumeMount[] = nginxScratchMounts(this);
    const volumes: kplus.Volume[] = [];
    if (s.secure) {
      const { secretVolume, configVolume } = this.addHttpsConfig(s, props);
      volumes.push(secretVolume, configVolume);
      volumeMounts.push(
        { path: NginxHttps.SSL_DIR, volume: secretVolume },
        { path: NginxHttps.CONF_DIR, volume: configVolume },
      );
    }
    return { volumes, volumeMounts };
  }

  /** The Secret `nginxsecret` (written, or only referred to) and the ConfigMap `nginxconfigmap`, as volumes. */
  private addHttpsConfig(
    s: NginxHttpsSettings,
    props: NginxHttpsProps,
  ): { secretVolume: kplus.Volume; configVolume: kplus.Volume } {
    const { n, namespace, secretName } = s;
    const secret = props.tls
      ? new kplus.TlsSecret(this, 'nginxsecret', {
          metadata: { name: secretName, namespace },
          tlsCert: props.tls.certificatePem,
          tlsKey: props.tls.privateKeyPem,
        })
      : kplus.Secret.fromSecretName(this, 'nginxsecret-ref', secretName);
    if (props.tls) addTutorialWarning(this, secretInOutputWarning(secret.name));
    else {
      declareExternal(this, {
        kind: 'Secret',
        name: secretName,
        namespace: namespace ?? 'default',
        howToCreate:
          'npm run nginx-cert (writes .secrets/nginx.crt and .secrets/nginx.key and prints the kubectl create secret tls command)',
      });
    }
    const configMap = new kplus.ConfigMap(this, 'nginxconfigmap', {
      metadata: { name: n.name(NginxHttps.CONFIG_MAP_NAME), namespace },
      data: { 'default.conf': NGINX_DEFAULT_CONF },
    });
    const secretVolume = kplus.Volume.fromSecret(this, 'secret-volume', secret, { name: 'secret-volume' });
    const configVolume = kplus.Volume.fromConfigMap(this, 'configmap-volume', configMap, {
      name: 'configmap-volume',
    });
    return { secretVolume, configVolume };
  }

  /** The Service `my-nginx`: port 80 in the plain form, HTTP and HTTPS in the secure form. */
  private addService(s: NginxHttpsSettings, props: NginxHttpsProps): ReturnType<typeof tutorialService> {
    return tutorialService(this, 'service', {
      name: s.n.name('my-nginx'),
      namespace: s.namespace,
      labels: { run: 'my-nginx' },
      selector: this.podLabels,
      type: s.serviceType,
      loadBalancerIP: props.loadBalancerIP,
      loadBalancerSourceRanges: props.loadBalancerSourceRanges,
      ports: s.secure
        ? [
            { port: s.httpPort, targetPort: 80, protocol: 'TCP', name: 'http' },
            // No targetPort, as in the tutorial: it defaults to the port, 443.
            {
              port: s.httpsPort,
              protocol: 'TCP',
              name: 'https',
              targetPort: s.httpsPort === 443 ? undefined : 443,
            },
          ]
        : [{ port: 80, protocol: 'TCP' }],
    });
  }

  /** The Deployment `my-nginx`. */
  private addNginx(
    s: NginxHttpsSettings,
    volumes: kplus.Volume[],
    volumeMounts: kplus.VolumeMount[],
  ): kplus.Deployment {
    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: s.n.name('my-nginx'), namespace: s.namespace },
      replicas: s.replicas,
      select: false,
      securityContext: podSecurity(NGINX_RUNTIME),
      volumes,
      containers: [
        tutorialContainer({
          name: s.secure ? 'nginxhttps' : 'my-nginx',
          image: s.image,
          ports: s.secure ? [{ number: 443 }, { number: 80 }] : [{ number: 80 }],
          volumeMounts,
          runtime: NGINX_RUNTIME,
          // nginx serving its default page over HTTP and HTTPS.
          resources: demoContainerResources('256Mi'),
        }),
      ],
    });
    runtimeDefaultSeccomp(deployment);
    skipChecks(deployment, {
      CKV_K8S_8: 'the tutorial sets no probes; nginx serves its default page within a second of starting',
      CKV_K8S_9: 'the tutorial sets no probes; nginx opens its ports within a second of starting',
      CKV_K8S_23: NGINX_ROOT,
      CKV_K8S_37: `${NGINX_ROOT}: it binds the ports and calls setuid with the runtime's default capabilities (NET_RAW is dropped)`,
      CKV_K8S_40: NGINX_ROOT,
    });
    selectByLabels(deployment, this.podLabels);
    // With replicas >= 2: spread over nodes (preferred) and a budget `<name>-pdb`.
    keepUpAcrossNodes(deployment, this.podLabels, s.replicas);
    return deployment;
  }

  /** `curlpod.yaml`: a Pod that trusts the same certificate, for `curl https://my-nginx`. */
  private addCurlClient(
    n: Names,
    secretName: string,
    namespace: string | undefined,
    curlImage: string | undefined,
  ): void {
    const secretVolume = kplus.Volume.fromSecret(
      this,
      'curl-secret-volume',
      kplus.Secret.fromSecretName(this, 'curl-secret-ref', secretName),
      { name: 'secret-volume' },
    );
    const labels = n.labels({ app: 'curlpod' });
    // curlimages/curl runs as curl_user (UID 100, GID 101) and writes nothing.
    const curlRuntime: ImageRuntime = { user: 100, group: 101, writesRootFilesystem: false };
    const client = new kplus.Deployment(this, 'curl-deployment', {
      metadata: { name: n.name('curl-deployment'), namespace },
      replicas: 1,
      select: false,
      securityContext: podSecurity(curlRuntime),
      containers: [
        tutorialContainer({
          name: 'curlpod',
          image: resolveImage(this, 'curlImage', curlImage ?? NginxHttps.CURL_IMAGE),
          command: ['sh', '-c', 'while true; do sleep 1; done'],
          volumeMounts: [{ path: NginxHttps.SSL_DIR, volume: secretVolume }],
          // curlimages/curl runs as curl_user (UID 100, GID 101) and writes nothing: it keeps
          // runAsNonRoot and a read-only root filesystem. The user is numeric here because the
          // kubelet cannot verify runAsNonRoot against the image's non-numeric USER.
          runtime: curlRuntime,
          // A sleep loop, and one curl when the tutorial calls it.
          resources: demoContainerResources('64Mi'),
        }),
      ],
    });
    runtimeDefaultSeccomp(client);
    skipChecks(client, {
      CKV_K8S_8: "the tutorial's curl Pod only sleeps until the tutorial runs curl in it: no server to probe",
      CKV_K8S_9: "the tutorial's curl Pod serves nothing: no Service sends it traffic",
      CKV_K8S_40: "curlimages/curl runs as its curl_user, UID 100; the UID is the image's own",
    });
    selectByLabels(client, labels);
  }
}
