import { applyApiDefaults } from '../../pss/api-defaulting.ts';
import type { CheckDefinition } from '../../pss/check.ts';
import { parsePodSpec, type PodLike } from '../../pss/pod-spec.ts';
import { rawSpecOf, type PodSpecView, type PodUnit } from './pod-specs.ts';
import type { SpecResult } from './verdict.ts';

/**
 * Section 5.2 controls that the Pod Security Standards define the same way take their verdict from
 * src/pss's check (the one the API server's PodSecurity admission runs), at its newest policy version, on the
 * pod as the API server defaults it. The evidence is the check's own message (`privileged`: `container "app"
 * must not set securityContext.privileged=true`).
 *
 * Controls whose CIS wording differs from the standard read the fields themselves and say why in their file.
 */
const parsed = new WeakMap<PodSpecView, { pod: PodLike } | { message: string }>();

function podLike(spec: PodSpecView, isPod: boolean): { pod: PodLike } | { message: string } {
  const cached = parsed.get(spec);
  if (cached !== undefined) return cached;
  const result = parsePodSpec(rawSpecOf(spec));
  const value = result.ok ? { pod: applyApiDefaults({ metadata: {}, spec: result.spec }, { isPod }) } : { message: result.message };
  parsed.set(spec, value);
  return value;
}

/** A per-spec test (for `podSpecControl`) that runs one Pod Security check. */
export function podSecurityTest(check: CheckDefinition): (spec: PodSpecView, unit: PodUnit) => SpecResult[] {
  const newest = check.versions[check.versions.length - 1];
  if (newest === undefined) throw new Error(`Pod Security check ${check.id} has no versions`);
  return (spec, unit) => {
    const read = podLike(spec, unit.from === 'pods');
    if ('message' in read) return [{ gap: `not readable by the Pod Security checks (${read.message})` }];
    const result = newest.checkPod(read.pod);
    return result.allowed ? [] : [{ field: `Pod Security ${check.level} "${result.reason}"`, value: result.detail }];
  };
}
