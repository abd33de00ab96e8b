import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../facts/kube-object.ts';
import { effectiveArgs, lastValue } from './effective-args.ts';
import { componentArgs, nodeArgsOf, nodeFactsFromNode, parseNodeArgs } from './node-args.ts';

describe('parseNodeArgs', () => {
  it('reads the subcommand, split --flag value pairs and bare booleans', () => {
    const parsed = parseNodeArgs(
      JSON.stringify(['server', '--cluster-init', '--secrets-encryption', 'true', '--kube-apiserver-arg', 'enable-admission-plugins=NodeRestriction,EventRateLimit', '--token', '********']),
    );
    expect(parsed).toMatchObject({
      ok: true,
      role: 'server',
      args: [
        { flag: 'cluster-init', value: 'true', index: 1 },
        { flag: 'secrets-encryption', value: 'true', index: 2 },
        { flag: 'kube-apiserver-arg', value: 'enable-admission-plugins=NodeRestriction,EventRateLimit', index: 4 },
        { flag: 'token', value: '********', index: 6 },
      ],
    });
  });

  it('masks secrets that an older k3s left in the annotation', () => {
    const parsed = parseNodeArgs(JSON.stringify(['agent', '--token', 'K10abc::server:secret', '--datastore-endpoint=postgres://u:p@db/k3s']));
    expect(parsed.ok && parsed.argv).toEqual(['agent', '--token', '********', '--datastore-endpoint=********']);
    expect(JSON.stringify(parsed)).not.toContain('secret');
  });

  it.each([
    ['not json', 'is not JSON'],
    ['{"a":1}', 'is not a JSON array of strings'],
    ['["server", 3]', 'is not a JSON array of strings'],
  ])('explains a malformed annotation %s', (text, reason) => {
    const parsed = parseNodeArgs(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });

  it('splits component args into flag and value', () => {
    const parsed = parseNodeArgs(JSON.stringify(['server', '--kubelet-arg', 'seccomp-default=true', '--kubelet-arg', '--read-only-port=0']));
    if (!parsed.ok) throw new Error('parse failed');
    expect(componentArgs(parsed, 'kubelet-arg').map(({ flag, value }) => [flag, value])).toEqual([
      ['seccomp-default', 'true'],
      ['read-only-port', '0'],
    ]);
  });
});

describe('nodeArgsOf', () => {
  it('says why a node has no settings', () => {
    const view = nodeArgsOf({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    expect(view.parsed).toEqual({ ok: false, reason: expect.stringContaining('no k3s.io/node-args annotation') });
  });

  it('reads the kubelet version and the config hash', () => {
    const view = nodeArgsOf({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', annotations: { 'k3s.io/node-args': '["agent"]', 'k3s.io/node-config-hash': 'ABC====' } },
      status: { nodeInfo: { kubeletVersion: 'v1.33.4+k3s1' } },
    });
    expect(view).toMatchObject({ node: 'n1', configHash: 'ABC====', kubeletVersion: 'v1.33.4+k3s1', parsed: { ok: true, role: 'agent' } });
  });
});

function annotatedNode(name: string, args: readonly string[], env: Record<string, string>, kubeletVersion: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, annotations: { 'k3s.io/node-args': JSON.stringify(args), 'k3s.io/node-env': JSON.stringify(env) } },
    status: { nodeInfo: { kubeletVersion } },
  };
}

describe('nodeFactsFromNode: component arguments from the annotation', () => {
  const node = annotatedNode(
    'server-1',
    ['server', '--token', '********', '--kube-apiserver-arg', 'anonymous-auth=true', '--secrets-encryption', 'true', '--kubelet-arg', 'read-only-port=0'],
    // What every k3s node's node-env holds: the directory the k3s wrapper unpacked its binaries into.
    { K3S_DATA_DIR: '/var/lib/rancher/k3s/data/3dfc950bd39d2e2b435291ab8c1333aa6051fcaf46325aee898819f3b0d0a8e6' },
    'v1.30.6+k3s1',
  );
  const built = nodeFactsFromNode(node, '2026-01-01T00:00:00Z');
  if ('reason' in built) throw new Error(built.reason);
  const args = effectiveArgs(built.facts, 'running');
  const valueOf = (component: 'kube-apiserver' | 'kubelet', flag: string) => {
    const computed = args.components[component];
    return computed.known ? lastValue(computed, flag) : null;
  };

  it.each([
    // Set in the annotation: its own source, the node's API path and the k3s flag.
    ['kube-apiserver', 'anonymous-auth', 'true', { kind: 'node-args-annotation', path: '/api/v1/nodes/server-1', detail: '--kube-apiserver-arg' }],
    ['kubelet', 'read-only-port', '0', { kind: 'node-args-annotation', path: '/api/v1/nodes/server-1', detail: '--kubelet-arg' }],
    ['kube-apiserver', 'encryption-provider-config', '/var/lib/rancher/k3s/server/cred/encryption-config.json', { kind: 'node-args-annotation', path: '/api/v1/nodes/server-1', detail: '--secrets-encryption → kube-apiserver --encryption-provider-config' }],
    // Not set there: k3s's default for the node's version, and the source says the annotation does not set it.
    ['kube-apiserver', 'profiling', 'false', { kind: 'k3s-default', detail: "k3s v1.30.6+k3s1 default (not set in Node server-1's k3s.io/node-args annotation)" }],
    ['kubelet', 'anonymous-auth', 'false', { kind: 'k3s-default', detail: "k3s v1.30.6+k3s1 default (not set in Node server-1's k3s.io/node-args annotation)" }],
  ] as const)('%s --%s = %s comes from %o', (component, flag, value, source) => {
    expect(valueOf(component, flag)).toEqual({ flag, value, source });
  });

  it('never speaks of a log: the API shows no k3s log, and none was looked for', () => {
    for (const computed of Object.values(args.components)) {
      if (!computed.known) continue;
      for (const value of computed.values) expect(value.source.detail ?? '', `${computed.component} --${value.flag}`).not.toMatch(/Running|k3s log|computed from the configuration/);
    }
  });

  it("does not take the wrapper's K3S_DATA_DIR for k3s's data directory", () => {
    expect(built.facts.k3s.environment.map((variable) => variable.name)).not.toContain('K3S_DATA_DIR');
    expect(valueOf('kube-apiserver', 'client-ca-file')?.value).toBe('/var/lib/rancher/k3s/server/tls/client-ca.crt');
    const newer = nodeFactsFromNode(annotatedNode('agent-1', ['agent'], { K3S_DATA_DIR: '/var/lib/rancher/k3s/data/abc' }, 'v1.34.1+k3s1'), '2026-01-01T00:00:00Z');
    if ('reason' in newer) throw new Error(newer.reason);
    const kubelet = effectiveArgs(newer.facts, 'running').components.kubelet;
    expect(kubelet.known ? lastValue(kubelet, 'config-dir')?.value : null).toBe('/var/lib/rancher/k3s/agent/etc/kubelet.conf.d');
  });
});
