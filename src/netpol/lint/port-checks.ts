import type { NetpolAnalysis } from '../analysis.ts';
import type { Endpoint } from '../inventory.ts';
import { selectorMatches } from '../label-selector.ts';
import { portField, rulesOf } from '../policy-model.ts';
import { isPolicySubject, podPeerMatches } from '../semantics.ts';
import { type LintFinding, listSome, policyFinding } from './lint-finding.ts';

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
  for (const policy of analysis.policies) {
    const targets = (inventory.byNamespace.get(policy.namespace) ?? []).filter(
      (endpoint) => isPolicySubject(endpoint) && selectorMatches(policy.podSelector, endpoint.labels),
    );
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of rulesOf(policy, direction)) {
        // The endpoints a named port of this rule is resolved on: the policy's pods for ingress, the
        // rule's pod peers for egress (every pod when the rule has no `to` or has ipBlocks).
        let destinations: readonly Endpoint[] = targets;
        if (direction === 'egress') {
          destinations =
            rule.peers === null || rule.peers.some((peer) => peer.kind === 'ipBlock')
              ? inventory.endpoints
              : inventory.endpoints.filter((endpoint) => rule.peers?.some((peer) => peer.kind === 'pods' && podPeerMatches(peer, policy.namespace, endpoint, inventory)));
        }
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
          const declaring = destinations.filter((endpoint) => endpoint.ports.some((declared) => declared.name === name && declared.protocol === port.protocol));
          if (port.protocolDefaulted && declaring.length === 0) {
            const otherProtocols = destinations.filter((endpoint) => endpoint.ports.some((declared) => declared.name === name && declared.protocol !== 'TCP'));
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
          if (declaring.length === 0 && destinations.length > 0) {
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
