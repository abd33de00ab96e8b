import { describe, expect, it } from 'vitest';
import { podCreateAccess } from './pod-create-access.ts';
import { benchmark, clusterRole, clusterRoleBinding, testCluster } from './test-cluster.fixture.ts';

describe('pod-create-access (5.1.4)', () => {
  const creator = clusterRole('pod-creator', [{ verbs: ['create'], apiGroups: [''], resources: ['pods'] }]);
  it('passes when no broad group may create pods', () => {
    expect(podCreateAccess.check(testCluster([creator, clusterRoleBinding('ci', 'pod-creator', [{ kind: 'User', name: 'ci' }])]), benchmark('manual-audited')).status).toBe('PASS');
  });
  it('warns when every service account may create pods', () => {
    const verdict = podCreateAccess.check(testCluster([creator, clusterRoleBinding('all-sa', 'pod-creator', [{ kind: 'Group', name: 'system:serviceaccounts' }])]), benchmark('manual-audited'));
    expect(verdict.status).toBe('WARN');
    expect(verdict.evidence[0]?.subject).toBe('Group system:serviceaccounts may create pods in every namespace');
  });
});
