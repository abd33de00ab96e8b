import type { Evidence } from '../../core/finding.ts';
import { namespaceCoverage } from '../../netpol/coverage.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { assessmentOf, gapsFor, judge } from './verdict.ts';

/**
 * CIS 5.3.2 Ensure that all Namespaces have NetworkPolicies defined. Coverage comes from the NetworkPolicy
 * analysis (src/netpol `namespaceCoverage`), so that this control and `kharden netpol` agree: a namespace
 * offends when it has no valid NetworkPolicy (one the API server would reject does not count).
 */
export const namespaceNetworkPolicies = defineControl<ClusterAuditInput>({
  id: 'policy.namespaces-network-policies',
  reads: ['Namespaces', 'NetworkPolicies', 'Pods', 'workloads'],
  check: (input, benchmark) => {
    // Without the NetworkPolicy list, an empty namespace may not be empty (the gap makes the verdict UNKNOWN).
    const policiesKnown = input.availability('NetworkPolicy').problem === null;
    const coverage = policiesKnown ? namespaceCoverage(input.facts.objects) : [];
    const offences: Evidence[] = [];
    const notes: Evidence[] = [];
    let covered = 0;
    for (const namespace of coverage) {
      const summary = namespace.evidence[0];
      if (!namespace.hasPolicies) {
        if (summary !== undefined) offences.push(summary);
        if (namespace.invalidPolicies.length > 0) {
          notes.push({ subject: `Namespace ${namespace.namespace} NetworkPolicies the API server would reject`, value: namespace.invalidPolicies.join(', '), source: { kind: 'kharden' } });
        }
      } else {
        covered += 1;
      }
    }
    notes.unshift({ subject: 'namespaces with at least one NetworkPolicy', value: String(covered), source: { kind: 'kharden' } });
    return judge(
      { offences, gaps: gapsFor(input, ['Namespace', 'NetworkPolicy']), examined: policiesKnown ? coverage.length : input.namespaces.length, what: 'namespaces', notes },
      assessmentOf(benchmark, 'policy.namespaces-network-policies', 'manual'),
      {
        expected: 'every namespace has at least one NetworkPolicy',
        found: (n) => `${n} namespace${n === 1 ? '' : 's'} without any NetworkPolicy`,
        clean: 'at least one NetworkPolicy in every namespace',
        byHand: 'that the policies allow only the traffic each namespace needs (`kharden netpol matrix` shows who can reach whom, `kharden netpol lint` what is wrong).',
      },
      input,
    );
  },
});
