import { grantControl } from './rbac-scan.ts';

/** The kubelet API through the API server: every verb that reaches it. */
export const nodesProxyPermissions = [{ verbs: ['get', 'create', 'update', 'patch', 'delete'], group: '', resource: 'nodes', subresource: 'proxy', clusterScoped: true }] as const;

/** CIS 5.1.10 Minimize access to the proxy sub-resource of nodes. */
export const nodesProxyAccess = grantControl({
  id: 'policy.node-proxy-access',
  permissions: nodesProxyPermissions,
  permissionText: 'access to nodes/proxy',
  expected: 'only subjects that need it may use the proxy sub-resource of nodes',
  byHand: 'that each listed subject needs the kubelet API; nodes/proxy reaches every kubelet endpoint, including exec into pods.',
  fallback: 'manual',
});
