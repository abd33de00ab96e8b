import { nodesProxyPermissions } from './node-proxy-access.ts';
import { grantControl } from './rbac-scan.ts';

/**
 * CIS 2.1 5.1.14 Ensure that access to the Kubelet API uses fine-grained subresources instead of
 * nodes/proxy where possible.
 */
export const nodesProxyFineGrained = grantControl({
  id: 'policy.kubelet-api-fine-grained',
  permissions: nodesProxyPermissions,
  permissionText: 'access to nodes/proxy',
  expected: 'subjects use fine-grained kubelet subresources (nodes/healthz, nodes/pods, nodes/configz, ...) instead of nodes/proxy',
  byHand: 'whether each listed subject needs all of nodes/proxy or only nodes/healthz, nodes/pods, nodes/configz, nodes/metrics, nodes/stats or nodes/log.',
  fallback: 'manual',
});
