import { hostPortsCheck } from '../../pss/check-host-ports.ts';
import { podSecurityTest } from './pod-security.ts';
import { count, podSpecControl } from './verdict.ts';

/**
 * CIS 5.2.12 (1.12, 2.x; 5.2.13 in 1.9) Minimize the admission of containers which use HostPorts: the Pod
 * Security baseline `hostPorts` check (a pod with hostNetwork gets hostPort = containerPort, as the API
 * server defaults it). k3s's ServiceLB (svclb-* pods in kube-system) uses host ports by design; the
 * benchmark makes no exception for it, so neither does kharden.
 */
export const hostPorts = podSpecControl({
  id: 'policy.host-ports',
  fields: ['containers[].ports[].hostPort'],
  fallback: 'manual',
  test: podSecurityTest(hostPortsCheck),
  text: {
    expected: 'no container uses a hostPort',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} use host ports`,
    clean: 'no host port',
    byHand: 'that each listed workload needs a port on the node (k3s ServiceLB svclb-* pods do); use a Service elsewhere.',
  },
});
