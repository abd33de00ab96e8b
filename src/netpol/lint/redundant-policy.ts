import type { NetpolAnalysis } from '../analysis.ts';
import { buildClassMatrix } from '../class-matrix.ts';
import { externalEndpoint } from '../endpoint-reference.ts';
import type { Endpoint } from '../inventory.ts';
import { formatIp, familyMax } from '../ip-address.ts';
import { sideAllowance } from '../pair-evaluation.ts';
import type { Direction, NetworkPolicyModel } from '../policy-model.ts';
import { portSetKey } from '../port-set.ts';
import { ipBlockAddresses, isolatingPolicies, peerMatches, selectsEndpoint } from '../semantics.ts';
import { type LintFinding, listSome, policyFinding } from './lint-finding.ts';

/**
 * netpol.redundant-policy: removing the policy would change no connection. For every class of pods it
 * selects and every direction it isolates, the other policies isolate those pods too and allow at least
 * what it allows, towards every class of pods and every region of outside addresses (each region
 * between ipBlock boundaries behaves alike). Judged one policy at a time: of two identical policies,
 * each is redundant while the other stays.
 */
export function redundantPolicyFindings(analysis: NetpolAnalysis): LintFinding[] {
  if (analysis.policies.length < 2) return [];
  const matrix = buildClassMatrix(analysis, 'spec');
  const classTargets = matrix.classes.map((endpointClass) => endpointClass.representative);
  const externals = outsideRepresentatives(analysis);
  const context = analysis.catalog('spec').context;
  const findings: LintFinding[] = [];
  for (const policy of analysis.policies) {
    const selected = classTargets.filter((endpoint) => selectsEndpoint(policy, endpoint));
    if (selected.length === 0) continue; // netpol.policy-selects-nothing says it
    const coveredBy = new Set<string>();
    let redundant = true;
    for (const direction of ['ingress', 'egress'] as const satisfies readonly Direction[]) {
      if (!redundant || !policy.isolates[direction]) continue;
      const parts = analysis.catalog('spec').parts(policy, direction);
      const touched = [...classTargets, ...externals].filter((target) =>
        parts.some((part) => part.peers === null || part.peers.some((peer) => peerMatches(peer, policy.namespace, target, context) !== 'no')),
      );
      for (const subject of selected) {
        const others = isolatingPolicies(analysis.policiesByNamespace, subject, direction).filter((other) => other !== policy);
        if (others.length === 0) {
          redundant = false;
          break;
        }
        for (const other of others) coveredBy.add(other.key);
        for (const target of touched) {
          if (target === subject && target.replicas <= 1) continue;
          const [from, to] = direction === 'egress' ? [subject, target] : [target, subject];
          const without = (candidate: NetworkPolicyModel): boolean => candidate !== policy;
          const withIt = sideAllowance(analysis, 'spec', direction, from, to);
          const withoutIt = sideAllowance(analysis, 'spec', direction, from, to, without);
          if (portSetKey(withIt.sure) !== portSetKey(withoutIt.sure) || portSetKey(withIt.possible) !== portSetKey(withoutIt.possible)) {
            redundant = false;
            break;
          }
        }
        if (!redundant) break;
      }
    }
    if (redundant) {
      findings.push(
        policyFinding(
          'netpol.redundant-policy',
          'info',
          policy,
          null,
          `removing this policy would change no connection: the pods it selects are isolated by ${listSome([...coveredBy])}, which already allow everything it allows`,
        ),
      );
    }
  }
  return findings;
}

/** One address per region of the address space that the ipBlocks of all policies cut out. */
function outsideRepresentatives(analysis: NetpolAnalysis): Endpoint[] {
  const boundaries: Record<4 | 6, Set<bigint>> = { 4: new Set([0n]), 6: new Set([0n]) };
  for (const semantics of ['spec'] as const) {
    for (const policy of analysis.policies) {
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'ipBlock') continue;
          const addresses = ipBlockAddresses(peer, semantics);
          for (const family of [4, 6] as const) {
            for (const range of family === 4 ? addresses.v4 : addresses.v6) {
              boundaries[family].add(range.lo);
              if (range.hi < familyMax(family)) boundaries[family].add(range.hi + 1n);
            }
          }
        }
      }
    }
  }
  const endpoints: Endpoint[] = [];
  for (const family of [4, 6] as const) {
    for (const value of boundaries[family]) {
      const endpoint = externalEndpoint(formatIp(family, value));
      if (endpoint !== null) endpoints.push(endpoint);
    }
  }
  return endpoints;
}
