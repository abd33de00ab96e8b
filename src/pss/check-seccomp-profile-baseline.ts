import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import { goQuote, joinQuote, pluralize, sortedSet } from './message-format.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, visitContainers } from './visit-containers.ts';

export const seccompPodAnnotation = 'seccomp.security.alpha.kubernetes.io/pod';
export const seccompContainerAnnotationPrefix = 'container.seccomp.security.alpha.kubernetes.io/';

export function validSeccompType(type: string | null | undefined): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

function validSeccompAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

/** Before v1.19 only the alpha annotations count (the fields did not exist); annotations of unknown containers are ignored. */
export function seccompProfileBaselineV1Dot0({ metadata, spec }: PodLike): CheckResult {
  const annotations = metadata.annotations ?? {};
  const bad = new Set<string>();
  const podValue = annotations[seccompPodAnnotation];
  if (podValue !== undefined && !validSeccompAnnotationValue(podValue)) {
    bad.add(`${seccompPodAnnotation}=${goQuote(podValue)}`);
  }
  visitContainers(spec, (container) => {
    const key = seccompContainerAnnotationPrefix + container.name;
    const value = annotations[key];
    if (value !== undefined && !validSeccompAnnotationValue(value)) bad.add(`${key}=${goQuote(value)}`);
  });
  if (bad.size === 0) return allowed;
  const values = sortedSet(bad);
  return forbidden('seccompProfile', `forbidden ${pluralize('annotation', 'annotations', values.length)} ${values.join(', ')}`);
}

/** From v1.19 only the fields count: an explicit profile other than RuntimeDefault/Localhost is forbidden; unset is fine. */
export function seccompProfileBaselineV1Dot19({ spec }: PodLike): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const podProfile = spec.securityContext?.seccompProfile;
  if (podProfile != null && !validSeccompType(podProfile.type)) {
    badSetters.push('pod');
    badValues.push(podProfile.type ?? '');
  }
  const badContainers: string[] = [];
  visitContainers(spec, (container) => {
    const profile = container.securityContext?.seccompProfile;
    if (profile != null && !validSeccompType(profile.type)) {
      badContainers.push(container.name);
      badValues.push(profile.type ?? '');
    }
  });
  if (badContainers.length > 0) badSetters.push(describeContainers(badContainers));
  if (badSetters.length === 0) return allowed;
  return forbidden(
    'seccompProfile',
    `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
  );
}

export const seccompProfileBaselineCheck: CheckDefinition = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  title: 'Seccomp',
  versions: [
    { minimumVersion: 0, checkPod: seccompProfileBaselineV1Dot0 },
    { minimumVersion: 19, checkPod: seccompProfileBaselineV1Dot19 },
  ],
};
