import { count, podSpecControl } from './verdict.ts';

/**
 * CIS 5.2.3 Minimize the admission of containers wishing to share the host process ID namespace.
 * Read from the field itself: Pod Security's `hostNamespaces` check judges hostNetwork, hostPID and hostIPC
 * together, and the benchmark has one control for each.
 */
export const hostPid = podSpecControl({
  id: 'policy.host-pid',
  fields: ['spec.hostPID'],
  fallback: 'manual-audited',
  test: (spec) => (spec.hostPID === true ? [{ field: 'spec.hostPID', value: 'true' }] : []),
  text: {
    expected: 'no pod sets spec.hostPID: true',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} share the host process ID namespace`,
    clean: 'no pod shares the host process ID namespace',
    byHand: 'that each listed workload needs the host process ID namespace, and that Pod Security admission guards the namespaces of the others.',
  },
});
