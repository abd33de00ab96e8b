/**
 * A real, k3s-shaped Kubernetes control plane for integration tests:
 * kine on SQLite + kube-apiserver + kube-controller-manager, on loopback only,
 * started with the flags k3s gives them by default. See docs/control-plane.md.
 *
 *   const cp = await startControlPlane();
 *   // ... cp.kubeconfigPath, cp.server, cp.makeUserKubeconfig('alice', ['dev'])
 *   await cp.stop();
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, isAbsolute, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify as toYaml } from 'yaml';

const execFileAsync = promisify(execFile);

const here = dirname(fileURLToPath(import.meta.url));
const buildScript = join(here, 'build.sh');
const runDirPrefix = 'kharden-cp-';

/** k3s's default service CIDR and cluster domain. */
const serviceClusterIpRange = '10.43.0.0/16';
const clusterDomain = 'cluster.local';
/** k3s's default TLS cipher suites for its control-plane components. */
const k3sCipherSuites = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
].join(',');

export interface ControlPlaneOptions {
  /**
   * Added to kube-apiserver's command line as `--flag=value`. A flag that is
   * also a default replaces the default (k3s's `--kube-apiserver-arg` rule);
   * repeating a flag keeps every value. `{dir}` is replaced by the run directory.
   */
  extraApiServerArgs?: string[];
  /** Same, for kube-controller-manager. */
  extraControllerManagerArgs?: string[];
  /** Files written into the run directory before start (relative path → content), e.g. `{ 'audit.yaml': policy }`. */
  files?: Record<string, string>;
  /** Run kube-controller-manager (default service accounts, tokens, GC, ClusterRole aggregation). Default true. */
  controllerManager?: boolean;
}

export interface ProcessInfo {
  readonly pid: number;
  readonly args: readonly string[];
  /** Log file (stdout and stderr) inside the run directory. */
  readonly logPath: string;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** Run directory (temporary; removed by stop()). Holds the certificates, logs, the SQLite database and `files`. */
  readonly dir: string;
  /** Kubeconfig of the cluster admin (client certificate, CN=system:admin, O=system:masters). */
  readonly kubeconfigPath: string;
  /** The same kubeconfig as YAML text. */
  readonly adminKubeconfig: string;
  /** PEM of the CA that signed the API server's serving certificate. */
  readonly serverCaPath: string;
  /** The version the API server reports, e.g. v1.35.4+k3s1. */
  readonly gitVersion: string;
  readonly kine: ProcessInfo;
  readonly apiServer: ProcessInfo;
  readonly controllerManager: ProcessInfo | undefined;
  /** Mints a client certificate for `user` in `groups` and returns the path of a kubeconfig that uses it. */
  makeUserKubeconfig(user: string, groups?: readonly string[]): Promise<string>;
  /** Resolves when the ServiceAccount exists (kube-controller-manager creates `default` in each namespace). */
  waitForServiceAccount(namespace: string, name?: string, timeoutMs?: number): Promise<void>;
  /** Resident memory of each process, in bytes (from /proc). */
  memory(): Record<'kine' | 'apiServer' | 'controllerManager', number | undefined>;
  /** Stops every process and removes the run directory (kept when KHARDEN_KEEP_CONTROL_PLANE=1). Idempotent. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------- binaries

export interface ControlPlaneBinaries {
  /** Directory with bin/{kine,kube-apiserver,kube-controller-manager} and manifest.json. */
  readonly dir: string;
  readonly gitVersion: string;
}

let binariesPromise: Promise<ControlPlaneBinaries> | undefined;

/**
 * Returns the cached binaries, building them first when missing (cold: tens of
 * minutes on 2 cores). Build progress goes to this process's stderr.
 */
export function ensureControlPlaneBinaries(): Promise<ControlPlaneBinaries> {
  binariesPromise ??= runBuild().catch((error: unknown) => {
    binariesPromise = undefined;
    throw error;
  });
  return binariesPromise;
}

async function runBuild(): Promise<ControlPlaneBinaries> {
  const child = spawn('bash', [buildScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${buildScript} failed (exit ${String(code)}); see its messages above`);
  const dir = stdout.trim().split('\n').at(-1) ?? '';
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { gitVersion?: unknown };
  if (typeof manifest.gitVersion !== 'string') throw new Error(`${dir}/manifest.json has no gitVersion`);
  return { dir, gitVersion: manifest.gitVersion };
}

// ---------------------------------------------------------------- cleanup

interface LiveRun {
  readonly dir: string;
  readonly children: ChildProcess[];
}

const liveRuns = new Set<LiveRun>();
let exitHooksInstalled = false;

/** Last-resort teardown: a worker that exits or is interrupted must not leave servers behind. */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.once('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllSync();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function killAllSync(): void {
  for (const run of liveRuns) {
    for (const child of run.children) if (!exited(child)) child.kill('SIGKILL');
    if (!keepRunDir()) rmSync(run.dir, { recursive: true, force: true });
  }
  liveRuns.clear();
}

function keepRunDir(): boolean {
  return process.env['KHARDEN_KEEP_CONTROL_PLANE'] === '1';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes run directories whose owning process died without cleaning up (e.g. a
 * worker killed with SIGKILL), and kills the servers it left, identified by the
 * run directory on their command line so that a reused pid is never hit.
 */
function reapOrphanedRuns(): void {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir()).filter((name) => name.startsWith(runDirPrefix));
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = join(tmpdir(), name);
    let owner: { pid: number; children: number[]; kept?: boolean };
    try {
      owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as typeof owner;
    } catch {
      continue;
    }
    if (owner.kept === true || isAlive(owner.pid)) continue;
    for (const pid of owner.children) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- certificates

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', [...args], { cwd });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr.trim()}`, { cause: error });
  }
}

async function makeCa(tls: string, name: string, cn: string): Promise<void> {
  await openssl(
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256', '-days', '3650',
      '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.crt`],
    tls,
  );
}

/** Escapes a value for an openssl -subj string (`/` and `\` are separators there). */
function subjectValue(value: string): string {
  if (/[\n\r\0]/.test(value) || value.length === 0) throw new Error(`invalid certificate name: ${JSON.stringify(value)}`);
  return value.replace(/[\\/+,=]/g, (c) => `\\${c}`);
}

async function makeLeaf(
  tls: string,
  name: string,
  ca: string,
  subject: { cn: string; orgs?: readonly string[] },
  usage: 'client' | 'server',
  sans: readonly string[] = [],
): Promise<void> {
  const subj = `/${[...(subject.orgs ?? []).map((o) => `O=${subjectValue(o)}`), `CN=${subjectValue(subject.cn)}`].join('/')}`;
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', subj, '-keyout', `${name}.key`, '-out', `${name}.csr`], tls);
  const ext = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${usage === 'client' ? 'clientAuth' : 'serverAuth'}`,
    ...(sans.length > 0 ? [`subjectAltName=${sans.join(',')}`] : []),
  ].join('\n');
  await writeFile(join(tls, `${name}.ext`), `${ext}\n`);
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', `0x${randomBytes(16).toString('hex')}`,
    '-sha256', '-days', '3650', '-extfile', `${name}.ext`, '-out', `${name}.crt`], tls);
  await chmod(join(tls, `${name}.key`), 0o600);
}

function kubeconfigYaml(server: string, caPem: string, user: string, certPem: string, keyPem: string): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kharden-test', cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: user, user: { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) } }],
    contexts: [{ name: 'kharden-test', context: { cluster: 'kharden-test', user } }],
    'current-context': 'kharden-test',
  });
}

// ---------------------------------------------------------------- arguments

function flagName(arg: string): string {
  const m = /^--?([^=]+)/.exec(arg);
  if (!m?.[1]) throw new Error(`not a --flag=value argument: ${arg}`);
  return m[1];
}

/** k3s's rule: a user flag replaces the default of the same name; output sorted by flag name like k3s logs them. */
export function mergeArgs(defaults: Record<string, string>, extra: readonly string[], dir: string): string[] {
  const expanded = extra.map((arg) => arg.replaceAll('{dir}', dir)).map((arg) => (arg.startsWith('-') ? arg : `--${arg}`));
  const overridden = new Set(expanded.map(flagName));
  const args = Object.entries(defaults)
    .filter(([name]) => !overridden.has(name))
    .map(([name, value]) => `--${name}=${value}`);
  return [...args, ...expanded].sort((a, b) => (flagName(a) < flagName(b) ? -1 : flagName(a) > flagName(b) ? 1 : 0));
}

// ---------------------------------------------------------------- processes

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not allocate a loopback port');
  return address.port;
}

function startProcess(run: LiveRun, binary: string, args: string[], logPath: string): ChildProcess {
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(binary, args, { cwd: run.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.once('error', (error) => {
    spawnFailures.add(child);
    log.write(`could not run ${binary}: ${error.message}\n`);
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('close', () => log.end());
  run.children.push(child);
  return child;
}

function tail(path: string, lines = 25): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Children that could not be started at all: they never emit 'exit'. */
const spawnFailures = new WeakSet<ChildProcess>();

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || spawnFailures.has(child);
}

async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (exited(child)) return;
  const closed = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await closed;
  clearTimeout(timer);
}

interface TlsMaterial {
  ca: string;
  cert: string;
  key: string;
}

/** GET over TLS with a client certificate; resolves with status and body. */
function httpsGet(server: string, path: string, tls: TlsMaterial, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = request(new URL(path, server), { method: 'GET', ...tls, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, failFast: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failFast();
    if (failure !== undefined) throw new Error(failure);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function rss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- start

/**
 * Starts kine + kube-apiserver (+ kube-controller-manager) in a fresh temporary
 * directory and resolves once /readyz answers ok (and, with the controller
 * manager, once it has created the `default` ServiceAccount of `default`).
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binaries = await ensureControlPlaneBinaries();
  const bin = (name: string): string => join(binaries.dir, 'bin', name);
  reapOrphanedRuns();
  installExitHooks();

  const dir = await mkdtemp(join(tmpdir(), runDirPrefix));
  const run: LiveRun = { dir, children: [] };
  liveRuns.add(run);
  const writeOwner = (): Promise<void> =>
    writeFile(join(dir, 'owner.json'), JSON.stringify({ pid: process.pid, children: run.children.map((c) => c.pid) }));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // Reverse start order: clients first, the datastore last.
    for (const child of [...run.children].reverse()) await stopProcess(child);
    liveRuns.delete(run);
    if (keepRunDir()) {
      await writeFile(join(dir, 'owner.json'), JSON.stringify({ pid: process.pid, children: [], kept: true }));
      process.stderr.write(`[control-plane] kept ${dir}\n`);
    } else {
      await rm(dir, { recursive: true, force: true });
    }
  };

  try {
    await writeOwner();
    const tls = join(dir, 'tls');
    await mkdir(join(tls, 'temporary-certs'), { recursive: true, mode: 0o700 });
    await mkdir(join(dir, 'db'), { recursive: true });
    await mkdir(join(dir, 'cred'), { recursive: true });

    for (const [relative, content] of Object.entries(options.files ?? {})) {
      const target = resolve(dir, normalize(relative));
      if (isAbsolute(relative) || !target.startsWith(dir + sep)) throw new Error(`files: ${relative} must be a relative path inside the run directory`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content, { mode: 0o600 });
    }

    // The certificate layout k3s uses: separate server, client and request-header CAs.
    await Promise.all([
      makeCa(tls, 'server-ca', 'k3s-server-ca'),
      makeCa(tls, 'client-ca', 'k3s-client-ca'),
      makeCa(tls, 'request-header-ca', 'k3s-request-header-ca'),
      openssl(['genrsa', '-out', 'service.key', '2048'], tls),
    ]);
    const port = await freePort();
    const server = `https://127.0.0.1:${port}`;
    const sans = ['DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', `DNS:kubernetes.default.svc.${clusterDomain}`,
      'DNS:localhost', 'IP:127.0.0.1', 'IP:::1', 'IP:10.43.0.1'];
    await Promise.all([
      makeLeaf(tls, 'serving-kube-apiserver', 'server-ca', { cn: 'kube-apiserver' }, 'server', sans),
      makeLeaf(tls, 'client-admin', 'client-ca', { cn: 'system:admin', orgs: ['system:masters'] }, 'client'),
      makeLeaf(tls, 'client-controller', 'client-ca', { cn: 'system:kube-controller-manager' }, 'client'),
      makeLeaf(tls, 'client-kube-apiserver', 'client-ca', { cn: 'system:apiserver', orgs: ['system:masters'] }, 'client'),
      makeLeaf(tls, 'client-auth-proxy', 'request-header-ca', { cn: 'system:auth-proxy' }, 'client'),
    ]);
    const pem = (name: string): string => readFileSync(join(tls, name), 'utf8');
    const admin: TlsMaterial = { ca: pem('server-ca.crt'), cert: pem('client-admin.crt'), key: pem('client-admin.key') };
    const adminKubeconfig = kubeconfigYaml(server, admin.ca, 'system:admin', admin.cert, admin.key);
    const kubeconfigPath = join(dir, 'cred', 'admin.kubeconfig');
    await writeFile(kubeconfigPath, adminKubeconfig, { mode: 0o600 });
    const controllerKubeconfig = join(dir, 'cred', 'controller.kubeconfig');
    await writeFile(controllerKubeconfig,
      kubeconfigYaml(server, admin.ca, 'system:kube-controller-manager', pem('client-controller.crt'), pem('client-controller.key')),
      { mode: 0o600 });

    // kine, on a unix socket like k3s (`Kine listening on unix://kine.sock`); no ports to race for.
    const kineSocket = join(dir, 'kine.sock');
    const kineArgs = [
      `--listen-address=unix://${kineSocket}`,
      `--endpoint=sqlite://${join(dir, 'db', 'state.db')}?_journal_mode=WAL&_busy_timeout=30000&_synchronous=NORMAL&_txlock=immediate&_stmt_cache_size=20&cache=shared`,
      '--metrics-bind-address=0',
    ];
    const kineLog = join(dir, 'kine.log');
    const kine = startProcess(run, bin('kine'), kineArgs, kineLog);
    await writeOwner();
    await waitUntil('kine to listen', async () => existsSync(kineSocket), 60_000,
      () => (exited(kine) ? `kine exited (${String(kine.exitCode ?? kine.signalCode)}):\n${tail(kineLog)}` : undefined));

    const t = (name: string): string => join(tls, name);
    // k3s's kube-apiserver defaults (pkg/daemons/control/server.go and its `Running kube-apiserver` log line),
    // minus k3s-only plumbing: --advertise-port (k3s's own flag) and the egress selector (k3s's agent tunnel).
    const apiServerDefaults: Record<string, string> = {
      'advertise-address': '127.0.0.1',
      'allow-privileged': 'true',
      'anonymous-auth': 'false',
      'api-audiences': `https://kubernetes.default.svc.${clusterDomain},k3s`,
      'authorization-mode': 'Node,RBAC',
      'bind-address': '127.0.0.1',
      'cert-dir': t('temporary-certs'),
      'client-ca-file': t('client-ca.crt'),
      'enable-admission-plugins': 'NodeRestriction',
      'enable-aggregator-routing': 'true',
      'enable-bootstrap-token-auth': 'true',
      'etcd-servers': `unix://${kineSocket}`,
      'kubelet-certificate-authority': t('server-ca.crt'),
      'kubelet-client-certificate': t('client-kube-apiserver.crt'),
      'kubelet-client-key': t('client-kube-apiserver.key'),
      'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
      profiling: 'false',
      'proxy-client-cert-file': t('client-auth-proxy.crt'),
      'proxy-client-key-file': t('client-auth-proxy.key'),
      'requestheader-allowed-names': 'system:auth-proxy',
      'requestheader-client-ca-file': t('request-header-ca.crt'),
      'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
      'requestheader-group-headers': 'X-Remote-Group',
      'requestheader-username-headers': 'X-Remote-User',
      'secure-port': String(port),
      'service-account-issuer': `https://kubernetes.default.svc.${clusterDomain}`,
      'service-account-key-file': t('service.key'),
      'service-account-signing-key-file': t('service.key'),
      'service-cluster-ip-range': serviceClusterIpRange,
      'service-node-port-range': '30000-32767',
      'storage-backend': 'etcd3',
      'tls-cert-file': t('serving-kube-apiserver.crt'),
      'tls-cipher-suites': k3sCipherSuites,
      'tls-private-key-file': t('serving-kube-apiserver.key'),
    };
    const apiServerArgs = mergeArgs(apiServerDefaults, options.extraApiServerArgs ?? [], dir);
    const apiServerLog = join(dir, 'kube-apiserver.log');
    const apiServer = startProcess(run, bin('kube-apiserver'), apiServerArgs, apiServerLog);
    await writeOwner();
    await waitUntil(
      `kube-apiserver /readyz at ${server}`,
      async () => (await httpsGet(server, '/readyz', admin)).status === 200,
      180_000,
      () => {
        if (exited(kine)) return `kine exited:\n${tail(kineLog)}`;
        if (exited(apiServer)) return `kube-apiserver exited (${String(apiServer.exitCode ?? apiServer.signalCode)}):\n${tail(apiServerLog)}`;
        return undefined;
      },
    );

    let controllerManager: (ProcessInfo & { child: ChildProcess }) | undefined;
    const adminGet = (path: string): Promise<{ status: number; body: string }> => httpsGet(server, path, admin);
    const waitForServiceAccount = async (namespace: string, name = 'default', timeoutMs = 60_000): Promise<void> => {
      const kcm = controllerManager;
      if (kcm === undefined) throw new Error('waitForServiceAccount needs the controller manager (controllerManager: false was given)');
      await waitUntil(
        `ServiceAccount ${namespace}/${name}`,
        async () => (await adminGet(`/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}`)).status === 200,
        timeoutMs,
        () => (exited(kcm.child) ? `kube-controller-manager exited:\n${tail(kcm.logPath)}` : undefined),
      );
    };

    if (options.controllerManager ?? true) {
      // k3s's kube-controller-manager defaults; --secure-port=0 because nothing scrapes it here and it saves a port.
      const kcmDefaults: Record<string, string> = {
        'allocate-node-cidrs': 'true',
        'authentication-kubeconfig': controllerKubeconfig,
        'authorization-kubeconfig': controllerKubeconfig,
        'bind-address': '127.0.0.1',
        'cluster-cidr': '10.42.0.0/16',
        'cluster-signing-kube-apiserver-client-cert-file': t('client-ca.crt'),
        'cluster-signing-kube-apiserver-client-key-file': t('client-ca.key'),
        'cluster-signing-kubelet-client-cert-file': t('client-ca.crt'),
        'cluster-signing-kubelet-client-key-file': t('client-ca.key'),
        'cluster-signing-kubelet-serving-cert-file': t('server-ca.crt'),
        'cluster-signing-kubelet-serving-key-file': t('server-ca.key'),
        'cluster-signing-legacy-unknown-cert-file': t('server-ca.crt'),
        'cluster-signing-legacy-unknown-key-file': t('server-ca.key'),
        'configure-cloud-routes': 'false',
        controllers: '*,tokencleaner,-service,-route,-cloud-node-lifecycle',
        kubeconfig: controllerKubeconfig,
        'leader-elect': 'false',
        profiling: 'false',
        'root-ca-file': t('server-ca.crt'),
        'secure-port': '0',
        'service-account-private-key-file': t('service.key'),
        'service-cluster-ip-range': serviceClusterIpRange,
        'use-service-account-credentials': 'true',
      };
      const args = mergeArgs(kcmDefaults, options.extraControllerManagerArgs ?? [], dir);
      const logPath = join(dir, 'kube-controller-manager.log');
      const child = startProcess(run, bin('kube-controller-manager'), args, logPath);
      await writeOwner();
      controllerManager = { pid: child.pid ?? -1, args, logPath, child };
      await waitForServiceAccount('default');
    }

    const userDir = join(dir, 'users');
    await mkdir(userDir, { recursive: true });
    let users = 0;
    const makeUserKubeconfig = async (user: string, groups: readonly string[] = []): Promise<string> => {
      users += 1;
      const name = `user-${users}`;
      await makeLeaf(tls, name, 'client-ca', { cn: user, orgs: groups }, 'client');
      const path = join(userDir, `${name}.kubeconfig`);
      await writeFile(path, kubeconfigYaml(server, admin.ca, user, pem(`${name}.crt`), pem(`${name}.key`)), { mode: 0o600 });
      return path;
    };

    const version = JSON.parse((await adminGet('/version')).body) as { gitVersion?: string };
    const info = (child: ChildProcess, args: string[], logPath: string): ProcessInfo => ({ pid: child.pid ?? -1, args, logPath });
    return {
      server,
      dir,
      kubeconfigPath,
      adminKubeconfig,
      serverCaPath: t('server-ca.crt'),
      gitVersion: version.gitVersion ?? binaries.gitVersion,
      kine: info(kine, kineArgs, kineLog),
      apiServer: info(apiServer, apiServerArgs, apiServerLog),
      controllerManager: controllerManager && { pid: controllerManager.pid, args: controllerManager.args, logPath: controllerManager.logPath },
      makeUserKubeconfig,
      waitForServiceAccount,
      memory: () => ({ kine: rss(kine.pid), apiServer: rss(apiServer.pid), controllerManager: rss(controllerManager?.pid) }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
