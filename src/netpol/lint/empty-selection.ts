import type { NetpolAnalysis } from '../analysis.ts';
import { describePeer } from '../describe.ts';
import { describeSelector, selectorMatches } from '../label-selector.ts';
import { peerField, rulesOf } from '../policy-model.ts';
import { isPolicySubject, namespaceLabels, podPeerMatches } from '../semantics.ts';
import { type LintFinding, endpointClasses, listSome, policyFinding } from './lint-finding.ts';

/**
 * netpol.policy-selects-nothing: spec.podSelector matches no pod of the namespace.
 * netpol.peer-selects-nothing: a pod peer matches no pod (its namespaceSelector may match no namespace).
 * netpol.hostnetwork-selected: the policy selects hostNetwork pods, on which it has no effect.
 * Judged on the pods and workloads in the input; a namespace with none in the input gets an info.
 */
export function emptySelectionFindings(analysis: NetpolAnalysis): LintFinding[] {
  const findings: LintFinding[] = [];
  const { inventory } = analysis;
  const representatives = endpointClasses(analysis).classes.map((endpointClass) => endpointClass.representative);
  for (const policy of analysis.policies) {
    const local = inventory.byNamespace.get(policy.namespace) ?? [];
    const selected = local.filter((endpoint) => selectorMatches(policy.podSelector, endpoint.labels));
    const hostNetwork = selected.filter((endpoint) => endpoint.hostNetwork);
    if (selected.filter(isPolicySubject).length === 0) {
      findings.push(
        policyFinding(
          'netpol.policy-selects-nothing',
          local.length === 0 ? 'info' : 'warning',
          policy,
          'spec.podSelector',
          local.length === 0
            ? `podSelector ${describeSelector(policy.podSelector)}: no pods or workloads of namespace ${policy.namespace} are in the input, so nothing it selects can be shown`
            : `podSelector ${describeSelector(policy.podSelector)} selects none of the ${local.length} pod(s) and workload(s) of namespace ${policy.namespace}: the policy has no effect`,
        ),
      );
    }
    if (hostNetwork.length > 0) {
      findings.push(
        policyFinding(
          'netpol.hostnetwork-selected',
          'info',
          policy,
          'spec.podSelector',
          `selects hostNetwork pod(s) ${listSome(hostNetwork.map((endpoint) => endpoint.key))}: NetworkPolicies do not apply to them (their traffic is the node's)`,
          'k3s (kube-router) skips hostNetwork pods entirely',
        ),
      );
    }
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of rulesOf(policy, direction)) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'pods') continue;
          const matched = representatives.some((endpoint) => podPeerMatches(peer, policy.namespace, endpoint, inventory));
          if (matched) continue;
          const namespaces =
            peer.namespaceSelector === null
              ? [policy.namespace]
              : [...inventory.namespaces.keys()].filter((name) => selectorMatches(peer.namespaceSelector ?? { matchLabels: {}, matchExpressions: [] }, namespaceLabels(inventory, name)));
          const why =
            namespaces.length === 0
              ? `its namespaceSelector matches no namespace in the input${[...inventory.namespaces.values()].some((info) => !info.declared) ? ' (some namespaces have no Namespace object in the input, so only their kubernetes.io/metadata.name label is known)' : ''}`
              : `no pod in ${listSome(namespaces)} matches`;
          findings.push(
            policyFinding(
              'netpol.peer-selects-nothing',
              'warning',
              policy,
              peerField(rule, peer),
              `${describePeer(peer)} selects no pod: ${why}; this peer allows nothing`,
            ),
          );
        }
      }
    }
  }
  return findings;
}
