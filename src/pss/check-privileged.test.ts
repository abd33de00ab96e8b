import { describe, expect, it } from 'vitest';
import { privilegedV1Dot0 } from './check-privileged.ts';
import { containersWith, podOf } from './pod.fixture.ts';

describe('privileged', () => {
  it('lists privileged containers, ephemeral ones last', () => {
    const pod = podOf({
      containers: containersWith(null, {}, { privileged: false }, { privileged: true }, { privileged: true }),
      ephemeralContainers: [{ name: 'debug', securityContext: { privileged: true } }],
    });
    expect(privilegedV1Dot0(pod)).toEqual({
      allowed: false,
      reason: 'privileged',
      detail: 'containers "d", "e", "debug" must not set securityContext.privileged=true',
    });
  });
});
