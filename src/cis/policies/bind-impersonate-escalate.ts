import { grantControl } from './rbac-scan.ts';

/** CIS 5.1.8 Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster. */
export const bindImpersonateEscalate = grantControl({
  id: 'policy.bind-impersonate-escalate',
  permissions: [
    { verbs: ['bind', 'escalate'], group: 'rbac.authorization.k8s.io', resource: 'roles' },
    { verbs: ['bind', 'escalate'], group: 'rbac.authorization.k8s.io', resource: 'clusterroles', clusterScoped: true },
    // Impersonating a user, group, uid or extra is a request without a namespace; a ServiceAccount's is in its namespace.
    { verbs: ['impersonate'], group: '', resource: 'users', clusterScoped: true },
    { verbs: ['impersonate'], group: '', resource: 'groups', clusterScoped: true },
    { verbs: ['impersonate'], group: '', resource: 'serviceaccounts' },
    { verbs: ['impersonate'], group: 'authentication.k8s.io', resource: 'uids', clusterScoped: true },
    { verbs: ['impersonate'], group: 'authentication.k8s.io', resource: 'userextras', clusterScoped: true },
  ],
  permissionText: 'bind, escalate or impersonate',
  expected: 'only subjects that need them hold the bind, impersonate and escalate permissions',
  byHand: 'that each listed subject needs the permission; each lets its holder gain rights beyond its own.',
  fallback: 'manual',
});
