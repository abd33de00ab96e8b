import type { Container, PodLike, PodSpec } from './pod-spec.ts';

/** Test helper: a pod from a spec and optional annotations. */
export function podOf(spec: PodSpec, annotations?: Record<string, string>): PodLike {
  return { metadata: annotations === undefined ? {} : { annotations }, spec };
}

/** Test helper: containers named a, b, ... each with the given security context (null = none). */
export function containersWith(...contexts: Array<Container['securityContext']>): Container[] {
  return contexts.map((securityContext, index) => ({ name: String.fromCharCode(97 + index), securityContext }));
}
