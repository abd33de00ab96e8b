import { describe, expect, it } from 'vitest';
import { clusterAdminBindings } from './cluster-admin-usage.ts';
import { benchmark, clusterRoleBinding, roleBinding, testCluster } from './test-cluster.fixture.ts';

const builtIn = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }], { 'kubernetes.io/bootstrapping': 'rbac-defaults' }),
  clusterRoleBinding('helm-kube-system-traefik', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'helm-traefik', namespace: 'kube-system' }]),
];

describe('cluster-admin-bindings (5.1.1)', () => {
  it('passes a k3s cluster with only the bindings the benchmark allows, and says whose each one is', () => {
    const verdict = clusterAdminBindings.check(testCluster(builtIn), benchmark('automated'));
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence.slice(1).map((evidence) => evidence.subject)).toEqual([
      "ClusterRoleBinding cluster-admin binds cluster-admin to (allowed by the benchmark: Kubernetes' own bootstrap binding)",
      "ClusterRoleBinding helm-kube-system-traefik binds cluster-admin to (allowed by the benchmark: k3s's Helm controller binds it to install the traefik chart)",
    ]);
  });

  it('does not call an allowed binding Kubernetes\' or k3s\'s own when it is not', () => {
    const lookalikes = [
      clusterRoleBinding('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
      clusterRoleBinding('helm-kube-system-traefik', 'cluster-admin', [{ kind: 'User', name: 'alice' }]),
    ];
    const verdict = clusterAdminBindings.check(testCluster(lookalikes), benchmark('automated'));
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence.slice(1).map((evidence) => evidence.subject)).toEqual([
      'ClusterRoleBinding cluster-admin binds cluster-admin to (allowed by the benchmark by name)',
      'ClusterRoleBinding helm-kube-system-traefik binds cluster-admin to (allowed by the benchmark by name)',
    ]);
  });

  it('fails on another ClusterRoleBinding or a RoleBinding of cluster-admin, naming the subjects', () => {
    const verdict = clusterAdminBindings.check(
      testCluster([
        ...builtIn,
        clusterRoleBinding('ci-admin', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'ci', namespace: 'ci' }]),
        roleBinding('shop', 'shop-admin', { kind: 'ClusterRole', name: 'cluster-admin' }, [{ kind: 'User', name: 'alice' }]),
      ]),
      benchmark('automated'),
    );
    expect(verdict.status).toBe('FAIL');
    expect(verdict.evidence.slice(0, 2)).toEqual([
      { subject: 'RoleBinding shop/shop-admin binds cluster-admin to', value: 'User alice', source: { kind: 'api-object', detail: 'RoleBinding shop/shop-admin' } },
      { subject: 'ClusterRoleBinding ci-admin binds cluster-admin to', value: 'ServiceAccount ci/ci', source: { kind: 'api-object', detail: 'ClusterRoleBinding ci-admin' } },
    ]);
  });

  it('warns instead of failing where the benchmark makes the control manual', () => {
    const extra = clusterRoleBinding('x', 'cluster-admin', [{ kind: 'User', name: 'x' }]);
    expect(clusterAdminBindings.check(testCluster([...builtIn, extra]), benchmark('manual-audited')).status).toBe('WARN');
  });

  it('is UNKNOWN and names the permission when ClusterRoleBindings cannot be listed', () => {
    const verdict = clusterAdminBindings.check(testCluster(builtIn, { forbidden: ['ClusterRoleBinding'] }), benchmark('automated'));
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('`list clusterrolebindings.rbac.authorization.k8s.io`');
  });
});
