import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, inUserNamespace, visitContainers } from './visit-containers.ts';

/** An explicit runAsUser: 0 is forbidden at pod or container level; unset is fine. */
export function runAsUserV1Dot23({ spec }: PodLike): CheckResult {
  const badSetters: string[] = [];
  if (spec.securityContext?.runAsUser === 0) badSetters.push('pod');
  const badContainers: string[] = [];
  visitContainers(spec, (container) => {
    if (container.securityContext?.runAsUser === 0) badContainers.push(container.name);
  });
  if (badContainers.length > 0) badSetters.push(describeContainers(badContainers));
  if (badSetters.length === 0) return allowed;
  return forbidden('runAsUser=0', `${badSetters.join(' and ')} must not set runAsUser=0`);
}

export function runAsUserV1Dot35(pod: PodLike): CheckResult {
  if (inUserNamespace(pod.spec)) return allowed;
  return runAsUserV1Dot23(pod);
}

export const runAsUserCheck: CheckDefinition = {
  id: 'runAsUser',
  level: 'restricted',
  title: 'Running as Non-root user',
  versions: [
    { minimumVersion: 23, checkPod: runAsUserV1Dot23 },
    { minimumVersion: 35, checkPod: runAsUserV1Dot35 },
  ],
};
