import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import type { PolicyRule } from './rbac.ts';
import { describeRef } from './pod-specs.ts';
import { assessmentOf, gapsFor, judge, listParam, objectSource } from './verdict.ts';

/**
 * The ClusterRoles the k3s benchmarks allow to use wildcards (policies.yaml 5.1.3 `cr_whitelist`): k3s's
 * own and the Kubernetes controllers' that need them. kube-bench matches this list by substring (so
 * `admin` is allowed by accident); kharden matches names exactly.
 */
export const benchmarkWildcardClusterRoles = [
  'cluster-admin',
  'k3s-cloud-controller-manager',
  'local-path-provisioner-role',
  'system:kube-controller-manager',
  'system:kubelet-api-admin',
  'system:controller:namespace-controller',
  'system:controller:disruption-controller',
  'system:controller:generic-garbage-collector',
  'system:controller:horizontal-pod-autoscaler',
  'system:controller:resourcequota-controller',
] as const;

function wildcardFields(rule: PolicyRule): string[] {
  const fields: string[] = [];
  if (rule.verbs.includes('*')) fields.push('verbs');
  if (rule.apiGroups.includes('*')) fields.push('apiGroups');
  if (rule.resources.includes('*')) fields.push('resources');
  if (rule.nonResourceURLs.includes('*')) fields.push('nonResourceURLs');
  return fields;
}

export function describeRule(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups.length > 0) parts.push(`apiGroups=[${rule.apiGroups.map((group) => (group === '' ? '""' : group)).join(',')}]`);
  if (rule.resources.length > 0) parts.push(`resources=[${rule.resources.join(',')}]`);
  if (rule.resourceNames.length > 0) parts.push(`resourceNames=[${rule.resourceNames.join(',')}]`);
  if (rule.nonResourceURLs.length > 0) parts.push(`nonResourceURLs=[${rule.nonResourceURLs.join(',')}]`);
  parts.push(`verbs=[${rule.verbs.join(',')}]`);
  return parts.join(' ');
}

/**
 * CIS 5.1.3 Minimize wildcard use in Roles and ClusterRoles: a rule with `*` in verbs, apiGroups,
 * resources or nonResourceURLs offends, unless it is in a ClusterRole the benchmark allows. An aggregated
 * ClusterRole (admin, edit, view) is judged through the roles it aggregates, whose rules it only copies.
 */
export const rbacWildcards = defineControl<ClusterAuditInput>({
  id: 'policy.rbac-wildcards',
  reads: ['Roles', 'ClusterRoles'],
  check: (input, benchmark) => {
    const allowed = listParam(benchmark, 'allowedClusterRoles', benchmarkWildcardClusterRoles);
    const offences: Evidence[] = [];
    const notes: Evidence[] = [];
    const { roles } = input.rbac();
    let allowedCount = 0;
    for (const role of roles) {
      if (role.aggregated) continue;
      const wild = role.ownRules.filter((rule) => wildcardFields(rule).length > 0);
      if (wild.length === 0) continue;
      if (role.ref.kind === 'ClusterRole' && allowed.includes(role.ref.name)) {
        allowedCount += 1;
        continue;
      }
      for (const rule of wild) {
        offences.push({
          subject: `${describeRef(role.ref)} rule with * in ${wildcardFields(rule).join(', ')}`,
          value: describeRule(rule),
          source: objectSource(role.origin, role.ref),
        });
      }
    }
    if (allowedCount > 0) {
      notes.push({
        subject: `ClusterRoles with wildcards that the benchmark allows (${allowed.join(', ')})`,
        value: String(allowedCount),
        source: { kind: 'kharden' },
      });
    }
    return judge(
      { offences, gaps: gapsFor(input, ['Role', 'ClusterRole']), examined: roles.length, what: 'Roles and ClusterRoles', notes },
      assessmentOf(benchmark, 'policy.rbac-wildcards', 'manual-audited'),
      {
        expected: 'no Role or ClusterRole uses * in its rules, except the ClusterRoles the benchmark allows',
        found: (count) => `${count} rule${count === 1 ? '' : 's'} with wildcards outside the ClusterRoles the benchmark allows`,
        clean: 'no wildcard in any Role or ClusterRole outside the ones the benchmark allows',
        byHand: 'replace each wildcard with the verbs and resources the role needs.',
      },
      input,
    );
  },
});
