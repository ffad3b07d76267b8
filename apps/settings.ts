import * as fs from 'fs';
import { TlsMaterial } from '../lib';

/**
 * Everything the cdk8s app reads from its environment, read and checked in one place before
 * any chart is built. A bad setting fails here with the variable, its value and the rule.
 */
export interface Settings {
  /** Mirror registry for every image (decision D3). `IMAGE_REGISTRY`. */
  readonly imageRegistry?: string;
  /** Certificate and key for `nginxsecret` (decision D6). `NGINX_TLS_CERT_FILE` + `NGINX_TLS_KEY_FILE`. */
  readonly nginxTls?: TlsMaterial;
}

export class SettingsError extends Error {
  constructor(variable: string, value: string | undefined, rule: string) {
    super(`cdk8s app settings: ${variable} is ${value === undefined ? 'not set' : JSON.stringify(value)}; ${rule}`);
    this.name = 'SettingsError';
  }
}

type Env = Record<string, string | undefined>;

function readFile(variable: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SettingsError(variable, file, `must name a readable file (${(e as Error).message})`);
  }
}

/** Both variables of a pair, or neither. */
function pair(env: Env, a: string, b: string): [string, string] | undefined {
  const va = env[a] || undefined;
  const vb = env[b] || undefined;
  if (va === undefined && vb === undefined) return undefined;
  if (va === undefined) throw new SettingsError(a, undefined, `must be set together with ${b}`);
  if (vb === undefined) throw new SettingsError(b, undefined, `must be set together with ${a}`);
  return [va, vb];
}

export function settingsFromEnv(env: Env): Settings {
  const imageRegistry = env.IMAGE_REGISTRY || undefined;
  if (imageRegistry !== undefined && !/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*\/?$/.test(imageRegistry)) {
    throw new SettingsError('IMAGE_REGISTRY', imageRegistry, 'must be a registry host with an optional path, such as "europe-docker.pkg.dev/my-project/mirror"');
  }
  const tlsFiles = pair(env, 'NGINX_TLS_CERT_FILE', 'NGINX_TLS_KEY_FILE');
  const nginxTls = tlsFiles && {
    certificatePem: readFile('NGINX_TLS_CERT_FILE', tlsFiles[0]),
    privateKeyPem: readFile('NGINX_TLS_KEY_FILE', tlsFiles[1]),
  };
  return { imageRegistry, nginxTls };
}
