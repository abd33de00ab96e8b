import { describe, expect, it } from 'vitest';
import { capabilitiesBaselineV1Dot0 } from './check-capabilities-baseline.ts';
import { containersWith, podOf } from './pod.fixture.ts';

describe('capabilities_baseline', () => {
  it('allows the runtime default set and drops', () => {
    const pod = podOf({ containers: containersWith({ capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE', 'SYS_CHROOT'], drop: ['ALL'] } }) });
    expect(capabilitiesBaselineV1Dot0(pod)).toEqual({ allowed: true });
  });

  it('lists offending containers in visit order and the capabilities sorted and unique', () => {
    const pod = podOf({
      initContainers: [{ name: 'init', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }],
      containers: containersWith(
        { capabilities: { add: ['FOO', 'BAR'] } },
        { capabilities: { add: ['BAR', 'BAZ'] } },
        { capabilities: { add: ['CHOWN'] } },
      ),
    });
    expect(capabilitiesBaselineV1Dot0(pod)).toEqual({
      allowed: false,
      reason: 'non-default capabilities',
      detail: 'containers "init", "a", "b" must not include "BAR", "BAZ", "FOO", "SYS_ADMIN" in securityContext.capabilities.add',
    });
  });

  it.each(['chown', 'CAP_CHOWN', 'ALL'])('matches %s exactly (case and prefix matter)', (capability) => {
    const pod = podOf({ containers: containersWith({ capabilities: { add: [capability] } }) });
    expect(capabilitiesBaselineV1Dot0(pod)).toMatchObject({ allowed: false, detail: `container "a" must not include "${capability}" in securityContext.capabilities.add` });
  });
});
