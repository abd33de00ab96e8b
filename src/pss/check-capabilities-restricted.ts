import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import { joinQuote, sortedSet } from './message-format.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, isWindowsPod, visitContainers } from './visit-containers.ts';

/** Containers must drop ALL (exact string) and may add back only NET_BIND_SERVICE. */
export function capabilitiesRestrictedV1Dot22({ spec }: PodLike): CheckResult {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbiddenCapabilities: string[] = [];
  visitContainers(spec, (container) => {
    const capabilities = container.securityContext?.capabilities;
    if (capabilities == null) {
      missingDropAll.push(container.name);
      return;
    }
    if (!(capabilities.drop ?? []).includes('ALL')) missingDropAll.push(container.name);
    let addedForbidden = false;
    for (const capability of capabilities.add ?? []) {
      if (capability !== 'NET_BIND_SERVICE') {
        addedForbidden = true;
        forbiddenCapabilities.push(capability);
      }
    }
    if (addedForbidden) addingForbidden.push(container.name);
  });
  const details: string[] = [];
  if (missingDropAll.length > 0) {
    details.push(`${describeContainers(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  }
  if (addingForbidden.length > 0) {
    details.push(
      `${describeContainers(addingForbidden)} must not include ${joinQuote(sortedSet(forbiddenCapabilities))} in securityContext.capabilities.add`,
    );
  }
  if (details.length === 0) return allowed;
  return forbidden('unrestricted capabilities', details.join('; '));
}

export function capabilitiesRestrictedV1Dot25(pod: PodLike): CheckResult {
  if (isWindowsPod(pod.spec)) return allowed;
  return capabilitiesRestrictedV1Dot22(pod);
}

export const capabilitiesRestrictedCheck: CheckDefinition = {
  id: 'capabilities_restricted',
  level: 'restricted',
  title: 'Capabilities',
  versions: [
    { minimumVersion: 22, checkPod: capabilitiesRestrictedV1Dot22, overrides: ['capabilities_baseline'] },
    { minimumVersion: 25, checkPod: capabilitiesRestrictedV1Dot25, overrides: ['capabilities_baseline'] },
  ],
};
