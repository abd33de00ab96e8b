import { containersOf } from './pod-specs.ts';
import { count, podSpecControl } from './verdict.ts';

/** CIS 2.1 5.2.13 Minimize the admission of containers which have unmasked procmounts. *
 * Not Pod Security's `procMount` check, which allows Unmasked in a user namespace (hostUsers: false); the
 * benchmark asks to minimize it anyway.
 */
export const unmaskedProcMount = podSpecControl({
  id: 'policy.unmasked-proc-mount',
  fields: ['securityContext.procMount'],
  fallback: 'manual',
  test: (spec) =>
    containersOf(spec)
      .filter(({ container }) => container.securityContext?.procMount === 'Unmasked')
      .map(({ label }) => ({ field: `${label} securityContext.procMount`, value: 'Unmasked' })),
  text: {
    expected: 'no container sets procMount: Unmasked',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} with unmasked /proc`,
    clean: 'no container with procMount: Unmasked',
    byHand: 'that a policy (Pod Security baseline) forbids procMount: Unmasked where workloads have no documented need.',
  },
});
