import { describe, expect, it } from 'vitest';
import { allowPrivilegeEscalationV1Dot25, allowPrivilegeEscalationV1Dot8 } from './check-allow-privilege-escalation.ts';
import { containersWith, podOf } from './pod.fixture.ts';

describe('allowPrivilegeEscalation', () => {
  const containers = containersWith(null, {}, { allowPrivilegeEscalation: true }, { allowPrivilegeEscalation: false });

  it('requires an explicit false on every container', () => {
    expect(allowPrivilegeEscalationV1Dot8(podOf({ containers }))).toEqual({
      allowed: false,
      reason: 'allowPrivilegeEscalation != false',
      detail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false',
    });
  });

  it('exempts Windows pods from v1.25 only', () => {
    const windows = podOf({ os: { name: 'windows' }, containers });
    expect(allowPrivilegeEscalationV1Dot25(windows)).toEqual({ allowed: true });
    expect(allowPrivilegeEscalationV1Dot8(windows).allowed).toBe(false);
    expect(allowPrivilegeEscalationV1Dot25(podOf({ os: { name: 'linux' }, containers })).allowed).toBe(false);
  });
});
