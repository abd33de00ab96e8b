import { describe, expect, it } from 'vitest';
import { secretsAccess } from './secrets-access.ts';
import { benchmark, clusterRole, clusterRoleBinding, roleBinding, testCluster } from './test-cluster.fixture.ts';

const reader = clusterRole('secret-reader', [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['secrets'] }]);

describe('secrets-access (5.1.2)', () => {
  it('passes when no broad group may read secrets, and lists the other readers for review', () => {
    const verdict = secretsAccess.check(
      testCluster([reader, roleBinding('shop', 'ops-reads', { kind: 'ClusterRole', name: 'secret-reader' }, [{ kind: 'Group', name: 'ops' }])]),
      benchmark('manual-audited'),
    );
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence.map((evidence) => evidence.subject)).toContain('Group ops may get/list/watch secrets in namespace shop');
  });

  it('warns when every authenticated user may read secrets', () => {
    const verdict = secretsAccess.check(
      testCluster([reader, clusterRoleBinding('everyone', 'secret-reader', [{ kind: 'Group', name: 'system:authenticated' }])]),
      benchmark('manual-audited'),
    );
    expect(verdict.status).toBe('WARN');
    expect(verdict.evidence[0]).toEqual({
      subject: 'Group system:authenticated may get/list/watch secrets in every namespace',
      value: 'ClusterRoleBinding everyone → ClusterRole secret-reader',
      source: { kind: 'api-object', detail: 'ClusterRoleBinding everyone' },
    });
  });

  it('lists every non-platform reader when the control is manual, and stays WARN', () => {
    const verdict = secretsAccess.check(
      testCluster([reader, clusterRoleBinding('ops', 'secret-reader', [{ kind: 'Group', name: 'ops' }]), clusterRoleBinding('system:x', 'secret-reader', [{ kind: 'User', name: 'system:kube-controller-manager' }])]),
      benchmark('manual'),
    );
    expect(verdict.status).toBe('WARN');
    expect(verdict.reason).toMatch(/^1 grant of get\/list\/watch on secrets besides/);
    expect(verdict.evidence.at(-1)?.subject).toContain("k3s's own components");
  });

  it('cannot judge a binding whose role is not in the given manifests', () => {
    const verdict = secretsAccess.check(testCluster([clusterRoleBinding('b', 'edit', [{ kind: 'Group', name: 'system:authenticated' }])], { mode: 'manifests' }), benchmark('manual-audited'));
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('ClusterRole edit is not in the input');
  });
});
