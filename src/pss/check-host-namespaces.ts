import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import type { PodLike } from './pod-spec.ts';

export function hostNamespacesV1Dot0({ spec }: PodLike): CheckResult {
  const used: string[] = [];
  if (spec.hostNetwork === true) used.push('hostNetwork=true');
  if (spec.hostPID === true) used.push('hostPID=true');
  if (spec.hostIPC === true) used.push('hostIPC=true');
  if (used.length === 0) return allowed;
  return forbidden('host namespaces', used.join(', '));
}

export const hostNamespacesCheck: CheckDefinition = {
  id: 'hostNamespaces',
  level: 'baseline',
  title: 'Host Namespaces',
  versions: [{ minimumVersion: 0, checkPod: hostNamespacesV1Dot0 }],
};
