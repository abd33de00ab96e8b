/**
 * The implementation ids that section 5 catalog entries name, one per CIS policy whatever its number in a
 * given benchmark (5.7.4 in 1.9 and 5.6.4 from 1.11 are both `policy.default-namespace-unused`). The cluster
 * audit registers controls with these ids in cis/policies/index.ts; the catalog test keeps both sides in step.
 */
export const policyImplementationIds = [
  'policy.cluster-admin-usage',
  'policy.secrets-access',
  'policy.rbac-wildcards',
  'policy.pod-create-access',
  'policy.default-service-accounts',
  'policy.service-account-token-mounts',
  'policy.system-masters-group',
  'policy.bind-impersonate-escalate',
  'policy.persistent-volume-create',
  'policy.node-proxy-access',
  'policy.csr-approval-access',
  'policy.webhook-config-access',
  'policy.service-account-token-create',
  'policy.kubelet-api-fine-grained',
  'policy.policy-control-mechanism',
  'policy.privileged-containers',
  'policy.host-pid',
  'policy.host-ipc',
  'policy.host-network',
  'policy.allow-privilege-escalation',
  'policy.root-containers',
  'policy.net-raw-capability',
  'policy.added-capabilities',
  'policy.capabilities-assigned',
  'policy.windows-host-process',
  'policy.host-path-volumes',
  'policy.host-ports',
  'policy.unmasked-proc-mount',
  'policy.cni-network-policy-support',
  'policy.namespaces-network-policies',
  'policy.secrets-as-files',
  'policy.external-secret-storage',
  'policy.image-provenance',
  'policy.namespace-boundaries',
  'policy.seccomp-profile',
  'policy.security-context',
  'policy.default-namespace-unused',
] as const;

export type PolicyImplementationId = (typeof policyImplementationIds)[number];
