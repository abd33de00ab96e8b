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

  it('judges automount before the allow-list: an allowed component that does not mount the token is not mentioned', () => {
    const verdict = tokenAutomount.check(
      testCluster([
        deployment('kube-system', 'svclb-traefik', podSpec({ serviceAccountName: 'svclb', automountServiceAccountToken: false })),
        serviceAccount('kube-system', 'svclb'),
        deployment('kube-system', 'metrics-server', podSpec({ serviceAccountName: 'metrics-server' })),
        serviceAccount('kube-system', 'metrics-server', false),
      ]),
      benchmark('automated'),
    );
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence.map((evidence) => evidence.subject)).toEqual(['pods and workloads examined']);
  });

  it.each([
    ['unset on pod and ServiceAccount', podSpec({ serviceAccountName: 'coredns' }), serviceAccount('kube-system', 'coredns'), 'automountServiceAccountToken unset on pod and ServiceAccount (default true)'],
    ['true on the ServiceAccount', podSpec({ serviceAccountName: 'coredns' }), serviceAccount('kube-system', 'coredns', true), 'automountServiceAccountToken: true on the ServiceAccount'],
    ['true in the pod spec', podSpec({ serviceAccountName: 'coredns', automountServiceAccountToken: true }), serviceAccount('kube-system', 'coredns', false), 'automountServiceAccountToken: true in the pod spec'],
  ] as const)('an allowed component that mounts the token (%s) is noted with the real value', (_name, spec, account, value) => {
    const verdict = tokenAutomount.check(testCluster([deployment('kube-system', 'coredns', spec), account]), benchmark('automated'));
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence[1]).toEqual({
      subject: 'Deployment kube-system/coredns (pod template) mounts the token of ServiceAccount coredns (allowed by the benchmark: k3s component)',
      value,
      source: { kind: 'api-object', detail: 'Deployment kube-system/coredns' },
    });
  });

  it('cannot judge a pod whose ServiceAccount is not in the given files', () => {
    const verdict = tokenAutomount.check(testCluster([pod('shop', 'p', podSpec({ serviceAccountName: 'app' }))], { mode: 'manifests' }), benchmark('automated'));
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('ServiceAccount shop/app is not in the input');
  });
});
