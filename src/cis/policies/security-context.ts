import { containersOf } from './pod-specs.ts';
import { count, podSpecControl, type SpecResult } from './verdict.ts';

function isEmpty(value: object | null | undefined): boolean {
  return value === null || value === undefined || Object.values(value).every((field) => field === null || field === undefined);
}

/**
 * CIS 5.6.3 (5.7.3 in 1.9) Apply SecurityContext to your Pods and Containers: a container with no
 * securityContext of its own in a pod with none either offends.
 */
export const securityContext = podSpecControl({
  id: 'policy.security-context',
  fields: ['spec.securityContext', 'containers[].securityContext'],
  fallback: 'manual',
  test: (spec) => {
    if (!isEmpty(spec.securityContext)) return [];
    const results: SpecResult[] = [];
    for (const { container, label } of containersOf(spec)) {
      if (isEmpty(container.securityContext)) results.push({ field: `${label} securityContext`, value: 'none (and none at pod level)' });
    }
    return results;
  },
  text: {
    expected: 'pods and containers set a securityContext',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} with containers that have no security context`,
    clean: 'a security context on every pod or container',
    byHand: 'that the security contexts set what the CIS Docker benchmark suggests (non-root user, read-only root file system, dropped capabilities, seccomp).',
  },
});
