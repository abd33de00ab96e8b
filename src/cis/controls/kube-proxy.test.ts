import { describe, expect, it } from 'vitest';
import { effectiveArgs, input, nodeFacts, verdictOf } from '../test-node.fixture.ts';

const proxy = ['--cluster-cidr=10.42.0.0/16', '--healthz-bind-address=127.0.0.1', '--kubeconfig=/var/lib/rancher/k3s/agent/kubeproxy.kubeconfig', '--proxy-mode=iptables'];
const node = (flags: readonly string[]) => input(nodeFacts('agent'), effectiveArgs({ 'kube-proxy': flags }));

describe('4.3.1 kube-proxy metrics bind address', () => {
  it.each([
    ['not set (default 127.0.0.1:10249)', proxy, 'PASS'],
    ['127.0.0.1:10249', [...proxy, '--metrics-bind-address=127.0.0.1:10249'], 'PASS'],
    ['[::1]:10249', [...proxy, '--metrics-bind-address=[::1]:10249'], 'PASS'],
    ['0.0.0.0:10249', [...proxy, '--metrics-bind-address=0.0.0.0:10249'], 'FAIL'],
  ])('%s → %s', (_name, flags, status) => {
    expect(verdictOf('kube-proxy.metrics-bind-address', node(flags)).status).toBe(status);
  });

  it('is N/A when k3s runs without kube-proxy', () => {
    const base = nodeFacts('server');
    const facts = nodeFacts('server', { k3s: { ...base.k3s, configFiles: [{ path: '/etc/rancher/k3s/config.yaml', present: true, entries: [{ key: 'disable-kube-proxy', value: true, line: 2 }] }] } });
    expect(verdictOf('kube-proxy.metrics-bind-address', input(facts, effectiveArgs({}))).status).toBe('N/A');
  });
});
