import { describe, expect, it } from 'vitest';
import { capabilitiesRestrictedV1Dot22, capabilitiesRestrictedV1Dot25 } from './check-capabilities-restricted.ts';
import { containersWith, podOf } from './pod.fixture.ts';

describe('capabilities_restricted', () => {
  // Upstream policy/check_capabilities_restricted_test.go.
  it('reports missing drop ALL, then forbidden adds', () => {
    const pod = podOf({
      containers: containersWith(
        { capabilities: { add: ['FOO', 'BAR'] } },
        { capabilities: { add: ['BAR', 'BAZ'] } },
        { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'], drop: ['ALL', 'FOO'] } },
      ),
    });
    expect(capabilitiesRestrictedV1Dot22(pod)).toEqual({
      allowed: false,
      reason: 'unrestricted capabilities',
      detail:
        'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
    });
  });

  it('needs the exact string ALL; no securityContext counts as missing', () => {
    const pod = podOf({ containers: containersWith(null, { capabilities: { drop: ['all'] } }, { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }) });
    expect(capabilitiesRestrictedV1Dot22(pod)).toMatchObject({ detail: 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]' });
  });

  it('exempts Windows pods from v1.25', () => {
    expect(capabilitiesRestrictedV1Dot25(podOf({ os: { name: 'windows' }, containers: containersWith(null) }))).toEqual({ allowed: true });
  });
});
