import { grantControl } from './rbac-scan.ts';

/** CIS 5.1.13 Minimize access to the service account token creation. */
export const tokenCreateAccess = grantControl({
  id: 'policy.service-account-token-create',
  permissions: [{ verbs: ['create'], group: '', resource: 'serviceaccounts', subresource: 'token' }],
  permissionText: 'create on serviceaccounts/token',
  expected: 'only subjects that need it may create service account tokens',
  byHand: 'that each listed subject needs to mint tokens; a token carries all of its ServiceAccount\'s rights.',
  fallback: 'manual',
});
