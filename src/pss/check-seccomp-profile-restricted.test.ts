import { describe, expect, it } from 'vitest';
import { seccompProfileRestrictedV1Dot19, seccompProfileRestrictedV1Dot25 } from './check-seccomp-profile-restricted.ts';
import { containersWith, podOf } from './pod.fixture.ts';

const unconfined = { seccompProfile: { type: 'Unconfined' } };
const runtimeDefault = { seccompProfile: { type: 'RuntimeDefault' } };

describe('seccompProfile_restricted', () => {
  // Upstream policy/check_seccompProfile_restricted_test.go.
  it.each([
    ['no explicit seccomp', { containers: [{ name: 'a' }] }, 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"'],
    ['pod seccomp invalid', { securityContext: unconfined, containers: containersWith(null) }, 'pod must not set securityContext.seccompProfile.type to "Unconfined"'],
    [
      'containers seccomp invalid',
      { securityContext: runtimeDefault, containers: containersWith(null, {}, unconfined, unconfined, runtimeDefault, runtimeDefault) },
      'containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
    ],
    [
      'pod nil, container fallthrough',
      { containers: containersWith(null, {}, runtimeDefault, runtimeDefault) },
      'pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    ],
  ])('%s', (_name, spec, detail) => {
    expect(seccompProfileRestrictedV1Dot19(podOf(spec))).toEqual({ allowed: false, reason: 'seccompProfile', detail });
  });

  it('a bad pod profile does not cover containers, and its value is listed once', () => {
    const pod = podOf({ securityContext: unconfined, containers: containersWith(unconfined, null) });
    expect(seccompProfileRestrictedV1Dot19(pod)).toMatchObject({ detail: 'pod and container "a" must not set securityContext.seccompProfile.type to "Unconfined"' });
  });

  it('exempts Windows pods from v1.25', () => {
    expect(seccompProfileRestrictedV1Dot25(podOf({ os: { name: 'windows' }, containers: containersWith(null) }))).toEqual({ allowed: true });
  });
});
