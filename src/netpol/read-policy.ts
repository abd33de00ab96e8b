import type { SourcedObject } from '../facts/kube-object.ts';
import { addressSetOfCidr, subtractAddresses, unionAddresses } from './address-set.ts';
import type { InputProblem } from './input-problem.ts';
import { parseCidr } from './ip-address.ts';
import { type LabelSelector, type SelectorOperator, selectEverything } from './label-selector.ts';
import type { Direction, NetworkPolicyModel, Peer, PolicyPort, PolicyRule } from './policy-model.ts';
import {
  type LabelSelectorShape,
  type NetworkPolicyShape,
  type PeerShape,
  type PortShape,
  fieldPath,
  networkPolicyShape,
} from './policy-schema.ts';
import { validateNetworkPolicy } from './policy-validation.ts';
import type { Protocol } from './port-set.ts';

/**
 * Reads one NetworkPolicy object: checks its shape and the API server's validation, then applies the
 * API server's defaulting (policyTypes, protocol TCP, namespace). An invalid policy yields problems and
 * no model: the API server would not have accepted it, so it takes no part in the analysis.
 */
export interface PolicyReading {
  policy: NetworkPolicyModel | null;
  problems: InputProblem[];
}

export const leftOut = 'the API server would reject this object; it is left out of the analysis';

export function readNetworkPolicy(sourced: SourcedObject, defaultNamespace: string): PolicyReading {
  const { object, origin } = sourced;
  const namespace = object.metadata.namespace ?? defaultNamespace;
  const label = `NetworkPolicy ${namespace}/${object.metadata.name ?? object.metadata.generateName ?? '<unnamed>'}`;
  const shaped = networkPolicyShape.safeParse(object);
  if (!shaped.success) {
    const problems = shaped.error.issues.map((issue): InputProblem => {
      const field = fieldPath(issue.path);
      return { object: label, field, message: `${field}: Invalid value: ${issue.message}`, origin, consequence: leftOut };
    });
    return { policy: null, problems };
  }
  const errors = validateNetworkPolicy(shaped.data);
  if (errors.length > 0) {
    return {
      policy: null,
      problems: errors.map((error) => ({ object: label, field: error.field, message: error.message, origin, consequence: leftOut })),
    };
  }
  return { policy: normalisePolicy(shaped.data, sourced, namespace), problems: [] };
}

function normalisePolicy(shape: NetworkPolicyShape, sourced: SourcedObject, namespace: string): NetworkPolicyModel {
  const spec = shape.spec ?? {};
  const ingressRules = spec.ingress ?? [];
  const egressRules = spec.egress ?? [];
  const declaredTypes = spec.policyTypes ?? [];
  // SetDefaults_NetworkPolicy: only when policyTypes is empty.
  const policyTypesDefaulted = declaredTypes.length === 0;
  const types = policyTypesDefaulted ? ['Ingress', ...(egressRules.length > 0 ? ['Egress'] : [])] : declaredTypes;
  const name = shape.metadata.name ?? shape.metadata.generateName ?? '<unnamed>';
  return {
    key: `${namespace}/${name}`,
    namespace,
    name,
    podSelector: toSelector(spec.podSelector) ?? selectEverything,
    isolates: { ingress: types.includes('Ingress'), egress: types.includes('Egress') },
    policyTypesDefaulted,
    namespaceDefaulted: shape.metadata.namespace === undefined,
    ingress: ingressRules.map((rule, index) => toRule('ingress', index, rule.from, rule.ports)),
    egress: egressRules.map((rule, index) => toRule('egress', index, rule.to, rule.ports)),
    origin: sourced.origin,
    object: sourced.object,
    spec,
  };
}

function toRule(
  direction: Direction,
  index: number,
  peers: readonly PeerShape[] | null | undefined,
  ports: readonly PortShape[] | null | undefined,
): PolicyRule {
  return {
    direction,
    index,
    peers: peers === null || peers === undefined || peers.length === 0 ? null : peers.map(toPeer),
    ports: ports === null || ports === undefined || ports.length === 0 ? null : ports.map(toPort),
  };
}

function toPeer(peer: PeerShape, index: number): Peer {
  if (peer.ipBlock !== null && peer.ipBlock !== undefined) {
    // Validated: cidr and every except parse, and each except lies inside the cidr.
    const cidrText = peer.ipBlock.cidr ?? '';
    const parsedCidr = parseCidr(cidrText);
    if (parsedCidr === undefined) throw new Error(`validated ipBlock has an unparsable cidr ${cidrText}`);
    const except = peer.ipBlock.except ?? [];
    const holes = except.flatMap((text) => {
      const hole = parseCidr(text);
      return hole === undefined ? [] : [addressSetOfCidr(hole)];
    });
    return {
      kind: 'ipBlock',
      index,
      cidr: cidrText,
      except,
      parsedCidr,
      addresses: subtractAddresses(addressSetOfCidr(parsedCidr), unionAddresses(...holes)),
    };
  }
  return {
    kind: 'pods',
    index,
    namespaceSelector: toSelector(peer.namespaceSelector),
    podSelector: toSelector(peer.podSelector),
  };
}

function toPort(port: PortShape, index: number): PolicyPort {
  const protocol = (port.protocol ?? 'TCP') as Protocol;
  return {
    index,
    protocol,
    protocolDefaulted: port.protocol === null || port.protocol === undefined,
    port: port.port ?? null,
    endPort: port.endPort ?? null,
  };
}

export function toSelector(shape: LabelSelectorShape | null | undefined): LabelSelector | null {
  if (shape === null || shape === undefined) return null;
  return {
    matchLabels: shape.matchLabels ?? {},
    matchExpressions: (shape.matchExpressions ?? []).map((requirement) => ({
      key: requirement.key,
      operator: requirement.operator as SelectorOperator,
      values: requirement.values ?? [],
    })),
  };
}
