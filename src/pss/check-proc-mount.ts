import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import { joinQuote, sortedSet } from './message-format.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, inUserNamespace, visitContainers } from './visit-containers.ts';

/** Any procMount other than Default is forbidden (the unconditional rule, also procMount_restricted's). */
export function procMountV1Dot0({ spec }: PodLike): CheckResult {
  const badContainers: string[] = [];
  const types: string[] = [];
  visitContainers(spec, (container) => {
    const procMount = container.securityContext?.procMount;
    if (procMount == null || procMount === 'Default') return;
    badContainers.push(container.name);
    types.push(procMount);
  });
  if (badContainers.length === 0) return allowed;
  return forbidden(
    'procMount',
    `${describeContainers(badContainers)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`,
  );
}

/** From v1.35 baseline lets pods in a user namespace (`hostUsers: false`) unmask /proc. */
export function procMountV1Dot35(pod: PodLike): CheckResult {
  if (inUserNamespace(pod.spec)) return allowed;
  return procMountV1Dot0(pod);
}

export const procMountCheck: CheckDefinition = {
  id: 'procMount',
  level: 'baseline',
  title: '/proc Mount Type',
  versions: [
    { minimumVersion: 0, checkPod: procMountV1Dot0 },
    { minimumVersion: 35, checkPod: procMountV1Dot35 },
  ],
};
