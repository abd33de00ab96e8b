import type { Finding } from '../../core/finding.ts';
import type { ReportSection } from '../../core/audit-report.ts';
import type { ClusterFacts } from '../../facts/cluster-facts.ts';
import type { Control } from '../control.ts';
import { addedCapabilities } from './added-capabilities.ts';
import { allowPrivilegeEscalation } from './allow-privilege-escalation.ts';
import { assignedCapabilities } from './assigned-capabilities.ts';
import { bindImpersonateEscalate } from './bind-impersonate-escalate.ts';
import { clusterAdminBindings } from './cluster-admin-bindings.ts';
import { cniNetworkPolicy } from './cni-network-policy.ts';
import { csrApprovalAccess } from './csr-approval-access.ts';
import { defaultNamespaceUse } from './default-namespace-use.ts';
import { defaultServiceAccounts } from './default-service-accounts.ts';
import { externalSecretStorage } from './external-secret-storage.ts';
import { hostIpc } from './host-ipc.ts';
import { hostNetwork } from './host-network.ts';
import { hostPathVolumes } from './host-path-volumes.ts';
import { hostPid } from './host-pid.ts';
import { hostPorts } from './host-ports.ts';
import { imageProvenance } from './image-provenance.ts';
import { clusterAuditInput, type ClusterAuditInput } from './input.ts';
import { namespaceBoundaries } from './namespace-boundaries.ts';
import { namespaceNetworkPolicies } from './namespace-network-policies.ts';
import { netRawCapability } from './net-raw-capability.ts';
import { nodesProxyAccess } from './nodes-proxy-access.ts';
import { nodesProxyFineGrained } from './nodes-proxy-fine-grained.ts';
import { podCreateAccess } from './pod-create-access.ts';
import { policyControlMechanism } from './policy-control-mechanism.ts';
import { privilegedContainers } from './privileged-containers.ts';
import { pvCreateAccess } from './pv-create-access.ts';
import { rbacWildcards } from './rbac-wildcards.ts';
import { rootContainers } from './root-containers.ts';
import { seccompProfile } from './seccomp-profile.ts';
import { secretsAccess } from './secrets-access.ts';
import { secretsAsEnv } from './secrets-as-env.ts';
import { securityContext } from './security-context.ts';
import { systemMasters } from './system-masters.ts';
import { tokenAutomount } from './token-automount.ts';
import { tokenCreateAccess } from './token-create-access.ts';
import { unmaskedProcMount } from './unmasked-proc-mount.ts';
import { webhookConfigAccess } from './webhook-config-access.ts';
import { windowsHostProcess } from './windows-host-process.ts';
import type { Assessment } from './verdict.ts';

/**
 * CIS section 5 ("Policies") for k3s: one implementation per file, each a pure `Control<ClusterAuditInput>`.
 *
 * Use:
 *   const input = clusterAuditInput(facts);          // facts from the API or from manifests
 *   const verdict = control.check(input, { id, params: { assessment: 'manual-audited' } });
 *
 * Implementation ids are kharden's own (`cluster-admin-bindings`), because the CIS numbers move between
 * benchmarks (5.2.9 is "added capabilities" in 1.9 and "capabilities assigned" in 1.12; 5.7.x became
 * 5.6.x). `sectionFiveCatalogs` maps each benchmark's numbers to implementations and says how the
 * benchmark treats each one (`params.assessment`, see verdict.ts), for the CIS engine's catalogs.
 */
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

/** One section-5 entry of a benchmark: its number and title, the implementation, and how it is assessed. */
export interface PolicyCatalogEntry {
  id: string;
  title: string;
  implementation: string;
  type: 'automated' | 'manual';
  scored: boolean;
  assessment: Assessment;
  remediation: string;
}

const groupTitles: Record<string, string> = {
  '5.1': 'RBAC and Service Accounts',
  '5.2': 'Pod Security Standards',
  '5.3': 'Network Policies and CNI',
  '5.4': 'Secrets Management',
  '5.5': 'Extensible Admission Control',
  '5.6': 'General Policies',
  '5.7': 'General Policies',
};

/** What each implementation's remediation says (kharden's words, the benchmarks' facts). */
const remediations: Record<string, string> = {
  'cluster-admin-bindings': 'Bind users and service accounts to narrower roles, then delete the cluster-admin bindings they no longer need: kubectl delete clusterrolebinding NAME.',
  'secrets-access': 'Remove get, list and watch on secrets from roles that do not need them, above all from roles bound to broad groups.',
  'rbac-wildcards': 'Replace * in the rules of Roles and ClusterRoles with the verbs, API groups and resources they need.',
  'pod-create-access': 'Remove create on pods from roles that do not need it, above all from roles bound to broad groups.',
  'default-service-accounts':
    'Give workloads their own ServiceAccounts and set automountServiceAccountToken: false on each default one: kubectl patch serviceaccount default -n NAMESPACE -p \'{"automountServiceAccountToken": false}\'.',
  'token-automount': 'Set automountServiceAccountToken: false on the ServiceAccounts and pod specs that do not call the API server (the pod spec wins when both set it).',
  'system-masters': 'Issue credentials in ordinary groups bound to the roles people need; keep system:masters certificates (k3s admin kubeconfig) for break-glass use.',
  'bind-impersonate-escalate': 'Remove the bind, escalate and impersonate verbs from subjects that do not need them.',
  'pv-create-access': 'Remove create on persistentvolumes from subjects that do not need it.',
  'nodes-proxy-access': 'Remove access to nodes/proxy from subjects that do not need the kubelet API.',
  'csr-approval-access': 'Remove update on certificatesigningrequests/approval (and approve on signers) from subjects that do not need it.',
  'webhook-config-access': 'Remove create, update, patch and delete on validating and mutating webhook configurations from subjects that do not need them.',
  'token-create-access': 'Remove create on serviceaccounts/token from subjects that do not need it.',
  'nodes-proxy-fine-grained': 'Grant nodes/healthz, nodes/pods, nodes/configz, nodes/metrics, nodes/stats or nodes/log instead of nodes/proxy where they suffice.',
  'policy-control-mechanism':
    'Enable Pod Security admission for every namespace with user workloads (pod-security.kubernetes.io/enforce labels, or cluster defaults in the admission configuration), or run a policy engine.',
  'privileged-containers': 'Enforce Pod Security baseline (or restricted) in namespaces with user workloads; remove privileged: true where it is not needed.',
  'host-pid': 'Enforce Pod Security baseline in namespaces with user workloads; remove hostPID: true where it is not needed.',
  'host-ipc': 'Enforce Pod Security baseline in namespaces with user workloads; remove hostIPC: true where it is not needed.',
  'host-network': 'Enforce Pod Security baseline in namespaces with user workloads; remove hostNetwork: true where it is not needed.',
  'allow-privilege-escalation': 'Enforce Pod Security restricted where possible; set allowPrivilegeEscalation: false in container security contexts.',
  'root-containers': 'Enforce Pod Security restricted where possible; set runAsNonRoot: true (and a non-zero runAsUser) in pod or container security contexts.',
  'net-raw-capability': 'Drop NET_RAW (or ALL) in container security contexts; Pod Security restricted requires dropping ALL.',
  'added-capabilities': 'Add only the capabilities a container needs; Pod Security baseline limits them.',
  'assigned-capabilities': 'Drop ALL capabilities and add back only those a container needs.',
  'windows-host-process': 'Enforce Pod Security baseline, which forbids Windows HostProcess containers.',
  'host-path-volumes': 'Enforce Pod Security baseline, which forbids hostPath volumes; use PersistentVolumeClaims instead.',
  'host-ports': 'Enforce Pod Security baseline, which forbids host ports; expose workloads through Services.',
  'unmasked-proc-mount': 'Enforce Pod Security baseline, which forbids procMount: Unmasked.',
  'cni-network-policy': 'Keep k3s\'s embedded network policy controller (do not set --disable-network-policy) or use a CNI that enforces NetworkPolicies.',
  'namespace-network-policies':
    'Create NetworkPolicies in every namespace (the k3s hardening guide starts with an intra-namespace policy and a DNS policy per namespace).',
  'secrets-as-env': 'Mount Secrets as files (secret volumes) instead of env valueFrom.secretKeyRef or envFrom.secretRef.',
  'external-secret-storage': 'Use an external secrets manager where your data requires it; at least enable k3s --secrets-encryption.',
  'image-provenance': 'Verify images at admission (ImagePolicyWebhook or a signature-verifying webhook).',
  'namespace-boundaries': 'Create namespaces for applications and teams, and put objects in them.',
  'seccomp-profile': 'Set securityContext.seccompProfile.type: RuntimeDefault in pod specs, or kubelet-arg seccomp-default=true on every node.',
  'security-context': 'Set pod and container security contexts (non-root user, no privilege escalation, dropped capabilities, seccomp).',
  'default-namespace-use': 'Create namespaces for your objects and move them out of default.',
};

type Row = readonly [id: string, implementation: string, title: string, type: 'automated' | 'manual', assessment: Assessment];

function catalog(rows: readonly Row[]): PolicyCatalogEntry[] {
  return rows.map(([id, implementation, title, type, assessment]) => ({
    id,
    title,
    implementation,
    type,
    scored: type === 'automated',
    assessment,
    remediation: remediations[implementation] ?? '',
  }));
}

const titles = {
  clusterAdmin: 'Ensure that the cluster-admin role is only used where required',
  secrets: 'Minimize access to secrets',
  wildcards: 'Minimize wildcard use in Roles and ClusterRoles',
  createPods: 'Minimize access to create pods',
  defaultSa: 'Ensure that default service accounts are not actively used.',
  tokens: 'Ensure that Service Account Tokens are only mounted where necessary',
  masters: 'Avoid use of system:masters group',
  bind: 'Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster',
  pv: 'Minimize access to create persistent volumes',
  proxy: 'Minimize access to the proxy sub-resource of nodes',
  csr: 'Minimize access to the approval sub-resource of certificatesigningrequests objects',
  webhooks: 'Minimize access to webhook configuration objects',
  tokenCreate: 'Minimize access to the service account token creation',
  proxyFine: 'Ensure that access to the Kubelet API uses fine-grained subresources instead of nodes/proxy where possible',
  mechanism: 'Ensure that the cluster has at least one active policy control mechanism in place',
  privileged: 'Minimize the admission of privileged containers',
  hostPid: 'Minimize the admission of containers wishing to share the host process ID namespace',
  hostIpc: 'Minimize the admission of containers wishing to share the host IPC namespace',
  hostNetwork: 'Minimize the admission of containers wishing to share the host network namespace',
  ape: 'Minimize the admission of containers with allowPrivilegeEscalation',
  root: 'Minimize the admission of root containers',
  netRaw: 'Minimize the admission of containers with the NET_RAW capability',
  added: 'Minimize the admission of containers with added capabilities',
  assigned: 'Minimize the admission of containers with capabilities assigned',
  windows: 'Minimize the admission of Windows HostProcess containers',
  hostPath: 'Minimize the admission of HostPath volumes',
  hostPorts: 'Minimize the admission of containers which use HostPorts',
  procMount: 'Minimize the admission of containers which have unmasked procmounts',
  cni: 'Ensure that the CNI in use supports NetworkPolicies',
  netpols: 'Ensure that all Namespaces have NetworkPolicies defined',
  secretsEnv: 'Prefer using Secrets as files over Secrets as environment variables',
  external: 'Consider external secret storage',
  provenance: 'Configure Image Provenance using ImagePolicyWebhook admission controller',
  boundaries: 'Create administrative boundaries between resources using namespaces',
  seccomp: 'Ensure that the seccomp profile is set to docker/default in your Pod definitions',
  securityContext: 'Apply SecurityContext to your Pods and Containers',
  defaultNs: 'The default namespace should not be used',
} as const;

/** Sections 5.3–5.5, the same in every benchmark kharden knows. */
const networkSecretsAdmission: readonly Row[] = [
  ['5.3.1', 'cni-network-policy', titles.cni, 'manual', 'manual'],
  ['5.3.2', 'namespace-network-policies', titles.netpols, 'manual', 'manual'],
  ['5.4.1', 'secrets-as-env', titles.secretsEnv, 'manual', 'manual'],
  ['5.4.2', 'external-secret-storage', titles.external, 'manual', 'manual'],
  ['5.5.1', 'image-provenance', titles.provenance, 'manual', 'manual'],
];

const manualRbac: readonly Row[] = [
  ['5.1.7', 'system-masters', titles.masters, 'manual', 'manual'],
  ['5.1.8', 'bind-impersonate-escalate', titles.bind, 'manual', 'manual'],
  ['5.1.9', 'pv-create-access', titles.pv, 'manual', 'manual'],
  ['5.1.10', 'nodes-proxy-access', titles.proxy, 'manual', 'manual'],
  ['5.1.11', 'csr-approval-access', titles.csr, 'manual', 'manual'],
  ['5.1.12', 'webhook-config-access', titles.webhooks, 'manual', 'manual'],
  ['5.1.13', 'token-create-access', titles.tokenCreate, 'manual', 'manual'],
];

/** k3s-cis-1.12, 2.0 and 2.1 (5.2 numbering without "added capabilities", general policies in 5.6). */
function modernRows(defaultSa: Assessment, extras: { proxyFine: boolean; procMount: boolean }): Row[] {
  return [
    ['5.1.1', 'cluster-admin-bindings', titles.clusterAdmin, 'manual', 'manual-audited'],
    ['5.1.2', 'secrets-access', titles.secrets, 'manual', 'manual-audited'],
    ['5.1.3', 'rbac-wildcards', titles.wildcards, 'manual', 'manual-audited'],
    ['5.1.4', 'pod-create-access', titles.createPods, 'manual', 'manual-audited'],
    ['5.1.5', 'default-service-accounts', titles.defaultSa, 'manual', defaultSa],
    ['5.1.6', 'token-automount', titles.tokens, 'manual', 'manual-audited'],
    ...manualRbac,
    ...(extras.proxyFine ? ([['5.1.14', 'nodes-proxy-fine-grained', titles.proxyFine, 'manual', 'manual']] as const) : []),
    ['5.2.1', 'policy-control-mechanism', titles.mechanism, 'manual', 'manual'],
    ['5.2.2', 'privileged-containers', titles.privileged, 'manual', 'manual-audited'],
    ['5.2.3', 'host-pid', titles.hostPid, 'manual', 'manual-audited'],
    ['5.2.4', 'host-ipc', titles.hostIpc, 'manual', 'manual-audited'],
    ['5.2.5', 'host-network', titles.hostNetwork, 'manual', 'manual-audited'],
    ['5.2.6', 'allow-privilege-escalation', titles.ape, 'manual', 'manual-audited'],
    ['5.2.7', 'root-containers', titles.root, 'manual', 'manual'],
    ['5.2.8', 'net-raw-capability', titles.netRaw, 'manual', 'manual'],
    ['5.2.9', 'assigned-capabilities', titles.assigned, 'manual', 'manual'],
    ['5.2.10', 'windows-host-process', titles.windows, 'manual', 'manual'],
    ['5.2.11', 'host-path-volumes', titles.hostPath, 'manual', 'manual'],
    ['5.2.12', 'host-ports', titles.hostPorts, 'manual', 'manual'],
    ...(extras.procMount ? ([['5.2.13', 'unmasked-proc-mount', titles.procMount, 'manual', 'manual']] as const) : []),
    ...networkSecretsAdmission,
    ['5.6.1', 'namespace-boundaries', titles.boundaries, 'manual', 'manual'],
    ['5.6.2', 'seccomp-profile', titles.seccomp, 'manual', 'manual'],
    ['5.6.3', 'security-context', titles.securityContext, 'manual', 'manual'],
    ['5.6.4', 'default-namespace-use', titles.defaultNs, 'manual', 'manual'],
  ];
}

/**
 * Section 5 of each k3s benchmark kharden knows, as kube-bench (k3s-cis-1.9), Rancher security-scan
 * (k3s-cis-1.12) and the k3s self-assessment guides (CIS 2.0, 2.1) define and audit it.
 */
export const sectionFiveCatalogs: Readonly<Record<string, readonly PolicyCatalogEntry[]>> = {
  'k3s-cis-1.9': catalog([
    ['5.1.1', 'cluster-admin-bindings', titles.clusterAdmin, 'automated', 'automated'],
    ['5.1.2', 'secrets-access', titles.secrets, 'manual', 'manual'],
    ['5.1.3', 'rbac-wildcards', titles.wildcards, 'automated', 'automated'],
    ['5.1.4', 'pod-create-access', titles.createPods, 'manual', 'manual'],
    ['5.1.5', 'default-service-accounts', titles.defaultSa, 'automated', 'automated'],
    ['5.1.6', 'token-automount', titles.tokens, 'automated', 'automated'],
    ...manualRbac,
    ['5.2.1', 'policy-control-mechanism', titles.mechanism, 'manual', 'manual'],
    ['5.2.2', 'privileged-containers', titles.privileged, 'manual', 'manual'],
    ['5.2.3', 'host-pid', titles.hostPid, 'manual', 'manual'],
    ['5.2.4', 'host-ipc', titles.hostIpc, 'manual', 'manual'],
    ['5.2.5', 'host-network', titles.hostNetwork, 'manual', 'manual'],
    ['5.2.6', 'allow-privilege-escalation', titles.ape, 'manual', 'manual'],
    ['5.2.7', 'root-containers', titles.root, 'manual', 'manual'],
    ['5.2.8', 'net-raw-capability', titles.netRaw, 'manual', 'manual'],
    ['5.2.9', 'added-capabilities', titles.added, 'manual', 'manual'],
    ['5.2.10', 'assigned-capabilities', titles.assigned, 'manual', 'manual'],
    ['5.2.11', 'windows-host-process', titles.windows, 'manual', 'manual'],
    ['5.2.12', 'host-path-volumes', titles.hostPath, 'manual', 'manual'],
    ['5.2.13', 'host-ports', titles.hostPorts, 'manual', 'manual'],
    ...networkSecretsAdmission,
    ['5.7.1', 'namespace-boundaries', titles.boundaries, 'manual', 'manual'],
    ['5.7.2', 'seccomp-profile', titles.seccomp, 'manual', 'manual'],
    ['5.7.3', 'security-context', titles.securityContext, 'manual', 'manual'],
    ['5.7.4', 'default-namespace-use', titles.defaultNs, 'manual', 'manual'],
  ]),
  'k3s-cis-1.12': catalog(modernRows('manual-audited', { proxyFine: false, procMount: false })),
  'k3s-cis-2.0': catalog(modernRows('manual', { proxyFine: false, procMount: false })),
  'k3s-cis-2.1': catalog(modernRows('manual', { proxyFine: true, procMount: true })),
};

/**
 * Evaluates section 5 of a benchmark on cluster facts: one finding per catalog entry, grouped into the
 * benchmark's 5.x sections. The CIS engine can call this, or run `policyControls` itself from its own
 * catalogs.
 */
export function auditClusterPolicies(facts: ClusterFacts, benchmarkId: string): ReportSection[] {
  const entries = sectionFiveCatalogs[benchmarkId];
  if (entries === undefined) throw new Error(`no section-5 catalog for benchmark ${benchmarkId}`);
  const input = clusterAuditInput(facts);
  const sections = new Map<string, ReportSection>();
  for (const entry of entries) {
    const control = policyControlsById.get(entry.implementation);
    if (control === undefined) throw new Error(`section-5 entry ${entry.id} names unknown implementation ${entry.implementation}`);
    const verdict = control.check(input, { id: benchmarkId, params: { assessment: entry.assessment } });
    const sectionId = entry.id.split('.').slice(0, 2).join('.');
    const section = sections.get(sectionId) ?? { id: sectionId, title: groupTitles[sectionId] ?? sectionId, findings: [] };
    const finding: Finding = {
      ...verdict,
      id: entry.id,
      title: entry.title,
      section: sectionId,
      target: 'policies',
      type: entry.type,
      scored: entry.scored,
      remediation: entry.remediation,
    };
    section.findings.push(finding);
    sections.set(sectionId, section);
  }
  return [...sections.values()];
}
