import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { describeBinding } from './rbac.ts';
import { assessmentOf, gapsFor, judge, listParam, objectSource } from './verdict.ts';

/** The k3s benchmarks exempt the default ServiceAccount of kube-system (policies.yaml 5.1.5). */
export const benchmarkDefaultServiceAccountExemptions = ['kube-system'] as const;

/**
 * CIS 5.1.5 Ensure that default service accounts are not actively used: in every namespace the `default`
 * ServiceAccount sets `automountServiceAccountToken: false` (what kube-bench audits) and no RoleBinding or
 * ClusterRoleBinding grants it anything (the CIS audit's other half). A namespace without a default
 * ServiceAccount offends too: Kubernetes creates one with the token mounted.
 */
export const defaultServiceAccounts = defineControl<ClusterAuditInput>({
  id: 'policy.default-service-accounts',
  reads: ['Namespaces', 'ServiceAccounts', 'RoleBindings', 'ClusterRoleBindings'],
  check: (input, benchmark) => {
    const exempt = listParam(benchmark, 'exemptNamespaces', benchmarkDefaultServiceAccountExemptions);
    const defaults = new Map(
      input
        .objects('ServiceAccount')
        .filter((entry) => entry.object.metadata.name === 'default')
        .map((entry) => [entry.object.metadata.namespace ?? 'default', entry] as const),
    );
    const namespaces = [...new Set([...input.namespaces, ...defaults.keys()])].sort();
    const offences: Evidence[] = [];
    const notes: Evidence[] = [];
    for (const namespace of namespaces) {
      const entry = defaults.get(namespace);
      const automount = entry === undefined ? undefined : (entry.object as { automountServiceAccountToken?: unknown }).automountServiceAccountToken;
      const subject = `ServiceAccount ${namespace}/default automountServiceAccountToken`;
      if (exempt.includes(namespace)) {
        notes.push({ subject: `${subject} (namespace ${namespace} is exempt by the benchmark)`, value: automount === undefined ? null : String(automount), source: entry === undefined ? { kind: 'kharden' } : objectSource(entry.origin, `ServiceAccount ${namespace}/default`) });
        continue;
      }
      if (entry === undefined) {
        // Without the ServiceAccount list an absent default says nothing (the gap makes the verdict UNKNOWN).
        if (input.availability('ServiceAccount').problem !== null) continue;
        const namespaceEntry = input.objects('Namespace').find((candidate) => candidate.object.metadata.name === namespace);
        offences.push({
          subject: `namespace ${namespace} has no default ServiceAccount; Kubernetes creates one that mounts its token`,
          value: null,
          source: namespaceEntry === undefined ? { kind: 'kharden' } : objectSource(namespaceEntry.origin, `Namespace ${namespace}`),
        });
      } else if (automount !== false) {
        offences.push({ subject, value: automount === undefined ? null : String(automount), source: objectSource(entry.origin, `ServiceAccount ${namespace}/default`) });
      }
    }
    for (const binding of input.rbac().bindings) {
      for (const subject of binding.subjects) {
        if (subject.kind !== 'ServiceAccount' || subject.name !== 'default' || subject.namespace === null) continue;
        if (exempt.includes(subject.namespace)) continue;
        offences.push({
          subject: `ServiceAccount ${subject.namespace}/default is granted a role`,
          value: describeBinding(binding),
          source: objectSource(binding.origin, binding.ref),
        });
      }
    }
    return judge(
      {
        offences,
        gaps: gapsFor(input, ['Namespace', 'ServiceAccount', 'RoleBinding', 'ClusterRoleBinding']),
        examined: namespaces.length,
        what: 'namespaces',
        notes,
      },
      assessmentOf(benchmark, 'policy.default-service-accounts', 'manual'),
      {
        expected: 'every default ServiceAccount sets automountServiceAccountToken: false and is bound to no role (kube-system exempt)',
        found: (count) => `${count} use${count === 1 ? '' : 's'} of default ServiceAccounts`,
        clean: 'every default ServiceAccount has automountServiceAccountToken: false and no role bound',
        byHand: 'that workloads use their own ServiceAccounts.',
      },
      input,
    );
  },
});
