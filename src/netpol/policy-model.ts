import type { KubeObject, ObjectOrigin } from '../facts/kube-object.ts';
import type { AddressSet } from './address-set.ts';
import type { Cidr } from './ip-address.ts';
import type { LabelSelector } from './label-selector.ts';
import type { PolicySpecShape } from './policy-schema.ts';
import type { Protocol } from './port-set.ts';

/**
 * A NetworkPolicy after the API server's defaulting, ready to evaluate. Indexes (rule, peer, port) are
 * the positions in the object as written, so that an explanation can point at `spec.ingress[1].from[0]`.
 */
export type Direction = 'ingress' | 'egress';

export interface PodPeer {
  kind: 'pods';
  index: number;
  /** null: the policy's own namespace. */
  namespaceSelector: LabelSelector | null;
  /** null: every pod of the selected namespaces. */
  podSelector: LabelSelector | null;
}

export interface IpBlockPeer {
  kind: 'ipBlock';
  index: number;
  cidr: string;
  except: readonly string[];
  parsedCidr: Cidr;
  /** cidr minus except. */
  addresses: AddressSet;
}

export type Peer = PodPeer | IpBlockPeer;

export interface PolicyPort {
  index: number;
  protocol: Protocol;
  /** protocol was absent and defaulted to TCP. */
  protocolDefaulted: boolean;
  /** null: every port of the protocol. */
  port: number | string | null;
  endPort: number | null;
}

export interface PolicyRule {
  direction: Direction;
  index: number;
  /** null: `from`/`to` absent or empty, every source or destination including addresses outside the cluster. */
  peers: readonly Peer[] | null;
  /** null: `ports` absent or empty, every port and protocol. */
  ports: readonly PolicyPort[] | null;
}

export interface NetworkPolicyModel {
  /** `namespace/name`. */
  key: string;
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  isolates: { ingress: boolean; egress: boolean };
  /** spec.policyTypes was absent and was defaulted (Ingress, plus Egress when there are egress rules). */
  policyTypesDefaulted: boolean;
  /** metadata.namespace was absent; the policy was placed in the default namespace of the analysis. */
  namespaceDefaulted: boolean;
  ingress: readonly PolicyRule[];
  egress: readonly PolicyRule[];
  origin: ObjectOrigin;
  object: KubeObject;
  /** The spec as written, for lint checks that care about the wire form. */
  spec: PolicySpecShape;
}

export function rulesOf(policy: NetworkPolicyModel, direction: Direction): readonly PolicyRule[] {
  return direction === 'ingress' ? policy.ingress : policy.egress;
}

export function ruleField(rule: PolicyRule): string {
  return `spec.${rule.direction}[${rule.index}]`;
}

export function peerField(rule: PolicyRule, peer: Peer): string {
  return `${ruleField(rule)}.${rule.direction === 'ingress' ? 'from' : 'to'}[${peer.index}]`;
}

export function portField(rule: PolicyRule, port: PolicyPort): string {
  return `${ruleField(rule)}.ports[${port.index}]`;
}
