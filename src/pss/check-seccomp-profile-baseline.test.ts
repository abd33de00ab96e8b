import { describe, expect, it } from 'vitest';
import { seccompProfileBaselineV1Dot0, seccompProfileBaselineV1Dot19 } from './check-seccomp-profile-baseline.ts';
import { containersWith, podOf } from './pod.fixture.ts';

const abc = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];

describe('seccompProfile_baseline v1.0 (annotations)', () => {
  // Upstream policy/check_seccompProfile_baseline_test.go.
  it.each([
    ['pod', { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }, 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"'],
    [
      'containers',
      { 'container.seccomp.security.alpha.kubernetes.io/a': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/b': 'unknown' },
      'forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown"',
    ],
    [
      'pod and containers',
      {
        'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
        'container.seccomp.security.alpha.kubernetes.io/a': 'unconfined',
        'container.seccomp.security.alpha.kubernetes.io/b': 'unknown',
      },
      'forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined"',
    ],
  ])('%s', (_name, annotations, detail) => {
    expect(seccompProfileBaselineV1Dot0(podOf({ containers: abc }, annotations))).toEqual({ allowed: false, reason: 'seccompProfile', detail });
  });

  it('ignores annotations of containers the pod does not have, and the fields', () => {
    const pod = podOf(
      { containers: abc, securityContext: { seccompProfile: { type: 'Unconfined' } } },
      { 'container.seccomp.security.alpha.kubernetes.io/zzz': 'unconfined', 'seccomp.security.alpha.kubernetes.io/pod': 'docker/default' },
    );
    expect(seccompProfileBaselineV1Dot0(pod)).toEqual({ allowed: true });
  });
});

describe('seccompProfile_baseline v1.19 (fields)', () => {
  const unconfined = { seccompProfile: { type: 'Unconfined' } };
  const runtimeDefault = { seccompProfile: { type: 'RuntimeDefault' } };
  it.each([
    ['pod', { securityContext: unconfined, containers: containersWith(null) }, 'pod must not set securityContext.seccompProfile.type to "Unconfined"'],
    [
      'containers',
      { securityContext: runtimeDefault, containers: containersWith(null, {}, unconfined, unconfined, runtimeDefault, runtimeDefault) },
      'containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
    ],
    [
      'pod and containers',
      { securityContext: unconfined, containers: containersWith(null, {}, unconfined, unconfined, runtimeDefault, runtimeDefault) },
      'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
    ],
  ])('%s', (_name, spec, detail) => {
    expect(seccompProfileBaselineV1Dot19(podOf(spec))).toEqual({ allowed: false, reason: 'seccompProfile', detail });
  });

  it('allows unset profiles and ignores the annotations', () => {
    expect(seccompProfileBaselineV1Dot19(podOf({ containers: abc }, { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }))).toEqual({ allowed: true });
  });
});
