import { describe, expect, it } from 'vitest';
import { systemMasters } from './system-masters-group.ts';
import { benchmark, clusterRoleBinding, testCluster } from './test-cluster.fixture.ts';

describe('system-masters (5.1.7)', () => {
  it('stays WARN, lists bindings naming system:masters, and says where membership really comes from', () => {
    const bootstrap = clusterRoleBinding('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }], { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    const clean = systemMasters.check(testCluster([bootstrap]), benchmark('manual'));
    expect(clean.status).toBe('WARN');
    expect(clean.reason).toContain('O=system:masters');
    const extra = systemMasters.check(testCluster([bootstrap, clusterRoleBinding('mine', 'view', [{ kind: 'Group', name: 'system:masters' }])]), benchmark('manual'));
    expect(extra.evidence[0]).toMatchObject({ subject: 'binding names Group system:masters', value: 'ClusterRoleBinding mine → ClusterRole view' });
  });
});
