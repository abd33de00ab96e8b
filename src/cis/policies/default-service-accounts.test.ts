import { describe, expect, it } from 'vitest';
import { defaultServiceAccounts } from './default-service-accounts.ts';
import { benchmark, clusterRoleBinding, namespace, serviceAccount, testCluster } from './test-cluster.fixture.ts';

describe('default-service-accounts (5.1.5)', () => {
  it('passes when every default ServiceAccount opts out of token mounting; kube-system is exempt by the benchmark', () => {
    const verdict = defaultServiceAccounts.check(
      testCluster([namespace('shop'), namespace('kube-system'), serviceAccount('shop', 'default', false), serviceAccount('kube-system', 'default')]),
      benchmark('automated'),
    );
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence.map((evidence) => evidence.subject)).toContain('ServiceAccount kube-system/default automountServiceAccountToken (namespace kube-system is exempt by the benchmark)');
  });

  it('fails on a default ServiceAccount that mounts its token, one that is missing, and one bound to a role', () => {
    const verdict = defaultServiceAccounts.check(
      testCluster([
        namespace('shop'),
        namespace('new'),
        namespace('ops'),
        serviceAccount('shop', 'default'),
        serviceAccount('ops', 'default', false),
        clusterRoleBinding('ops-view', 'view', [{ kind: 'ServiceAccount', name: 'default', namespace: 'ops' }]),
      ]),
      benchmark('automated'),
    );
    expect(verdict.status).toBe('FAIL');
    expect(verdict.evidence.map((evidence) => [evidence.subject, evidence.value])).toEqual([
      ['namespace new has no default ServiceAccount; Kubernetes creates one that mounts its token', null],
      ['ServiceAccount shop/default automountServiceAccountToken', null],
      ['ServiceAccount ops/default is granted a role', 'ClusterRoleBinding ops-view → ClusterRole view'],
    ]);
  });

  it('is UNKNOWN when ServiceAccounts cannot be listed', () => {
    const verdict = defaultServiceAccounts.check(testCluster([namespace('shop')], { forbidden: ['ServiceAccount'] }), benchmark('automated'));
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('`list serviceaccounts`');
  });
});
