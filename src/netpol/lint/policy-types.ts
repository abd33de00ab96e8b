import type { NetpolAnalysis } from '../analysis.ts';
import { type LintFinding, policyFinding } from './lint-finding.ts';

/**
 * netpol.policy-types: policyTypes missing (defaulted: say to what), or rules of a type the policy does not
 * have (silently ignored by the API server's semantics).
 * netpol.namespace-missing: the policy names no namespace; it lands wherever it is applied.
 */
export function policyTypeFindings(analysis: NetpolAnalysis): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const policy of analysis.policies) {
    const types = [policy.isolates.ingress ? 'Ingress' : null, policy.isolates.egress ? 'Egress' : null].filter((type) => type !== null);
    if (policy.policyTypesDefaulted) {
      findings.push(
        policyFinding(
          'netpol.policy-types',
          'info',
          policy,
          'spec.policyTypes',
          `policyTypes is not set; the API server makes it [${types.join(', ')}]${policy.isolates.egress ? '' : ' (egress is not isolated: Egress must be listed for an egress default deny)'}`,
        ),
      );
    }
    if (!policy.isolates.egress && policy.egress.length > 0) {
      findings.push(
        policyFinding(
          'netpol.policy-types',
          'warning',
          policy,
          'spec.egress',
          `the policy has ${policy.egress.length} egress rule(s) but policyTypes [${types.join(', ')}] lacks Egress: the rules are ignored`,
        ),
      );
    }
    if (!policy.isolates.ingress && policy.ingress.length > 0) {
      findings.push(
        policyFinding(
          'netpol.policy-types',
          'warning',
          policy,
          'spec.ingress',
          `the policy has ${policy.ingress.length} ingress rule(s) but policyTypes [${types.join(', ')}] lacks Ingress: the rules are ignored`,
        ),
      );
    }
    if (policy.namespaceDefaulted) {
      findings.push(
        policyFinding(
          'netpol.namespace-missing',
          'info',
          policy,
          'metadata.namespace',
          `no metadata.namespace: the policy applies to the namespace it is applied in (analysed as ${policy.namespace}; use -n to choose)`,
        ),
      );
    }
  }
  return findings;
}
