import { grantControl } from './rbac-scan.ts';

/** CIS 5.1.9 Minimize access to create persistent volumes (a PersistentVolume can point at a hostPath). */
export const pvCreateAccess = grantControl({
  id: 'policy.persistent-volume-create',
  permissions: [{ verbs: ['create'], group: '', resource: 'persistentvolumes', clusterScoped: true }],
  permissionText: 'create on persistentvolumes',
  expected: 'only subjects that need it may create PersistentVolumes',
  byHand: 'that each listed subject needs to create PersistentVolumes (a hostPath volume exposes the node).',
  fallback: 'manual',
});
