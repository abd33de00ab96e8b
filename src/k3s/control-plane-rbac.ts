/**
 * The RBAC bindings k3s creates itself at start for the client identities of its control plane
 * (k3s-io/k3s manifests/rolebindings.yaml and manifests/ccm.yaml, and the supervisor's tunnel controller
 * role): the API server's client certificate towards the kubelets (CN=kube-apiserver), the k3s supervisor's
 * controllers (CN=system:k3s-controller) and the embedded cloud controller manager
 * (CN=k3s-cloud-controller-manager). These users are not `system:` names, so only knowing the bindings
 * tells them from a user someone added: a binding is k3s's own only with exactly this name, role and user.
 */
export interface K3sControlPlaneBinding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  /** RoleBindings only. */
  namespace: string | null;
  name: string;
  roleRef: { kind: 'ClusterRole' | 'Role'; name: string };
  user: string;
  /** What the identity is, for evidence. */
  identity: string;
}

const apiServer = "the API server's client identity towards the kubelets";
const controller = "the k3s supervisor's controllers (agent tunnel, network policy)";
const cloudController = "k3s's embedded cloud controller manager";

export const k3sControlPlaneBindings: readonly K3sControlPlaneBinding[] = [
  { kind: 'ClusterRoleBinding', namespace: null, name: 'kube-apiserver-kubelet-admin', roleRef: { kind: 'ClusterRole', name: 'system:kubelet-api-admin' }, user: 'kube-apiserver', identity: apiServer },
  { kind: 'ClusterRoleBinding', namespace: null, name: 'system:k3s-controller', roleRef: { kind: 'ClusterRole', name: 'system:k3s-controller' }, user: 'system:k3s-controller', identity: controller },
  { kind: 'ClusterRoleBinding', namespace: null, name: 'k3s-cloud-controller-manager', roleRef: { kind: 'ClusterRole', name: 'k3s-cloud-controller-manager' }, user: 'k3s-cloud-controller-manager', identity: cloudController },
  {
    kind: 'ClusterRoleBinding',
    namespace: null,
    name: 'k3s-cloud-controller-manager-auth-delegator',
    roleRef: { kind: 'ClusterRole', name: 'system:auth-delegator' },
    user: 'k3s-cloud-controller-manager',
    identity: cloudController,
  },
  {
    kind: 'RoleBinding',
    namespace: 'kube-system',
    name: 'k3s-cloud-controller-manager-authentication-reader',
    roleRef: { kind: 'Role', name: 'extension-apiserver-authentication-reader' },
    user: 'k3s-cloud-controller-manager',
    identity: cloudController,
  },
];

/** The k3s binding that gives `user` its rights through this binding, or null when k3s did not make it. */
export function k3sControlPlaneBinding(
  binding: { kind: string; namespace: string | null; name: string; roleRef: { kind: string; name: string } },
  subject: { kind: string; name: string },
): K3sControlPlaneBinding | null {
  if (subject.kind !== 'User') return null;
  return (
    k3sControlPlaneBindings.find(
      (known) =>
        known.kind === binding.kind &&
        known.namespace === binding.namespace &&
        known.name === binding.name &&
        known.roleRef.kind === binding.roleRef.kind &&
        known.roleRef.name === binding.roleRef.name &&
        known.user === subject.name,
    ) ?? null
  );
}
