import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where `writeNginxCertificate` wrote the pair. */
export interface NginxCertificateFiles {
  readonly certificate: string;
  readonly key: string;
}

/**
 * Writes a fresh self-signed certificate for the "Connecting Applications with Services"
 * tutorial into `dir` (`nginx.crt`, `nginx.key`, readable by the owner only), with openssl.
 *
 * The tutorial's embedded certificate is for CN=nginxsvc and expired in 2018, so
 * `curl https://my-nginx --cacert /etc/nginx/ssl/tls.crt` fails with it. This one is for
 * CN=my-nginx, with the Service's DNS names in `namespace` as subjectAltNames, which current TLS
 * clients check instead of the CN (decision D6: the user makes the secret, synth never does).
 */
export function writeNginxCertificate(dir: string, namespace: string): NginxCertificateFiles {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = { certificate: path.join(dir, 'nginx.crt'), key: path.join(dir, 'nginx.key') };
  const names = [
    'my-nginx',
    `my-nginx.${namespace}`,
    `my-nginx.${namespace}.svc`,
    `my-nginx.${namespace}.svc.cluster.local`,
  ];
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-nodes',
      '-days',
      '365',
      '-newkey',
      'rsa:2048',
      '-keyout',
      files.key,
      '-out',
      files.certificate,
      '-subj',
      '/CN=my-nginx/O=my-nginx',
      '-addext',
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0)
    throw new Error(`openssl req failed (is openssl on the PATH?): ${(r.stderr || r.error?.message || '').trim()}`);
  fs.chmodSync(files.key, 0o600);
  fs.chmodSync(files.certificate, 0o600);
  return files;
}
