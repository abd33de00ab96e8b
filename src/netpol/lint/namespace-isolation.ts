import type { NetpolAnalysis } from '../analysis.ts';
import { coverageOf } from '../coverage.ts';
import type { Direction } from '../policy-model.ts';
import { type LintFinding, listSome } from './lint-finding.ts';

/**
 * netpol.namespace-without-policies: a namespace with no NetworkPolicy (CIS 5.3.2); everything in it is open.
 * netpol.no-default-deny: no policy selecting every pod isolates the direction, so a new pod is open.
 * netpol.not-isolated: pods no policy isolates, in a namespace that has policies.
 */
export function namespaceIsolationFindings(analysis: NetpolAnalysis): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const coverage of coverageOf(analysis)) {
    const base = { namespace: coverage.namespace, policy: null, field: null, k3s: null, origin: analysis.inventory.namespaces.get(coverage.namespace)?.origin ?? null };
    if (!coverage.hasPolicies) {
      const invalid = coverage.invalidPolicies.length > 0 ? ` (${coverage.invalidPolicies.join(', ')} would be rejected by the API server)` : '';
      findings.push({
        ...base,
        check: 'netpol.namespace-without-policies',
        severity: coverage.endpoints > 0 ? 'warning' : 'info',
        subjects: [coverage.namespace],
        message:
          coverage.endpoints > 0
            ? `namespace ${coverage.namespace} has no NetworkPolicy${invalid}: its ${coverage.endpoints} pod(s) accept and send any traffic (CIS 5.3.2)`
            : `namespace ${coverage.namespace} has no NetworkPolicy${invalid} (CIS 5.3.2); no pods of it are in the input`,
      });
      continue;
    }
    for (const direction of ['ingress', 'egress'] as const satisfies readonly Direction[]) {
      const side = coverage[direction];
      const type = direction === 'ingress' ? 'Ingress' : 'Egress';
      if (side.defaultDeny.length === 0) {
        findings.push({
          ...base,
          check: 'netpol.no-default-deny',
          severity: 'warning',
          subjects: [coverage.namespace],
          message: `namespace ${coverage.namespace} has no default deny for ${direction}: no policy with podSelector {} and policyTypes ${type}, so a pod no policy selects is open${direction === 'egress' ? ' (a default deny for egress must also allow DNS)' : ''}`,
        });
      }
      if (side.notIsolated.length > 0) {
        findings.push({
          ...base,
          check: 'netpol.not-isolated',
          severity: 'warning',
          subjects: side.notIsolated,
          message: `${side.notIsolated.length} pod(s) in ${coverage.namespace} are not isolated for ${direction} (no policy selects them with policyTypes ${type}): ${listSome(side.notIsolated)}`,
        });
      }
    }
  }
  return findings;
}
