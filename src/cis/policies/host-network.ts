import { count, podSpecControl } from './verdict.ts';

/**
 * CIS 5.2.5 Minimize the admission of containers wishing to share the host network namespace.
 * Read from the field itself: Pod Security's `hostNamespaces` check judges hostNetwork, hostPID and hostIPC
 * together, and the benchmark has one control for each.
 */
export const hostNetwork = podSpecControl({
  id: 'policy.host-network',
  fields: ['spec.hostNetwork'],
  fallback: 'manual-audited',
  test: (spec) => (spec.hostNetwork === true ? [{ field: 'spec.hostNetwork', value: 'true' }] : []),
  text: {
    expected: 'no pod sets spec.hostNetwork: true',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} share the host network namespace`,
    clean: 'no pod shares the host network namespace',
    byHand: 'that each listed workload needs the host network namespace, and that Pod Security admission guards the namespaces of the others.',
  },
});
