import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, visitContainers } from './visit-containers.ts';

export function windowsHostProcessV1Dot0({ spec }: PodLike): CheckResult {
  const badSetters: string[] = [];
  if (spec.securityContext?.windowsOptions?.hostProcess === true) badSetters.push('pod');
  const badContainers: string[] = [];
  visitContainers(spec, (container) => {
    if (container.securityContext?.windowsOptions?.hostProcess === true) badContainers.push(container.name);
  });
  if (badContainers.length > 0) badSetters.push(describeContainers(badContainers));
  if (badSetters.length === 0) return allowed;
  return forbidden('hostProcess', `${badSetters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`);
}

export const windowsHostProcessCheck: CheckDefinition = {
  id: 'windowsHostProcess',
  level: 'baseline',
  title: 'HostProcess',
  versions: [{ minimumVersion: 0, checkPod: windowsHostProcessV1Dot0 }],
};
