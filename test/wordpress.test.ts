import * as fs from 'fs';
import * as path from 'path';
import { settingsFromEnv } from '../apps/settings';
import {
  LOAD_BALANCER_SOURCE_RANGES_CONTEXT,
  ServiceType,
  WordPress,
  WordPressProps,
  WordPressRelease,
  externalObjects,
  tutorialWarnings,
} from '../lib';
import { findAll, findOne, harnessFindings, K8sObject, synthConstructs, synthTutorial, tempDir } from './harness';

const containerOf = (deploy: K8sObject) => deploy.spec.template.spec.containers[0];
const envVar = (container: any, name: string) => container.env.find((e: { name: string }) => e.name === name);
/** The claim a container's mount at `mountPath` comes from. */
const claimAt = (deploy: K8sObject, mountPath: string): string | undefined => {
  const pod = deploy.spec.template.spec;
  const volume = containerOf(deploy).volumeMounts.find((m: { mountPath: string }) => m.mountPath === mountPath)?.name;
  return pod.volumes.find((v: { name: string }) => v.name === volume)?.persistentVolumeClaim?.claimName;
};

describe('wordpress chart', () => {
  const result = synthTutorial('wordpress');
  const { docs, yaml } = result;
  const mysql = findOne(docs, 'Deployment', 'wordpress-mysql');
  const wordpress = findOne(docs, 'Deployment', 'wordpress');

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it('writes the objects of mysql-deployment.yaml and wordpress-deployment.yaml, all labelled app=wordpress', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Service/wordpress-mysql',
      'PersistentVolumeClaim/mysql-pv-claim',
      'Deployment/wordpress-mysql',
      'Service/wordpress',
      'PersistentVolumeClaim/wp-pv-claim',
      'Deployment/wordpress',
    ]);
    for (const d of docs) expect([d.metadata.name, d.metadata.labels]).toEqual([d.metadata.name, { app: 'wordpress' }]);
  });

  it('connects WordPress to the headless wordpress-mysql Service, which selects the MySQL Pod on 3306', () => {
    const svc = findOne(docs, 'Service', 'wordpress-mysql');
    expect(envVar(containerOf(wordpress), 'WORDPRESS_DB_HOST')).toEqual({
      name: 'WORDPRESS_DB_HOST',
      value: svc.metadata.name,
    });
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.ports).toEqual([{ port: 3306, protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual({ app: 'wordpress', tier: 'mysql' });
    expect(mysql.spec.template.metadata.labels).toEqual(svc.spec.selector);
    expect(containerOf(mysql).ports).toEqual([{ containerPort: 3306, name: 'mysql' }]);
  });

  it('exposes WordPress through a LoadBalancer Service on port 80', () => {
    const svc = findOne(docs, 'Service', 'wordpress');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual({ app: 'wordpress', tier: 'frontend' });
    expect(wordpress.spec.template.metadata.labels).toEqual(svc.spec.selector);
    expect(containerOf(wordpress).ports).toEqual([{ containerPort: 80, name: 'wordpress' }]);
  });

  it('gives both containers the root password from key "password" of the Secret mysql-pass, without writing it', () => {
    const ref = { valueFrom: { secretKeyRef: { name: 'mysql-pass', key: 'password' } } };
    expect(envVar(containerOf(mysql), 'MYSQL_ROOT_PASSWORD')).toEqual({ name: 'MYSQL_ROOT_PASSWORD', ...ref });
    expect(envVar(containerOf(wordpress), 'WORDPRESS_DB_PASSWORD')).toEqual({ name: 'WORDPRESS_DB_PASSWORD', ...ref });
    expect(findAll(docs, 'Secret')).toEqual([]);
    expect(externalObjects(result.chart)).toEqual([
      {
        kind: 'Secret',
        name: 'mysql-pass',
        namespace: 'default',
        howToCreate: 'kubectl create secret generic mysql-pass --from-literal=password=YOUR_PASSWORD',
      },
    ]);
  });

  it('mounts mysql-pv-claim at /var/lib/mysql and wp-pv-claim at /var/www/html: 20Gi, ReadWriteOnce, default class', () => {
    expect(claimAt(mysql, '/var/lib/mysql')).toBe('mysql-pv-claim');
    expect(claimAt(wordpress, '/var/www/html')).toBe('wp-pv-claim');
    for (const name of ['mysql-pv-claim', 'wp-pv-claim']) {
      expect(findOne(docs, 'PersistentVolumeClaim', name).spec).toEqual({
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '20Gi' } },
      });
    }
  });

  it('recreates each single Pod rather than rolling, as a ReadWriteOnce volume needs', () => {
    for (const d of [mysql, wordpress]) {
      expect(d.spec.strategy).toEqual({ type: 'Recreate' });
      expect(d.spec.replicas).toBe(1);
    }
  });

  it("keeps the tutorial's images (decision D3)", () => {
    expect(containerOf(mysql).image).toBe('mysql:5.6');
    expect(containerOf(wordpress).image).toBe('wordpress:4.8-apache');
  });

  it("lets both entrypoints start as root, with no probe that could kill MySQL's first start (decision D5)", () => {
    for (const d of [mysql, wordpress]) {
      const c = containerOf(d);
      expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(false);
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: false,
        readOnlyRootFilesystem: false,
        allowPrivilegeEscalation: false,
      });
      expect([c.startupProbe, c.livenessProbe, c.readinessProbe]).toEqual([undefined, undefined, undefined]);
    }
  });
});

describe('WordPress props', () => {
  it('writes mysql-pass with the password when one is given, and the harness accepts it', () => {
    const result = synthConstructs((c) => new WordPress(c, 'app', { mysqlPassword: 'correct horse' }));
    expect(harnessFindings(result)).toEqual([]);
    const secret = findOne(result.docs, 'Secret', 'mysql-pass');
    expect(secret.stringData).toEqual({ password: 'correct horse' });
    expect(secret.type ?? 'Opaque').toBe('Opaque');
    expect(result.docs[0].kind).toBe('Secret');
    expect(externalObjects(result.chart)).toEqual([]);
  });

  it('sets size and class of both claims, in another namespace, with NodePort for clusters without load balancers', () => {
    const result = synthConstructs((c) => {
      const wp = new WordPress(c, 'app', {
        namespace: 'blog',
        mysqlStorage: '10Gi',
        wordpressStorage: '5Gi',
        storageClassName: 'standard-rwo',
        serviceType: ServiceType.NODE_PORT,
      });
      expect(wp.mysqlDnsName).toBe('wordpress-mysql.blog.svc.cluster.local');
    });
    expect(harnessFindings(result)).toEqual([]);
    expect(new Set(result.docs.map((d) => d.metadata.namespace))).toEqual(new Set(['blog']));
    expect(findOne(result.docs, 'PersistentVolumeClaim', 'mysql-pv-claim').spec).toMatchObject({
      storageClassName: 'standard-rwo',
      resources: { requests: { storage: '10Gi' } },
    });
    expect(findOne(result.docs, 'PersistentVolumeClaim', 'wp-pv-claim').spec).toMatchObject({
      storageClassName: 'standard-rwo',
      resources: { requests: { storage: '5Gi' } },
    });
    expect(findOne(result.docs, 'Service', 'wordpress').spec.type).toBe('NodePort');
    expect(externalObjects(result.chart)).toEqual([
      {
        kind: 'Secret',
        name: 'mysql-pass',
        namespace: 'blog',
        howToCreate: 'kubectl create secret generic mysql-pass --namespace blog --from-literal=password=YOUR_PASSWORD',
      },
    ]);
  });

  it('writes the current upstream pair on request: MySQL 8.0 and WordPress 6.x with a dedicated database user (decision D9)', () => {
    const result = synthConstructs((c) => new WordPress(c, 'app', { release: WordPressRelease.CURRENT }));
    expect(harnessFindings(result)).toEqual([]);
    const db = containerOf(findOne(result.docs, 'Deployment', 'wordpress-mysql'));
    const wp = containerOf(findOne(result.docs, 'Deployment', 'wordpress'));
    expect([db.image, wp.image]).toEqual(['mysql:8.0', 'wordpress:6.8-apache']);
    const secretRef = { valueFrom: { secretKeyRef: { name: 'mysql-pass', key: 'password' } } };
    // kubernetes/website examples/application/wordpress/mysql-deployment.yaml, in its order.
    expect(db.env).toEqual([
      { name: 'MYSQL_ROOT_PASSWORD', ...secretRef },
      { name: 'MYSQL_DATABASE', value: 'wordpress' },
      { name: 'MYSQL_USER', value: 'wordpress' },
      { name: 'MYSQL_PASSWORD', ...secretRef },
    ]);
    // ...and wordpress-deployment.yaml: WordPress connects as the user MySQL created, not as root.
    expect(wp.env).toEqual([
      { name: 'WORDPRESS_DB_HOST', value: 'wordpress-mysql' },
      { name: 'WORDPRESS_DB_PASSWORD', ...secretRef },
      { name: 'WORDPRESS_DB_USER', value: 'wordpress' },
    ]);
    // The tutorial's own pair connects as root (no WORDPRESS_DB_USER: the image's default is root).
    expect(
      envVar(
        containerOf(findOne(synthConstructs((c) => new WordPress(c, 'app')).docs, 'Deployment', 'wordpress')),
        'WORDPRESS_DB_USER',
      ),
    ).toBeUndefined();
    // An explicit image still wins over the release's.
    const pinned = synthConstructs(
      (c) => new WordPress(c, 'app', { release: WordPressRelease.CURRENT, mysqlImage: 'mysql:8.4' }),
    );
    expect(containerOf(findOne(pinned.docs, 'Deployment', 'wordpress-mysql')).image).toBe('mysql:8.4');
  });

  it('takes the release from WORDPRESS_RELEASE in the app, and refuses an unknown one', () => {
    const { docs } = synthTutorial('wordpress', settingsFromEnv({ WORDPRESS_RELEASE: 'current' }));
    expect(containerOf(findOne(docs, 'Deployment', 'wordpress')).image).toBe(WordPress.CURRENT_WORDPRESS_IMAGE);
    expect(() => settingsFromEnv({ WORDPRESS_RELEASE: 'CURRENT' })).toThrow(
      'cdk8s app settings: WORDPRESS_RELEASE is "CURRENT"; must be one of "tutorial", "current"',
    );
  });

  it('takes a ClusterIP Service (behind an Ingress), which is not open, so no warning', () => {
    const result = synthConstructs((c) => new WordPress(c, 'app', { serviceType: ServiceType.CLUSTER_IP }));
    expect(findOne(result.docs, 'Service', 'wordpress').spec.type).toBeUndefined();
    expect(harnessFindings(result)).toEqual([]);
    expect(tutorialWarnings(result.app)).toEqual([]);
  });

  it('limits its LoadBalancer to loadBalancerSourceRanges, over the app-wide ranges', () => {
    const { docs } = synthConstructs((c) => {
      c.node.setContext(LOAD_BALANCER_SOURCE_RANGES_CONTEXT, ['10.0.0.0/8']);
      new WordPress(c, 'app', { loadBalancerSourceRanges: ['203.0.113.0/24'] });
    });
    expect(findOne(docs, 'Service', 'wordpress').spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
  });

  it('pins a reserved address on the wordpress Service', () => {
    const { docs } = synthConstructs((c) => new WordPress(c, 'app', { loadBalancerIP: '203.0.113.30' }));
    expect(findOne(docs, 'Service', 'wordpress').spec).toMatchObject({
      type: 'LoadBalancer',
      loadBalancerIP: '203.0.113.30',
    });
  });

  it.each([
    [
      { mysqlStorage: '20 GB' },
      /WordPress at 'test\/app': prop 'mysqlStorage' is "20 GB"; must be a Kubernetes quantity/,
    ],
    [
      { wordpressStorage: '0' },
      /WordPress at 'test\/app': prop 'wordpressStorage' is "0"; must be a positive amount of storage/,
    ],
    [
      { wordpressStorage: '500m' },
      /WordPress at 'test\/app': prop 'wordpressStorage' is "500m"; must be a positive amount of storage/,
    ],
    [
      { storageClassName: 'Fast_SSD' },
      /WordPress at 'test\/app': prop 'storageClassName' is "Fast_SSD"; must be an RFC 1123 subdomain/,
    ],
    [
      { namespace: 'blog.example' },
      /WordPress at 'test\/app': prop 'namespace' is "blog.example"; must be an RFC 1123 label/,
    ],
    [
      { serviceType: ServiceType.EXTERNAL_NAME },
      /WordPress at 'test\/app': prop 'serviceType' is "ExternalName"; must be one of "LoadBalancer", "NodePort", "ClusterIP"/,
    ],
    [
      { serviceType: ServiceType.CLUSTER_IP, loadBalancerSourceRanges: ['203.0.113.0/24'] },
      /WordPress at 'test\/app': prop 'loadBalancerSourceRanges' is \["203.0.113.0\/24"\]; is only valid with serviceType LoadBalancer/,
    ],
    [
      { loadBalancerSourceRanges: ['203.0.113.7'] },
      /WordPress at 'test\/app': prop 'loadBalancerSourceRanges' is "203.0.113.7"; must be an IPv4 CIDR range/,
    ],
    [
      { serviceType: ServiceType.NODE_PORT, loadBalancerIP: '203.0.113.30' },
      /WordPress at 'test\/app': prop 'loadBalancerIP' is "203.0.113.30"; is only valid with serviceType LoadBalancer/,
    ],
    [
      { wordpressImage: 'WordPress:6' },
      /WordPress at 'test\/app': prop 'wordpressImage' is "WordPress:6"; must be an image reference/,
    ],
    [
      { mysqlImage: 'mysql:5.6:extra' },
      /WordPress at 'test\/app': prop 'mysqlImage' is "mysql:5.6:extra"; must be an image reference/,
    ],
    [
      { release: 'latest' as WordPressRelease },
      /WordPress at 'test\/app': prop 'release' is "latest"; must be one of "tutorial", "current"/,
    ],
    [{ mysqlPassword: '' }, /WordPress at 'test\/app': prop 'mysqlPassword' is "<empty>"; must not be empty/],
  ] as [WordPressProps, RegExp][])(
    'refuses %j with a message naming construct, prop, value and rule',
    (props, message) => {
      expect(() => synthConstructs((c) => new WordPress(c, 'app', props))).toThrow(message);
    },
  );
});

describe('the mysql-pass Secret from MYSQL_PASSWORD_FILE (decision D6)', () => {
  const write = (content: string) => {
    const file = path.join(tempDir('mysql-pass-'), 'password');
    fs.writeFileSync(file, content);
    return file;
  };

  it("writes the file's password, without its trailing newline, into the Secret both Deployments read", () => {
    const settings = settingsFromEnv({ MYSQL_PASSWORD_FILE: write('s3cret-Pa55\n') });
    const result = synthTutorial('wordpress', settings);
    expect(findOne(result.docs, 'Secret', 'mysql-pass').stringData).toEqual({ password: 's3cret-Pa55' });
    expect(harnessFindings(result)).toEqual([]);
  });

  it('refuses an empty file without echoing anything from it', () => {
    expect(() => settingsFromEnv({ MYSQL_PASSWORD_FILE: write('\n') })).toThrow(
      /MYSQL_PASSWORD_FILE is ".*"; must name a file that holds a non-empty password/,
    );
    expect(() => settingsFromEnv({ MYSQL_PASSWORD_FILE: '/nonexistent/password' })).toThrow(
      /MYSQL_PASSWORD_FILE is "\/nonexistent\/password"; must name a readable file/,
    );
  });
});
