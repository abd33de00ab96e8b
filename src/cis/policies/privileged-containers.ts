import { privilegedCheck } from '../../pss/check-privileged.ts';
import { podSecurityTest } from './pod-security.ts';
import { count, podSpecControl } from './verdict.ts';

/** CIS 5.2.2 Minimize the admission of privileged containers: the Pod Security baseline `privileged` check. */
export const privilegedContainers = podSpecControl({
  id: 'policy.privileged-containers',
  fields: ['securityContext.privileged'],
  fallback: 'manual-audited',
  test: podSecurityTest(privilegedCheck),
  text: {
    expected: 'no container sets securityContext.privileged: true',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} with privileged containers`,
    clean: 'no privileged container',
    byHand: 'that each listed workload needs full access to the node, and that Pod Security admission (baseline or restricted) guards the namespaces of the others.',
  },
});
