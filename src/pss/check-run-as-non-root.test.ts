import { describe, expect, it } from 'vitest';
import { runAsNonRootV1Dot0, runAsNonRootV1Dot35 } from './check-run-as-non-root.ts';
import { containersWith, podOf } from './pod.fixture.ts';

describe('runAsNonRoot', () => {
  // Upstream policy/check_runAsNonRoot_test.go.
  it.each([
    ['no explicit runAsNonRoot', { containers: [{ name: 'a' }] }, 'pod or container "a" must set securityContext.runAsNonRoot=true'],
    ['pod runAsNonRoot=false', { securityContext: { runAsNonRoot: false }, containers: containersWith(null) }, 'pod must not set securityContext.runAsNonRoot=false'],
    [
      'containers runAsNonRoot=false',
      {
        securityContext: { runAsNonRoot: true },
        containers: containersWith(null, {}, { runAsNonRoot: false }, { runAsNonRoot: false }, { runAsNonRoot: true }, { runAsNonRoot: true }),
      },
      'containers "c", "d" must not set securityContext.runAsNonRoot=false',
    ],
    [
      'pod nil, container fallthrough',
      { containers: containersWith(null, {}, { runAsNonRoot: true }, { runAsNonRoot: true }) },
      'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
    ],
    [
      'explicit false wins over implicit',
      { securityContext: { runAsNonRoot: false }, containers: containersWith({ runAsNonRoot: false }, null) },
      'pod and container "a" must not set securityContext.runAsNonRoot=false',
    ],
  ])('%s', (_name, spec, detail) => {
    expect(runAsNonRootV1Dot0(podOf(spec))).toEqual({ allowed: false, reason: 'runAsNonRoot != true', detail });
  });

  it('ignores runAsUser', () => {
    expect(runAsNonRootV1Dot0(podOf({ securityContext: { runAsUser: 1000 }, containers: [{ name: 'a' }] })).allowed).toBe(false);
  });

  it('v1.35 allows pods in a user namespace', () => {
    const pod = podOf({ hostUsers: false, containers: [{ name: 'a' }] });
    expect(runAsNonRootV1Dot35(pod)).toEqual({ allowed: true });
    expect(runAsNonRootV1Dot0(pod).allowed).toBe(false);
  });
});
