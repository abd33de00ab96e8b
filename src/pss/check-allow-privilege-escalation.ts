import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, isWindowsPod, visitContainers } from './visit-containers.ts';

/** Every container must say `allowPrivilegeEscalation: false` explicitly; unset fails. */
export function allowPrivilegeEscalationV1Dot8({ spec }: PodLike): CheckResult {
  const badContainers: string[] = [];
  visitContainers(spec, (container) => {
    if (container.securityContext?.allowPrivilegeEscalation !== false) badContainers.push(container.name);
  });
  if (badContainers.length === 0) return allowed;
  return forbidden(
    'allowPrivilegeEscalation != false',
    `${describeContainers(badContainers)} must set securityContext.allowPrivilegeEscalation=false`,
  );
}

/** From v1.25 Windows pods (`spec.os.name: windows`) are exempt: the field does not exist on Windows. */
export function allowPrivilegeEscalationV1Dot25(pod: PodLike): CheckResult {
  if (isWindowsPod(pod.spec)) return allowed;
  return allowPrivilegeEscalationV1Dot8(pod);
}

export const allowPrivilegeEscalationCheck: CheckDefinition = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  title: 'Privilege Escalation',
  versions: [
    { minimumVersion: 8, checkPod: allowPrivilegeEscalationV1Dot8 },
    { minimumVersion: 25, checkPod: allowPrivilegeEscalationV1Dot25 },
  ],
};
