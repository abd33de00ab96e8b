import { describe, expect, it } from 'vitest';
import { runAsUserV1Dot23, runAsUserV1Dot35 } from './check-run-as-user.ts';
import { containersWith, podOf } from './pod.fixture.ts';

describe('runAsUser', () => {
  // Upstream policy/check_runAsUser_test.go.
  it.each([
    ['pod runAsUser=0', { securityContext: { runAsUser: 0 }, containers: containersWith(null) }, 'pod must not set runAsUser=0'],
    [
      'containers runAsUser=0',
      { securityContext: { runAsUser: 1000 }, containers: containersWith(null, {}, { runAsUser: 0 }, { runAsUser: 0 }, { runAsUser: 1 }, { runAsUser: 1 }) },
      'containers "c", "d" must not set runAsUser=0',
    ],
  ])('%s', (_name, spec, detail) => {
    expect(runAsUserV1Dot23(podOf(spec))).toEqual({ allowed: false, reason: 'runAsUser=0', detail });
  });

  it.each([
    ['non-zero', { securityContext: { runAsUser: 1000 }, containers: containersWith(null) }],
    ['unset', { securityContext: {}, containers: containersWith(null) }],
  ])('allows %s', (_name, spec) => {
    expect(runAsUserV1Dot23(podOf(spec))).toEqual({ allowed: true });
  });

  it('v1.35 allows hostUsers: false, not hostUsers: true', () => {
    expect(runAsUserV1Dot35(podOf({ hostUsers: false, securityContext: { runAsUser: 0 } }))).toEqual({ allowed: true });
    expect(runAsUserV1Dot35(podOf({ hostUsers: true, securityContext: { runAsUser: 0 }, containers: containersWith(null) }))).toMatchObject({
      detail: 'pod must not set runAsUser=0',
    });
  });
});
