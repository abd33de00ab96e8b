import { containersOf } from './pod-specs.ts';
import { count, podSpecControl, type SpecResult } from './verdict.ts';

/** CIS 5.2.10 (1.12, 2.x; 5.2.11 in 1.9) Minimize the admission of Windows HostProcess containers. */
export const windowsHostProcess = podSpecControl({
  id: 'policy.windows-host-process',
  fields: ['securityContext.windowsOptions.hostProcess'],
  fallback: 'manual',
  test: (spec) => {
    const results: SpecResult[] = [];
    if (spec.securityContext?.windowsOptions?.hostProcess === true) results.push({ field: 'spec.securityContext.windowsOptions.hostProcess', value: 'true' });
    for (const { container, label } of containersOf(spec)) {
      if (container.securityContext?.windowsOptions?.hostProcess === true) results.push({ field: `${label} securityContext.windowsOptions.hostProcess`, value: 'true' });
    }
    return results;
  },
  text: {
    expected: 'no pod or container sets windowsOptions.hostProcess: true',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} with Windows HostProcess containers`,
    clean: 'no Windows HostProcess container',
    byHand: 'that a policy forbids hostProcess in the namespaces with user workloads (k3s runs Linux nodes only).',
  },
});
