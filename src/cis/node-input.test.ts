import { describe, expect, it } from 'vitest';
import { buildNodeInput, maskCredentials } from './node-input.ts';
import { effectiveArgs, nodeFacts } from './test-node.fixture.ts';

describe('node input', () => {
  it('never lets a datastore password into evidence', () => {
    expect(maskCredentials('datastore-endpoint postgres://k3s:s3cret@db:5432/k3s')).toBe('datastore-endpoint postgres://k3s:********@db:5432/k3s');
    expect(maskCredentials('datastore-endpoint https://etcd-1:2379')).toBe('datastore-endpoint https://etcd-1:2379');
  });

  it('reads the role, datastore and k3s switches once, for the state of the arguments', () => {
    const base = nodeFacts('server');
    const facts = nodeFacts('server', {
      k3s: { ...base.k3s, configFiles: [{ path: '/etc/rancher/k3s/config.yaml', present: true, entries: [{ key: 'cluster-init', value: true, line: 1 }, { key: 'disable-kube-proxy', value: true, line: 2 }] }] },
    });
    const { context } = buildNodeInput(facts, effectiveArgs({}, 'configured'));
    expect(context.role).toBe('server');
    expect(context.datastore.kind).toBe('embedded-etcd');
    expect(context.kubeProxyDisabled).toMatchObject({ value: 'true', source: { kind: 'config-file', line: 2 } });
    expect(context.agentDisabled).toBeNull();
    expect(context.paths.etcdDataDir).toBe('/var/lib/rancher/k3s/server/db/etcd');
  });
});
