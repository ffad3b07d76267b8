import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { k8s } from 'cdk8s-plus-27';
import { podSpecOf } from '../../lib/shared';
import { writeNginxCertificate } from '../nginx-certificate';
import { Manifest } from './manifests';

/**
 * The Secrets a tutorial has its user create (decision D6), made from throw-away material for
 * one verify run: never printed, never written outside a temporary folder that is removed at
 * once, and deleted with the tutorial's namespace. Values are generated here, so no two runs
 * (and no two users) share them.
 */

/** Secret names the Pod templates of `objects` use (volumes, env, envFrom) that `objects` do not hold, by namespace. */
export function missingSecrets(
  objects: readonly Manifest[],
): Array<{ namespace: string; name: string; keys: Set<string> }> {
  const own = new Set(
    objects.filter((o) => o.kind === 'Secret').map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
  );
  const wanted = new Map<string, { namespace: string; name: string; keys: Set<string> }>();
  const want = (namespace: string, name: string | undefined, key?: string) => {
    if (!name || own.has(`${namespace}/${name}`)) return;
    const k = `${namespace}/${name}`;
    const entry = wanted.get(k) ?? { namespace, name, keys: new Set<string>() };
    if (key) entry.keys.add(key);
    wanted.set(k, entry);
  };
  for (const o of objects) {
    const spec = podSpecOf<k8s.PodSpec>(o);
    if (!spec) continue;
    const ns = o.metadata.namespace ?? '';
    for (const v of spec.volumes ?? []) {
      if (v.secret) {
        want(ns, v.secret.secretName);
        for (const i of v.secret.items ?? []) want(ns, v.secret.secretName, i.key);
      }
      for (const s of v.projected?.sources ?? [])
        if (s.secret) {
          want(ns, s.secret.name);
          for (const i of s.secret.items ?? []) want(ns, s.secret.name, i.key);
        }
    }
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const e of c.env ?? [])
        if (e.valueFrom?.secretKeyRef) want(ns, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
      for (const e of c.envFrom ?? []) if (e.secretRef) want(ns, e.secretRef.name);
    }
  }
  return [...wanted.values()];
}

/** A self-signed CN=my-nginx certificate (`npm run nginx-cert`'s), read and removed. */
function nginxTls(namespace: string): { crt: string; key: string } {
  // Stryker disable next-line StringLiteral: the folder's prefix only names it for a person looking at the temporary folder
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-tls-'));
  try {
    const files = writeNginxCertificate(dir, namespace);
    return { crt: fs.readFileSync(files.certificate, 'utf8'), key: fs.readFileSync(files.key, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const password = () => randomBytes(18).toString('base64url');

export const THROWAWAY_LABEL = 'k8s-tutorials-verify/throwaway';

/**
 * The throw-away Secret for one missing name: `nginxsecret` a TLS pair for CN=my-nginx,
 * `mysql-pass` a random password, `dynamic-logging` the tutorial's keys pointing at an
 * Elasticsearch and a Kibana that do not exist (the Beats run and retry their output; the setup Jobs
 * fail and retry), any other the keys
 * its Pods read, each a random value.
 */
export function throwawaySecret(namespace: string, name: string, keys: ReadonlySet<string>): Manifest {
  const metadata = { name, namespace, labels: { [THROWAWAY_LABEL]: 'true' } };
  if (name === 'nginxsecret') {
    const { crt, key } = nginxTls(namespace);
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata,
      stringData: { 'tls.crt': crt, 'tls.key': key },
    };
  }
  let data: Record<string, string>;
  if (name === 'dynamic-logging') {
    data = {
      ELASTICSEARCH_HOSTS: '["http://elasticsearch.invalid:9200"]',
      ELASTICSEARCH_USERNAME: 'elastic',
      ELASTICSEARCH_PASSWORD: password(),
      KIBANA_HOST: 'http://kibana.invalid:5601',
    };
  } else {
    data = Object.fromEntries([...(keys.size ? keys : ['password'])].map((k) => [k, password()]));
  }
  return { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata, stringData: data };
}
