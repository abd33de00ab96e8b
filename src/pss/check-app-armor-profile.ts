import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import { compareBytewise, goQuote, joinQuote, pluralize, sortedSet } from './message-format.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, visitContainers } from './visit-containers.ts';

const annotationPrefix = 'container.apparmor.security.beta.kubernetes.io/';

/** Annotation values allowed: empty, `runtime/default` or any `localhost/...`. */
function allowedAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

/** Field values allowed: RuntimeDefault or Localhost; Unconfined and an empty type are not. */
function allowedProfileType(type: string | null | undefined): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

/**
 * Baseline: AppArmor must not be disabled or overridden, neither by the `appArmorProfile` fields
 * (pod and containers) nor by the beta annotations (any key with the prefix, existing container or not).
 */
export function appArmorProfileV1Dot0({ metadata, spec }: PodLike): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];

  const podProfile = spec.securityContext?.appArmorProfile;
  if (podProfile != null && !allowedProfileType(podProfile.type)) {
    badSetters.push('pod');
    badValues.push(podProfile.type ?? '');
  }

  const badContainers: string[] = [];
  visitContainers(spec, (container) => {
    const profile = container.securityContext?.appArmorProfile;
    if (profile != null && !allowedProfileType(profile.type)) {
      badContainers.push(container.name);
      badValues.push(profile.type ?? '');
    }
  });
  if (badContainers.length > 0) badSetters.push(describeContainers(badContainers));

  const forbiddenAnnotations: string[] = [];
  for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
    if (key.startsWith(annotationPrefix) && !allowedAnnotationValue(value)) {
      forbiddenAnnotations.push(`${key}=${goQuote(value)}`);
    }
  }

  const values = sortedSet(badValues);
  if (forbiddenAnnotations.length > 0) {
    forbiddenAnnotations.sort(compareBytewise);
    values.push(...forbiddenAnnotations);
    badSetters.push(pluralize('annotation', 'annotations', forbiddenAnnotations.length));
  }

  if (badSetters.length === 0) return allowed;
  return forbidden(
    pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
    `${badSetters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
  );
}

export const appArmorProfileCheck: CheckDefinition = {
  id: 'appArmorProfile',
  level: 'baseline',
  title: 'AppArmor',
  versions: [{ minimumVersion: 0, checkPod: appArmorProfileV1Dot0 }],
};
