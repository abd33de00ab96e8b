import { addressSetContains, describeAddressSet, intersectAddresses } from './address-set.ts';
import type { NetpolAnalysis } from './analysis.ts';
import { describeEndpoint, describePeer, describePolicyPort } from './describe.ts';
import type { Endpoint } from './inventory.ts';
import { formatAddress } from './ip-address.ts';
import { firstMismatch } from './label-selector.ts';
import { type Direction, type NetworkPolicyModel, type Peer, peerField, portField, ruleField } from './policy-model.ts';
import type { Protocol } from './port-set.ts';
import {
  type MatchContext,
  type PortMatcher,
  type RulePart,
  type Semantics,
  ipBlockAddresses,
  isPolicySubject,
  isolatingPolicies,
  matcherAllows,
  namespaceLabels,
  peerMatches,
} from './semantics.ts';
import { type Tri, triAnd, triOr } from './tri.ts';

/**
 * One connection, judged and explained: for the source's egress and the destination's ingress, whether the
 * side is isolated and by which policies, and for every rule of those policies whether it allows the
 * connection and why (which peer and port match, or the first thing that does not).
 */
export interface PeerOutcome {
  field: string;
  peer: string;
  matches: Tri;
  reason: string;
}

export interface PortOutcome {
  field: string;
  port: string;
  matches: boolean;
  reason: string;
}

export interface RuleOutcome {
  policy: string;
  field: string;
  allows: Tri;
  /** 'all': the rule has no from/to. */
  peers: 'all' | PeerOutcome[];
  /** 'all': the rule has no ports. */
  ports: 'all' | PortOutcome[];
  /** Set under kube-router semantics when k3s enforces this rule differently from the specification. */
  deviation: string | null;
}

export interface SideVerdict {
  direction: Direction;
  /** The endpoint whose policies decide this side: the source for egress, the destination for ingress. */
  endpoint: string;
  /** false: policies cannot isolate this endpoint (an address outside the cluster, a hostNetwork pod). */
  subject: boolean;
  note: string | null;
  isolatedBy: string[];
  allowed: Tri;
  rules: RuleOutcome[];
}

export interface FlowVerdict {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  semantics: Semantics;
  allowed: Tri;
  /** A pod to itself: always allowed, no policy applies. */
  self: boolean;
  egress: SideVerdict;
  ingress: SideVerdict;
}

export interface FlowQuery {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol: Protocol;
}

export function evaluateFlow(analysis: NetpolAnalysis, query: FlowQuery, semantics: Semantics): FlowVerdict {
  const catalog = analysis.catalog(semantics);
  const context = catalog.context;
  const self = query.from === query.to && query.from.kind === 'pod';
  const egress = evaluateSide(analysis, context, 'egress', query, (policy) => catalog.parts(policy, 'egress'));
  const ingress = evaluateSide(analysis, context, 'ingress', query, (policy) => catalog.parts(policy, 'ingress'));
  return {
    from: query.from.key,
    to: query.to.key,
    port: query.port,
    protocol: query.protocol,
    semantics,
    allowed: self ? 'yes' : triAnd(egress.allowed, ingress.allowed),
    self,
    egress,
    ingress,
  };
}

function evaluateSide(
  analysis: NetpolAnalysis,
  context: MatchContext,
  direction: Direction,
  query: FlowQuery,
  partsOf: (policy: NetworkPolicyModel) => readonly RulePart[],
): SideVerdict {
  const subjectEndpoint = direction === 'egress' ? query.from : query.to;
  const peerEndpoint = direction === 'egress' ? query.to : query.from;
  const base = { direction, endpoint: subjectEndpoint.key };
  if (!isPolicySubject(subjectEndpoint)) {
    const note =
      subjectEndpoint.kind === 'external'
        ? `${subjectEndpoint.key} is outside the cluster: NetworkPolicies do not restrict its ${direction}`
        : `${subjectEndpoint.key} uses the host network: NetworkPolicies do not select hostNetwork pods (k3s treats their traffic as node traffic)`;
    return { ...base, subject: false, note, isolatedBy: [], allowed: 'yes', rules: [] };
  }
  const policies = isolatingPolicies(analysis.policiesByNamespace, subjectEndpoint, direction);
  if (policies.length === 0) {
    return {
      ...base,
      subject: true,
      note: `no NetworkPolicy in namespace ${subjectEndpoint.namespace} selects ${subjectEndpoint.key} with policyTypes ${direction === 'egress' ? 'Egress' : 'Ingress'}: not isolated, all ${direction} allowed`,
      isolatedBy: [],
      allowed: 'yes',
      rules: [],
    };
  }
  const rules: RuleOutcome[] = [];
  let allowed: Tri = 'no';
  for (const policy of policies) {
    for (const part of partsOf(policy)) {
      const outcome = evaluatePart(part, peerEndpoint, query, context);
      rules.push(outcome);
      allowed = triOr(allowed, outcome.allows);
    }
  }
  return { ...base, subject: true, note: null, isolatedBy: policies.map((policy) => policy.key), allowed, rules };
}

function evaluatePart(part: RulePart, peerEndpoint: Endpoint, query: FlowQuery, context: MatchContext): RuleOutcome {
  const { rule, policy } = part;
  let peerTri: Tri;
  let peers: RuleOutcome['peers'];
  if (part.peers === null) {
    peerTri = 'yes';
    peers = 'all';
  } else {
    peerTri = 'no';
    peers = part.peers.map((peer): PeerOutcome => {
      const matches = peerMatches(peer, policy.namespace, peerEndpoint, context);
      peerTri = triOr(peerTri, matches);
      return {
        field: peerField(rule, peer),
        peer: describePeer(peer),
        matches,
        reason: peerReason(peer, policy.namespace, peerEndpoint, matches, context),
      };
    });
  }
  let portOk: boolean;
  let ports: RuleOutcome['ports'];
  if (part.ports === null) {
    portOk = true;
    ports = 'all';
  } else {
    portOk = false;
    ports = part.ports.map((matcher): PortOutcome => {
      const matches = matcherAllows(matcher, query.to, query.protocol, query.port);
      portOk ||= matches;
      return {
        field: portField(rule, matcher.source),
        port: describePolicyPort(matcher.source),
        matches,
        reason: portReason(matcher, query, matches),
      };
    });
  }
  return {
    policy: policy.key,
    field: ruleField(rule),
    allows: portOk ? peerTri : 'no',
    peers,
    ports,
    deviation: part.deviation,
  };
}

function peerReason(peer: Peer, policyNamespace: string, endpoint: Endpoint, matches: Tri, context: MatchContext): string {
  const who = describeEndpoint(endpoint);
  if (peer.kind === 'ipBlock') {
    const addresses = ipBlockAddresses(peer, context.semantics);
    const narrowed = addresses !== peer.addresses ? ` (k3s covers only ${describeAddressSet(addresses)} of it)` : '';
    if (endpoint.ips.length > 0) {
      const inside = endpoint.ips.filter((ip) => addressSetContains(addresses, ip)).map(formatAddress);
      if (inside.length > 0) return `${inside.join(', ')} is in the block${narrowed}`;
      return `${endpoint.ips.map(formatAddress).join(', ')} is not in the block${narrowed}`;
    }
    const range = describeAddressSet(context.podCidrs);
    if (matches === 'maybe') {
      const overlap = describeAddressSet(intersectAddresses(addresses, context.podCidrs));
      return `${who} has no address yet; it will get one in ${range}, of which the block covers only ${overlap}`;
    }
    return matches === 'yes' ? `${who} has no address yet; the block covers all of ${range}` : `${who} has no address yet; the block covers none of ${range}`;
  }
  if (endpoint.kind === 'external') return `${endpoint.key} is outside the cluster: only ipBlock peers match it`;
  if (endpoint.hostNetwork) return `${endpoint.key} uses the host network: pod and namespace selectors do not match it`;
  if (peer.namespaceSelector === null) {
    if (endpoint.namespace !== policyNamespace) {
      return `${who} is in namespace ${endpoint.namespace}; a podSelector alone selects only in the policy's namespace ${policyNamespace}`;
    }
  } else {
    const mismatch = firstMismatch(peer.namespaceSelector, namespaceLabels(context.inventory, endpoint.namespace));
    if (mismatch !== null) {
      const declared = context.inventory.namespaces.get(endpoint.namespace)?.declared === true;
      const unknown = declared ? '' : ` (no Namespace object for ${endpoint.namespace} in the input: only its kubernetes.io/metadata.name label is known)`;
      return `namespace ${endpoint.namespace} does not match: ${mismatch}${unknown}`;
    }
  }
  if (peer.podSelector !== null) {
    const mismatch = firstMismatch(peer.podSelector, endpoint.labels);
    if (mismatch !== null) return `${who} does not match: ${mismatch}`;
  }
  return `${who} matches`;
}

function portReason(matcher: PortMatcher, query: FlowQuery, matches: boolean): string {
  const probe = `${query.port}/${query.protocol}`;
  if (matcher.protocol !== query.protocol) return `protocol ${matcher.protocol} is not ${query.protocol}`;
  switch (matcher.kind) {
    case 'protocol':
      return `every ${matcher.protocol} port`;
    case 'range':
      return matches ? `${probe} is in ${matcher.from === matcher.to ? matcher.from : `${matcher.from}-${matcher.to}`}` : `${probe} is not ${matcher.from === matcher.to ? matcher.from : `${matcher.from}-${matcher.to}`}/${matcher.protocol}`;
    case 'named': {
      const declared = query.to.ports.filter((port) => port.name === matcher.name && port.protocol === matcher.protocol);
      if (query.to.kind === 'external') return `named port ${matcher.name} cannot match an address outside the cluster`;
      if (declared.length === 0) return `${query.to.key} declares no ${matcher.protocol} port named ${matcher.name}`;
      const numbers = declared.map((port) => port.port).join(', ');
      return matches ? `${matcher.name} is ${numbers}/${matcher.protocol} on ${query.to.key}` : `${matcher.name} is ${numbers}/${matcher.protocol} on ${query.to.key}, not ${query.port}`;
    }
    case 'fixed-numbers': {
      if (matcher.numbers.length === 0) return `no pod in the policy's namespace declares a ${matcher.protocol} port named ${matcher.name} (k3s)`;
      const numbers = matcher.numbers.join(', ');
      return matches ? `k3s resolves ${matcher.name} in the policy's namespace to ${numbers}` : `k3s resolves ${matcher.name} in the policy's namespace to ${numbers}, not ${query.port}`;
    }
  }
}

/** The specification's verdict, k3s's when it differs, and what else to know about k3s. */
export interface FlowExplanation {
  verdict: FlowVerdict;
  /** Present when k3s (kube-router) would decide differently. */
  k3s: FlowVerdict | null;
  notes: string[];
}

export function explainFlow(analysis: NetpolAnalysis, query: FlowQuery): FlowExplanation {
  const verdict = evaluateFlow(analysis, query, 'spec');
  const k3sVerdict = evaluateFlow(analysis, query, 'kube-router');
  const notes: string[] = [];
  const differs = k3sVerdict.allowed !== verdict.allowed;
  if (differs) {
    const deviations = new Set(
      [...k3sVerdict.egress.rules, ...k3sVerdict.ingress.rules].flatMap((rule) => (rule.deviation === null ? [] : [rule.deviation])),
    );
    const because = [...deviations].join('; ');
    notes.push(`on k3s this connection is ${k3sVerdict.allowed === 'yes' ? 'ALLOWED' : k3sVerdict.allowed === 'no' ? 'DENIED' : 'UNDECIDED'}: ${because}`);
  }
  if (query.from.hostNetwork || query.to.hostNetwork) {
    notes.push('hostNetwork pods: the specification leaves them undefined; k3s (kube-router) neither isolates nor selects them, and their traffic is node traffic');
  }
  if (verdict.ingress.isolatedBy.length > 0 && verdict.allowed !== 'yes' && query.to.kind !== 'external') {
    notes.push(`traffic from ${query.to.key}'s own node (kubelet probes, hostNetwork pods on that node) is always allowed, whatever the policies say`);
  }
  return { verdict, k3s: differs ? k3sVerdict : null, notes };
}
