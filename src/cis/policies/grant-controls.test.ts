import { describe, expect, it } from 'vitest';
import { bindImpersonateEscalate } from './bind-impersonate-escalate.ts';
import { csrApprovalAccess } from './csr-approval-access.ts';
import { nodesProxyAccess } from './node-proxy-access.ts';
import { nodesProxyFineGrained } from './kubelet-api-fine-grained.ts';
import { pvCreateAccess } from './persistent-volume-create.ts';
import { benchmark, clusterRole, clusterRoleBinding, roleBinding, testCluster, type Rule } from './test-cluster.fixture.ts';
import { tokenCreateAccess } from './service-account-token-create.ts';
import { webhookConfigAccess } from './webhook-config-access.ts';

// The manual "minimize access to X" controls (5.1.8–5.1.14): always WARN, listing who may do X.
// Cluster-scoped resources are granted cluster-wide; namespaced ones in every namespace.
describe.each([
  ['5.1.8 bind roles', bindImpersonateEscalate, { verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'] }, 'bind roles.rbac.authorization.k8s.io in every namespace'],
  ['5.1.8 bind', bindImpersonateEscalate, { verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'] }, 'bind clusterroles.rbac.authorization.k8s.io cluster-wide'],
  ['5.1.8 impersonate', bindImpersonateEscalate, { verbs: ['impersonate'], apiGroups: [''], resources: ['users'] }, 'impersonate users cluster-wide'],
  ['5.1.8 impersonate serviceaccounts', bindImpersonateEscalate, { verbs: ['impersonate'], apiGroups: [''], resources: ['serviceaccounts'] }, 'impersonate serviceaccounts in every namespace'],
  ['5.1.9', pvCreateAccess, { verbs: ['create'], apiGroups: [''], resources: ['persistentvolumes'] }, 'create persistentvolumes cluster-wide'],
  ['5.1.10', nodesProxyAccess, { verbs: ['get'], apiGroups: [''], resources: ['nodes/proxy'] }, 'get nodes/proxy cluster-wide'],
  ['5.1.14', nodesProxyFineGrained, { verbs: ['*'], apiGroups: [''], resources: ['nodes/proxy'] }, 'get/create/update/patch/delete nodes/proxy cluster-wide'],
  ['5.1.11', csrApprovalAccess, { verbs: ['update'], apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'] }, 'update certificatesigningrequests/approval.certificates.k8s.io cluster-wide'],
  ['5.1.12', webhookConfigAccess, { verbs: ['patch'], apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'] }, 'patch mutatingwebhookconfigurations.admissionregistration.k8s.io cluster-wide'],
  ['5.1.13', tokenCreateAccess, { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] }, 'create serviceaccounts/token in every namespace'],
] as [string, typeof pvCreateAccess, Rule, string][])('%s', (_name, control, rule, permission) => {
  it('lists a user who holds the permission, and stays WARN', () => {
    const verdict = control.check(testCluster([clusterRole('r', [rule]), clusterRoleBinding('b', 'r', [{ kind: 'User', name: 'mallory' }])]), benchmark('manual'));
    expect(verdict.status).toBe('WARN');
    expect(verdict.evidence[0]).toEqual({
      subject: `User mallory may ${permission}`,
      value: 'ClusterRoleBinding b → ClusterRole r',
      source: { kind: 'api-object', detail: 'ClusterRoleBinding b' },
    });
  });

  it('still WARNs with nothing found, saying what to check by hand', () => {
    const verdict = control.check(testCluster([clusterRole('r', [rule]), clusterRoleBinding('system:b', 'r', [{ kind: 'User', name: 'system:kube-scheduler' }])]), benchmark('manual'));
    expect(verdict.status).toBe('WARN');
    expect(verdict.reason).toMatch(/^kharden found no grant of .* besides the ones to Kubernetes' and k3s's own components; this control is manual\. Check by hand: /);
  });
});

describe('a RoleBinding', () => {
  const rules: Rule[] = [
    { verbs: ['create'], apiGroups: [''], resources: ['persistentvolumes', 'serviceaccounts/token'] },
    { verbs: ['impersonate'], apiGroups: [''], resources: ['users', 'serviceaccounts'] },
  ];
  const objects = [clusterRole('r', rules), roleBinding('shop', 'b', { kind: 'ClusterRole', name: 'r' }, [{ kind: 'User', name: 'mallory' }])];

  it('grants nothing on cluster-scoped resources (the authorizer reads RoleBindings only for a namespaced request)', () => {
    const pv = pvCreateAccess.check(testCluster(objects), benchmark('manual'));
    expect(pv.reason).toMatch(/^kharden found no grant of create on persistentvolumes/);
    expect(bindImpersonateEscalate.check(testCluster(objects), benchmark('manual')).evidence.map((evidence) => evidence.subject)).toEqual([
      'User mallory may impersonate serviceaccounts in namespace shop',
    ]);
  });

  it('grants namespaced resources in its namespace', () => {
    expect(tokenCreateAccess.check(testCluster(objects), benchmark('manual')).evidence[0]?.subject).toBe('User mallory may create serviceaccounts/token in namespace shop');
  });
});

describe('evidence per subject and binding', () => {
  const admin = clusterRole('cluster-admin', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
  const helm = (name: string) => clusterRoleBinding(`helm-kube-system-${name}`, 'cluster-admin', [{ kind: 'ServiceAccount', name: `helm-${name}`, namespace: 'kube-system' }]);

  it('lists each subject once per binding, with every permission it holds', () => {
    const verdict = bindImpersonateEscalate.check(testCluster([admin, helm('traefik'), helm('traefik-crd')]), benchmark('manual'));
    expect(verdict.reason).toMatch(/^2 grants of bind, escalate or impersonate /);
    const held =
      'may bind/escalate roles.rbac.authorization.k8s.io and impersonate serviceaccounts in every namespace; ' +
      'bind/escalate clusterroles.rbac.authorization.k8s.io and impersonate users, groups, uids.authentication.k8s.io, userextras.authentication.k8s.io cluster-wide';
    expect(verdict.evidence).toEqual([
      { subject: `ServiceAccount kube-system/helm-traefik ${held}`, value: 'ClusterRoleBinding helm-kube-system-traefik → ClusterRole cluster-admin', source: { kind: 'api-object', detail: 'ClusterRoleBinding helm-kube-system-traefik' } },
      { subject: `ServiceAccount kube-system/helm-traefik-crd ${held}`, value: 'ClusterRoleBinding helm-kube-system-traefik-crd → ClusterRole cluster-admin', source: { kind: 'api-object', detail: 'ClusterRoleBinding helm-kube-system-traefik-crd' } },
    ]);
  });

  it('joins the verbs that different rules grant, and keeps a subject bound twice on two lines', () => {
    const split = clusterRole('split', [
      { verbs: ['update'], apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'] },
      { verbs: ['patch'], apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'] },
      { verbs: ['approve'], apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['example.com/issuer'] },
    ]);
    const verdict = csrApprovalAccess.check(
      testCluster([split, clusterRoleBinding('one', 'split', [{ kind: 'User', name: 'alice' }]), clusterRoleBinding('two', 'split', [{ kind: 'User', name: 'alice' }])]),
      benchmark('manual'),
    );
    expect(verdict.evidence.map((evidence) => [evidence.subject, evidence.value])).toEqual([
      ['User alice may update/patch certificatesigningrequests/approval.certificates.k8s.io and approve signers.certificates.k8s.io (only example.com/issuer) cluster-wide', 'ClusterRoleBinding one → ClusterRole split'],
      ['User alice may update/patch certificatesigningrequests/approval.certificates.k8s.io and approve signers.certificates.k8s.io (only example.com/issuer) cluster-wide', 'ClusterRoleBinding two → ClusterRole split'],
    ]);
  });

  it('counts the platform grants per subject and binding', () => {
    const verdict = webhookConfigAccess.check(
      testCluster([admin, clusterRoleBinding('system:x', 'cluster-admin', [{ kind: 'User', name: 'system:kube-controller-manager' }, { kind: 'Group', name: 'system:nodes' }])]),
      benchmark('manual'),
    );
    expect(verdict.evidence.at(-1)).toMatchObject({ subject: expect.stringContaining("k3s's own components"), value: '2' });
  });
});

describe("k3s's own control-plane identities", () => {
  const kubeletApiAdmin = clusterRole('system:kubelet-api-admin', [{ verbs: ['*'], apiGroups: [''], resources: ['nodes/proxy'] }], { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
  const k3sBinding = clusterRoleBinding('kube-apiserver-kubelet-admin', 'system:kubelet-api-admin', [{ kind: 'User', name: 'kube-apiserver' }]);

  it('are the platform\'s own: the API server\'s User kube-apiserver, bound by k3s, is counted and named, not listed for review', () => {
    const verdict = nodesProxyAccess.check(testCluster([kubeletApiAdmin, k3sBinding]), benchmark('manual'));
    expect(verdict.reason).toMatch(/^kharden found no grant of access to nodes\/proxy besides/);
    expect(verdict.evidence.filter((evidence) => evidence.source.kind === 'api-object')).toEqual([]);
    expect(verdict.evidence).toContainEqual({
      subject: "k3s's own control-plane identities among them (bindings k3s creates)",
      value: "User kube-apiserver through ClusterRoleBinding kube-apiserver-kubelet-admin (the API server's client identity towards the kubelets)",
      source: { kind: 'kharden' },
    });
  });

  it('only as k3s binds them: the same user in another binding, or another role, is listed', () => {
    const admin = clusterRole('cluster-admin', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    const other = clusterRoleBinding('apiserver-admin', 'cluster-admin', [{ kind: 'User', name: 'kube-apiserver' }]);
    const sameNameOtherRole = clusterRoleBinding('kube-apiserver-kubelet-admin', 'cluster-admin', [{ kind: 'User', name: 'kube-apiserver' }]);
    for (const binding of [other, sameNameOtherRole]) {
      const verdict = nodesProxyAccess.check(testCluster([admin, binding]), benchmark('manual'));
      expect(verdict.evidence[0]?.subject).toBe('User kube-apiserver may get/create/update/patch/delete nodes/proxy cluster-wide');
    }
  });
});
