import { describe, expect, it } from 'vitest';
import { allowedSysctls, sysctlsCheck } from './check-sysctls.ts';
import { podOf } from './pod.fixture.ts';

function checkAt(version: number) {
  const active = [...sysctlsCheck.versions].reverse().find((entry) => entry.minimumVersion <= version);
  if (active === undefined) throw new Error('no sysctls check');
  return active.checkPod;
}

describe('sysctls', () => {
  it('lists forbidden names in spec order, duplicates kept, unquoted', () => {
    const pod = podOf({ securityContext: { sysctls: [{ name: 'net.core.somaxconn' }, { name: 'kernel.msgmax' }, { name: 'kernel.shm_rmid_forced' }, { name: 'kernel.msgmax' }] } });
    expect(checkAt(37)(pod)).toEqual({ allowed: false, reason: 'forbidden sysctls', detail: 'net.core.somaxconn, kernel.msgmax, kernel.msgmax' });
  });

  it.each([
    ['net.ipv4.ip_local_reserved_ports', 27],
    ['net.ipv4.tcp_keepalive_time', 29],
    ['net.ipv4.tcp_fin_timeout', 29],
    ['net.ipv4.tcp_keepalive_intvl', 29],
    ['net.ipv4.tcp_keepalive_probes', 29],
    ['net.ipv4.tcp_rmem', 32],
    ['net.ipv4.tcp_wmem', 32],
    ['net.ipv4.tcp_slow_start_after_idle', 37],
    ['net.ipv4.tcp_notsent_lowat', 37],
  ])('%s is allowed from v1.%i', (name, version) => {
    const pod = podOf({ securityContext: { sysctls: [{ name }] } });
    expect(checkAt(version)(pod)).toEqual({ allowed: true });
    expect(checkAt(version - 1)(pod).allowed).toBe(false);
    expect(allowedSysctls(version).has(name)).toBe(true);
  });

  it('has no wildcards', () => {
    expect(checkAt(37)(podOf({ securityContext: { sysctls: [{ name: 'net.ipv4.*' }] } })).allowed).toBe(false);
  });
});
