import { describe, expect, it } from 'vitest';
import { procMountV1Dot0, procMountV1Dot35 } from './check-proc-mount.ts';
import { containersWith, podOf } from './pod.fixture.ts';

const containers = containersWith(null, {}, { procMount: 'Default' }, { procMount: 'Unmasked' }, { procMount: 'other' });

describe('procMount', () => {
  // Upstream policy/check_procMount_test.go.
  it('lists containers and the sorted unique types', () => {
    expect(procMountV1Dot0(podOf({ containers, hostUsers: true }))).toEqual({
      allowed: false,
      reason: 'procMount',
      detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"',
    });
  });

  it('v1.0 forbids Unmasked even in a user namespace', () => {
    expect(procMountV1Dot0(podOf({ containers, hostUsers: false })).allowed).toBe(false);
  });

  it('v1.35 allows it for hostUsers: false only', () => {
    expect(procMountV1Dot35(podOf({ containers, hostUsers: false }))).toEqual({ allowed: true });
    expect(procMountV1Dot35(podOf({ containers })).allowed).toBe(false);
  });
});
