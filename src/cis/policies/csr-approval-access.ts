import { grantControl } from './rbac-scan.ts';

/** CIS 5.1.11 Minimize access to the approval sub-resource of certificatesigningrequests objects. */
export const csrApprovalAccess = grantControl({
  id: 'policy.csr-approval-access',
  permissions: [
    { verbs: ['update', 'patch'], group: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval', clusterScoped: true },
    { verbs: ['approve'], group: 'certificates.k8s.io', resource: 'signers', clusterScoped: true },
  ],
  permissionText: 'approval of certificate signing requests',
  expected: 'only subjects that need it may approve CertificateSigningRequests',
  byHand: 'that each listed subject needs to approve certificates; an approver can mint credentials for any user or group its signers allow.',
  fallback: 'manual',
});
