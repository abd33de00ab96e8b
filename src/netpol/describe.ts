import { describeSelector } from './label-selector.ts';
import type { Endpoint } from './inventory.ts';
import { describeWorkload } from './inventory.ts';
import { formatAddress } from './ip-address.ts';
import type { Peer, PolicyPort } from './policy-model.ts';

/** How things read in explanations and findings. */
export function describePeer(peer: Peer): string {
  if (peer.kind === 'ipBlock') {
    return peer.except.length === 0 ? `ipBlock ${peer.cidr}` : `ipBlock ${peer.cidr} except ${peer.except.join(', ')}`;
  }
  const parts: string[] = [];
  if (peer.namespaceSelector !== null) parts.push(`namespaceSelector ${describeSelector(peer.namespaceSelector)}`);
  if (peer.podSelector !== null) parts.push(`podSelector ${describeSelector(peer.podSelector)}`);
  return parts.join(' AND ');
}

export function describePolicyPort(port: PolicyPort): string {
  const protocol = port.protocolDefaulted ? `${port.protocol} (defaulted)` : port.protocol;
  if (port.port === null) return `any port/${protocol}`;
  if (port.endPort !== null) return `${port.port}-${port.endPort}/${protocol}`;
  return `${port.port}/${protocol}`;
}

export function describeEndpoint(endpoint: Endpoint): string {
  switch (endpoint.kind) {
    case 'external':
      return endpoint.key;
    case 'workload':
      return `${endpoint.namespace}/${describeWorkload(endpoint.workload ?? { kind: 'workload', name: endpoint.name })} (template)`;
    case 'pod': {
      const address = endpoint.ips.length > 0 ? ` (${endpoint.ips.map(formatAddress).join(', ')})` : '';
      return `${endpoint.key}${address}`;
    }
  }
}
