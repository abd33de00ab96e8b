import { describe, expect, it } from 'vitest';
import { componentArgs, nodeArgsOf, parseNodeArgs } from './node-args.ts';

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
