import { dnsSubdomainErrors, goValue, labelValueErrors, portNameErrors, portNumberErrors, qualifiedNameErrors } from './k8s-names.ts';
import { parseCidr } from './ip-address.ts';
import type { LabelSelectorShape, NetworkPolicyShape, PeerShape, PortShape } from './policy-schema.ts';

/**
 * The API server's validation of a NetworkPolicy (pkg/apis/networking/validation, ValidateNetworkPolicy
 * on create), with its field paths and messages, in its order. An object with any of these errors is
 * rejected by `kubectl apply`, so it never exists in a cluster.
 */
export interface FieldError {
  field: string;
  /** The whole message as the API server prints it: `spec.ingress[0].from[0]: Required value: must specify a peer`. */
  message: string;
}

const required = (field: string, detail = ''): FieldError => ({
  field,
  message: `${field}: Required value${detail === '' ? '' : `: ${detail}`}`,
});
const forbidden = (field: string, detail: string): FieldError => ({ field, message: `${field}: Forbidden: ${detail}` });
const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  field,
  message: `${field}: Invalid value: ${goValue(value)}: ${detail}`,
});
const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  field,
  message: `${field}: Unsupported value: ${goValue(value)}: supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`,
});

export function validateNetworkPolicy(policy: NetworkPolicyShape): FieldError[] {
  const errors: FieldError[] = [];
  const { name, generateName } = policy.metadata;
  if ((name === undefined || name === '') && (generateName === undefined || generateName === '')) {
    errors.push(required('metadata.name', 'name or generateName is required'));
  } else if (name !== undefined && name !== '') {
    for (const message of dnsSubdomainErrors(name)) errors.push(invalid('metadata.name', name, message));
  }
  const spec = policy.spec ?? {};
  errors.push(...validateLabelSelector(spec.podSelector, 'spec.podSelector'));
  (spec.ingress ?? []).forEach((rule, ruleIndex) => {
    const path = `spec.ingress[${ruleIndex}]`;
    (rule.ports ?? []).forEach((port, index) => errors.push(...validatePort(port, `${path}.ports[${index}]`)));
    (rule.from ?? []).forEach((peer, index) => errors.push(...validatePeer(peer, `${path}.from[${index}]`)));
  });
  (spec.egress ?? []).forEach((rule, ruleIndex) => {
    const path = `spec.egress[${ruleIndex}]`;
    (rule.ports ?? []).forEach((port, index) => errors.push(...validatePort(port, `${path}.ports[${index}]`)));
    (rule.to ?? []).forEach((peer, index) => errors.push(...validatePeer(peer, `${path}.to[${index}]`)));
  });
  const policyTypes = spec.policyTypes ?? [];
  if (policyTypes.length > 2) {
    errors.push(invalid('spec.policyTypes', policyTypes, 'may not specify more than two policyTypes'));
  } else {
    policyTypes.forEach((type, index) => {
      if (type !== 'Ingress' && type !== 'Egress') errors.push(notSupported(`spec.policyTypes[${index}]`, type, ['Ingress', 'Egress']));
    });
  }
  return errors;
}

export function validateLabelSelector(selector: LabelSelectorShape | null | undefined, path: string): FieldError[] {
  if (selector === null || selector === undefined) return [];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    for (const message of qualifiedNameErrors(key)) errors.push(invalid(`${path}.matchLabels`, key, message));
    for (const message of labelValueErrors(value)) errors.push(invalid(`${path}.matchLabels`, value, message));
  }
  (selector.matchExpressions ?? []).forEach((requirement, index) => {
    const at = `${path}.matchExpressions[${index}]`;
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errors.push(required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errors.push(forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errors.push(invalid(`${at}.operator`, requirement.operator, 'not a valid selector operator'));
    }
    for (const message of qualifiedNameErrors(requirement.key)) errors.push(invalid(`${at}.key`, requirement.key, message));
    values.forEach((value, valueIndex) => {
      for (const message of labelValueErrors(value)) errors.push(invalid(`${at}.values[${valueIndex}]`, value, message));
    });
  });
  return errors;
}

function validatePort(port: PortShape, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const protocol = port.protocol;
  if (protocol !== null && protocol !== undefined && protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
    errors.push(notSupported(`${path}.protocol`, protocol, ['TCP', 'UDP', 'SCTP']));
  }
  const endPort = port.endPort;
  const hasEndPort = endPort !== null && endPort !== undefined;
  if (port.port !== null && port.port !== undefined) {
    if (typeof port.port === 'number') {
      for (const message of portNumberErrors(port.port)) errors.push(invalid(`${path}.port`, port.port, message));
      if (hasEndPort) {
        if (endPort < port.port) errors.push(invalid(`${path}.endPort`, endPort, 'must be greater than or equal to `port`'));
        for (const message of portNumberErrors(endPort)) errors.push(invalid(`${path}.endPort`, endPort, message));
      }
    } else {
      if (hasEndPort) errors.push(invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is non-numeric'));
      for (const message of portNameErrors(port.port)) errors.push(invalid(`${path}.port`, port.port, message));
    }
  } else if (hasEndPort) {
    errors.push(invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is not specified'));
  }
  return errors;
}

function validatePeer(peer: PeerShape, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let fields = 0;
  if (peer.podSelector !== null && peer.podSelector !== undefined) {
    fields++;
    errors.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (peer.namespaceSelector !== null && peer.namespaceSelector !== undefined) {
    fields++;
    errors.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer.ipBlock !== null && peer.ipBlock !== undefined) {
    fields++;
    errors.push(...validateIpBlock(peer.ipBlock.cidr ?? '', peer.ipBlock.except ?? [], `${path}.ipBlock`));
  }
  if (fields === 0) errors.push(required(path, 'must specify a peer'));
  else if (fields > 1 && peer.ipBlock !== null && peer.ipBlock !== undefined) {
    errors.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  }
  return errors;
}

const cidrFormat = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function validateIpBlock(cidrText: string, except: readonly string[], path: string): FieldError[] {
  if (cidrText === '') return [required(`${path}.cidr`)];
  const cidr = parseCidr(cidrText);
  if (cidr === undefined) return [invalid(`${path}.cidr`, cidrText, cidrFormat)];
  const errors: FieldError[] = [];
  except.forEach((text, index) => {
    const at = `${path}.except[${index}]`;
    const hole = parseCidr(text);
    if (hole === undefined) {
      errors.push(invalid(at, text, cidrFormat));
      return;
    }
    const inside =
      hole.family === cidr.family &&
      hole.prefix > cidr.prefix &&
      // The except's network address must lie in the cidr (Go: cidr.Contains(except.IP)).
      (hole.base >> BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix)) === (cidr.base >> BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix));
    if (!inside) errors.push(invalid(at, text, 'must be a strict subset of `cidr`'));
  });
  return errors;
}
