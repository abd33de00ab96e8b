import { hostPathVolumesCheck } from '../../pss/check-host-path-volumes.ts';
import { podSecurityTest } from './pod-security.ts';
import { count, podSpecControl } from './verdict.ts';

/**
 * CIS 5.2.11 (1.12, 2.x; 5.2.12 in 1.9) Minimize the admission of HostPath volumes: the Pod Security
 * baseline `hostPathVolumes` check.
 */
export const hostPathVolumes = podSpecControl({
  id: 'policy.host-path-volumes',
  fields: ['spec.volumes[].hostPath'],
  fallback: 'manual',
  test: podSecurityTest(hostPathVolumesCheck),
  text: {
    expected: 'no pod mounts a hostPath volume',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} mount hostPath volumes`,
    clean: 'no hostPath volume',
    byHand: 'that each listed workload needs the host path; it is the node\'s file system, not the pod\'s.',
  },
});
