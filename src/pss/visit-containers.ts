import type { Container, PodSpec } from './pod-spec.ts';

/** Init containers, then containers, then ephemeral containers: the order every container-level message lists names in. */
export function visitContainers(spec: PodSpec, visit: (container: Container) => void): void {
  if (spec.initContainers) for (const container of spec.initContainers) visit(container);
  if (spec.containers) for (const container of spec.containers) visit(container);
  if (spec.ephemeralContainers) for (const container of spec.ephemeralContainers) visit(container);
}

/** `container "a"` / `containers "a", "b"`. */
export function describeContainers(names: readonly string[]): string {
  return `${names.length === 1 ? 'container' : 'containers'} ${joinNames(names)}`;
}

function joinNames(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/** Pods in a user namespace (`hostUsers: false`) get the KEP-127 relaxations from policy v1.35. */
export function inUserNamespace(spec: PodSpec): boolean {
  return spec.hostUsers === false;
}

export function isWindowsPod(spec: PodSpec): boolean {
  return spec.os?.name === 'windows';
}
