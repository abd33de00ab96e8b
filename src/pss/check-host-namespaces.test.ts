import { describe, expect, it } from 'vitest';
import { hostNamespacesV1Dot0 } from './check-host-namespaces.ts';
import { podOf } from './pod.fixture.ts';

describe('hostNamespaces', () => {
  it.each([
    [{ hostNetwork: true }, 'hostNetwork=true'],
    [{ hostIPC: true, hostPID: true }, 'hostPID=true, hostIPC=true'],
    [{ hostIPC: true, hostPID: true, hostNetwork: true }, 'hostNetwork=true, hostPID=true, hostIPC=true'],
  ])('%o → %s', (spec, detail) => {
    expect(hostNamespacesV1Dot0(podOf(spec))).toEqual({ allowed: false, reason: 'host namespaces', detail });
  });

  it('allows false and unset', () => {
    expect(hostNamespacesV1Dot0(podOf({ hostNetwork: false, hostPID: null }))).toEqual({ allowed: true });
  });
});
