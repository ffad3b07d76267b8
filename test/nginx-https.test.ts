import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { NginxForm, NginxHttps, NGINX_DEFAULT_CONF, ServiceType, tutorialWarnings } from '../lib';
import { externalObjects } from '../lib/internal/external';
import { tutorialService } from '../lib/internal/service';
import { writeNginxCertificate } from '../apps/nginx-certificate';
import { settingsFromEnv } from '../apps/settings';
import { findOne, harnessFindings, synthConstructs, synthTutorial, tempDir, testCertificate } from './harness';

describe("nginx-https chart (the default: the tutorial's secure form)", () => {
  const { docs, yaml } = synthTutorial('nginx-https');
  const svc = findOne(docs, 'Service', 'my-nginx');
  const deploy = findOne(docs, 'Deployment', 'my-nginx');
  const pod = deploy.spec.template.spec;
  const container = pod.containers[0];

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('exposes http 8080->80 and https 443 on a NodePort Service that selects run=my-nginx', () => {
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 80, protocol: 'TCP' },
      { name: 'https', port: 443, protocol: 'TCP' },
    ]);
    expect(svc.spec.selector).toEqual({ run: 'my-nginx' });
    expect(deploy.spec.selector).toEqual({ matchLabels: { run: 'my-nginx' } });
    expect(deploy.spec.template.metadata.labels).toEqual({ run: 'my-nginx' });
    expect(deploy.spec.replicas).toBe(1);
  });

  it('serves the ports that default.conf listens on', () => {
    const listens = [...NGINX_DEFAULT_CONF.matchAll(/listen (\d+)/g)].map((m) => Number(m[1])).sort();
    const declared = container.ports.map((p: { containerPort: number }) => p.containerPort).sort();
    expect(declared).toEqual([...new Set(listens)].sort());
    for (const p of svc.spec.ports) expect(listens).toContain(p.targetPort ?? p.port);
  });

  it('mounts nginxsecret where default.conf reads the certificate, and nginxconfigmap on conf.d', () => {
    const mount = (p: string) => container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === p)?.name;
    const volume = (name: string) => pod.volumes.find((v: { name: string }) => v.name === name);
    expect(volume(mount('/etc/nginx/ssl')).secret).toEqual({ secretName: 'nginxsecret' });
    expect(volume(mount('/etc/nginx/conf.d')).configMap).toEqual({ name: 'nginxconfigmap' });
    expect(NGINX_DEFAULT_CONF).toContain('ssl_certificate /etc/nginx/ssl/tls.crt;');
    expect(NGINX_DEFAULT_CONF).toContain('ssl_certificate_key /etc/nginx/ssl/tls.key;');
    const cm = findOne(docs, 'ConfigMap', 'nginxconfigmap');
    // nginx only includes conf.d/*.conf, so the key must keep its .conf name.
    expect(Object.keys(cm.data)).toEqual(['default.conf']);
    expect(cm.data['default.conf']).toBe(NGINX_DEFAULT_CONF);
  });

  it('uses the maintained nginx image, not the schema 1 tutorial image (decision D3)', () => {
    expect(container.image).toBe(NginxHttps.SECURE_IMAGE);
    expect(yaml).not.toContain('bprashanth/nginxhttps');
    expect(yaml).not.toContain('busyboxplus');
  });

  it('lets nginx start as root with only its pid and cache directories writable (decision D5)', () => {
    expect(container.securityContext.runAsNonRoot).toBe(false);
    expect(pod.securityContext.runAsNonRoot).toBe(false);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const emptyDirs = pod.volumes.filter((v: { emptyDir?: object }) => v.emptyDir).map((v: { name: string }) => v.name);
    const writable = container.volumeMounts
      .filter((m: { name: string }) => emptyDirs.includes(m.name))
      .map((m: { mountPath: string }) => m.mountPath);
    expect(writable.sort()).toEqual(['/run', '/var/cache/nginx']);
    expect(container.startupProbe).toBeUndefined();
  });

  it('refers to nginxsecret without writing it, and includes the curl client that trusts it', () => {
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    const curl = findOne(docs, 'Deployment', 'curl-deployment');
    expect(curl.spec.selector.matchLabels).toEqual({ app: 'curlpod' });
    const c = curl.spec.template.spec.containers[0];
    expect(c.command).toEqual(['sh', '-c', 'while true; do sleep 1; done']);
    expect(c.volumeMounts).toEqual([{ mountPath: '/etc/nginx/ssl', name: 'secret-volume' }]);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 100 });
  });
});

describe('NginxHttps props', () => {
  it('writes the plain form as first created: 2 replicas of nginx behind a ClusterIP Service on 80', () => {
    const result = synthConstructs((c) => new NginxHttps(c, 'app', { form: NginxForm.PLAIN }));
    expect(harnessFindings(result)).toEqual([]);
    const svc = findOne(result.docs, 'Service', 'my-nginx');
    expect(svc.spec).toEqual({ ports: [{ port: 80, protocol: 'TCP' }], selector: { run: 'my-nginx' } });
    const deploy = findOne(result.docs, 'Deployment', 'my-nginx');
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.template.spec.containers[0]).toMatchObject({
      name: 'my-nginx',
      image: 'nginx:1.28',
      ports: [{ containerPort: 80 }],
    });
    // The two replicas get their budget my-nginx-pdb (harness rule disruption-budget).
    expect(result.docs.map((d) => d.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'Service']);
    expect(result.yaml).toMatchSnapshot();
  });

  it('switches the Service to LoadBalancer with a reserved address, as the last step does', () => {
    const { docs } = synthConstructs(
      (c) => new NginxHttps(c, 'app', { serviceType: ServiceType.LOAD_BALANCER, loadBalancerIP: '203.0.113.10' }),
    );
    expect(findOne(docs, 'Service', 'my-nginx').spec).toMatchObject({
      type: 'LoadBalancer',
      loadBalancerIP: '203.0.113.10',
    });
  });

  it('forwards changed Service ports to the ports nginx listens on (80 and 443)', () => {
    const result = synthConstructs((c) => new NginxHttps(c, 'app', { httpPort: 8081, httpsPort: 8443 }));
    expect(harnessFindings(result)).toEqual([]);
    const ports = findOne(result.docs, 'Service', 'my-nginx').spec.ports;
    const target = (name: string) => {
      const p = ports.find((x: { name: string }) => x.name === name);
      return { port: p.port, target: p.targetPort ?? p.port };
    };
    expect(target('http')).toEqual({ port: 8081, target: 80 });
    expect(target('https')).toEqual({ port: 8443, target: 443 });
  });

  it('keeps the tutorial image one prop away and honours the mirror setting', () => {
    const { docs } = synthConstructs((c) => {
      c.node.setContext('imageRegistry', 'mirror.example.com/hub');
      new NginxHttps(c, 'app', { image: NginxHttps.TUTORIAL_SECURE_IMAGE });
    });
    expect(findOne(docs, 'Deployment', 'my-nginx').spec.template.spec.containers[0].image).toBe(
      'mirror.example.com/hub/bprashanth/nginxhttps:1.0',
    );
    expect(findOne(docs, 'Deployment', 'curl-deployment').spec.template.spec.containers[0].image).toBe(
      'mirror.example.com/hub/curlimages/curl:8.8.0',
    );
  });

  it('follows the namespace everywhere, including the declared external Secret', () => {
    const result = synthConstructs((c) => new NginxHttps(c, 'app', { namespace: 'web' }));
    expect(new Set(result.docs.map((d) => d.metadata.namespace))).toEqual(new Set(['web']));
    expect(harnessFindings(result)).toEqual([]);
  });

  it.each([
    [{ replicas: 0 }, /NginxHttps at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [{ replicas: 1.5 }, /prop 'replicas' is 1.5; must be an integer/],
    [{ namespace: 'Web_1' }, /prop 'namespace' is "Web_1"; must be an RFC 1123 label/],
    [{ namespace: 'a'.repeat(64) }, /prop 'namespace' is "a{64}"; must be an RFC 1123 label: at most 63/],
    [{ httpPort: 70000 }, /prop 'httpPort' is 70000; must be an integer between 1 and 65535/],
    [{ httpsPort: 0 }, /prop 'httpsPort' is 0; must be an integer between 1 and 65535/],
    [{ curlImage: 'Curl' }, /prop 'curlImage' is "Curl"; must be an image reference/],
    [{ image: 'Not An Image' }, /prop 'image' is "Not An Image"; must be an image reference/],
    [
      { loadBalancerIP: '203.0.113.10' },
      /prop 'loadBalancerIP' is "203.0.113.10"; is only valid with serviceType LoadBalancer/,
    ],
    [
      { serviceType: ServiceType.LOAD_BALANCER, loadBalancerIP: 'my-reserved-ip' },
      /NginxHttps at 'test\/app': prop 'loadBalancerIP' is "my-reserved-ip"; must be an IPv4 address/,
    ],
    [{ form: NginxForm.PLAIN, curlClient: true }, /prop 'curlClient' is true; only applies to the secure form/],
    [
      { tls: { certificatePem: 'x', privateKeyPem: 'y' } },
      /prop 'tls.certificatePem' is "<1 characters>"; must be a PEM certificate/,
    ],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new NginxHttps(c, 'app', props))).toThrow(message);
  });

  it('accepts a namespace of 63 characters, the longest DNS label', () => {
    const namespace = 'a'.repeat(63);
    const result = synthConstructs((c) => new NginxHttps(c, 'app', { namespace }));
    expect(findOne(result.docs, 'Service', 'my-nginx').metadata.namespace).toBe(namespace);
    expect(harnessFindings(result)).toEqual([]);
  });

  it('tells a user without a certificate prop how to create the Secret it names', () => {
    const { app } = synthConstructs((c) => new NginxHttps(c, 'app', { namespace: 'web' }));
    expect(externalObjects(app)).toEqual([
      {
        kind: 'Secret',
        name: 'nginxsecret',
        namespace: 'web',
        howToCreate:
          'npm run nginx-cert (writes .secrets/nginx.crt and .secrets/nginx.key and prints the kubectl create secret tls command)',
      },
    ]);
  });

  it('never echoes a private key in an error', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(() =>
      synthConstructs(
        (c) => new NginxHttps(c, 'app', { tls: { certificatePem: cert, privateKeyPem: 'SECRET-KEY-TEXT' } }),
      ),
    ).toThrow(/prop 'tls.privateKeyPem' is "<redacted>"; must be a PEM private key block \(PKCS#8 or PKCS#1/);
    // Nor does the plain form's refusal of a key it would not use.
    expect(() =>
      synthConstructs(
        (c) =>
          new NginxHttps(c, 'app', {
            form: NginxForm.PLAIN,
            tls: { certificatePem: cert, privateKeyPem: 'SECRET-KEY-TEXT' },
          }),
      ),
    ).toThrow(/prop 'tls' is "<certificate and key>"; only applies to the secure form/);
  });

  it.each(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'])(
    'accepts a key in a "%s" block, as openssl writes PKCS#8, PKCS#1 and SEC1 keys',
    (label) => {
      const { certificatePem } = testCertificate();
      const privateKeyPem = `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;
      const { docs, app } = synthConstructs(
        (c) => new NginxHttps(c, 'app', { tls: { certificatePem, privateKeyPem } }),
      );
      expect(findOne(docs, 'Secret', 'nginxsecret').stringData['tls.key']).toBe(privateKeyPem);
      expect(tutorialWarnings(app)).toEqual([
        'test/app: writes Secret "nginxsecret" with its secret material into the manifest: keep the output out of git',
      ]);
    },
  );
});

describe("tutorialService (lib/internal/service.ts), which writes every chart's Services", () => {
  it('writes no empty port list for a Service without ports (an ExternalName)', () => {
    const { docs } = synthConstructs((c) =>
      tutorialService(c, 's', {
        name: 's',
        type: ServiceType.EXTERNAL_NAME,
        externalName: 'api.example.com',
        ports: [],
      }),
    );
    expect(findOne(docs, 'Service', 's').spec).not.toHaveProperty('ports');
  });

  // The constructs check this themselves first; this guard covers any caller that does not.
  it('refuses a reserved address on a Service that is not a LoadBalancer, naming the Service', () => {
    const write = (type: ServiceType) => () =>
      synthConstructs((c) => {
        tutorialService(c, 'svc', { name: 'web', type, loadBalancerIP: '203.0.113.10', ports: [{ port: 80 }] });
      });
    expect(write(ServiceType.NODE_PORT)).toThrow(
      /prop 'loadBalancerIP' is "203.0.113.10"; is only valid with serviceType LoadBalancer \(Service 'web' is NodePort\)/,
    );
    expect(write(ServiceType.CLUSTER_IP)).toThrow(/\(Service 'web' is ClusterIP\)/);
    expect(write(ServiceType.LOAD_BALANCER)).not.toThrow();
  });
});

describe('npm run nginx-cert and the Secret it feeds (decision D6)', () => {
  // Needs openssl on PATH; .ci/run installs it.
  it("reports openssl's own error when it refuses the request", () => {
    const dir = tempDir('nginx-cert-');
    try {
      // A comma in the namespace ends the subjectAltName entry early; openssl refuses what follows.
      expect(() => writeNginxCertificate(dir, 'a,b')).toThrow(/^openssl req failed \(is openssl on the PATH\?\): \S/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes a CN=my-nginx certificate that synth turns into the nginxsecret TLS Secret', () => {
    // The harness's certificate, made once per worker by writeNginxCertificate(dir, 'web').
    const files = testCertificate();
    const dir = path.dirname(files.certificate);
    expect({ certificate: files.certificate, key: files.key }).toEqual({
      certificate: path.join(dir, 'nginx.crt'),
      key: path.join(dir, 'nginx.key'),
    });
    // Readable by the owner only, as a private key should be.
    expect(fs.statSync(files.key).mode & 0o077).toBe(0);
    const subject = execFileSync('openssl', [
      'x509',
      '-in',
      path.join(dir, 'nginx.crt'),
      '-noout',
      '-subject',
      '-ext',
      'subjectAltName',
    ]).toString();
    expect(subject).toMatch(/CN ?= ?my-nginx/);
    expect(subject).toContain(
      'DNS:my-nginx, DNS:my-nginx.web, DNS:my-nginx.web.svc, DNS:my-nginx.web.svc.cluster.local',
    );
    const settings = settingsFromEnv({
      NGINX_TLS_CERT_FILE: path.join(dir, 'nginx.crt'),
      NGINX_TLS_KEY_FILE: path.join(dir, 'nginx.key'),
    });
    const { docs } = synthTutorial('nginx-https', settings);
    const secret = findOne(docs, 'Secret', 'nginxsecret');
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(Object.keys(secret.stringData).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(secret.stringData['tls.crt']).toBe(fs.readFileSync(path.join(dir, 'nginx.crt'), 'utf8'));
  });

  it('refuses half a pair of settings, naming the missing variable', () => {
    expect(() => settingsFromEnv({ NGINX_TLS_CERT_FILE: '/tmp/x.crt' })).toThrow(
      'NGINX_TLS_KEY_FILE is not set; must be set together with NGINX_TLS_CERT_FILE',
    );
    expect(() =>
      settingsFromEnv({ NGINX_TLS_CERT_FILE: '/nonexistent.crt', NGINX_TLS_KEY_FILE: '/nonexistent.key' }),
    ).toThrow(/NGINX_TLS_CERT_FILE is "\/nonexistent.crt"; must name a readable file/);
  });
});
