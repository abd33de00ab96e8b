/**
 * The test control plane itself: a k3s-shaped kube-apiserver over kine/SQLite
 * with kube-controller-manager, as every other integration test uses it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import {
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  VersionApi,
  type V1Pod,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError } from '../control-plane/api-error.ts';
import { startControlPlane, type ControlPlane } from '../control-plane/control-plane.ts';

function clientFor(kubeconfigPath: string): { core: CoreV1Api; rbac: RbacAuthorizationV1Api; version: VersionApi } {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return { core: kc.makeApiClient(CoreV1Api), rbac: kc.makeApiClient(RbacAuthorizationV1Api), version: kc.makeApiClient(VersionApi) };
}

/** The pid that owns a control-plane run directory (owner.json), if readable. */
function ownerOf(dir: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}

const privilegedPod = (name: string): V1Pod => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
});

const restrictedPod = (name: string): V1Pod => ({
  metadata: { name },
  spec: {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'c',
      image: 'busybox',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }],
  },
});

describe('control plane with k3s default flags', () => {
  let cp: ControlPlane;
  let admin: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    cp = await startControlPlane();
    admin = clientFor(cp.kubeconfigPath);
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('reports a k3s-stamped version', async () => {
    const version = await admin.version.getCode();
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+\+k3s1$/);
    expect(cp.gitVersion).toBe(version.gitVersion);
  });

  it('runs kube-apiserver with the security flags k3s sets', () => {
    expect(cp.apiServer.args).toEqual(expect.arrayContaining([
      '--anonymous-auth=false',
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      '--profiling=false',
      '--bind-address=127.0.0.1',
    ]));
    expect(cp.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses anonymous requests', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('/api/v1/namespaces', cp.server), { ca: readFileSync(cp.serverCaPath) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
  });

  it('gives a new namespace its default ServiceAccount', async () => {
    await admin.core.createNamespace({ body: { metadata: { name: 'smoke' } } });
    await cp.waitForServiceAccount('smoke');
    const sa = await admin.core.readNamespacedServiceAccount({ namespace: 'smoke', name: 'default' });
    expect(sa.metadata?.name).toBe('default');
  });

  it('enforces PodSecurity from the namespace label', async () => {
    await admin.core.createNamespace({
      body: { metadata: { name: 'restricted', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    });
    await cp.waitForServiceAccount('restricted');
    const rejected = await apiError(
      admin.core.createNamespacedPod({ namespace: 'restricted', body: privilegedPod('bad'), dryRun: 'All' }),
    );
    expect(rejected.code).toBe(403);
    expect(rejected.message).toContain('violates PodSecurity "restricted:latest"');
    expect(rejected.message).toContain('privileged');

    const accepted = await admin.core.createNamespacedPod({ namespace: 'restricted', body: restrictedPod('good'), dryRun: 'All' });
    expect(accepted.metadata?.name).toBe('good');
  });

  it('mints least-privilege users whose rights come from RBAC only', async () => {
    const alicePath = await cp.makeUserKubeconfig('alice', ['kharden-auditors']);
    const alice = clientFor(alicePath);
    const forbidden = await apiError(alice.core.listNamespacedPod({ namespace: 'smoke' }));
    expect(forbidden.code).toBe(403);
    expect(forbidden.message).toContain('User "alice" cannot list resource "pods"');

    await admin.rbac.createNamespacedRoleBinding({
      namespace: 'smoke',
      body: {
        metadata: { name: 'auditors-view' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'kharden-auditors' }],
      },
    });
    // The view ClusterRole is aggregated by kube-controller-manager; RBAC changes apply within moments.
    await expect.poll(async () => (await alice.core.listNamespacedPod({ namespace: 'smoke' }).then(() => 'ok', () => 'denied')), {
      timeout: 30_000,
      interval: 250,
    }).toBe('ok');
  });
});

describe('control plane with extra API server arguments and files', () => {
  let cp: ControlPlane;
  let admin: ReturnType<typeof clientFor>;

  const admissionConfig = `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults:
      enforce: restricted
      enforce-version: latest
      audit: restricted
      audit-version: latest
      warn: restricted
      warn-version: latest
    exemptions:
      usernames: []
      runtimeClasses: []
      namespaces: [kube-system]
`;
  const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
`;
  const encryptionConfig = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: ${Buffer.alloc(32, 7).toString('base64')}
  - identity: {}
`;

  beforeAll(async () => {
    cp = await startControlPlane({
      files: { 'psa.yaml': admissionConfig, 'audit.yaml': auditPolicy, 'encryption.yaml': encryptionConfig },
      extraApiServerArgs: [
        '--admission-control-config-file={dir}/psa.yaml',
        '--audit-policy-file={dir}/audit.yaml',
        '--audit-log-path={dir}/audit.log',
        '--encryption-provider-config={dir}/encryption.yaml',
      ],
    });
    admin = clientFor(cp.kubeconfigPath);
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('passes the extra arguments with the run directory filled in', () => {
    expect(cp.apiServer.args).toContain(`--audit-log-path=${join(cp.dir, 'audit.log')}`);
    expect(cp.apiServer.args).toContain(`--admission-control-config-file=${join(cp.dir, 'psa.yaml')}`);
  });

  it('applies the PodSecurity defaults of the admission configuration to unlabelled namespaces', async () => {
    await admin.core.createNamespace({ body: { metadata: { name: 'plain' } } });
    await cp.waitForServiceAccount('plain');
    const rejected = await apiError(admin.core.createNamespacedPod({ namespace: 'plain', body: privilegedPod('bad'), dryRun: 'All' }));
    expect(rejected.code).toBe(403);
    expect(rejected.message).toContain('violates PodSecurity "restricted:latest"');
  });

  it('stores secrets encrypted with the configured provider', async () => {
    const plaintext = 'kharden-smoke-secret-value';
    await admin.core.createNamespacedSecret({ namespace: 'plain', body: { metadata: { name: 's' }, stringData: { v: plaintext } } });
    // kine keeps the rows in SQLite (WAL mode): look at the bytes on disk.
    const stored = ['state.db', 'state.db-wal']
      .map((name) => join(cp.dir, 'db', name))
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path))
      .reduce((all, b) => Buffer.concat([all, b]), Buffer.alloc(0));
    expect(stored.includes('k8s:enc:aescbc:v1:key1')).toBe(true);
    expect(stored.includes(plaintext)).toBe(false);
  });

  it('writes audit events for API requests', async () => {
    await admin.core.createNamespacedConfigMap({ namespace: 'plain', body: { metadata: { name: 'audited' } } });
    const auditLog = join(cp.dir, 'audit.log');
    // The audit backend batches writes; poll for the event instead of assuming it is there.
    await expect.poll(() => {
      if (!existsSync(auditLog)) return false;
      return readFileSync(auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as {
        verb?: string; objectRef?: { resource?: string; name?: string }; user?: { username?: string };
      }).some((e) => e.verb === 'create' && e.objectRef?.resource === 'configmaps' && e.objectRef.name === 'audited'
        && e.user?.username === 'system:admin');
    }, { timeout: 30_000, interval: 250 }).toBe(true);
  });
});

describe('control plane teardown', () => {
  it('stops every process and removes the run directory', async () => {
    const cp = await startControlPlane({ controllerManager: false });
    const pids = [cp.kine.pid, cp.apiServer.pid];
    await cp.stop();
    expect(existsSync(cp.dir)).toBe(false);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    await cp.stop(); // idempotent
  });

  it('says why kube-apiserver did not start and leaves nothing behind', async () => {
    await expect(startControlPlane({ controllerManager: false, extraApiServerArgs: ['--no-such-flag=1'] }))
      .rejects.toThrow(/kube-apiserver exited[\s\S]*unknown flag: --no-such-flag/);
    const ours = readdirSync(tmpdir())
      .filter((name) => name.startsWith('kharden-cp-'))
      .filter((name) => ownerOf(join(tmpdir(), name)) === process.pid);
    expect(ours).toEqual([]);
  });
});
