import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { assessmentOf, gapsFor, judge, objectSource } from './verdict.ts';

// TODO(netpol): use `namespaceCoverage(objects)` from src/netpol/ once it is exported, so that this control
// and `kharden netpol` agree on what covers a namespace; until then a namespace is covered when it has at
// least one NetworkPolicy (what the benchmark asks).

/** CIS 5.3.2 Ensure that all Namespaces have NetworkPolicies defined. */
export const namespaceNetworkPolicies = defineControl<ClusterAuditInput>({
  id: 'policy.namespaces-network-policies',
  reads: ['Namespaces', 'NetworkPolicies'],
  check: (input, benchmark) => {
    const covered = new Map<string, number>();
    for (const entry of input.objects('NetworkPolicy')) {
      const namespace = entry.object.metadata.namespace ?? 'default';
      covered.set(namespace, (covered.get(namespace) ?? 0) + 1);
    }
    const offences: Evidence[] = [];
    // Without the NetworkPolicy list, an empty namespace may not be empty (the gap makes the verdict UNKNOWN).
    const policiesKnown = input.availability('NetworkPolicy').problem === null;
    for (const entry of policiesKnown ? input.objects('Namespace') : []) {
      const name = entry.object.metadata.name ?? '';
      if ((covered.get(name) ?? 0) > 0) continue;
      offences.push({ subject: `Namespace ${name} NetworkPolicies`, value: '0', source: objectSource(entry.origin, `Namespace ${name}`) });
    }
    const notes: Evidence[] = [
      { subject: 'namespaces with at least one NetworkPolicy', value: String(input.namespaces.filter((name) => (covered.get(name) ?? 0) > 0).length), source: { kind: 'kharden' } },
    ];
    return judge(
      { offences, gaps: gapsFor(input, ['Namespace', 'NetworkPolicy']), examined: input.namespaces.length, what: 'namespaces', notes },
      assessmentOf(benchmark, 'policy.namespaces-network-policies', 'manual'),
      {
        expected: 'every namespace has at least one NetworkPolicy',
        found: (n) => `${n} namespace${n === 1 ? '' : 's'} without any NetworkPolicy`,
        clean: 'at least one NetworkPolicy in every namespace',
        byHand: 'that the policies allow only the traffic each namespace needs (`kharden netpol matrix` shows who can reach whom).',
      },
      input,
    );
  },
});
