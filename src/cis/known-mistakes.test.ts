/**
 * kube-bench's known mistakes on k3s (shared/reference/kube-bench.md §1b.3), one test each, so that kharden
 * never repeats them.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.ts';
import { benchmarks } from './benchmarks/index.ts';
import { runAudit } from './engine.ts';
import { parseControlFilter } from './filter.ts';
import { configDirKubeletFlags, dataDir, defaultApiserverFlags, effectiveArgs, input, k3sKubeletDefaults, kubeletDropInPath, nodeFacts, verdictOf } from './test-node.fixture.ts';

const dropInDir = `${dataDir}/agent/etc/kubelet.conf.d`;

describe('4.2.1-4.2.3 read the kubelet, not the API server', () => {
  it('fail when the kubelet is open even though the API server is locked down', () => {
    const weakKubelet = k3sKubeletDefaults({ authentication: { anonymous: { enabled: true }, webhook: { enabled: false } }, authorization: { mode: 'AlwaysAllow' } });
    const node = input(nodeFacts('server', { kubeletConfigFiles: [{ path: kubeletDropInPath, present: true, content: weakKubelet }] }), effectiveArgs({ 'kube-apiserver': defaultApiserverFlags, kubelet: configDirKubeletFlags }));
    expect(verdictOf('kubelet.anonymous-auth', node).status).toBe('FAIL');
    expect(verdictOf('kubelet.authorization-mode', node).status).toBe('FAIL');
    expect(verdictOf('kubelet.client-ca-file', node).status).toBe('FAIL');
  });

  it('pass on the kubelet\'s own settings whatever the API server says', () => {
    const apiserver = defaultApiserverFlags.map((flag) => (flag === '--anonymous-auth=false' ? '--anonymous-auth=true' : flag));
    const node = input(nodeFacts('server', { kubeletConfigFiles: [{ path: kubeletDropInPath, present: true, content: k3sKubeletDefaults() }] }), effectiveArgs({ 'kube-apiserver': apiserver, kubelet: configDirKubeletFlags }));
    const verdict = verdictOf('kubelet.anonymous-auth', node);
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence.every((item) => !item.subject.startsWith('kube-apiserver'))).toBe(true);
  });

  it('never echo a pass on an agent whose kubelet settings are unknown', () => {
    const node = input(nodeFacts('agent'), effectiveArgs({ kubelet: { unknown: 'no Running kubelet line in the k3s log (looked in journald unit k3s-agent)' } }));
    for (const implementation of ['kubelet.anonymous-auth', 'kubelet.authorization-mode', 'kubelet.client-ca-file']) {
      const verdict = verdictOf(implementation, node);
      expect(verdict.status, implementation).toBe('UNKNOWN');
      expect(verdict.reason).toContain('k3s-agent');
    }
  });
});

describe('4.2.5 uses a real "not equal" (kube-bench 1.9 used the undefined operator noteqx)', () => {
  it.each([
    ['5m', 'PASS'],
    ['4h0m0s', 'PASS'],
    ['0', 'FAIL'],
  ])('--streaming-connection-idle-timeout=%s → %s', (value, status) => {
    const node = input(nodeFacts('agent', { kubeletConfigFiles: [{ path: kubeletDropInPath, present: true, content: k3sKubeletDefaults() }] }), effectiveArgs({ kubelet: [...configDirKubeletFlags, `--streaming-connection-idle-timeout=${value}`] }));
    for (const benchmark of benchmarks) expect(verdictOf('kubelet.streaming-connection-idle-timeout', node, benchmark.id).status, benchmark.id).toBe(status);
  });
});

describe('4.2.9 is not a vacuous pass (kube-bench 1.9 used file paths as JSONPath)', () => {
  it('fails when no serving certificate is configured anywhere', () => {
    const content = k3sKubeletDefaults({ tlsCertFile: undefined, tlsPrivateKeyFile: undefined });
    const node = input(nodeFacts('agent', { kubeletConfigFiles: [{ path: kubeletDropInPath, present: true, content }] }), effectiveArgs({ kubelet: configDirKubeletFlags }));
    expect(verdictOf('kubelet.tls-cert-file', node).status).toBe('FAIL');
  });

  it('is UNKNOWN, not PASS, when nothing about the kubelet is known', () => {
    expect(verdictOf('kubelet.tls-cert-file', input(nodeFacts('agent'), effectiveArgs({}))).status).toBe('UNKNOWN');
  });
});

describe('the kubelet kubeconfig is never read as a KubeletConfiguration (kube-bench 1.9 $kubeletconf)', () => {
  it('ignores a kubeconfig the kubelet is not told to read as config', () => {
    const kubeconfig = { apiVersion: 'v1', kind: 'Config', clusters: [], readOnlyPort: 0 };
    const node = input(
      nodeFacts('agent', { kubeletConfigFiles: [{ path: `${dataDir}/agent/kubelet.kubeconfig`, present: true, content: kubeconfig }] }),
      effectiveArgs({ kubelet: [`--kubeconfig=${dataDir}/agent/kubelet.kubeconfig`] }),
    );
    // Without --config the kubelet's own default read-only port (10255) applies: the kubeconfig's content is irrelevant.
    expect(verdictOf('kubelet.read-only-port', node).status).toBe('FAIL');
  });

  it('refuses a kubeconfig found where the kubelet reads drop-ins', () => {
    const node = input(
      nodeFacts('agent', { kubeletConfigFiles: [{ path: `${dropInDir}/kubelet.conf`, present: true, content: { apiVersion: 'v1', kind: 'Config', readOnlyPort: 0 } }] }),
      effectiveArgs({ kubelet: configDirKubeletFlags.filter((flag) => !flag.startsWith('--read-only-port')) }),
    );
    const verdict = verdictOf('kubelet.read-only-port', node);
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('is not a KubeletConfiguration (kind Config');
  });
});

describe('SQLite servers: section 2 and 1.2.26 are N/A, not FAIL', () => {
  it.each(benchmarks.map((benchmark) => benchmark.id))('%s', (id) => {
    const report = runAudit(
      { node: { facts: nodeFacts('server'), args: effectiveArgs({ 'kube-apiserver': defaultApiserverFlags }) } },
      { benchmark: id, filter: parseControlFilter({ check: '2,1.2.23,1.2.26,1.1.11' }) },
    );
    const findings: Finding[] = report.sections.flatMap((section) => section.findings);
    expect(findings.length).toBe(10);
    for (const finding of findings) {
      expect(finding.status, finding.id).toBe('N/A');
      expect(finding.reason, finding.id).toContain('embedded etcd is not used: datastore is SQLite');
    }
  });
});
