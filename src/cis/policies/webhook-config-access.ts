import { grantControl } from './rbac-scan.ts';

const verbs = ['create', 'update', 'patch', 'delete'];

/** CIS 5.1.12 Minimize access to webhook configuration objects. */
export const webhookConfigAccess = grantControl({
  id: 'policy.webhook-config-access',
  permissions: [
    { verbs, group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations', clusterScoped: true },
    { verbs, group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations', clusterScoped: true },
  ],
  permissionText: 'changes to webhook configurations',
  expected: 'only subjects that need it may change validating or mutating webhook configurations',
  byHand: 'that each listed subject needs to change admission webhooks; a webhook sees, and may rewrite, every object it is sent.',
  fallback: 'manual',
});
