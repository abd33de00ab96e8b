import type { NetpolAnalysis } from '../analysis.ts';
import type { Endpoint } from '../inventory.ts';
import { selectorMatches } from '../label-selector.ts';
import { portField, rulesOf } from '../policy-model.ts';
import { isPolicySubject, podPeerMatches } from '../semantics.ts';
import { type LintFinding, endpointClasses, listSome, policyFinding } from './lint-finding.ts';

/**
 * netpol.protocol-defaulted: a port without protocol (TCP by default) where UDP was almost surely meant:
 *   port 53 and other UDP services, or a named port that the destinations declare only for UDP or SCTP.
 * netpol.named-port-undeclared: a named port that no destination of the rule declares (with that protocol).
 * netpol.egress-named-port-without-to: k3s resolves such a port in the policy's namespace only.
 */
const udpServices = new Map<number, string>([
  [53, 'DNS'],
  [67, 'DHCP'],
  [69, 'TFTP'],
  [123, 'NTP'],
  [161, 'SNMP'],
  [514, 'syslog'],
  [1812, 'RADIUS'],
  [4789, 'VXLAN'],
  [5353, 'mDNS'],
  [8472, 'flannel VXLAN'],
  [51820, 'WireGuard'],
]);

export function portFindings(analysis: NetpolAnalysis): LintFinding[] {
  const findings: LintFinding[] = [];
  const { inventory } = analysis;
  // Endpoints by the port names they declare, so that a named port is checked against its declarers only.
  const declarersByName = new Map<string, Endpoint[]>();
  const representatives = endpointClasses(analysis).classes.map((endpointClass) => endpointClass.representative);
  for (const endpoint of representatives) {
    for (const name of new Set(endpoint.ports.flatMap((port) => (port.name === null ? [] : [port.name])))) {
      const list = declarersByName.get(name) ?? [];
      list.push(endpoint);
      declarersByName.set(name, list);
    }
  }
  for (const policy of analysis.policies) {
    const targets = (endpointClasses(analysis).byNamespace.get(policy.namespace) ?? [])
      .map((endpointClass) => endpointClass.representative)
      .filter((endpoint) => isPolicySubject(endpoint) && selectorMatches(policy.podSelector, endpoint.labels));
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of rulesOf(policy, direction)) {
        // Where a named port of this rule is resolved: the policy's pods for ingress, the rule's pod
        // peers for egress (every pod when the rule has no \`to\` or has ipBlocks).
        const everyPod = direction === 'egress' && (rule.peers === null || rule.peers.some((peer) => peer.kind === 'ipBlock'));
        const isDestination = (endpoint: Endpoint): boolean =>
          direction === 'ingress'
            ? targets.includes(endpoint)
            : everyPod || (rule.peers?.some((peer) => peer.kind === 'pods' && podPeerMatches(peer, policy.namespace, endpoint, inventory)) ?? false);
        let anyDestination: boolean | undefined;
        const hasDestinations = (): boolean => (anyDestination ??= direction === 'ingress' ? targets.length > 0 : everyPod ? representatives.length > 0 : representatives.some(isDestination));
        for (const port of rule.ports ?? []) {
          const field = portField(rule, port);
          if (typeof port.port === 'number' && port.protocolDefaulted && udpServices.has(port.port)) {
            findings.push(
              policyFinding(
                'netpol.protocol-defaulted',
                'warning',
                policy,
                `${field}.protocol`,
                `port ${port.port} has no protocol, so it is TCP only; ${udpServices.get(port.port)} uses UDP: add a port entry with protocol: UDP`,
              ),
            );
          }
          if (typeof port.port !== 'string') continue;
          const name = port.port;
          const named = (declarersByName.get(name) ?? []).filter(isDestination);
          const declaring = named.filter((endpoint) => endpoint.ports.some((declared) => declared.name === name && declared.protocol === port.protocol));
          if (port.protocolDefaulted && declaring.length === 0) {
            const otherProtocols = named.filter((endpoint) => endpoint.ports.some((declared) => declared.name === name && declared.protocol !== 'TCP'));
            if (otherProtocols.length > 0) {
              const protocols = [...new Set(otherProtocols.flatMap((endpoint) => endpoint.ports.filter((p) => p.name === name).map((p) => p.protocol)))];
              findings.push(
                policyFinding(
                  'netpol.protocol-defaulted',
                  'warning',
                  policy,
                  `${field}.protocol`,
                  `named port ${name} has no protocol, so it is TCP, but ${listSome(otherProtocols.map((endpoint) => endpoint.key))} declare ${name} as ${protocols.join('/')}: the rule matches nothing there; add protocol: ${protocols[0]}`,
                ),
              );
              continue;
            }
          }
          if (declaring.length === 0 && hasDestinations()) {
            findings.push(
              policyFinding(
                'netpol.named-port-undeclared',
                'warning',
                policy,
                `${field}.port`,
                `no ${direction === 'ingress' ? 'pod this policy selects' : 'destination of this rule'} declares a ${port.protocol} container port named ${name}: the port matches nothing`,
              ),
            );
          }
          if (direction === 'egress' && rule.peers === null) {
            const local = (inventory.byNamespace.get(policy.namespace) ?? []).filter(
              (endpoint) => !endpoint.hostNetwork && endpoint.ports.some((declared) => declared.name === name && declared.protocol === port.protocol),
            );
            const numbers = [...new Set(local.flatMap((endpoint) => endpoint.ports.filter((p) => p.name === name && p.protocol === port.protocol).map((p) => p.port)))];
            findings.push(
              policyFinding(
                'netpol.egress-named-port-without-to',
                'warning',
                policy,
                `${field}.port`,
                `egress named port ${name} without \`to\`: by the specification it is resolved on each destination pod and never matches an address outside the cluster`,
                numbers.length === 0
                  ? `k3s (kube-router) resolves it against the pods of namespace ${policy.namespace} only, where none declares it: on k3s this port allows nothing`
                  : `k3s (kube-router) resolves it against the pods of namespace ${policy.namespace} only (${numbers.join(', ')}/${port.protocol}) and then allows that number to every destination, including addresses outside the cluster`,
              ),
            );
          }
        }
      }
    }
  }
  return findings;
}
