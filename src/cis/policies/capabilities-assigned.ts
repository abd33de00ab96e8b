import { capabilitiesRestrictedCheck } from '../../pss/check-capabilities-restricted.ts';
import { podSecurityTest } from './pod-security.ts';
import { count, podSpecControl } from './verdict.ts';

/**
 * CIS 5.2.9 (1.12, 2.x; 5.2.10 in 1.9) Minimize the admission of containers with capabilities assigned:
 * the Pod Security restricted `capabilities` check (drop ALL, add back at most NET_BIND_SERVICE).
 */
export const assignedCapabilities = podSpecControl({
  id: 'policy.capabilities-assigned',
  fields: ['securityContext.capabilities'],
  fallback: 'manual',
  test: podSecurityTest(capabilitiesRestrictedCheck),
  text: {
    expected: 'containers drop ALL capabilities and add back only what they need',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} keep capabilities`,
    clean: 'no container that keeps capabilities',
    byHand: 'which capabilities each listed application needs; drop ALL in the ones that need none.',
  },
});
