import { notApplicable, type Verdict } from '../../core/finding.ts';
import type { Control } from '../control.ts';
import { datastoreEvidence, etcdNotUsedReason, type NodeAuditInput } from '../node-input.ts';
import { type FlagRule, flagControl } from './component-flags.ts';

/**
 * CIS 1.2.x and 3.2.1: kube-apiserver flags, from the effective arguments (the `Running kube-apiserver` line
 * or k3s defaults + configuration). Absent flags are judged against the API server's own defaults.
 */
const rules: ReadonlyArray<readonly [id: string, rule: FlagRule]> = [
  ['apiserver.anonymous-auth', { kind: 'equals', flag: 'anonymous-auth', value: 'false', absent: 'fail' }],
  ['apiserver.token-auth-file', { kind: 'absent', flag: 'token-auth-file' }],
  ['apiserver.deny-service-external-ips', { kind: 'list-has', flag: 'enable-admission-plugins', item: 'DenyServiceExternalIPs' }],
  ['apiserver.kubelet-client-certificate', { kind: 'present', flags: ['kubelet-client-certificate', 'kubelet-client-key'] }],
  ['apiserver.kubelet-certificate-authority', { kind: 'present', flags: ['kubelet-certificate-authority'] }],
  ['apiserver.authorization-mode-node', { kind: 'list-has', flag: 'authorization-mode', item: 'Node' }],
  ['apiserver.authorization-mode-rbac', { kind: 'list-has', flag: 'authorization-mode', item: 'RBAC' }],
  ['apiserver.admission-event-rate-limit', { kind: 'list-has', flag: 'enable-admission-plugins', item: 'EventRateLimit' }],
  ['apiserver.admission-always-admit', { kind: 'list-lacks', flag: 'enable-admission-plugins', item: 'AlwaysAdmit' }],
  ['apiserver.admission-always-pull-images', { kind: 'list-has', flag: 'enable-admission-plugins', item: 'AlwaysPullImages' }],
  ['apiserver.admission-service-account', { kind: 'list-lacks', flag: 'disable-admission-plugins', item: 'ServiceAccount' }],
  ['apiserver.admission-namespace-lifecycle', { kind: 'list-lacks', flag: 'disable-admission-plugins', item: 'NamespaceLifecycle' }],
  ['apiserver.admission-node-restriction', { kind: 'list-has', flag: 'enable-admission-plugins', item: 'NodeRestriction' }],
  ['apiserver.profiling', { kind: 'equals', flag: 'profiling', value: 'false', absent: 'fail' }],
  ['apiserver.audit-log-path', { kind: 'present', flags: ['audit-log-path'] }],
  ['apiserver.audit-log-maxage', { kind: 'at-least', flag: 'audit-log-maxage' }],
  ['apiserver.audit-log-maxbackup', { kind: 'at-least', flag: 'audit-log-maxbackup' }],
  ['apiserver.audit-log-maxsize', { kind: 'at-least', flag: 'audit-log-maxsize' }],
  ['apiserver.request-timeout', { kind: 'present', flags: ['request-timeout'] }],
  ['apiserver.service-account-lookup', { kind: 'equals', flag: 'service-account-lookup', value: 'true', absent: 'pass' }],
  ['apiserver.service-account-key-file', { kind: 'present', flags: ['service-account-key-file'] }],
  ['apiserver.tls-cert-file', { kind: 'present', flags: ['tls-cert-file', 'tls-private-key-file'] }],
  ['apiserver.client-ca-file', { kind: 'present', flags: ['client-ca-file'] }],
  ['apiserver.encryption-provider-config', { kind: 'present', flags: ['encryption-provider-config'] }],
  ['apiserver.tls-cipher-suites', { kind: 'only-allowed', flag: 'tls-cipher-suites' }],
  ['apiserver.audit-policy-file', { kind: 'present', flags: ['audit-policy-file'] }],
  ['apiserver.service-account-extend-token-expiration', { kind: 'equals', flag: 'service-account-extend-token-expiration', value: 'false', absent: 'fail' }],
];

/**
 * 1.2.23 and 1.2.26 ask for the API server's etcd client TLS. With SQLite or an external SQL database the API
 * server talks to kine over a local unix socket, so there is no etcd connection to protect (kube-bench fails
 * 1.2.26 there; that is one of the mistakes kharden does not repeat).
 */
function etcdClientApplies(input: NodeAuditInput): Verdict | null {
  const { datastore } = input.context;
  if (datastore.kind === 'sqlite' || datastore.kind === 'external-sql' || datastore.kind === 'none') {
    return notApplicable(`${etcdNotUsedReason(datastore) ?? 'embedded etcd is not used'}; the API server reaches kine over a local unix socket`, datastoreEvidence(datastore));
  }
  return null;
}

const etcdRules: ReadonlyArray<readonly [id: string, rule: FlagRule]> = [
  ['apiserver.etcd-certfile', { kind: 'present', flags: ['etcd-certfile', 'etcd-keyfile'] }],
  ['apiserver.etcd-cafile', { kind: 'present', flags: ['etcd-cafile'] }],
];

/** 1.2.6: AlwaysAllow must not be among the modes, and an absent --authorization-mode means AlwaysAllow. */
function notAlwaysAllow(): Control<NodeAuditInput> {
  const base = flagControl('apiserver.authorization-mode-not-always-allow', 'kube-apiserver', { kind: 'list-lacks', flag: 'authorization-mode', item: 'AlwaysAllow' });
  return {
    ...base,
    check: (input, benchmark) => {
      const args = input.args.components['kube-apiserver'];
      // Without --authorization-mode the API server authorizes everything (AlwaysAllow).
      if (args.known && !args.values.some((value) => value.flag === 'authorization-mode')) {
        const verdict = base.check(input, benchmark);
        return { ...verdict, status: 'FAIL', reason: 'kube-apiserver --authorization-mode is not set, so the API server defaults to AlwaysAllow' };
      }
      return base.check(input, benchmark);
    },
  };
}

export const apiserverControls: readonly Control<NodeAuditInput>[] = [
  ...rules.map(([id, rule]) => flagControl(id, 'kube-apiserver', rule)),
  notAlwaysAllow(),
  ...etcdRules.map(([id, rule]) => flagControl(id, 'kube-apiserver', rule, { notApplicable: etcdClientApplies })),
];
