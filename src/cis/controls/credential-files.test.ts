import { describe, expect, it } from 'vitest';
import type { FileStat } from '../../facts/node-facts.ts';
import { configDirKubeletFlags, dataDir, effectiveArgs, fileStat, input, k3sKubeletDefaults, kubeletDropInPath, missing, nodeFacts, verdictOf } from '../test-node.fixture.ts';

const server = (files: FileStat[], args = effectiveArgs({})) => input(nodeFacts('server', { files }), args);
const agent = (files: FileStat[], args = effectiveArgs({ kubelet: configDirKubeletFlags })) =>
  input(nodeFacts('agent', { files, kubeletConfigFiles: [{ path: kubeletDropInPath, present: true, content: k3sKubeletDefaults() }] }), args);

describe('kubeconfig and CA file controls (1.1.13-1.1.18, 4.1.3-4.1.8)', () => {
  it.each([
    ['file.admin-kubeconfig.mode', `${dataDir}/server/cred/admin.kubeconfig`, 0o600, 'PASS'],
    ['file.admin-kubeconfig.mode', `${dataDir}/server/cred/admin.kubeconfig`, 0o644, 'FAIL'],
    ['file.scheduler-kubeconfig.mode', `${dataDir}/server/cred/scheduler.kubeconfig`, 0o600, 'PASS'],
    ['file.controller-kubeconfig.mode', `${dataDir}/server/cred/controller.kubeconfig`, 0o640, 'FAIL'],
  ])('%s on %s with mode %o → %s', (implementation, path, mode, status) => {
    expect(verdictOf(implementation, server([fileStat(path, mode)])).status).toBe(status);
  });

  it('judges owners', () => {
    const path = `${dataDir}/server/cred/admin.kubeconfig`;
    expect(verdictOf('file.admin-kubeconfig.owner', server([fileStat(path, 0o600)])).status).toBe('PASS');
    const verdict = verdictOf('file.admin-kubeconfig.owner', server([fileStat(path, 0o600, { uid: 1000, gid: 1000, user: 'k3s', group: 'k3s' })]));
    expect(verdict.status).toBe('FAIL');
    expect(verdict.evidence[0]).toEqual({ subject: `${path} owner`, value: 'k3s:k3s', source: { kind: 'file-stat', path } });
  });

  it('is UNKNOWN when the file was not collected, and says what to do', () => {
    const verdict = verdictOf('file.admin-kubeconfig.mode', server([]));
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('not collected');
  });

  it('is UNKNOWN when a file k3s always creates does not exist', () => {
    expect(verdictOf('file.admin-kubeconfig.mode', server([missing(`${dataDir}/server/cred/admin.kubeconfig`)])).status).toBe('UNKNOWN');
  });

  it('is N/A when the kube-proxy kubeconfig does not exist (the benchmark applies only if it exists)', () => {
    expect(verdictOf('file.kubeproxy-kubeconfig.mode', agent([missing(`${dataDir}/agent/kubeproxy.kubeconfig`)])).status).toBe('N/A');
  });

  it('uses the path the component is given with --kubeconfig', () => {
    const args = effectiveArgs({ 'kube-scheduler': ['--kubeconfig=/etc/custom/scheduler.kubeconfig'] });
    const verdict = verdictOf('file.scheduler-kubeconfig.mode', server([fileStat('/etc/custom/scheduler.kubeconfig', 0o600)], args));
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence.map((item) => item.subject)).toContain('kube-scheduler --kubeconfig');
  });

  it('takes the kubelet client CA from the kubelet config, with 600 in 2.0 and 644 in 2.1', () => {
    const node = agent([fileStat(`${dataDir}/agent/client-ca.crt`, 0o644)]);
    expect(verdictOf('file.kubelet-client-ca.mode', node, 'k3s-cis-2.0').status).toBe('FAIL');
    expect(verdictOf('file.kubelet-client-ca.mode', node, 'k3s-cis-2.1').status).toBe('PASS');
  });

  it('is N/A on a server started with --disable-agent', () => {
    const facts = nodeFacts('server', { k3s: { ...nodeFacts('server').k3s, configFiles: [{ path: '/etc/rancher/k3s/config.yaml', present: true, entries: [{ key: 'disable-agent', value: true, line: 3 }] }] } });
    const verdict = verdictOf('file.kubelet-kubeconfig.mode', input(facts, effectiveArgs({})));
    expect(verdict.status).toBe('N/A');
    expect(verdict.evidence[0]?.source).toMatchObject({ kind: 'config-file', path: '/etc/rancher/k3s/config.yaml', line: 3 });
  });
});
