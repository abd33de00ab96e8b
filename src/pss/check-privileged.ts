import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, visitContainers } from './visit-containers.ts';

export function privilegedV1Dot0({ spec }: PodLike): CheckResult {
  const badContainers: string[] = [];
  visitContainers(spec, (container) => {
    if (container.securityContext?.privileged === true) badContainers.push(container.name);
  });
  if (badContainers.length === 0) return allowed;
  return forbidden('privileged', `${describeContainers(badContainers)} must not set securityContext.privileged=true`);
}

export const privilegedCheck: CheckDefinition = {
  id: 'privileged',
  level: 'baseline',
  title: 'Privileged Containers',
  versions: [{ minimumVersion: 0, checkPod: privilegedV1Dot0 }],
};
