import { describe, expect, it } from 'vitest';
import type { FileStat } from '../facts/node-facts.ts';
import { attributeChanges } from './file-requirements.ts';

const params = { dataDir: '/var/lib/rancher/k3s', certMode: 0o600, clientCaMode: 0o600 };
const stat = (path: string, mode: number, uid = 0, gid = 0): FileStat => ({ path, exists: true, type: 'file', mode, uid, gid });

describe('attributeChanges', () => {
  it.each([
    ['/var/lib/rancher/k3s/server/tls/server-ca.crt', 0o644, 0o600],
    ['/var/lib/rancher/k3s/server/tls/server-ca.key', 0o640, 0o600],
    ['/var/lib/rancher/k3s/server/cred/admin.kubeconfig', 0o644, 0o600],
    ['/var/lib/rancher/k3s/agent/kubelet.kubeconfig', 0o666, 0o600],
    ['/var/lib/cni/networks/cbr0/10.42.0.5', 0o644, 0o600],
  ])('tightens %s from %o to %o', (path, from, to) => {
    expect(attributeChanges([stat(path, from)], 'server', params)).toMatchObject([{ path, fromMode: from, toMode: to }]);
  });

  it('leaves a CNI network directory alone (the benchmark asks about the files in it)', () => {
    expect(attributeChanges([{ ...stat('/var/lib/cni/networks/cbr0', 0o755), type: 'directory' }], 'server', params)).toEqual([]);
  });

  it('keeps a mode that is already more restrictive', () => {
    expect(attributeChanges([stat('/var/lib/rancher/k3s/server/tls/a.crt', 0o400)], 'server', params)).toEqual([]);
  });

  it('follows the benchmark: certificates may stay 644 where it allows them', () => {
    expect(attributeChanges([stat('/var/lib/rancher/k3s/server/tls/a.crt', 0o644)], 'server', { ...params, certMode: 0o644 })).toEqual([]);
  });

  it('gives files that must be root-owned back to root', () => {
    expect(attributeChanges([stat('/var/lib/rancher/k3s/server/tls/a.key', 0o600, 1000, 1000)], 'server', params)).toMatchObject([
      { toOwner: { uid: 0, gid: 0 }, toMode: 0o600 },
    ]);
  });

  it('leaves server files alone on an agent, and the CNI lock file everywhere', () => {
    expect(attributeChanges([stat('/var/lib/rancher/k3s/server/tls/a.crt', 0o644)], 'agent', params)).toEqual([]);
    expect(attributeChanges([stat('/var/lib/cni/networks/cbr0/lock', 0o644)], 'agent', params)).toEqual([]);
  });
});
