import { describe, expect, it } from 'vitest';
import { rbacWildcards } from './rbac-wildcards.ts';
import { benchmark, clusterRole, role, testCluster } from './test-cluster.fixture.ts';

describe('rbac-wildcards (5.1.3)', () => {
  it('passes the ClusterRoles the benchmark allows and says so', () => {
    const verdict = rbacWildcards.check(testCluster([clusterRole('cluster-admin', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]), clusterRole('view', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])]), benchmark('automated'));
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence[1]).toMatchObject({ value: '1' });
  });

  it('fails on a wildcard in any Role or other ClusterRole, showing the rule', () => {
    const verdict = rbacWildcards.check(
      testCluster([role('shop', 'anything', [{ verbs: ['*'], apiGroups: [''], resources: ['configmaps'] }]), clusterRole('admin', [{ verbs: ['get'], apiGroups: ['*'], resources: ['*'] }])]),
      benchmark('automated'),
    );
    expect(verdict.status).toBe('FAIL');
    expect(verdict.evidence.slice(0, 2).map((evidence) => [evidence.subject, evidence.value])).toEqual([
      ['Role shop/anything rule with * in verbs', 'apiGroups=[""] resources=[configmaps] verbs=[*]'],
      ['ClusterRole admin rule with * in apiGroups, resources', 'apiGroups=[*] resources=[*] verbs=[get]'],
    ]);
  });

  it('judges aggregated ClusterRoles through the roles they aggregate', () => {
    const aggregated = { ...clusterRole('edit', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } };
    expect(rbacWildcards.check(testCluster([aggregated]), benchmark('automated')).status).toBe('PASS');
  });
});
