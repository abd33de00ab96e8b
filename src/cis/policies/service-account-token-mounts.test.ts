import { describe, expect, it } from 'vitest';
import { tokenAutomount } from './service-account-token-mounts.ts';
import { benchmark, deployment, pod, podSpec, serviceAccount, testCluster } from './test-cluster.fixture.ts';

describe('token-automount (5.1.6)', () => {
  it.each([
    ['pod false', podSpec({ automountServiceAccountToken: false, serviceAccountName: 'app' }), serviceAccount('shop', 'app'), 'PASS'],
    ['account false, pod unset', podSpec({ serviceAccountName: 'app' }), serviceAccount('shop', 'app', false), 'PASS'],
    ['account unset, pod false (kube-bench misses this one)', podSpec({ serviceAccountName: 'app', automountServiceAccountToken: false }), serviceAccount('shop', 'app'), 'PASS'],
    ['account false, pod true', podSpec({ serviceAccountName: 'app', automountServiceAccountToken: true }), serviceAccount('shop', 'app', false), 'FAIL'],
    ['both unset', podSpec({ serviceAccountName: 'app' }), serviceAccount('shop', 'app'), 'FAIL'],
  ] as const)('%s: %s', (_name, spec, account, status) => {
    expect(tokenAutomount.check(testCluster([pod('shop', 'p', spec), account]), benchmark('automated')).status).toBe(status);
  });

  it('allows the k3s components the benchmark names, in kube-system only, and says so', () => {
    const verdict = tokenAutomount.check(
      testCluster([deployment('kube-system', 'coredns', podSpec({ serviceAccountName: 'coredns' })), serviceAccount('kube-system', 'coredns')]),
      benchmark('automated'),
    );
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence[1]?.subject).toBe('Deployment kube-system/coredns (pod template) mounts the token of ServiceAccount coredns (allowed by the benchmark: k3s component)');
    const elsewhere = tokenAutomount.check(testCluster([deployment('shop', 'coredns', podSpec({ serviceAccountName: 'coredns' })), serviceAccount('shop', 'coredns')]), benchmark('automated'));
    expect(elsewhere.status).toBe('FAIL');
  });

  it('cannot judge a pod whose ServiceAccount is not in the given files', () => {
    const verdict = tokenAutomount.check(testCluster([pod('shop', 'p', podSpec({ serviceAccountName: 'app' }))], { mode: 'manifests' }), benchmark('automated'));
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('ServiceAccount shop/app is not in the input');
  });
});
