import { containersOf } from './pod-specs.ts';
import { count, podSpecControl } from './verdict.ts';

/**
 * CIS 5.2.9 (1.12, 2.x; 5.2.10 in 1.9) Minimize the admission of containers with capabilities assigned:
 * containers that do not drop ALL keep the runtime's default capabilities.
 */
export const assignedCapabilities = podSpecControl({
  id: 'policy.capabilities-assigned',
  fields: ['securityContext.capabilities'],
  fallback: 'manual',
  test: (spec) =>
    containersOf(spec)
      .filter(({ container }) => !(container.securityContext?.capabilities?.drop ?? []).some((cap) => cap.toUpperCase() === 'ALL'))
      .map(({ container, label }) => {
        const add = container.securityContext?.capabilities?.add ?? [];
        return { field: `${label} capabilities.drop`, value: add.length > 0 ? `does not drop ALL; adds ${add.join(',')}` : 'does not drop ALL' };
      }),
  text: {
    expected: 'containers drop ALL capabilities and add back only what they need',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} keep capabilities`,
    clean: 'no container that keeps capabilities',
    byHand: 'which capabilities each listed application needs; drop ALL in the ones that need none.',
  },
});
