import { windowsHostProcessCheck } from '../../pss/check-windows-host-process.ts';
import { podSecurityTest } from './pod-security.ts';
import { count, podSpecControl } from './verdict.ts';

/**
 * CIS 5.2.10 (1.12, 2.x; 5.2.11 in 1.9) Minimize the admission of Windows HostProcess containers: the Pod
 * Security baseline `windowsHostProcess` check.
 */
export const windowsHostProcess = podSpecControl({
  id: 'policy.windows-host-process',
  fields: ['securityContext.windowsOptions.hostProcess'],
  fallback: 'manual',
  test: podSecurityTest(windowsHostProcessCheck),
  text: {
    expected: 'no pod or container sets windowsOptions.hostProcess: true',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} with Windows HostProcess containers`,
    clean: 'no Windows HostProcess container',
    byHand: 'that a policy forbids hostProcess in the namespaces with user workloads (k3s runs Linux nodes only).',
  },
});
