import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, inUserNamespace, visitContainers } from './visit-containers.ts';

/**
 * runAsNonRoot must be true for every container, set on the container or inherited from the pod.
 * An explicit false anywhere is reported first; runAsUser plays no part.
 */
export function runAsNonRootV1Dot0({ spec }: PodLike): CheckResult {
  const badSetters: string[] = [];
  let podRunAsNonRoot = false;
  const podValue = spec.securityContext?.runAsNonRoot;
  if (podValue != null) {
    if (podValue) podRunAsNonRoot = true;
    else badSetters.push('pod');
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  visitContainers(spec, (container) => {
    const value = container.securityContext?.runAsNonRoot;
    if (value != null) {
      if (!value) explicitlyBad.push(container.name);
    } else if (!podRunAsNonRoot) {
      implicitlyBad.push(container.name);
    }
  });
  if (explicitlyBad.length > 0) badSetters.push(describeContainers(explicitlyBad));
  if (badSetters.length > 0) {
    return forbidden('runAsNonRoot != true', `${badSetters.join(' and ')} must not set securityContext.runAsNonRoot=false`);
  }
  if (implicitlyBad.length > 0) {
    return forbidden('runAsNonRoot != true', `pod or ${describeContainers(implicitlyBad)} must set securityContext.runAsNonRoot=true`);
  }
  return allowed;
}

/** From v1.35 pods in a user namespace (`hostUsers: false`) may run as root inside it. */
export function runAsNonRootV1Dot35(pod: PodLike): CheckResult {
  if (inUserNamespace(pod.spec)) return allowed;
  return runAsNonRootV1Dot0(pod);
}

export const runAsNonRootCheck: CheckDefinition = {
  id: 'runAsNonRoot',
  level: 'restricted',
  title: 'Running as Non-root',
  versions: [
    { minimumVersion: 0, checkPod: runAsNonRootV1Dot0 },
    { minimumVersion: 35, checkPod: runAsNonRootV1Dot35 },
  ],
};
