import { containersOf } from './pod-specs.ts';
import { count, podSpecControl } from './verdict.ts';

/** CIS 1.9 5.2.9 Minimize the admission of containers with added capabilities (removed in later benchmarks). */
export const addedCapabilities = podSpecControl({
  id: 'policy.added-capabilities',
  fields: ['securityContext.capabilities.add'],
  fallback: 'manual',
  test: (spec) =>
    containersOf(spec)
      .filter(({ container }) => (container.securityContext?.capabilities?.add ?? []).length > 0)
      .map(({ container, label }) => ({ field: `${label} capabilities.add`, value: (container.securityContext?.capabilities?.add ?? []).join(',') })),
  text: {
    expected: 'containers add no capabilities beyond the runtime defaults',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} add capabilities`,
    clean: 'no container that adds capabilities',
    byHand: 'that each added capability is needed.',
  },
});
