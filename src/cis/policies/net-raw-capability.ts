import { containersOf } from './pod-specs.ts';
import { count, podSpecControl, type SpecResult } from './verdict.ts';

/**
 * CIS 5.2.8 Minimize the admission of containers with the NET_RAW capability. containerd grants NET_RAW
 * by default, so a container has it unless it drops NET_RAW or ALL (and does not add it back).
 *
 * Not a Pod Security check: baseline only limits what is added, and NET_RAW comes from the runtime's defaults.
 */
export const netRawCapability = podSpecControl({
  id: 'policy.net-raw-capability',
  fields: ['securityContext.capabilities'],
  fallback: 'manual',
  test: (spec) => {
    const results: SpecResult[] = [];
    for (const { container, label } of containersOf(spec)) {
      const add = (container.securityContext?.capabilities?.add ?? []).map((cap) => cap.toUpperCase());
      const drop = (container.securityContext?.capabilities?.drop ?? []).map((cap) => cap.toUpperCase());
      const field = `${label} capabilities`;
      if (add.includes('NET_RAW') || add.includes('CAP_NET_RAW') || add.includes('ALL')) results.push({ field, value: `adds ${add.join(',')}` });
      else if (!drop.includes('NET_RAW') && !drop.includes('CAP_NET_RAW') && !drop.includes('ALL')) {
        results.push({ field, value: 'does not drop NET_RAW (the container runtime grants it by default)' });
      }
    }
    return results;
  },
  text: {
    expected: 'containers drop NET_RAW (or ALL) and do not add it',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} with containers that hold NET_RAW`,
    clean: 'no container that holds NET_RAW',
    byHand: 'that each listed container needs raw sockets (ping, packet capture); drop NET_RAW or ALL in the others.',
  },
});
