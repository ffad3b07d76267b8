/**
 * `npm run nginx-cert [-- DIR [NAMESPACE]]`: a fresh CN=my-nginx certificate for nginx-https in
 * DIR (default `.secrets`, which git ignores), and the two ways to use it.
 */
import { writeNginxCertificate } from '../apps/nginx-certificate';

const [dir = '.secrets', namespace = 'default'] = process.argv.slice(2);
try {
  const { certificate, key } = writeNginxCertificate(dir, namespace);
  process.stdout.write(
    [
      `Wrote ${certificate} and ${key} (CN=my-nginx, valid 365 days).`,
      'Either create the Secret in the cluster:',
      `  kubectl create secret tls nginxsecret --namespace ${namespace} --key ${key} --cert ${certificate}`,
      'or let synth write it into dist/nginx-https.k8s.yaml (keep dist/ out of git):',
      `  NGINX_TLS_CERT_FILE=${certificate} NGINX_TLS_KEY_FILE=${key} npm run synth:k8s`,
      '',
    ].join('\n'),
  );
} catch (e) {
  process.stderr.write(`nginx-cert: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
