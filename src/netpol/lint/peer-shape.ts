import type { NetpolAnalysis } from '../analysis.ts';
import { describeSelector } from '../label-selector.ts';
import { type PodPeer, peerField, ruleField, rulesOf } from '../policy-model.ts';
import { type LintFinding, policyFinding } from './lint-finding.ts';

/**
 * netpol.and-or-confusion: a peer list with a namespaceSelector-only item and a podSelector-only item.
 *   They are ORed (any pod of those namespaces, or those pods of the policy's namespace); the usual intent
 *   is one peer with both selectors (those pods in those namespaces).
 * netpol.open-to-all: a rule with ports but no from/to: open to every peer, outside the cluster included.
 * netpol.allow-all-rule: a rule `{}` (no peers, no ports): everything in that direction.
 */
export function peerShapeFindings(analysis: NetpolAnalysis): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const policy of analysis.policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      if (!policy.isolates[direction]) continue; // rules of a type the policy does not have are ignored (policy-types check)
      const peersKey = direction === 'ingress' ? 'from' : 'to';
      for (const rule of rulesOf(policy, direction)) {
        if (rule.peers === null) {
          if (rule.ports === null) {
            findings.push(
              policyFinding(
                'netpol.allow-all-rule',
                'info',
                policy,
                ruleField(rule),
                `${ruleField(rule)} is empty ({}): it allows all ${direction} ${direction === 'ingress' ? 'from every source' : 'to every destination'}, outside the cluster included, on every port`,
              ),
            );
          } else {
            findings.push(
              policyFinding(
                'netpol.open-to-all',
                direction === 'ingress' ? 'warning' : 'info',
                policy,
                `${ruleField(rule)}.${peersKey}`,
                `${ruleField(rule)} has ports but no ${peersKey}: those ports are open ${direction === 'ingress' ? 'to every source' : 'to every destination'}, addresses outside the cluster included; to mean "every pod of the cluster" use ${peersKey}: [{namespaceSelector: {}}]`,
              ),
            );
          }
          continue;
        }
        const podPeers = rule.peers.filter((peer): peer is PodPeer => peer.kind === 'pods');
        const namespaceOnly = podPeers.filter((peer) => peer.namespaceSelector !== null && peer.podSelector === null);
        const podOnly = podPeers.filter((peer) => peer.namespaceSelector === null && peer.podSelector !== null);
        const first = namespaceOnly[0];
        const second = podOnly[0];
        if (first !== undefined && second !== undefined) {
          findings.push(
            policyFinding(
              'netpol.and-or-confusion',
              'warning',
              policy,
              peerField(rule, first),
              `${peerField(rule, first)} (namespaceSelector ${describeSelector(first.namespaceSelector ?? { matchLabels: {}, matchExpressions: [] })}) and ${peerField(rule, second)} (podSelector ${describeSelector(second.podSelector ?? { matchLabels: {}, matchExpressions: [] })}) are separate peers, so they are ORed: every pod of those namespaces, or those pods of namespace ${policy.namespace}. If you meant those pods in those namespaces, write one peer with both selectors (no "-" before podSelector)`,
            ),
          );
        }
      }
    }
  }
  return findings;
}
