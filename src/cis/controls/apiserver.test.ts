import { describe, expect, it } from 'vitest';
import { defaultApiserverFlags, defaultServer, effectiveArgs, input, nodeFacts, verdictOf } from '../test-node.fixture.ts';

const replaceFlag = (flag: string, value: string | null): string[] =>
  [...defaultApiserverFlags.filter((token) => !token.startsWith(`--${flag}=`)), ...(value === null ? [] : [`--${flag}=${value}`])];

const server = (flags: readonly string[]) => input(nodeFacts('server'), effectiveArgs({ 'kube-apiserver': flags }));

describe('API server controls (1.2.x) on a default k3s server', () => {
  it.each([
    ['apiserver.anonymous-auth', 'PASS'],
    ['apiserver.token-auth-file', 'PASS'],
    ['apiserver.deny-service-external-ips', 'FAIL'],
    ['apiserver.kubelet-client-certificate', 'PASS'],
    ['apiserver.kubelet-certificate-authority', 'PASS'],
    ['apiserver.authorization-mode-not-always-allow', 'PASS'],
    ['apiserver.authorization-mode-node', 'PASS'],
    ['apiserver.authorization-mode-rbac', 'PASS'],
    ['apiserver.admission-event-rate-limit', 'FAIL'],
    ['apiserver.admission-always-admit', 'PASS'],
    ['apiserver.admission-always-pull-images', 'FAIL'],
    ['apiserver.admission-service-account', 'PASS'],
    ['apiserver.admission-namespace-lifecycle', 'PASS'],
    ['apiserver.admission-node-restriction', 'PASS'],
    ['apiserver.profiling', 'PASS'],
    ['apiserver.audit-log-path', 'FAIL'],
    ['apiserver.audit-log-maxage', 'FAIL'],
    ['apiserver.request-timeout', 'FAIL'],
    ['apiserver.service-account-lookup', 'PASS'],
    ['apiserver.service-account-key-file', 'PASS'],
    ['apiserver.tls-cert-file', 'PASS'],
    ['apiserver.client-ca-file', 'PASS'],
    ['apiserver.encryption-provider-config', 'FAIL'],
    ['apiserver.tls-cipher-suites', 'PASS'],
    ['apiserver.audit-policy-file', 'FAIL'],
    ['apiserver.service-account-extend-token-expiration', 'FAIL'],
  ])('%s → %s', (implementation, status) => {
    expect(verdictOf(implementation, defaultServer()).status).toBe(status);
  });
});

describe('API server flag semantics', () => {
  it.each([
    ['anonymous-auth=true fails', 'apiserver.anonymous-auth', replaceFlag('anonymous-auth', 'true'), 'FAIL'],
    ['absent --anonymous-auth fails (the API server default is true)', 'apiserver.anonymous-auth', replaceFlag('anonymous-auth', null), 'FAIL'],
    ['--token-auth-file set fails', 'apiserver.token-auth-file', [...defaultApiserverFlags, '--token-auth-file=/tmp/tokens.csv'], 'FAIL'],
    ['AlwaysAllow among the modes fails', 'apiserver.authorization-mode-not-always-allow', replaceFlag('authorization-mode', 'Node,RBAC,AlwaysAllow'), 'FAIL'],
    ['absent --authorization-mode fails (AlwaysAllow)', 'apiserver.authorization-mode-not-always-allow', replaceFlag('authorization-mode', null), 'FAIL'],
    ['RBAC only misses Node', 'apiserver.authorization-mode-node', replaceFlag('authorization-mode', 'RBAC'), 'FAIL'],
    ['AlwaysAdmit enabled fails', 'apiserver.admission-always-admit', replaceFlag('enable-admission-plugins', 'NodeRestriction,AlwaysAdmit'), 'FAIL'],
    ['EventRateLimit enabled passes', 'apiserver.admission-event-rate-limit', replaceFlag('enable-admission-plugins', 'NodeRestriction,EventRateLimit'), 'PASS'],
    ['ServiceAccount disabled fails', 'apiserver.admission-service-account', [...defaultApiserverFlags, '--disable-admission-plugins=ServiceAccount'], 'FAIL'],
    ['overriding the plugin list without NodeRestriction fails', 'apiserver.admission-node-restriction', replaceFlag('enable-admission-plugins', 'PodSecurity'), 'FAIL'],
    ['profiling absent fails (the default is true)', 'apiserver.profiling', replaceFlag('profiling', null), 'FAIL'],
    ['audit-log-maxage 30 passes', 'apiserver.audit-log-maxage', [...defaultApiserverFlags, '--audit-log-maxage=30'], 'PASS'],
    ['audit-log-maxage 7 fails', 'apiserver.audit-log-maxage', [...defaultApiserverFlags, '--audit-log-maxage=7'], 'FAIL'],
    ['audit-log-maxbackup 10 passes', 'apiserver.audit-log-maxbackup', [...defaultApiserverFlags, '--audit-log-maxbackup=10'], 'PASS'],
    ['audit-log-maxsize 50 fails', 'apiserver.audit-log-maxsize', [...defaultApiserverFlags, '--audit-log-maxsize=50'], 'FAIL'],
    ['service-account-lookup=false fails', 'apiserver.service-account-lookup', [...defaultApiserverFlags, '--service-account-lookup=false'], 'FAIL'],
    ['an empty --kubelet-client-key fails', 'apiserver.kubelet-client-certificate', replaceFlag('kubelet-client-key', ''), 'FAIL'],
    ['a CBC suite fails the 2.1 list', 'apiserver.tls-cipher-suites', replaceFlag('tls-cipher-suites', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'), 'FAIL'],
    ['absent cipher suites fail', 'apiserver.tls-cipher-suites', replaceFlag('tls-cipher-suites', null), 'FAIL'],
    ['extend-token-expiration=false passes', 'apiserver.service-account-extend-token-expiration', [...defaultApiserverFlags, '--service-account-extend-token-expiration=false'], 'PASS'],
  ])('%s', (_name, implementation, flags, status) => {
    expect(verdictOf(implementation, server(flags)).status).toBe(status);
  });

  it('a CBC suite is allowed by k3s-cis-1.9 but not by k3s-cis-1.12', () => {
    const node = server(replaceFlag('tls-cipher-suites', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'));
    expect(verdictOf('apiserver.tls-cipher-suites', node, 'k3s-cis-1.9').status).toBe('PASS');
    expect(verdictOf('apiserver.tls-cipher-suites', node, 'k3s-cis-1.12').status).toBe('FAIL');
  });

  it('repeated list flags accumulate, as pflag string slices do', () => {
    const node = server([...replaceFlag('enable-admission-plugins', 'NodeRestriction'), '--enable-admission-plugins=AlwaysAdmit']);
    const verdict = verdictOf('apiserver.admission-always-admit', node);
    expect(verdict.status).toBe('FAIL');
    expect(verdict.evidence).toHaveLength(2);
  });

  it('gives the flag value and where it came from as evidence', () => {
    const verdict = verdictOf('apiserver.anonymous-auth', defaultServer());
    expect(verdict.evidence).toEqual([{ subject: 'kube-apiserver --anonymous-auth', value: 'false', source: expect.objectContaining({ kind: 'k3s-log' }) }]);
  });

  it('points at where it looked when a flag is absent', () => {
    const verdict = verdictOf('apiserver.audit-log-path', defaultServer());
    expect(verdict.evidence[0]).toMatchObject({ subject: 'kube-apiserver --audit-log-path', value: null, source: { kind: 'k3s-log' } });
  });

  it('is UNKNOWN with the reason and what to do when the API server arguments are not known', () => {
    const node = input(nodeFacts('server'), effectiveArgs({ 'kube-apiserver': { unknown: 'no Running kube-apiserver line in the k3s log (journald unit k3s: permission denied)' } }));
    const verdict = verdictOf('apiserver.anonymous-auth', node);
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('permission denied');
    expect(verdict.reason).toContain('--configured');
  });
});

describe('API server etcd client flags (1.2.23, 1.2.26)', () => {
  it.each(['apiserver.etcd-certfile', 'apiserver.etcd-cafile'])('%s is N/A on SQLite, with the reason', (implementation) => {
    const verdict = verdictOf(implementation, defaultServer());
    expect(verdict.status).toBe('N/A');
    expect(verdict.reason).toContain('embedded etcd is not used: datastore is SQLite');
  });

  it('pass with embedded etcd when set', () => {
    const facts = nodeFacts('server', { etcdConfig: { path: '/var/lib/rancher/k3s/server/db/etcd/config', present: true, content: {} } });
    const flags = [
      ...replaceFlag('etcd-servers', 'https://127.0.0.1:2379'),
      '--etcd-cafile=/var/lib/rancher/k3s/server/tls/etcd/server-ca.crt',
      '--etcd-certfile=/var/lib/rancher/k3s/server/tls/etcd/client.crt',
      '--etcd-keyfile=/var/lib/rancher/k3s/server/tls/etcd/client.key',
    ];
    const node = input(facts, effectiveArgs({ 'kube-apiserver': flags }));
    expect(verdictOf('apiserver.etcd-certfile', node).status).toBe('PASS');
    expect(verdictOf('apiserver.etcd-cafile', node).status).toBe('PASS');
  });

  it('fail with embedded etcd when the CA is missing', () => {
    const facts = nodeFacts('server', { etcdConfig: { path: '/var/lib/rancher/k3s/server/db/etcd/config', present: true, content: {} } });
    const node = input(facts, effectiveArgs({ 'kube-apiserver': replaceFlag('etcd-servers', 'https://127.0.0.1:2379') }));
    expect(verdictOf('apiserver.etcd-cafile', node).status).toBe('FAIL');
  });
});
