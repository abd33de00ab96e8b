import type { KubeObject } from '../facts/kube-object.ts';

/**
 * PodSecurityPolicies for k3s 1.24 and older (PSP was removed in Kubernetes 1.25, where Pod Security
 * Admission replaces it): a restricted policy for every authenticated user, an unrestricted one for nodes
 * and kube-system service accounts, and the one svclb needs (NET_ADMIN, IP forwarding sysctls), as the
 * hardening guide sets them up.
 */
const psp = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'policy/v1beta1',
  kind: 'PodSecurityPolicy',
  metadata: annotations === undefined ? { name } : { name, annotations },
  spec,
});

const useRole = (policy: string): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: `psp:${policy}` },
  rules: [{ apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'], resourceNames: [policy] }],
});

const rangeRule = { rule: 'MustRunAs', ranges: [{ min: 1, max: 65535 }] };
const anySeccomp = { 'seccomp.security.alpha.kubernetes.io/allowedProfileNames': '*' };

export function podSecurityPolicies(): KubeObject[] {
  return [
    psp('restricted-psp', {
      privileged: false,
      allowPrivilegeEscalation: false,
      requiredDropCapabilities: ['ALL'],
      volumes: ['configMap', 'emptyDir', 'projected', 'secret', 'downwardAPI', 'csi', 'persistentVolumeClaim', 'ephemeral'],
      hostNetwork: false,
      hostIPC: false,
      hostPID: false,
      runAsUser: { rule: 'MustRunAsNonRoot' },
      seLinux: { rule: 'RunAsAny' },
      supplementalGroups: rangeRule,
      fsGroup: rangeRule,
      readOnlyRootFilesystem: false,
    }),
    psp(
      'system-unrestricted-psp',
      {
        allowPrivilegeEscalation: true,
        allowedCapabilities: ['*'],
        fsGroup: { rule: 'RunAsAny' },
        hostIPC: true,
        hostNetwork: true,
        hostPID: true,
        hostPorts: [{ min: 0, max: 65535 }],
        privileged: true,
        runAsUser: { rule: 'RunAsAny' },
        seLinux: { rule: 'RunAsAny' },
        supplementalGroups: { rule: 'RunAsAny' },
        volumes: ['*'],
      },
      anySeccomp,
    ),
    psp(
      'svclb-psp',
      {
        allowPrivilegeEscalation: false,
        allowedCapabilities: ['NET_ADMIN'],
        allowedUnsafeSysctls: ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding'],
        fsGroup: { rule: 'RunAsAny' },
        hostPorts: [{ min: 0, max: 65535 }],
        runAsUser: { rule: 'RunAsAny' },
        seLinux: { rule: 'RunAsAny' },
        supplementalGroups: { rule: 'RunAsAny' },
      },
      anySeccomp,
    ),
    useRole('restricted-psp'),
    useRole('system-unrestricted-psp'),
    useRole('svclb-psp'),
    binding('ClusterRoleBinding', 'default:restricted-psp', undefined, 'psp:restricted-psp', { kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }),
    binding('ClusterRoleBinding', 'system-unrestricted-node-psp-rolebinding', undefined, 'psp:system-unrestricted-psp', {
      kind: 'Group',
      name: 'system:nodes',
      apiGroup: 'rbac.authorization.k8s.io',
    }),
    binding('RoleBinding', 'system-unrestricted-svc-acct-psp-rolebinding', 'kube-system', 'psp:system-unrestricted-psp', {
      kind: 'Group',
      name: 'system:serviceaccounts',
      apiGroup: 'rbac.authorization.k8s.io',
    }),
    binding('RoleBinding', 'svclb-psp-rolebinding', 'kube-system', 'psp:svclb-psp', { kind: 'ServiceAccount', name: 'svclb', namespace: 'kube-system' }),
  ];
}

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, namespace: string | undefined, role: string, subject: Record<string, string>): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: namespace === undefined ? { name } : { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [subject],
  };
}

export const podSecurityPolicyFileName = 'kharden-pod-security-policies.yaml';
