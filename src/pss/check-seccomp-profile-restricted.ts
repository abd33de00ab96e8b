import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import { validSeccompType } from './check-seccomp-profile-baseline.ts';
import { joinQuote, sortedSet } from './message-format.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, isWindowsPod, visitContainers } from './visit-containers.ts';

/** Every container needs RuntimeDefault or Localhost, its own or the pod's; an explicit bad value anywhere is reported first. */
export function seccompProfileRestrictedV1Dot19({ spec }: PodLike): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  let podSeccompSet = false;
  const podProfile = spec.securityContext?.seccompProfile;
  if (podProfile != null) {
    if (validSeccompType(podProfile.type)) podSeccompSet = true;
    else {
      badSetters.push('pod');
      badValues.push(podProfile.type ?? '');
    }
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  visitContainers(spec, (container) => {
    const profile = container.securityContext?.seccompProfile;
    if (profile != null) {
      if (!validSeccompType(profile.type)) {
        explicitlyBad.push(container.name);
        badValues.push(profile.type ?? '');
      }
    } else if (!podSeccompSet) {
      implicitlyBad.push(container.name);
    }
  });
  if (explicitlyBad.length > 0) badSetters.push(describeContainers(explicitlyBad));
  if (badSetters.length > 0) {
    return forbidden(
      'seccompProfile',
      `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
    );
  }
  if (implicitlyBad.length > 0) {
    return forbidden(
      'seccompProfile',
      `pod or ${describeContainers(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    );
  }
  return allowed;
}

export function seccompProfileRestrictedV1Dot25(pod: PodLike): CheckResult {
  if (isWindowsPod(pod.spec)) return allowed;
  return seccompProfileRestrictedV1Dot19(pod);
}

export const seccompProfileRestrictedCheck: CheckDefinition = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  title: 'Seccomp',
  versions: [
    { minimumVersion: 19, checkPod: seccompProfileRestrictedV1Dot19, overrides: ['seccompProfile_baseline'] },
    { minimumVersion: 25, checkPod: seccompProfileRestrictedV1Dot25, overrides: ['seccompProfile_baseline'] },
  ],
};
