/**
 * Proof with a real kube-apiserver (test control plane: kine/SQLite + kube-apiserver + controller manager,
 * k3s's flags): it starts with the admission configuration, audit policy and k3s settings that
 * `kharden harden` generates, writes audit events to the generated log path, stores Secrets encrypted as
 * `secrets-encryption: true` makes k3s configure it, accepts every generated NetworkPolicy, and enforces
 * the chosen Pod Security level except in exempt namespaces.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, NetworkingV1Api, dumpYaml, loadYaml, type V1NetworkPolicy, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { applyOperations } from '../../src/harden/apply.ts';
import { readCurrentFiles } from '../../src/harden/current-files.ts';
import { buildPlan, type HardenOptions, type HardenPlan, pathsToRead, type PlanInput } from '../../src/harden/plan.ts';
import { testFacts } from '../../src/harden/test-facts.ts';
import { apiError } from '../control-plane/api-error.ts';
import { type ControlPlane, startControlPlane } from '../control-plane/control-plane.ts';

const serverDir = '/var/lib/rancher/k3s/server';

const privilegedPod = (name: string): V1Pod => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } });
/** Allowed by baseline, rejected by restricted (no runAsNonRoot, no seccomp, capabilities not dropped). */
const baselinePod = (name: string): V1Pod => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

interface Hardened {
  root: string;
  plan: HardenPlan;
  read: (nodePath: string) => string;
  dropIn: Record<string, unknown>;
}

/** Plans and applies kharden's hardening for a k3s server of the control plane's version on a scratch root. */
function hardenScratchRoot(options: HardenOptions, minor: number): Hardened {
  const root = mkdtempSync(join(tmpdir(), 'kharden-proof-'));
  const input: PlanInput = {
    facts: testFacts({ role: 'server', version: `v1.${minor}.4+k3s1` }),
    target: { role: 'server', version: `v1.${minor}.4+k3s1`, minor, benchmark: { id: 'k3s-cis-2.0', title: 'CIS k3s 2.0', seccompDefault: true, certMode: 0o644, clientCaMode: 0o644 } },
    options,
    root,
  };
  const plan = buildPlan(input, readCurrentFiles(root, pathsToRead(input)));
  applyOperations(root, plan.changes.map((change) => change.operation), { summary: 'proof' });
  const read = (nodePath: string): string => readFileSync(join(root, nodePath), 'utf8');
  return { root, plan, read, dropIn: parse(read('/etc/rancher/k3s/config.yaml.d/90-kharden.yaml'), { version: '1.1' }) as Record<string, unknown> };
}

/** The drop-in's component args as the command-line flags k3s passes, with server paths moved into the run directory. */
function flagsOf(dropIn: Record<string, unknown>, key: string): string[] {
  const list = (dropIn[`${key}+`] ?? []) as string[];
  return list.map((arg) => `--${arg.replaceAll(`${serverDir}/`, '{dir}/')}`);
}

/** What k3s writes for `secrets-encryption: true` (server/cred/encryption-config.json): aescbc first, then identity. */
const k3sEncryptionConfig = JSON.stringify({
  kind: 'EncryptionConfiguration',
  apiVersion: 'apiserver.config.k8s.io/v1',
  resources: [{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'aescbckey', secret: Buffer.alloc(32, 9).toString('base64') }] } }, { identity: {} }] }],
});

async function startHardened(hardened: Hardened): Promise<ControlPlane> {
  expect(hardened.dropIn['secrets-encryption']).toBe(true);
  return startControlPlane({
    files: {
      'psa.yaml': hardened.read(`${serverDir}/psa.yaml`),
      'audit.yaml': hardened.read(`${serverDir}/audit.yaml`),
      'logs/.keep': '',
      'cred/encryption-config.json': k3sEncryptionConfig,
    },
    extraApiServerArgs: [...flagsOf(hardened.dropIn, 'kube-apiserver-arg'), '--encryption-provider-config={dir}/cred/encryption-config.json'],
    extraControllerManagerArgs: flagsOf(hardened.dropIn, 'kube-controller-manager-arg'),
  });
}

const minorOf = (gitVersion: string): number => Number(/^v1\.(\d+)\./.exec(gitVersion)?.[1] ?? '35');
const controlPlaneMinor = 35;

describe('the API server with the restricted hardening kharden generates', () => {
  let cp: ControlPlane;
  let hardened: Hardened;
  let core: CoreV1Api;
  let networking: NetworkingV1Api;

  beforeAll(async () => {
    hardened = hardenScratchRoot(
      { psaLevel: 'restricted', psaExemptNamespaces: ['kube-system', 'exempt-ns'], netpol: true, secretsEncryption: true, netpolNamespaces: ['tenant'] },
      controlPlaneMinor,
    );
    cp = await startHardened(hardened);
    expect(minorOf(cp.gitVersion)).toBe(controlPlaneMinor);
    const kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    networking = kc.makeApiClient(NetworkingV1Api);
    for (const name of ['tenant', 'exempt-ns']) {
      await core.createNamespace({ body: { metadata: { name } } });
      await cp.waitForServiceAccount(name);
    }
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('starts with every generated argument, EventRateLimit and its configuration included', () => {
    for (const flag of flagsOf(hardened.dropIn, 'kube-apiserver-arg')) expect(cp.apiServer.args).toContain(flag.replaceAll('{dir}', cp.dir));
    expect(cp.apiServer.args).toContain('--enable-admission-plugins=NodeRestriction,EventRateLimit');
    expect(cp.apiServer.args).toContain('--service-account-extend-token-expiration=false');
    expect(cp.controllerManager?.args).toContain('--terminated-pod-gc-threshold=100');
  });

  it('writes audit events to the generated log path, metadata only', async () => {
    await core.createNamespacedConfigMap({ namespace: 'tenant', body: { metadata: { name: 'audited' }, data: { body: 'not-in-the-log' } } });
    const auditLog = join(cp.dir, 'logs', 'audit.log');
    await expect
      .poll(
        () => {
          if (!existsSync(auditLog)) return false;
          const events = readFileSync(auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { verb?: string; level?: string; stage?: string; objectRef?: { name?: string } });
          return events.some((event) => event.verb === 'create' && event.objectRef?.name === 'audited' && event.level === 'Metadata' && event.stage === 'ResponseComplete');
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    const text = readFileSync(auditLog, 'utf8');
    expect(text).not.toContain('not-in-the-log');
    expect(text).not.toContain('"stage":"RequestReceived"');
  });

  it('stores Secrets encrypted (secrets-encryption)', async () => {
    await core.createNamespacedSecret({ namespace: 'tenant', body: { metadata: { name: 's' }, stringData: { v: 'kharden-proof-plaintext' } } });
    const stored = ['state.db', 'state.db-wal']
      .map((name) => join(cp.dir, 'db', name))
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path))
      .reduce((all, bytes) => Buffer.concat([all, bytes]), Buffer.alloc(0));
    expect(stored.includes('k8s:enc:aescbc:v1:aescbckey')).toBe(true);
    expect(stored.includes('kharden-proof-plaintext')).toBe(false);
  });

  it('accepts every generated NetworkPolicy', async () => {
    const dir = join(hardened.root, serverDir, 'manifests');
    const created: string[] = [];
    for (const file of readdirSync(dir).sort()) {
      for (const document of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        // The client's models rename `from` to `_from`: go through its serializer both ways so that the
        // API server gets exactly the generated object and the comparison is of wire forms.
        const generated = document.toJS() as { spec: object };
        const policy = loadYaml<V1NetworkPolicy>(document.toString());
        const namespace = policy.metadata?.namespace ?? '';
        const stored = await networking.createNamespacedNetworkPolicy({ namespace, body: policy });
        expect(parse(dumpYaml(stored))).toMatchObject({ spec: generated.spec });
        created.push(`${namespace}/${policy.metadata?.name ?? ''}`);
      }
    }
    expect(created).toEqual([
      'default/intra-namespace',
      'kube-public/intra-namespace',
      'kube-system/intra-namespace',
      'kube-system/default-network-dns-policy',
      'kube-system/allow-all-metrics-server',
      'kube-system/allow-all-svclbtraefik-ingress',
      'kube-system/allow-all-traefik-v121-ingress',
      'tenant/intra-namespace',
    ]);
  });

  it('rejects a pod that violates restricted in a namespace without exemption', async () => {
    const rejected = await apiError(core.createNamespacedPod({ namespace: 'tenant', body: baselinePod('plain') }));
    expect(rejected.code).toBe(403);
    expect(rejected.message).toContain('violates PodSecurity "restricted:latest"');
  });

  it('admits the same pod in an exempt namespace', async () => {
    const pod = await core.createNamespacedPod({ namespace: 'exempt-ns', body: privilegedPod('exempt') });
    expect(pod.metadata?.name).toBe('exempt');
  });
});

describe('the API server with the baseline level', () => {
  let cp: ControlPlane;
  let core: CoreV1Api;

  beforeAll(async () => {
    const hardened = hardenScratchRoot({ psaLevel: 'baseline', psaExemptNamespaces: ['kube-system'], netpol: false, secretsEncryption: true, netpolNamespaces: [] }, controlPlaneMinor);
    expect(hardened.plan.changes.some((change) => change.path.includes('/manifests/'))).toBe(false);
    cp = await startHardened(hardened);
    const kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'tenant' } } });
    await cp.waitForServiceAccount('tenant');
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('rejects a privileged pod and admits one that only fails restricted', async () => {
    const rejected = await apiError(core.createNamespacedPod({ namespace: 'tenant', body: privilegedPod('privileged') }));
    expect(rejected.code).toBe(403);
    expect(rejected.message).toContain('violates PodSecurity "baseline:latest"');
    expect((await core.createNamespacedPod({ namespace: 'tenant', body: baselinePod('plain') })).metadata?.name).toBe('plain');
  });

  it('admits a privileged pod in kube-system (exempt)', async () => {
    expect((await core.createNamespacedPod({ namespace: 'kube-system', body: privilegedPod('system') })).metadata?.name).toBe('system');
  });
});
