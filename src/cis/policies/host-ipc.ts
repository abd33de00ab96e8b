import { count, podSpecControl } from './verdict.ts';

/**
 * CIS 5.2.4 Minimize the admission of containers wishing to share the host IPC namespace.
 * Read from the field itself: Pod Security's `hostNamespaces` check judges hostNetwork, hostPID and hostIPC
 * together, and the benchmark has one control for each.
 */
export const hostIpc = podSpecControl({
  id: 'policy.host-ipc',
  fields: ['spec.hostIPC'],
  fallback: 'manual-audited',
  test: (spec) => (spec.hostIPC === true ? [{ field: 'spec.hostIPC', value: 'true' }] : []),
  text: {
    expected: 'no pod sets spec.hostIPC: true',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} share the host IPC namespace`,
    clean: 'no pod shares the host IPC namespace',
    byHand: 'that each listed workload needs the host IPC namespace, and that Pod Security admission guards the namespaces of the others.',
  },
});
