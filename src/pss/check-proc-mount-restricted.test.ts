import { describe, expect, it } from 'vitest';
import { procMountRestrictedCheck } from './check-proc-mount-restricted.ts';
import { podOf } from './pod.fixture.ts';

describe('procMount_restricted', () => {
  const checkPod = procMountRestrictedCheck.versions[0]?.checkPod;

  it('starts at v1.35 and replaces the baseline procMount check', () => {
    expect(procMountRestrictedCheck.versions).toHaveLength(1);
    expect(procMountRestrictedCheck.versions[0]).toMatchObject({ minimumVersion: 35, overrides: ['procMount'] });
  });

  it('keeps forbidding Unmasked in a user namespace', () => {
    const pod = podOf({ hostUsers: false, containers: [{ name: 'a', securityContext: { procMount: 'Unmasked' } }] });
    expect(checkPod?.(pod)).toEqual({ allowed: false, reason: 'procMount', detail: 'container "a" must not set securityContext.procMount to "Unmasked"' });
  });
});
