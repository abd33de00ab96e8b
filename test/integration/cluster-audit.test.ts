/**
 * The cluster audit against a real kube-apiserver (kine + SQLite, k3s flags): objects are created through
 * the API (pods stay Pending: there is no kubelet), collected with src/collect/cluster.ts, and every
 * section-5 control is asserted with its evidence. The same objects, exported as `kubectl get -o yaml`
 * would, give the same results through --manifests. Least privilege: deploy/rbac.yaml's role gives a full
 * result; with one right removed the controls that need it are UNKNOWN and name the permission.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { startControlPlane, type ControlPlane } from '../control-plane/control-plane.ts';
import { auditCluster } from '../../src/cis/policies/cluster-audit.ts';
import { main } from '../../src/cli/main.ts';
import { collectClusterFacts } from '../../src/collect/cluster.ts';
import { clusterFactsFromManifests } from '../../src/collect/cluster-manifests.ts';
import { loadManifests } from '../../src/collect/manifests.ts';
import type { ReportSection } from '../../src/core/audit-report.ts';
import type { Finding } from '../../src/core/finding.ts';
import type { ClusterFacts } from '../../src/facts/cluster-facts.ts';
import { AdminApi, type ApiObject } from './cluster-audit.fixture.ts';

const execFileAsync = promisify(execFile);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

// ------------------------------------------------------------------ the cluster under audit

const namespace = (name: string, labels: Record<string, string> = {}): ApiObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const container = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'registry.example/app:1', ...extra });
const restrictedContainer = container({
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
});
const deployment = (ns: string, name: string, spec: Record<string, unknown>, replicas = 1): ApiObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
});
const clusterRole = (name: string, rules: unknown[]): ApiObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules });
const clusterRoleBinding = (name: string, role: string, subjects: unknown[]): ApiObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects,
});
const node = (name: string, args: string[] | null): ApiObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name }, ...(args === null ? {} : { annotations: { 'k3s.io/node-args': JSON.stringify(args), 'k3s.io/node-config-hash': 'TESTHASH====' } }) },
});

const namespaces = [namespace('shop'), namespace('secure', { 'pod-security.kubernetes.io/enforce': 'restricted' }), namespace('ops')];

/** Objects that need their namespace's default ServiceAccount (pods) come after it exists. */
const objects: ApiObject[] = [
  // k3s's packaged components, as k3s installs them in kube-system.
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } },
  deployment('kube-system', 'coredns', { serviceAccountName: 'coredns', containers: [container({ name: 'coredns', securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } } })] }),
  clusterRoleBinding('helm-kube-system-traefik', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'helm-traefik', namespace: 'kube-system' }]),
  // RBAC that section 5.1 must find.
  clusterRoleBinding('ci-admin', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'ci', namespace: 'ops' }]),
  clusterRole('wildcard-operator', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }]),
  clusterRole('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]),
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'everyone-reads-secrets', namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-reader' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
  },
  clusterRole('impersonator', [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }]),
  clusterRoleBinding('mallory-impersonates', 'impersonator', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mallory' }]),
  clusterRole('kubelet-reader', [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]),
  clusterRoleBinding('monitoring-kubelet', 'kubelet-reader', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'monitoring' }]),
  // Workloads.
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'secure' }, automountServiceAccountToken: false },
  deployment('secure', 'api', { serviceAccountName: 'api', securityContext: { runAsNonRoot: true }, containers: [restrictedContainer] }, 2),
  deployment('shop', 'web', {
    containers: [
      container({
        securityContext: { privileged: true },
        ports: [{ containerPort: 80, hostPort: 8080 }],
        env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'GREETING', value: 'literal-env-value' }],
      }),
    ],
  }, 3),
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'debug', namespace: 'shop' },
    spec: { hostPID: true, hostIPC: true, hostNetwork: true, volumes: [{ name: 'host', hostPath: { path: '/' } }], containers: [container({ securityContext: { allowPrivilegeEscalation: true, capabilities: { add: ['NET_RAW', 'SYS_ADMIN'] } } })] },
  },
  // procMount: Unmasked needs a user namespace (hostUsers: false), which excludes the host namespaces above.
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'proc', namespace: 'ops' }, spec: { hostUsers: false, automountServiceAccountToken: false, containers: [container({ securityContext: { procMount: 'Unmasked' } })] } },
  deployment('ops', 'worker', { containers: [container()] }),
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'ops' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container({ securityContext: { runAsUser: 0 } })] } } } } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default' }, spec: { automountServiceAccountToken: false, containers: [restrictedContainer] } },
  // NetworkPolicies: only `secure` has one.
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'secure' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
  // A policy engine's webhook (failurePolicy Ignore and a rule nothing here triggers, so it never slows the test).
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'policy-engine' },
    webhooks: [
      {
        name: 'validate.policy.example.com',
        clientConfig: { url: 'https://policy.example.com/validate' },
        rules: [{ apiGroups: ['example.com'], apiVersions: ['v1'], operations: ['DELETE'], resources: ['widgets'] }],
        failurePolicy: 'Ignore',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  },
  // Nodes: two k3s servers, an agent, and a node that is not k3s. Secrets already masked, as k3s writes them.
  node('server-1', [
    'server',
    '--cluster-init',
    '--secrets-encryption',
    'true',
    '--token',
    '********',
    '--kube-apiserver-arg',
    'admission-control-config-file=/var/lib/rancher/k3s/server/psa.yaml',
    '--kube-apiserver-arg',
    'enable-admission-plugins=NodeRestriction,EventRateLimit',
    '--kubelet-arg',
    'seccomp-default=true',
  ]),
  node('server-2', ['server', '--server', 'https://server-1:6443', '--token', '********', '--disable-network-policy']),
  node('agent-1', ['agent', '--server', 'https://server-1:6443', '--token', '********', '--kubelet-arg', 'seccomp-default=true']),
  node('plain-node', null),
];

let controlPlane: ControlPlane;
let api: AdminApi;
let adminFacts: ClusterFacts;
let adminSections: ReportSection[];

/** Section 5 only, through the CIS engine (the node findings from annotations are tested further down). */
function section5(facts: ClusterFacts, benchmark: string): ReportSection[] {
  return auditCluster(facts, { benchmark, nodes: false }).sections;
}

function findings(sections: readonly ReportSection[]): Map<string, Finding> {
  return new Map(sections.flatMap((section) => section.findings).map((finding) => [finding.id, finding]));
}

function finding(sections: readonly ReportSection[], id: string): Finding {
  const found = findings(sections).get(id);
  if (found === undefined) throw new Error(`no finding ${id}`);
  return found;
}

function subjects(found: Finding): string[] {
  return found.evidence.map((evidence) => evidence.subject);
}

beforeAll(async () => {
  controlPlane = await startControlPlane();
  api = new AdminApi(controlPlane);
  await api.createAll(namespaces);
  for (const ns of ['shop', 'secure', 'ops', 'kube-system']) await controlPlane.waitForServiceAccount(ns);
  // The hardened namespace's default ServiceAccount opts out of token mounting (5.1.5).
  await api.merge('/api/v1/namespaces/secure/serviceaccounts/default', { automountServiceAccountToken: false });
  await api.createAll(objects);
  // Nodes report their version in status, as a kubelet would (k3s stamps it vX.Y.Z+k3sN).
  for (const name of ['server-1', 'server-2', 'agent-1', 'plain-node']) {
    await api.merge(`/api/v1/nodes/${name}/status`, { status: { nodeInfo: { kubeletVersion: controlPlane.gitVersion } } });
  }
  // Deployments become ReplicaSets and Pending pods through the real controller manager.
  await api.waitFor('the pods of shop/web, secure/api and ops/worker', async () => {
    const pods = await api.list('v1', 'Pod');
    const count = (prefix: string) => pods.filter((pod) => String(pod.metadata.name).startsWith(prefix)).length;
    return count('web-') === 3 && count('api-') === 2 && count('worker-') === 1;
  });
  adminFacts = await collectClusterFacts({ kubeconfig: controlPlane.kubeconfigPath, env: {} });
  adminSections = section5(adminFacts, 'k3s-cis-1.12');
}, 300_000);

afterAll(async () => {
  api?.close();
  await controlPlane?.stop();
});

describe('collecting the cluster', () => {
  it('lists every kind, records the server and its k3s-stamped version, and never keeps credentials or literal env values', () => {
    expect(adminFacts.server).toEqual({ url: controlPlane.server, context: expect.any(String), version: controlPlane.gitVersion });
    expect(adminFacts.access.every((entry) => entry.state === 'listed')).toBe(true);
    const text = JSON.stringify(adminFacts);
    expect(text).not.toContain('literal-env-value');
    for (const secret of credentialStrings(readFileSync(controlPlane.kubeconfigPath, 'utf8'))) expect(text).not.toContain(secret);
    const nodes = adminFacts.objects.filter((entry) => entry.object.kind === 'Node').map((entry) => entry.object.metadata.name);
    expect(nodes.sort()).toEqual(['agent-1', 'plain-node', 'server-1', 'server-2']);
  });

  it('pages through long lists', async () => {
    const paged = await collectClusterFacts({ kubeconfig: controlPlane.kubeconfigPath, env: {}, kinds: ['ClusterRole'], pageSize: 7 });
    const all = adminFacts.objects.filter((entry) => entry.object.kind === 'ClusterRole').map((entry) => entry.object.metadata.name);
    expect(paged.objects.map((entry) => entry.object.metadata.name)).toEqual(all);
    expect(all.length).toBeGreaterThan(50);
  });
});

describe('section 5 on the live cluster (k3s-cis-1.12)', () => {
  it('5.1.1 warns on the extra cluster-admin binding and names the ones the benchmark allows', () => {
    const found = finding(adminSections, '5.1.1');
    expect(found.status).toBe('WARN');
    expect(found.evidence[0]).toMatchObject({ subject: 'ClusterRoleBinding ci-admin binds cluster-admin to', value: 'ServiceAccount ops/ci', source: { kind: 'api-object' } });
    expect(subjects(found)).toContain("ClusterRoleBinding helm-kube-system-traefik binds cluster-admin to (allowed by the benchmark: k3s's Helm controller binds it to install the traefik chart)");
    expect(subjects(found)).toContain("ClusterRoleBinding cluster-admin binds cluster-admin to (allowed by the benchmark: Kubernetes' own bootstrap binding)");
  });

  it('5.1.2 warns because every authenticated user may read the secrets of shop', () => {
    const found = finding(adminSections, '5.1.2');
    expect(found.status).toBe('WARN');
    expect(found.evidence[0]).toMatchObject({ subject: 'Group system:authenticated may get/list/watch secrets in namespace shop', value: 'RoleBinding shop/everyone-reads-secrets → ClusterRole secret-reader' });
  });

  it('5.1.3 flags the wildcard role and nothing of the real bootstrap RBAC outside the benchmark allow-list', () => {
    const found = finding(adminSections, '5.1.3');
    expect(found.status).toBe('WARN');
    expect(found.evidence.filter((evidence) => evidence.source.kind === 'api-object').map((evidence) => evidence.subject)).toEqual(['ClusterRole wildcard-operator rule with * in apiGroups, resources']);
  });

  it('5.1.4 passes: no broad group may create pods in the stock RBAC', () => {
    expect(finding(adminSections, '5.1.4').status).toBe('PASS');
  });

  it('5.1.5 warns on the default ServiceAccounts that mount tokens, except secure and the exempt kube-system', () => {
    const found = finding(adminSections, '5.1.5');
    expect(found.status).toBe('WARN');
    const offending = found.evidence.filter((evidence) => !evidence.subject.includes('exempt')).map((evidence) => evidence.subject);
    expect(offending).toEqual(
      ['default', 'kube-node-lease', 'kube-public', 'ops', 'shop'].map((ns) => `ServiceAccount ${ns}/default automountServiceAccountToken`),
    );
  });

  it('5.1.6 warns on pods that mount tokens, and allows coredns in kube-system as the benchmark does', () => {
    const found = finding(adminSections, '5.1.6');
    expect(found.status).toBe('WARN');
    const offending = found.evidence.filter((evidence) => evidence.source.kind === 'api-object' && !evidence.subject.includes('allowed')).map((evidence) => evidence.subject);
    expect(offending).toEqual([
      'CronJob ops/backup (pod template): ServiceAccount default token mounted',
      'Deployment ops/worker (1 pod): ServiceAccount default token mounted',
      'Deployment shop/web (3 pods): ServiceAccount default token mounted',
      'Pod shop/debug: ServiceAccount default token mounted',
    ]);
    expect(subjects(found)).toContain('Deployment kube-system/coredns (1 pod) mounts the token of ServiceAccount coredns (allowed by the benchmark: k3s component)');
  });

  it('5.1.7–5.1.13 are manual: WARN, listing who holds the permission', () => {
    for (const id of ['5.1.7', '5.1.8', '5.1.9', '5.1.10', '5.1.11', '5.1.12', '5.1.13']) expect(finding(adminSections, id).status, id).toBe('WARN');
    expect(subjects(finding(adminSections, '5.1.8'))).toContain('User mallory may impersonate users, groups cluster-wide');
    expect(subjects(finding(adminSections, '5.1.10'))).toContain('Group monitoring may get nodes/proxy cluster-wide');
    expect(finding(adminSections, '5.1.7').reason).toContain('O=system:masters');
  });

  it('5.2.1 lists the namespaces with workloads and no Pod Security enforce label, and what else is in place', () => {
    const found = finding(adminSections, '5.2.1');
    expect(found.status).toBe('WARN');
    expect(subjects(found).filter((subject) => subject.startsWith('Namespace '))).toEqual([
      'Namespace default (has workloads) label pod-security.kubernetes.io/enforce',
      'Namespace kube-system (has workloads) label pod-security.kubernetes.io/enforce',
      'Namespace ops (has workloads) label pod-security.kubernetes.io/enforce',
      'Namespace shop (has workloads) label pod-security.kubernetes.io/enforce',
    ]);
    expect(found.evidence).toContainEqual({
      subject: 'kube-apiserver --admission-control-config-file (may set cluster-wide Pod Security defaults; its content is on the server, not in the API) on server server-1',
      value: '/var/lib/rancher/k3s/server/psa.yaml',
      source: { kind: 'node-args-annotation', detail: 'Node server-1 k3s.io/node-args item 6' },
    });
    expect(found.evidence).toContainEqual(expect.objectContaining({ subject: 'ValidatingWebhookConfiguration (a possible policy engine)', value: 'policy-engine' }));
  });

  it.each([
    ['5.2.2', 'WARN', ['Deployment shop/web (3 pods): Pod Security baseline "privileged"']],
    ['5.2.3', 'WARN', ['Pod shop/debug: spec.hostPID']],
    ['5.2.4', 'WARN', ['Pod shop/debug: spec.hostIPC']],
    ['5.2.5', 'WARN', ['Pod shop/debug: spec.hostNetwork']],
    ['5.2.6', 'WARN', ['Pod shop/debug: container "app" securityContext.allowPrivilegeEscalation']],
    ['5.2.11', 'WARN', ['Pod shop/debug: Pod Security baseline "hostPath volumes"']],
    ['5.2.12', 'WARN', ['Deployment shop/web (3 pods): Pod Security baseline "hostPort"']],
  ] as const)('%s is %s and names the offending workload', (id, status, offending) => {
    const found = finding(adminSections, id);
    expect(found.status).toBe(status);
    expect(found.evidence.filter((evidence) => evidence.source.kind === 'api-object').map((evidence) => evidence.subject)).toEqual(offending);
  });

  it('5.2.7–5.2.10 are manual: WARN with what kharden found', () => {
    expect(subjects(finding(adminSections, '5.2.7'))).toContain('CronJob ops/backup (pod template): container "app" runAsUser');
    expect(subjects(finding(adminSections, '5.2.8'))).toContain('Pod shop/debug: container "app" capabilities');
    expect(finding(adminSections, '5.2.9').status).toBe('WARN');
    expect(finding(adminSections, '5.2.10').reason).toMatch(/^kharden found no Windows HostProcess container/);
  });

  it('5.3.1 reads the k3s network policy controller setting from every node', () => {
    const found = finding(adminSections, '5.3.1');
    expect(found.status).toBe('WARN');
    expect(found.evidence[0]).toEqual({
      subject: 'k3s --disable-network-policy (NetworkPolicies not enforced by k3s) on server server-2',
      value: 'true',
      source: { kind: 'node-args-annotation', detail: 'Node server-2 k3s.io/node-args item 5' },
    });
    expect(found.evidence).toContainEqual(expect.objectContaining({ subject: expect.stringContaining('could not read'), value: 'plain-node' }));
  });

  it('5.3.2 lists the namespaces without NetworkPolicies', () => {
    const found = finding(adminSections, '5.3.2');
    expect(found.status).toBe('WARN');
    expect(subjects(found).filter((subject) => subject.startsWith('Namespace'))).toEqual(
      ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'ops', 'shop'].map((ns) => `Namespace ${ns} NetworkPolicies`),
    );
  });

  it('5.4.1 names the Secret passed as an environment variable; 5.4.2 shows secrets encryption from node-args', () => {
    expect(finding(adminSections, '5.4.1').evidence[0]).toMatchObject({ subject: 'Deployment shop/web (3 pods): container "app" env DB_PASSWORD', value: 'secret db key password' });
    expect(finding(adminSections, '5.4.2').evidence[0]).toMatchObject({ subject: 'k3s --secrets-encryption on server server-1', value: 'true', source: { kind: 'node-args-annotation' } });
    expect(finding(adminSections, '5.5.1').evidence[0]).toMatchObject({ subject: 'kube-apiserver --enable-admission-plugins (does not include ImagePolicyWebhook) on server server-1' });
  });

  it('5.6.x are manual: seccomp offences, missing security contexts and what lives in default', () => {
    const seccomp = finding(adminSections, '5.6.2');
    expect(seccomp.status).toBe('WARN');
    expect(subjects(seccomp)).toContain('Deployment shop/web (3 pods): container "app" seccompProfile');
    expect(subjects(finding(adminSections, '5.6.3')).filter((subject) => subject.includes(':'))).toEqual(['Deployment ops/worker (1 pod): container "app" securityContext']);
    expect(subjects(finding(adminSections, '5.6.4'))).toEqual(['Pod default/stray']);
  });

  it('every section-5 control of the benchmark has a verdict with evidence or a reason', () => {
    const all = [...findings(adminSections).values()];
    expect(all).toHaveLength(34);
    for (const found of all) {
      expect(['PASS', 'FAIL', 'WARN', 'N/A', 'UNKNOWN']).toContain(found.status);
      expect(found.reason.length).toBeGreaterThan(10);
      if (found.status === 'PASS') expect(found.evidence.length, found.id).toBeGreaterThan(0);
    }
  });

  it('k3s-cis-1.9 judges the automated RBAC controls FAIL on the same cluster', () => {
    const v19 = section5(adminFacts, 'k3s-cis-1.9');
    expect(['5.1.1', '5.1.3', '5.1.5', '5.1.6'].map((id) => finding(v19, id).status)).toEqual(['FAIL', 'FAIL', 'FAIL', 'FAIL']);
    expect(finding(v19, '5.7.4').evidence.map((evidence) => evidence.subject)).toEqual(['Pod default/stray']);
  });
});

describe('nodes from their k3s.io/node-args annotations', () => {
  let report: ReturnType<typeof auditCluster>;
  beforeAll(() => {
    report = auditCluster(adminFacts, { benchmark: 'k3s-cis-1.12' });
  });
  const nodeFinding = (id: string, node: string): Finding | undefined =>
    report.sections.flatMap((section) => section.findings).find((found) => found.id === id && found.subject === node);

  it('audits every k3s node at once and says which node it could not', () => {
    expect(report.nodes.map((audited) => [audited.name, audited.role, audited.k3sVersion])).toEqual([
      ['agent-1', 'agent', controlPlane.gitVersion],
      ['server-1', 'server', controlPlane.gitVersion],
      ['server-2', 'server', controlPlane.gitVersion],
    ]);
    expect(report.notices).toContainEqual({ level: 'info', message: expect.stringMatching(/^Node plain-node not audited: Node plain-node has no k3s\.io\/node-args annotation/) });
  });

  it('judges component arguments per node with the annotation as evidence', () => {
    const eventRateLimit = nodeFinding('1.2.9', 'server-1');
    expect(eventRateLimit?.status).toBe('PASS');
    expect(eventRateLimit?.evidence[0]).toMatchObject({ value: 'NodeRestriction,EventRateLimit', source: { kind: 'node-args-annotation', path: '/api/v1/nodes/server-1' } });
    // server-2 runs k3s's default plugin list: the value comes from k3s's defaults for its version.
    expect(nodeFinding('1.2.9', 'server-2')).toMatchObject({ status: 'FAIL', evidence: [expect.objectContaining({ value: 'NodeRestriction', source: expect.objectContaining({ kind: 'k3s-default' }) })] });
    expect(nodeFinding('1.2.15', 'server-2')?.status).toBe('PASS');
    expect(nodeFinding('4.3.1', 'agent-1')?.status).toBe('PASS');
    // Controls of servers are not asked of the agent.
    expect(nodeFinding('1.2.1', 'agent-1')).toBeUndefined();
  });

  it('leaves the kubelet to the node itself when it reads drop-in files the API does not show', () => {
    expect(nodeFinding('4.2.4', 'agent-1')).toBeUndefined();
    expect(report.notices).toContainEqual({ level: 'info', message: expect.stringMatching(/^Node agent-1: kubelet controls \(4\.2\) not judged from the annotation/) });
  });
});

describe('the same objects as manifests', () => {
  let exportDir: string;
  beforeAll(async () => {
    // What `kubectl get <kinds> -A -o yaml > file` writes: one List per kind, with uids and ownerReferences.
    exportDir = await mkdtemp(path.join(tmpdir(), 'kharden-export-'));
    const kinds: [string, string][] = [
      ['v1', 'Namespace'], ['v1', 'Node'], ['v1', 'ServiceAccount'], ['v1', 'Pod'], ['v1', 'ReplicationController'],
      ['apps/v1', 'Deployment'], ['apps/v1', 'ReplicaSet'], ['apps/v1', 'StatefulSet'], ['apps/v1', 'DaemonSet'],
      ['batch/v1', 'Job'], ['batch/v1', 'CronJob'],
      ['rbac.authorization.k8s.io/v1', 'Role'], ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding'], ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
      ['networking.k8s.io/v1', 'NetworkPolicy'],
      ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'], ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
      ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy'],
    ];
    for (const [apiVersion, kind] of kinds) {
      const items = await api.list(apiVersion, kind);
      await writeFile(path.join(exportDir, `${kind.toLowerCase()}s.yaml`), stringify({ apiVersion: 'v1', kind: 'List', items }));
    }
  });
  afterAll(async () => {
    await rm(exportDir, { recursive: true, force: true });
  });

  it('give the same statuses and the same offending objects as the live audit', async () => {
    const set = await loadManifests([exportDir]);
    expect(set.problems).toEqual([]);
    const fromFiles = section5(clusterFactsFromManifests(set, new Date().toISOString()), 'k3s-cis-1.12');
    const summary = (sections: ReportSection[]) =>
      [...findings(sections).values()].map((found) => ({ id: found.id, status: found.status, evidence: found.evidence.map((evidence) => `${evidence.subject} = ${evidence.value ?? 'null'}`) }));
    expect(summary(fromFiles)).toEqual(summary(adminSections));
    // The evidence points at the exported file and line instead of the server.
    expect(finding(fromFiles, '5.2.3').evidence[0]?.source).toMatchObject({ kind: 'api-object', path: path.join(exportDir, 'pods.yaml') });
  });
});

describe('least privilege (deploy/rbac.yaml)', () => {
  const rbacDocuments = parseAllDocuments(readFileSync(path.join(repo, 'deploy/rbac.yaml'), 'utf8')).map((document) => document.toJS() as ApiObject);
  const auditRole = rbacDocuments.find((document) => document.kind === 'ClusterRole') as ApiObject & { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };

  let serviceAccountKubeconfig: string;
  let serviceAccountToken: string;

  beforeAll(async () => {
    // deploy/rbac.yaml as `kubectl apply` would: the namespace's default ServiceAccount already exists, so it is patched.
    await api.createAll(rbacDocuments.filter((document) => document.kind === 'Namespace'));
    await controlPlane.waitForServiceAccount('kharden');
    await api.merge('/api/v1/namespaces/kharden/serviceaccounts/default', { automountServiceAccountToken: false });
    await api.createAll(rbacDocuments.filter((document) => document.kind !== 'Namespace' && !(document.kind === 'ServiceAccount' && document.metadata.name === 'default')));
    const tokenResponse = await api.send('POST', '/api/v1/namespaces/kharden/serviceaccounts/kharden/token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    });
    serviceAccountToken = (JSON.parse(tokenResponse.body) as { status: { token: string } }).status.token;
    serviceAccountKubeconfig = path.join(await mkdtemp(path.join(tmpdir(), 'kharden-sa-')), 'kubeconfig');
    await writeFile(
      serviceAccountKubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'kharden',
        clusters: [{ name: 'k3s', cluster: { server: controlPlane.server, 'certificate-authority': controlPlane.serverCaPath } }],
        users: [{ name: 'kharden', user: { token: serviceAccountToken } }],
        contexts: [{ name: 'kharden', context: { cluster: 'k3s', user: 'kharden' } }],
      }),
    );
    // The role minus one right: list on clusterrolebindings.
    const reduced = {
      ...auditRole,
      metadata: { name: 'kharden-audit-reduced' },
      rules: auditRole.rules.map((rule) => ({ ...rule, resources: rule.resources.filter((resource) => resource !== 'clusterrolebindings') })),
    };
    await api.createAll([
      reduced,
      clusterRoleBinding('kharden-auditor', 'kharden-audit', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'kharden-auditor' }]),
      clusterRoleBinding('kharden-auditor-reduced', 'kharden-audit-reduced', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'kharden-reduced' }]),
    ]);
  });

  it('the kharden ServiceAccount of deploy/rbac.yaml gets a full result, and installing it broke no control', async () => {
    const facts = await collectClusterFacts({ kubeconfig: serviceAccountKubeconfig, env: {} });
    expect(facts.access.filter((entry) => entry.state !== 'listed')).toEqual([]);
    const statuses = (sections: ReportSection[]) => [...findings(sections).values()].map((found) => [found.id, found.status]);
    expect(statuses(section5(facts, 'k3s-cis-1.12'))).toEqual(statuses(adminSections));
    // Its namespace is neither a default ServiceAccount offence (5.1.5) nor a namespace without policies (5.3.2).
    const sections = section5(facts, 'k3s-cis-1.12');
    expect(subjects(finding(sections, '5.1.5')).some((subject) => subject.includes('kharden/'))).toBe(false);
    expect(subjects(finding(sections, '5.3.2')).some((subject) => subject.includes('kharden'))).toBe(false);
  });

  it('a user bound to exactly the kharden-audit role gets a full result, the same as the admin', async () => {
    const kubeconfig = await controlPlane.makeUserKubeconfig('kharden-auditor');
    const facts = await collectClusterFacts({ kubeconfig, env: {} });
    expect(facts.access.filter((entry) => entry.state !== 'listed')).toEqual([]);
    const statuses = (sections: ReportSection[]) => [...findings(sections).values()].map((found) => [found.id, found.status]);
    // Three bindings were added for this test; they change no verdict.
    expect(statuses(section5(facts, 'k3s-cis-1.12'))).toEqual(statuses(adminSections));
    expect([...findings(section5(facts, 'k3s-cis-1.12')).values()].filter((found) => found.status === 'UNKNOWN')).toEqual([]);
  });

  it('the CLI never prints the token or the client key, in any format or in snapshots', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kharden-cli-'));
    const adminSecrets = credentialStrings(controlPlane.adminKubeconfig);
    const outputs: string[] = [];
    const stderr = captureStderr();
    try {
      for (const [kubeconfig, label] of [[serviceAccountKubeconfig, 'sa'], [controlPlane.kubeconfigPath, 'admin']] as const) {
        for (const format of ['text', 'json'] as const) {
          const file = path.join(dir, `${label}.${format}`);
          const code = await main(['audit', '--cluster', '--kubeconfig', kubeconfig, '-f', format, '-o', file, '--no-color', '-v']);
          expect(code, `${label} ${format}: ${stderr.text()}`).toBe(1); // node findings from the annotations fail (no audit log, ...)
          outputs.push(readFileSync(file, 'utf8'));
        }
        const snapshot = path.join(dir, `${label}-cluster.json`);
        expect(await main(['collect', '--cluster', '--kubeconfig', kubeconfig, '-o', snapshot])).toBe(0);
        outputs.push(readFileSync(snapshot, 'utf8'));
        const fromSnapshot = path.join(dir, `${label}-snapshot.json`);
        expect(await main(['audit', '--snapshot', snapshot, '-f', 'json', '-o', fromSnapshot])).toBe(1);
        outputs.push(readFileSync(fromSnapshot, 'utf8'));
      }
      // A rejected token: the error names the server and never the token.
      const bogus = path.join(dir, 'bogus.kubeconfig');
      await writeFile(bogus, readFileSync(serviceAccountKubeconfig, 'utf8').replace(serviceAccountToken, `${serviceAccountToken.slice(0, -4)}AAAA`));
      expect(await main(['audit', '--cluster', '--kubeconfig', bogus, '-o', path.join(dir, 'never')])).toBe(3);
    } finally {
      stderr.restore();
    }
    outputs.push(stderr.text());
    expect(stderr.text()).toContain(`kharden: the API server ${controlPlane.server} rejected the credentials of context kharden (401 Unauthorized)`);
    const all = outputs.join('\n');
    expect(all).toContain('5.1.1');
    expect(all).toContain('node-args');
    for (const secret of [serviceAccountToken, serviceAccountToken.slice(0, -4), ...adminSecrets]) expect(all.includes(secret), 'a credential leaked').toBe(false);
  });

  it('with list on clusterrolebindings removed, the controls that need it are UNKNOWN naming the permission, the rest evaluated', async () => {
    const kubeconfig = await controlPlane.makeUserKubeconfig('kharden-reduced');
    const facts = await collectClusterFacts({ kubeconfig, env: {} });
    expect(facts.access.filter((entry) => entry.state !== 'listed')).toEqual([
      expect.objectContaining({
        kind: 'ClusterRoleBinding',
        state: 'forbidden',
        missing: { verb: 'list', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io', namespace: null },
      }),
    ]);
    const sections = section5(facts, 'k3s-cis-1.12');
    const unknown = [...findings(sections).values()].filter((found) => found.status === 'UNKNOWN');
    // Every control that reads ClusterRoleBindings and found nothing offending in what it could read.
    expect(unknown.map((found) => found.id)).toEqual(['5.1.1', '5.1.4', '5.1.7', '5.1.8', '5.1.9', '5.1.10', '5.1.11', '5.1.12', '5.1.13']);
    for (const found of unknown) expect(found.reason, found.id).toContain('needs `list clusterrolebindings.rbac.authorization.k8s.io` cluster-wide');
    // Controls that found offences elsewhere still report them; the pod controls are untouched.
    expect(finding(sections, '5.1.2').status).toBe('WARN');
    expect(finding(sections, '5.2.3').status).toBe('WARN');
    expect(finding(sections, '5.2.4').status).toBe('WARN');
  });
});

describe('faults', () => {
  it('malformed manifest documents are reported with file and document index, and the others still audited', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kharden-manifests-'));
    const file = path.join(dir, 'app.yaml');
    await writeFile(
      file,
      [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata: {name: shop}',
        '---',
        'kind: Deployment',
        'metadata: {name: broken}',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: p, namespace: shop}',
        'spec: {hostPID: true, containers: [{name: app, image: x}]}',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: bad, namespace: shop',
      ].join('\n'),
    );
    const out = path.join(dir, 'report.json');
    expect(await main(['audit', '--manifests', file, '-f', 'json', '-o', out, '--check', '5.2'])).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { notices: { level: string; message: string }[]; sections: ReportSection[] };
    expect(report.notices.filter((notice) => notice.level === 'error').map((notice) => notice.message)).toEqual([
      `${file} document 2 (line 4): not a Kubernetes object: no apiVersion`,
      expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} document 4 \\(line 12\\): not valid YAML`)),
    ]);
    expect(finding(report.sections, '5.2.3')).toMatchObject({ status: 'WARN', evidence: [expect.objectContaining({ subject: 'Pod shop/p: spec.hostPID', source: expect.objectContaining({ path: file }) })] });
  });


  it('an unreachable API server is a collect error naming the server and the cause', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kharden-fault-'));
    const file = path.join(dir, 'kubeconfig');
    await writeFile(file, controlPlane.adminKubeconfig.replace(controlPlane.server, 'https://127.0.0.1:1'));
    await expect(collectClusterFacts({ kubeconfig: file, env: {} })).rejects.toMatchObject({
      code: 'collect',
      message: expect.stringMatching(/^cannot reach the API server https:\/\/127\.0\.0\.1:1 \(context .*\): connection refused .*\(ECONNREFUSED\)$/),
    });
  });

  it('a server certificate the kubeconfig does not trust is a TLS collect error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kharden-fault-'));
    const file = path.join(dir, 'kubeconfig');
    const otherCa = readFileSync(path.join(controlPlane.dir, 'tls', 'client-ca.crt')).toString('base64');
    await writeFile(file, controlPlane.adminKubeconfig.replace(/certificate-authority-data: .*/, `certificate-authority-data: ${otherCa}`));
    await expect(collectClusterFacts({ kubeconfig: file, env: {} })).rejects.toMatchObject({
      code: 'collect',
      message: expect.stringContaining(`TLS connection to the API server ${controlPlane.server} failed`),
    });
  });

  it('an expired client certificate is a collect error naming the server and the context', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kharden-fault-'));
    const tls = path.join(controlPlane.dir, 'tls');
    const run = (args: string[]) => execFileAsync('openssl', args, { cwd: dir });
    await writeFile(path.join(dir, 'index.txt'), '');
    await writeFile(path.join(dir, 'serial'), '1000\n');
    await writeFile(
      path.join(dir, 'ca.cnf'),
      ['[ca]', 'default_ca = ca_default', '[ca_default]', 'database = index.txt', 'new_certs_dir = .', 'serial = serial', 'default_md = sha256', 'policy = any', '[any]', 'commonName = supplied', 'organizationName = optional'].join('\n'),
    );
    await run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'user.key', '-out', 'user.csr', '-subj', '/O=system:masters/CN=expired-admin']);
    await run(['ca', '-config', 'ca.cnf', '-batch', '-notext', '-cert', path.join(tls, 'client-ca.crt'), '-keyfile', path.join(tls, 'client-ca.key'), '-in', 'user.csr', '-out', 'user.crt', '-startdate', '20200101000000Z', '-enddate', '20200102000000Z']);
    const file = path.join(dir, 'kubeconfig');
    await writeFile(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'expired',
        clusters: [{ name: 'c', cluster: { server: controlPlane.server, 'certificate-authority': controlPlane.serverCaPath } }],
        users: [{ name: 'u', user: { 'client-certificate': path.join(dir, 'user.crt'), 'client-key': path.join(dir, 'user.key') } }],
        contexts: [{ name: 'expired', context: { cluster: 'c', user: 'u' } }],
      }),
    );
    await expect(collectClusterFacts({ kubeconfig: file, env: {} })).rejects.toMatchObject({
      code: 'collect',
      message: `the API server ${controlPlane.server} rejected the credentials of context expired (401 Unauthorized): the token or client certificate is invalid, expired or unknown to this cluster`,
    });
  });

  it('unknown credentials are a collect error naming the server, without the credentials', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kharden-fault-'));
    const file = path.join(dir, 'kubeconfig');
    const token = 'kharden-test-bogus-token-0123456789';
    await writeFile(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'bogus',
        clusters: [{ name: 'c', cluster: { server: controlPlane.server, 'certificate-authority': controlPlane.serverCaPath } }],
        users: [{ name: 'u', user: { token } }],
        contexts: [{ name: 'bogus', context: { cluster: 'c', user: 'u' } }],
      }),
    );
    const error = (await collectClusterFacts({ kubeconfig: file, env: {} }).then(
      () => new Error('collect succeeded'),
      (caught: unknown) => caught as Error,
    ));
    expect(error).toMatchObject({ code: 'collect', message: `the API server ${controlPlane.server} rejected the credentials of context bogus (401 Unauthorized): the token or client certificate is invalid, expired or unknown to this cluster` });
    expect(error.message).not.toContain(token);
  });
});

/** Collects what is written to stderr while the CLI runs in this process. */
function captureStderr(): { text: () => string; restore: () => void } {
  const original = process.stderr.write.bind(process.stderr);
  let captured = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  return { text: () => captured, restore: () => void (process.stderr.write = original) };
}

/** Every credential in a kubeconfig (certificate and key data, tokens), as it appears in the file and decoded. */
export function credentialStrings(kubeconfigText: string): string[] {
  const values: string[] = [];
  for (const match of kubeconfigText.matchAll(/(client-certificate-data|client-key-data|token): *(\S+)/g)) {
    const value = match[2] ?? '';
    values.push(value);
    if (match[1] !== 'token') {
      const pem = Buffer.from(value, 'base64').toString('utf8');
      // The base64 body of the PEM, line by line (what a leak would most likely contain).
      values.push(...pem.split('\n').filter((line) => line.length > 40 && !line.startsWith('-----')));
    }
  }
  return values;
}
