import type { NetpolAnalysis } from './analysis.ts';
import type { Endpoint } from './inventory.ts';
import type { Direction, NetworkPolicyModel } from './policy-model.ts';
import { type PortSet, allPorts, intersectPorts, noPorts, unionPorts } from './port-set.ts';
import { type Semantics, isolatingPolicies, matcherPorts, peerMatches } from './semantics.ts';

/**
 * The naive evaluation: for one ordered pair of endpoints, the ports on which the connection is surely
 * allowed and those on which it may be (they differ only for endpoints whose address is not known).
 * It reads the policies afresh for every pair; the class matrix must always agree with it.
 */
export interface Allowance {
  sure: PortSet;
  possible: PortSet;
}

export const allowAll: Allowance = { sure: allPorts, possible: allPorts };
export const allowNone: Allowance = { sure: noPorts, possible: noPorts };

export function sideAllowance(
  analysis: NetpolAnalysis,
  semantics: Semantics,
  direction: Direction,
  from: Endpoint,
  to: Endpoint,
  /** The isolating policies to consider (default: all of them); for "what if this policy were gone". */
  only?: (policy: NetworkPolicyModel) => boolean,
): Allowance {
  const subject = direction === 'egress' ? from : to;
  const peer = direction === 'egress' ? to : from;
  const policies = isolatingPolicies(analysis.policiesByNamespace, subject, direction).filter((policy) => only === undefined || only(policy));
  if (policies.length === 0) return allowAll;
  const catalog = analysis.catalog(semantics);
  const sure: PortSet[] = [];
  const possible: PortSet[] = [];
  for (const policy of policies) {
    for (const part of catalog.parts(policy, direction)) {
      let peerTri: 'yes' | 'no' | 'maybe' = part.peers === null ? 'yes' : 'no';
      if (part.peers !== null) {
        for (const candidate of part.peers) {
          const matches = peerMatches(candidate, policy.namespace, peer, catalog.context);
          if (matches === 'yes') {
            peerTri = 'yes';
            break;
          }
          if (matches === 'maybe') peerTri = 'maybe';
        }
      }
      if (peerTri === 'no') continue;
      // Ports, named ones included, are always those of the destination.
      const ports = part.ports === null ? allPorts : unionPorts(noPorts, ...part.ports.map((matcher) => matcherPorts(matcher, to)));
      possible.push(ports);
      if (peerTri === 'yes') sure.push(ports);
    }
  }
  return { sure: unionPorts(noPorts, ...sure), possible: unionPorts(noPorts, ...possible) };
}

export function pairAllowance(analysis: NetpolAnalysis, semantics: Semantics, from: Endpoint, to: Endpoint): Allowance {
  if (from === to && from.kind === 'pod') return allowAll; // a pod cannot block access to itself
  const egress = sideAllowance(analysis, semantics, 'egress', from, to);
  const ingress = sideAllowance(analysis, semantics, 'ingress', from, to);
  return { sure: intersectPorts(egress.sure, ingress.sure), possible: intersectPorts(egress.possible, ingress.possible) };
}
