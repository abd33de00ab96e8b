import {
  type AddressSet,
  addressSetContains,
  addressSetOfCidr,
  intersectAddresses,
  isEmptyAddressSet,
  isSubsetOf,
  unionAddresses,
  wholeFamily,
} from './address-set.ts';
import type { Endpoint, Inventory } from './inventory.ts';
import { namespaceNameLabel } from './inventory.ts';
import { parseCidr } from './ip-address.ts';
import { selectorMatches } from './label-selector.ts';
import type { Direction, IpBlockPeer, NetworkPolicyModel, Peer, PodPeer, PolicyPort, PolicyRule } from './policy-model.ts';
import { type PortSet, type Protocol, noPorts, portRange, unionPorts, wholeProtocol } from './port-set.ts';
import type { Tri } from './tri.ts';

/**
 * How a rule is enforced. `spec` is the Kubernetes API documentation; `kube-router` is what k3s's embedded
 * network policy controller does where it differs (reference/netpol.md §3.8):
 * - an egress rule without `to` resolves a named port against the pods of the policy's namespace only,
 *   then allows that number to any destination;
 * - an egress rule's named ports do not apply to its ipBlock peers;
 * - an IPv6 ipBlock `::/0` covers only 2000::/3 and fd00::/8.
 * Both treat hostNetwork pods as node traffic: never isolated, never selected by a pod peer.
 */
export type Semantics = 'spec' | 'kube-router';

/** A port of a rule as it is matched: a range, a whole protocol, or a name resolved on the destination. */
export type PortMatcher =
  | { source: PolicyPort; kind: 'range'; protocol: Protocol; from: number; to: number }
  | { source: PolicyPort; kind: 'protocol'; protocol: Protocol }
  | { source: PolicyPort; kind: 'named'; protocol: Protocol; name: string }
  /** kube-router: a named port resolved once against the policy namespace's pods. */
  | { source: PolicyPort; kind: 'fixed-numbers'; protocol: Protocol; name: string; numbers: readonly number[] };

/** A rule, or under kube-router a piece of one, as (peers, ports). */
export interface RulePart {
  policy: NetworkPolicyModel;
  rule: PolicyRule;
  /** null: every peer, including addresses outside the cluster. */
  peers: readonly Peer[] | null;
  /** null: every port and protocol. */
  ports: readonly PortMatcher[] | null;
  /** Set when kube-router enforces this part differently from the specification, saying how. */
  deviation: string | null;
}

export interface MatchContext {
  inventory: Inventory;
  /** The cluster's pod range: where an endpoint without a known address will get one (k3s: 10.42.0.0/16). */
  podCidrs: AddressSet;
  semantics: Semantics;
}

export const k3sIpv6Everything: AddressSet = unionAddresses(
  addressSetOfCidr(parseCidr('2000::/3') as NonNullable<ReturnType<typeof parseCidr>>),
  addressSetOfCidr(parseCidr('fd00::/8') as NonNullable<ReturnType<typeof parseCidr>>),
);

/** Whether policies can isolate this endpoint (an address outside the cluster, or a hostNetwork pod, cannot). */
export function isPolicySubject(endpoint: Endpoint): boolean {
  return endpoint.kind !== 'external' && !endpoint.hostNetwork;
}

export function selectsEndpoint(policy: NetworkPolicyModel, endpoint: Endpoint): boolean {
  return isPolicySubject(endpoint) && policy.namespace === endpoint.namespace && selectorMatches(policy.podSelector, endpoint.labels);
}

export function namespaceLabels(inventory: Inventory, namespace: string): Readonly<Record<string, string>> {
  return inventory.namespaces.get(namespace)?.labels ?? { [namespaceNameLabel]: namespace };
}

export function podPeerMatches(peer: PodPeer, policyNamespace: string, endpoint: Endpoint, inventory: Inventory): boolean {
  if (!isPolicySubject(endpoint)) return false;
  if (peer.namespaceSelector === null) {
    if (endpoint.namespace !== policyNamespace) return false;
  } else if (!selectorMatches(peer.namespaceSelector, namespaceLabels(inventory, endpoint.namespace))) {
    return false;
  }
  return peer.podSelector === null || selectorMatches(peer.podSelector, endpoint.labels);
}

/** The addresses an ipBlock peer covers under the given semantics. */
export function ipBlockAddresses(peer: IpBlockPeer, semantics: Semantics): AddressSet {
  if (semantics === 'kube-router' && peer.parsedCidr.family === 6 && peer.parsedCidr.prefix === 0) {
    return intersectAddresses(peer.addresses, k3sIpv6Everything);
  }
  return peer.addresses;
}

export function addressesMatch(addresses: AddressSet, endpoint: Endpoint, podCidrs: AddressSet): Tri {
  if (endpoint.ips.length > 0) return endpoint.ips.some((ip) => addressSetContains(addresses, ip)) ? 'yes' : 'no';
  // Not known yet: a pod gets one from the pod range, a hostNetwork pod has its node's address.
  const range = endpoint.hostNetwork ? unionAddresses(...familiesOf(podCidrs).map(wholeFamily)) : podCidrs;
  if (isEmptyAddressSet(intersectAddresses(addresses, range))) return 'no';
  return isSubsetOf(range, addresses) ? 'yes' : 'maybe';
}

function familiesOf(set: AddressSet): Array<4 | 6> {
  const families: Array<4 | 6> = [];
  if (set.v4.length > 0) families.push(4);
  if (set.v6.length > 0) families.push(6);
  return families;
}

export function peerMatches(peer: Peer, policyNamespace: string, endpoint: Endpoint, context: MatchContext): Tri {
  if (peer.kind === 'pods') return podPeerMatches(peer, policyNamespace, endpoint, context.inventory) ? 'yes' : 'no';
  return addressesMatch(ipBlockAddresses(peer, context.semantics), endpoint, context.podCidrs);
}

/** The ports a matcher allows towards one destination. */
export function matcherPorts(matcher: PortMatcher, destination: Endpoint): PortSet {
  switch (matcher.kind) {
    case 'range':
      return portRange(matcher.protocol, matcher.from, matcher.to);
    case 'protocol':
      return wholeProtocol(matcher.protocol);
    case 'named': {
      const numbers = destination.ports.filter((port) => port.name === matcher.name && port.protocol === matcher.protocol);
      return numbers.length === 0 ? noPorts : unionPorts(...numbers.map((port) => portRange(matcher.protocol, port.port, port.port)));
    }
    case 'fixed-numbers':
      return matcher.numbers.length === 0 ? noPorts : unionPorts(...matcher.numbers.map((n) => portRange(matcher.protocol, n, n)));
  }
}

export function matcherAllows(matcher: PortMatcher, destination: Endpoint, protocol: Protocol, port: number): boolean {
  if (matcher.protocol !== protocol) return false;
  switch (matcher.kind) {
    case 'range':
      return port >= matcher.from && port <= matcher.to;
    case 'protocol':
      return true;
    case 'named':
      return destination.ports.some((declared) => declared.name === matcher.name && declared.protocol === protocol && declared.port === port);
    case 'fixed-numbers':
      return matcher.numbers.includes(port);
  }
}

/** Whether a part's port list has a name to resolve on each destination (its answer depends on the destination's ports). */
export function dependsOnDestinationPorts(part: RulePart): boolean {
  return part.ports !== null && part.ports.some((matcher) => matcher.kind === 'named');
}

function specMatcher(port: PolicyPort): PortMatcher {
  if (port.port === null) return { source: port, kind: 'protocol', protocol: port.protocol };
  if (typeof port.port === 'string') return { source: port, kind: 'named', protocol: port.protocol, name: port.port };
  return { source: port, kind: 'range', protocol: port.protocol, from: port.port, to: port.endPort ?? port.port };
}

/** The parts of one rule under the given semantics. */
export function ruleParts(policy: NetworkPolicyModel, rule: PolicyRule, context: MatchContext): RulePart[] {
  const matchers = rule.ports === null ? null : rule.ports.map(specMatcher);
  const whole: RulePart = { policy, rule, peers: rule.peers, ports: matchers, deviation: null };
  if (context.semantics === 'spec' || rule.direction === 'ingress' || matchers === null) return [whole];
  const hasNamed = matchers.some((matcher) => matcher.kind === 'named');
  if (!hasNamed) return [whole];
  if (rule.peers === null) {
    const policyPods = (context.inventory.byNamespace.get(policy.namespace) ?? []).filter((pod) => !pod.hostNetwork);
    const resolved = matchers.map((matcher): PortMatcher => {
      if (matcher.kind !== 'named') return matcher;
      const numbers = [
        ...new Set(
          policyPods.flatMap((pod) => pod.ports.filter((p) => p.name === matcher.name && p.protocol === matcher.protocol).map((p) => p.port)),
        ),
      ].sort((a, b) => a - b);
      return { source: matcher.source, kind: 'fixed-numbers', protocol: matcher.protocol, name: matcher.name, numbers };
    });
    return [
      {
        ...whole,
        ports: resolved,
        deviation:
          'k3s (kube-router) resolves a named port of an egress rule without `to` against the pods of the policy namespace only, then allows that port number to every destination',
      },
    ];
  }
  const podPeers = rule.peers.filter((peer) => peer.kind === 'pods');
  const blockPeers = rule.peers.filter((peer) => peer.kind === 'ipBlock');
  if (blockPeers.length === 0) return [whole];
  const numericOnly = matchers.filter((matcher) => matcher.kind !== 'named');
  const deviation = 'k3s (kube-router) does not apply the named ports of an egress rule to its ipBlock peers';
  const parts: RulePart[] = [];
  if (podPeers.length > 0) parts.push({ ...whole, peers: podPeers, deviation });
  if (numericOnly.length > 0) parts.push({ ...whole, peers: blockPeers, ports: numericOnly, deviation });
  return parts;
}

/** The policies of the endpoint's namespace that select it and isolate it in that direction. */
export function isolatingPolicies(
  policiesByNamespace: ReadonlyMap<string, readonly NetworkPolicyModel[]>,
  endpoint: Endpoint,
  direction: Direction,
): NetworkPolicyModel[] {
  if (!isPolicySubject(endpoint)) return [];
  return (policiesByNamespace.get(endpoint.namespace) ?? []).filter(
    (policy) => policy.isolates[direction] && selectorMatches(policy.podSelector, endpoint.labels),
  );
}

/** Cached rule parts of every policy for one semantics. */
export class RulePartCatalog {
  private readonly cache = new Map<NetworkPolicyModel, { ingress: RulePart[]; egress: RulePart[] }>();
  readonly context: MatchContext;
  constructor(context: MatchContext) {
    this.context = context;
  }

  parts(policy: NetworkPolicyModel, direction: Direction): readonly RulePart[] {
    let entry = this.cache.get(policy);
    if (entry === undefined) {
      entry = {
        ingress: policy.ingress.flatMap((rule) => ruleParts(policy, rule, this.context)),
        egress: policy.egress.flatMap((rule) => ruleParts(policy, rule, this.context)),
      };
      this.cache.set(policy, entry);
    }
    return entry[direction];
  }
}

