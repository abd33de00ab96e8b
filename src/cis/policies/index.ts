import type { Control } from '../control.ts';
import { addedCapabilities } from './added-capabilities.ts';
import { allowPrivilegeEscalation } from './allow-privilege-escalation.ts';
import { assignedCapabilities } from './capabilities-assigned.ts';
import { bindImpersonateEscalate } from './bind-impersonate-escalate.ts';
import { clusterAdminBindings } from './cluster-admin-usage.ts';
import { cniNetworkPolicy } from './cni-network-policy-support.ts';
import { csrApprovalAccess } from './csr-approval-access.ts';
import { defaultNamespaceUse } from './default-namespace-unused.ts';
import { defaultServiceAccounts } from './default-service-accounts.ts';
import { externalSecretStorage } from './external-secret-storage.ts';
import { hostIpc } from './host-ipc.ts';
import { hostNetwork } from './host-network.ts';
import { hostPathVolumes } from './host-path-volumes.ts';
import { hostPid } from './host-pid.ts';
import { hostPorts } from './host-ports.ts';
import { imageProvenance } from './image-provenance.ts';
import type { ClusterAuditInput } from './input.ts';
import { namespaceBoundaries } from './namespace-boundaries.ts';
import { namespaceNetworkPolicies } from './namespaces-network-policies.ts';
import { netRawCapability } from './net-raw-capability.ts';
import { nodesProxyAccess } from './node-proxy-access.ts';
import { nodesProxyFineGrained } from './kubelet-api-fine-grained.ts';
import { podCreateAccess } from './pod-create-access.ts';
import { policyControlMechanism } from './policy-control-mechanism.ts';
import { privilegedContainers } from './privileged-containers.ts';
import { pvCreateAccess } from './persistent-volume-create.ts';
import { rbacWildcards } from './rbac-wildcards.ts';
import { rootContainers } from './root-containers.ts';
import { seccompProfile } from './seccomp-profile.ts';
import { secretsAccess } from './secrets-access.ts';
import { secretsAsEnv } from './secrets-as-files.ts';
import { securityContext } from './security-context.ts';
import { systemMasters } from './system-masters-group.ts';
import { tokenAutomount } from './service-account-token-mounts.ts';
import { tokenCreateAccess } from './service-account-token-create.ts';
import { unmaskedProcMount } from './unmasked-proc-mount.ts';
import { webhookConfigAccess } from './webhook-config-access.ts';
import { windowsHostProcess } from './windows-host-process.ts';

/**
 * CIS section 5 ("Policies") for k3s: one implementation per file, each a pure `Control<ClusterAuditInput>`.
 *
 * Use:
 *   const input = clusterAuditInput(facts);          // facts from the API or from manifests
 *   const verdict = control.check(input, { id, params: { assessment: 'manual-audited' } });
 *
 * Implementation ids are the `policy.*` ids the benchmark catalogs name (src/cis/benchmarks/
 * policy-implementations.ts), because the CIS numbers move between benchmarks (5.2.9 is "added
 * capabilities" in 1.9 and "capabilities assigned" in 1.12; 5.7.x became 5.6.x). How a benchmark treats
 * a control (Automated, Manual but audited by the k3s profile, Manual) is read off its catalog entry
 * (see `assessmentOf` in verdict.ts), or given as `params.assessment`.
 *
 * The CIS engine (src/cis/engine.ts `runAudit`) runs them from the benchmark catalogs; `auditCluster` in
 * cluster-audit.ts adds every node's component arguments from its k3s.io/node-args annotation.
 */
export { clusterAuditInput, type ClusterAuditInput } from './input.ts';

export const policyControls: readonly Control<ClusterAuditInput>[] = [
  clusterAdminBindings,
  secretsAccess,
  rbacWildcards,
  podCreateAccess,
  defaultServiceAccounts,
  tokenAutomount,
  systemMasters,
  bindImpersonateEscalate,
  pvCreateAccess,
  nodesProxyAccess,
  csrApprovalAccess,
  webhookConfigAccess,
  tokenCreateAccess,
  nodesProxyFineGrained,
  policyControlMechanism,
  privilegedContainers,
  hostPid,
  hostIpc,
  hostNetwork,
  allowPrivilegeEscalation,
  rootContainers,
  netRawCapability,
  addedCapabilities,
  assignedCapabilities,
  windowsHostProcess,
  hostPathVolumes,
  hostPorts,
  unmaskedProcMount,
  cniNetworkPolicy,
  namespaceNetworkPolicies,
  secretsAsEnv,
  externalSecretStorage,
  imageProvenance,
  namespaceBoundaries,
  seccompProfile,
  securityContext,
  defaultNamespaceUse,
];

export const policyControlsById: ReadonlyMap<string, Control<ClusterAuditInput>> = new Map(policyControls.map((control) => [control.id, control]));
