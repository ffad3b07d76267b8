/**
 * A throwaway local control plane: etcd and kube-apiserver (stage 1), plus kube-scheduler,
 * kube-controller-manager and kwok (stage 2), all on 127.0.0.1 with random free ports, in a
 * fresh temporary folder with a generated CA, serving certificate, service-account key and a
 * static admin token. `stop()` kills every process and removes the folder; the runner calls it
 * on exit, failure, SIGINT and SIGTERM.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';

/** The binaries a cluster runs, path by name, and `kwokStages`: kwok's stages file (stage 2). */
export type Binaries = Record<string, string>;
type Log = (message: string) => void;

/** A process of the control plane, with its name and a promise of its exit. */
interface Proc extends ChildProcess {
  name: string;
  exited: Promise<void>;
  exitInfo?: { code: number | null; signal: NodeJS.Signals | null };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.error)
    throw new Error(`cannot run openssl (${r.error.message}); test:cluster needs it to generate certificates`);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${r.stderr}`);
}

/** A CA, a serving certificate for 127.0.0.1/localhost signed by it, and a service-account key pair. */
function generateCredentials(dir: string): string {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=test-cluster-ca',
    ],
    dir,
  );
  fs.writeFileSync(
    path.join(dir, 'serving.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'serving.key',
      '-out',
      'serving.csr',
      '-subj',
      '/CN=kube-apiserver',
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'serving.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'serving.crt',
      '-days',
      '1',
      '-extfile',
      'serving.ext',
    ],
    dir,
  );
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const token = crypto.randomBytes(24).toString('hex');
  // A static token for the admin (group system:masters); RBAC is on for everyone else.
  fs.writeFileSync(path.join(dir, 'tokens.csv'), `${token},admin,admin-uid,system:masters\n`, { mode: 0o600 });
  return token;
}

function kubeconfig(server: string, caFile: string, token: string): string {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test-cluster', cluster: { server, 'certificate-authority': caFile } }],
      users: [{ name: 'admin', user: { token } }],
      contexts: [{ name: 'test-cluster', context: { cluster: 'test-cluster', user: 'admin' } }],
      'current-context': 'test-cluster',
    },
    null,
    2,
  );
}

function get(url: string, options: https.RequestOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = (url.startsWith('https:') ? https.get : http.get)(url, { ...options, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

export class LocalCluster {
  readonly binaries: Binaries;
  readonly log: Log;
  private readonly procs: Proc[] = [];
  /** The cluster's temporary folder (credentials, logs, etcd's data, the kubeconfig). */
  dir = '';
  private token = '';
  private caFile = '';
  /** https://127.0.0.1:<port> of kube-apiserver, once started. */
  server = '';
  /** The admin kubeconfig, once kube-apiserver is ready. */
  kubeconfigPath = '';
  stopped = false;
  private stopping?: Promise<void>;
  private removed = false;

  constructor({ binaries, log = (m) => process.stderr.write(`[cluster] ${m}\n`) }: { binaries: Binaries; log?: Log }) {
    this.binaries = binaries;
    this.log = log;
  }

  private spawnLogged(name: string, bin: string, args: string[]): Proc {
    const out = fs.openSync(path.join(this.dir, `${name}.log`), 'a');
    const p = spawn(bin, args, { cwd: this.dir, stdio: ['ignore', out, out] }) as Proc;
    fs.closeSync(out);
    p.name = name;
    p.exited = new Promise<void>((resolve) =>
      p.on('exit', (code, signal) => {
        p.exitInfo = { code, signal };
        resolve();
      }),
    );
    p.on('error', (e) => this.log(`${name}: ${e.message}`));
    this.procs.push(p);
    return p;
  }

  private tail(name: string, lines = 30): string {
    try {
      return fs
        .readFileSync(path.join(this.dir, `${name}.log`), 'utf8')
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  }

  private async waitFor(
    what: string,
    proc: Proc,
    probe: () => Promise<{ ok: boolean; detail: string }>,
    timeoutMs: number,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (proc.exitInfo)
        throw new Error(
          `${proc.name} exited (${JSON.stringify(proc.exitInfo)}) before ${what}:\n${this.tail(proc.name)}`,
        );
      const r = await probe();
      if (r.ok) return;
      last = r.detail;
      await new Promise((res) => setTimeout(res, 250));
    }
    throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}: ${last}\n${this.tail(proc.name)}`);
  }

  /** Starts etcd and kube-apiserver and waits for /readyz. */
  async start(): Promise<this> {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-cluster-'));
    this.token = generateCredentials(this.dir);
    this.caFile = path.join(this.dir, 'ca.crt');
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = await this.startEtcd(etcdClient, etcdPeer);
    await this.startApiserver(etcdUrl, apiPort);
    return this;
  }

  /** etcd on loopback, a throwaway database; resolves to its client URL once /health says true. */
  private async startEtcd(etcdClient: number, etcdPeer: number): Promise<string> {
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const etcd = this.spawnLogged('etcd', this.binaries.etcd, [
      '--name',
      'test',
      '--data-dir',
      path.join(this.dir, 'etcd-data'),
      '--listen-client-urls',
      etcdUrl,
      '--advertise-client-urls',
      etcdUrl,
      '--listen-peer-urls',
      `http://127.0.0.1:${etcdPeer}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster',
      `test=http://127.0.0.1:${etcdPeer}`,
      // A test database: durability does not matter, speed does.
      '--unsafe-no-fsync',
      '--quota-backend-bytes',
      String(2 * 1024 ** 3),
      '--log-level',
      'warn',
    ]);
    await this.waitFor(
      'etcd /health',
      etcd,
      async () => {
        const r = await get(`${etcdUrl}/health`);
        return { ok: r.status === 200 && r.body.includes('"true"'), detail: `${r.status} ${r.body}` };
      },
      30_000,
    );
    this.log(`etcd ready on ${etcdUrl}`);
    return etcdUrl;
  }

  /** kube-apiserver on etcd, RBAC and a static admin token; writes the admin kubeconfig once /readyz. */
  private async startApiserver(etcdUrl: string, apiPort: number): Promise<void> {
    const ca = this.caFile;
    this.server = `https://127.0.0.1:${apiPort}`;
    const apiserver = this.spawnLogged('kube-apiserver', this.binaries['kube-apiserver'], [
      '--etcd-servers',
      etcdUrl,
      '--bind-address',
      '127.0.0.1',
      '--advertise-address',
      '127.0.0.1',
      '--secure-port',
      String(apiPort),
      '--tls-cert-file',
      path.join(this.dir, 'serving.crt'),
      '--tls-private-key-file',
      path.join(this.dir, 'serving.key'),
      '--client-ca-file',
      ca,
      '--token-auth-file',
      path.join(this.dir, 'tokens.csv'),
      '--authorization-mode',
      'RBAC',
      '--service-account-issuer',
      'https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file',
      path.join(this.dir, 'sa.pub'),
      '--service-account-signing-key-file',
      path.join(this.dir, 'sa.key'),
      '--api-audiences',
      'https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range',
      '10.96.0.0/16',
      // The default plugins, and PodSecurity named explicitly (it is one of the defaults since 1.25).
      '--enable-admission-plugins',
      'PodSecurity',
      // GKE allows privileged containers; the default here is false.
      '--allow-privileged=true',
      '--profiling=false',
      '--cert-dir',
      path.join(this.dir, 'apiserver-certs'),
    ]);
    const caPem = fs.readFileSync(ca);
    await this.waitFor(
      'kube-apiserver /readyz',
      apiserver,
      async () => {
        const r = await get(`${this.server}/readyz`, { ca: caPem, headers: { Authorization: `Bearer ${this.token}` } });
        return { ok: r.status === 200, detail: `${r.status} ${r.body.slice(-300)}` };
      },
      120_000,
    );
    this.kubeconfigPath = path.join(this.dir, 'kubeconfig');
    fs.writeFileSync(this.kubeconfigPath, kubeconfig(this.server, ca, this.token), { mode: 0o600 });
    this.log(`kube-apiserver ready on ${this.server}`);
  }

  /**
   * Stage 2: kube-controller-manager, kube-scheduler and kwok (which plays the kubelets of the
   * nodes the test registers: it marks them Ready, renews their leases, and runs their Pods
   * without containers, giving each an IP and the Ready condition).
   */
  async startStage2(): Promise<void> {
    const kc = this.kubeconfigPath;
    // What both components need: the admin kubeconfig for everything, no leader election (one
    // replica), and their serving port on loopback.
    const common = async () => [
      '--kubeconfig',
      kc,
      '--authentication-kubeconfig',
      kc,
      '--authorization-kubeconfig',
      kc,
      '--leader-elect=false',
      '--bind-address',
      '127.0.0.1',
      '--secure-port',
      String(await freePort()),
    ];
    const controllerManager = this.spawnLogged('kube-controller-manager', this.binaries['kube-controller-manager'], [
      ...(await common()),
      '--service-account-private-key-file',
      path.join(this.dir, 'sa.key'),
      '--root-ca-file',
      this.caFile,
      '--use-service-account-credentials=false',
      '--service-cluster-ip-range',
      '10.96.0.0/16',
      '--cluster-name',
      'test-cluster',
      '--cert-dir',
      path.join(this.dir, 'kcm-certs'),
      // The default controllers. No cloud provider: the test's provisioner stands in for the PD CSI driver.
      '--controllers',
      '*',
      '--concurrent-deployment-syncs',
      '10',
      '--concurrent-statefulset-syncs',
      '10',
    ]);
    const scheduler = this.spawnLogged('kube-scheduler', this.binaries['kube-scheduler'], [
      ...(await common()),
      '--cert-dir',
      path.join(this.dir, 'scheduler-certs'),
    ]);
    const kwok = this.spawnLogged('kwok', this.binaries.kwok, [
      '--kubeconfig',
      kc,
      '--config',
      this.binaries.kwokStages,
      // Only the nodes the test registers (annotated kwok.x-k8s.io/node=fake), as kwok's docs do.
      '--manage-nodes-with-annotation-selector',
      'kwok.x-k8s.io/node=fake',
      '--cidr',
      '10.244.0.0/16',
      '--node-ip',
      '127.0.0.1',
      '--node-lease-duration-seconds',
      '40',
      '--server-address',
      `127.0.0.1:${await freePort()}`,
    ]);
    // The ServiceAccount controller creating `default` in `default` says the controllers run.
    const caPem = fs.readFileSync(this.caFile);
    await this.waitFor(
      'kube-controller-manager (ServiceAccount default/default)',
      controllerManager,
      async () => {
        const r = await get(`${this.server}/api/v1/namespaces/default/serviceaccounts/default`, {
          ca: caPem,
          headers: { Authorization: `Bearer ${this.token}` },
        });
        return { ok: r.status === 200, detail: String(r.status) };
      },
      120_000,
    );
    for (const p of [scheduler, kwok]) {
      await new Promise((r) => setTimeout(r, 500));
      if (p.exitInfo) throw new Error(`${p.name} exited (${JSON.stringify(p.exitInfo)}):\n${this.tail(p.name)}`);
    }
    this.log('kube-controller-manager, kube-scheduler and kwok running');
  }

  /** Stops every process (SIGTERM, then SIGKILL after 5 s) and removes the folder. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.stopped = true;
    const alive = this.procs.filter((p) => !p.exitInfo);
    for (const p of [...alive].reverse()) p.kill('SIGTERM');
    await Promise.race([Promise.all(alive.map((p) => p.exited)), new Promise((r) => setTimeout(r, 5000))]);
    for (const p of alive) if (!p.exitInfo) p.kill('SIGKILL');
    await Promise.all(alive.map((p) => p.exited));
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.removed = true;
    this.log(`stopped ${alive.map((p) => p.name).join(', ') || 'nothing'} and removed ${this.dir}`);
  }

  /** Last resort from a synchronous 'exit' handler: kill without waiting, remove the folder. */
  stopSync(): void {
    if (this.removed) return;
    for (const p of this.procs)
      if (!p.exitInfo) {
        try {
          p.kill('SIGKILL');
        } catch {
          /* gone */
        }
      }
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.removed = true;
  }
}

/**
 * Ties the cluster's life to this process: the first SIGINT or SIGTERM runs `beforeStop` (for
 * loops that use the cluster) and stops the cluster gracefully, then exits (130 or 143); a second
 * signal kills the processes at once and exits; any other exit kills them synchronously. No
 * etcd or kube-apiserver outlives the process that started it, whatever ends it short of SIGKILL.
 * Returns a function that removes the handlers.
 */
export function stopOnExit(
  cluster: LocalCluster,
  log: Log,
  beforeStop: () => Promise<void> = async () => {},
): () => void {
  let signalled = false;
  const onSignal = (sig: NodeJS.Signals) => {
    const code = sig === 'SIGINT' ? 130 : 143;
    if (signalled) {
      cluster.stopSync();
      process.exit(code);
    }
    signalled = true;
    log(`${sig}: stopping the control plane`);
    beforeStop()
      .catch(() => undefined)
      .then(() => cluster.stop())
      .finally(() => process.exit(code));
  };
  const onExit = () => cluster.stopSync();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  };
}
