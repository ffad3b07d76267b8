/**
 * The cdk8s app's settings (apps/settings.ts) read from the environment: what each takes and
 * refuses, with the message that names the variable, the value and the rule. Their effect on
 * the manifests is test/settings-env.test.ts's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { settingsFromEnv } from '../apps/settings';
import { LOAD_BALANCER_SERVICES, loadBalancerKey } from '../lib/contracts/load-balancers';
import { tempDir } from './harness';

const REGISTRY_RULE =
  'must be a registry host with an optional path, such as "europe-docker.pkg.dev/my-project/mirror"';

describe('IMAGE_REGISTRY', () => {
  it.each(['mirror.example.com', 'localhost:5000', 'mirror:50/hub/', 'europe-docker.pkg.dev/my-project/mirror/sub'])(
    'takes %j',
    (registry) => {
      expect(settingsFromEnv({ IMAGE_REGISTRY: registry }).imageRegistry).toBe(registry);
    },
  );

  it.each([
    'Mirror.example.com',
    'https://mirror.example.com',
    'mirror:http',
    ' mirror',
    'mirror/hub x',
    'mirror//hub',
  ])('refuses %j, naming the variable, the value and the rule', (registry) => {
    expect(() => settingsFromEnv({ IMAGE_REGISTRY: registry })).toThrow(
      `cdk8s app settings: IMAGE_REGISTRY is ${JSON.stringify(registry)}; ${REGISTRY_RULE}`,
    );
  });
});

describe('NGINX_TLS_CERT_FILE and NGINX_TLS_KEY_FILE', () => {
  it('refuses the key without the certificate, naming the missing one', () => {
    expect(() => settingsFromEnv({ NGINX_TLS_KEY_FILE: '/tmp/x.key' })).toThrow(
      'cdk8s app settings: NGINX_TLS_CERT_FILE is not set; must be set together with NGINX_TLS_KEY_FILE',
    );
  });

  it('names the key file when only it cannot be read', () => {
    const dir = tempDir('tls-');
    try {
      const cert = path.join(dir, 'nginx.crt');
      fs.writeFileSync(cert, 'certificate');
      expect(() => settingsFromEnv({ NGINX_TLS_CERT_FILE: cert, NGINX_TLS_KEY_FILE: '/nonexistent.key' })).toThrow(
        /^cdk8s app settings: NGINX_TLS_KEY_FILE is "\/nonexistent.key"; must name a readable file/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('LOAD_BALANCER_SOURCE_RANGES', () => {
  it('counts blanks as unset, falling back to GKE_ALLOWED_SOURCE_RANGES', () => {
    expect(
      settingsFromEnv({ LOAD_BALANCER_SOURCE_RANGES: '  ', GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24' })
        .loadBalancerSourceRanges,
    ).toEqual(['203.0.113.0/24']);
  });
});

describe('files the settings name', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('settings-');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };

  it('MYSQL_PASSWORD_FILE drops one trailing newline only', () => {
    expect(settingsFromEnv({ MYSQL_PASSWORD_FILE: file('pw', 'two\nlines\r\n') }).mysqlPassword).toBe('two\nlines');
  });

  it('DYNAMIC_LOGGING_DIR must hold one of the files, each readable', () => {
    expect(() => settingsFromEnv({ DYNAMIC_LOGGING_DIR: dir })).toThrow(
      `cdk8s app settings: DYNAMIC_LOGGING_DIR is ${JSON.stringify(dir)}; holds none of ELASTIC_CLOUD_ID, ELASTIC_CLOUD_AUTH, ELASTICSEARCH_HOSTS, KIBANA_HOST, ELASTICSEARCH_USERNAME, ELASTICSEARCH_PASSWORD`,
    );
    fs.mkdirSync(path.join(dir, 'ELASTIC_CLOUD_ID'));
    expect(() => settingsFromEnv({ DYNAMIC_LOGGING_DIR: dir })).toThrow(
      /^cdk8s app settings: DYNAMIC_LOGGING_DIR is ".*ELASTIC_CLOUD_ID"; must name a readable file/,
    );
  });

  it('LOAD_BALANCER_ADDRESSES_FILE lists the Services it knows when it names another or none', () => {
    const known = LOAD_BALANCER_SERVICES.map(loadBalancerKey).join(', ');
    const other = file('other.json', JSON.stringify({ 'nope/svc': '203.0.113.9' }));
    expect(() => settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: other })).toThrow(
      `names 'nope/svc', which is not a LoadBalancer Service of the charts (${known})`,
    );
    const none = file('none.json', '{}');
    expect(() => settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: none })).toThrow(
      `gives no address for any LoadBalancer Service (${known}); expected the file that \`npx cdktf output --outputs-file\` writes`,
    );
  });

  it('LOAD_BALANCER_ADDRESSES_FILE that cannot be read says so, not that it is no JSON', () => {
    const missing = path.join(dir, 'missing.json');
    expect(() => settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: missing })).toThrow(
      new RegExp(`^cdk8s app settings: LOAD_BALANCER_ADDRESSES_FILE is "${missing}"; must name a readable file`),
    );
  });

  it.each(['load_balancer_addresses', 'loadBalancerAddresses'])(
    'LOAD_BALANCER_ADDRESSES_FILE reads the output %s of a cdktf outputs file',
    (output) => {
      const f = file(
        'out.json',
        JSON.stringify({ 'tutorials-gke': { [output]: { 'source-ip/loadbalancer': '203.0.113.9' } } }),
      );
      expect(settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: f }).loadBalancerAddresses).toEqual({
        'source-ip/loadbalancer': '203.0.113.9',
      });
    },
  );

  it.each([
    ['not JSON', 'not json', /must be a JSON file \(/],
    ['an output that is no map', JSON.stringify({ s: { load_balancer_addresses: '203.0.113.9' } }), /names 's', which/],
    [
      'an output that is a list',
      JSON.stringify({ s: { load_balancer_addresses: ['203.0.113.9'] } }),
      /names 's', which/,
    ],
  ])('LOAD_BALANCER_ADDRESSES_FILE refuses %s, naming the variable and the file', (_, content, rule) => {
    const f = file('out.json', content);
    expect(() => settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: f })).toThrow(
      `cdk8s app settings: LOAD_BALANCER_ADDRESSES_FILE is ${JSON.stringify(f)}; `,
    );
    expect(() => settingsFromEnv({ LOAD_BALANCER_ADDRESSES_FILE: f })).toThrow(rule);
  });
});
