import { describeAddressSet, intersectAddresses, isEmptyAddressSet, isSubsetOf } from '../address-set.ts';
import type { NetpolAnalysis } from '../analysis.ts';
import { formatCidr, formatIp, parseIp } from '../ip-address.ts';
import { peerField, rulesOf } from '../policy-model.ts';
import { k3sIpv6Everything } from '../semantics.ts';
import { type LintFinding, policyFinding } from './lint-finding.ts';

/**
 * netpol.ipblock-everything: an ipBlock of 0.0.0.0/0 or ::/0 (every address; on k3s ::/0 is narrower).
 * netpol.ipblock-covers-cluster: an ipBlock containing or overlapping the pod range (it then matches pods
 *   too, as k3s does) or the service range (ClusterIPs never match: policies see translated traffic).
 * netpol.ipblock-ambiguous-cidr: host bits set (`10.0.0.5/8`): valid, but the API server warns.
 */
export function ipBlockFindings(analysis: NetpolAnalysis): LintFinding[] {
  const findings: LintFinding[] = [];
  const podRange = describeAddressSet(analysis.podAddresses);
  const serviceRange = describeAddressSet(analysis.serviceAddresses);
  for (const policy of analysis.policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of rulesOf(policy, direction)) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'ipBlock') continue;
          const field = `${peerField(rule, peer)}.ipBlock`;
          const cidr = peer.parsedCidr;
          if (cidr.hostBitsSet) {
            const address = parseIp(peer.cidr.slice(0, peer.cidr.indexOf('/')));
            const single = `${address === undefined ? formatIp(cidr.family, cidr.base) : formatIp(address.family, address.value)}/${cidr.family === 4 ? 32 : 128}`;
            findings.push(
              policyFinding(
                'netpol.ipblock-ambiguous-cidr',
                'warning',
                policy,
                `${field}.cidr`,
                `CIDR value ${JSON.stringify(peer.cidr)} is ambiguous in this context (should be "${formatCidr(cidr)}" or "${single}"?): it means ${formatCidr(cidr)}`,
              ),
            );
          }
          if (cidr.prefix === 0) {
            const what = direction === 'ingress' ? 'from every address, including the Internet' : 'to every address, including the Internet';
            findings.push(
              policyFinding(
                'netpol.ipblock-everything',
                'warning',
                policy,
                `${field}.cidr`,
                `ipBlock ${peer.cidr}${peer.except.length > 0 ? ` except ${peer.except.join(', ')}` : ''} allows ${what}, and every pod of the cluster too (pod addresses are in it)`,
                cidr.family === 6 ? `k3s (kube-router) enforces ::/0 as ${describeAddressSet(k3sIpv6Everything)} only` : null,
              ),
            );
            continue;
          }
          const pods = intersectAddresses(peer.addresses, analysis.podAddresses);
          if (!isEmptyAddressSet(pods)) {
            const whole = isSubsetOf(analysis.podAddresses, peer.addresses);
            findings.push(
              policyFinding(
                'netpol.ipblock-covers-cluster',
                'warning',
                policy,
                field,
                whole
                  ? `ipBlock ${peer.cidr} covers the whole pod range ${podRange}: it matches every pod of the cluster, not only outside addresses (k3s matches pod addresses against ipBlocks)`
                  : `ipBlock ${peer.cidr} covers part of the pod range ${podRange} (${describeAddressSet(pods)}): pods with those addresses match it, whichever namespace they are in, and pod addresses change`,
              ),
            );
          }
          const services = intersectAddresses(peer.addresses, analysis.serviceAddresses);
          if (!isEmptyAddressSet(services)) {
            findings.push(
              policyFinding(
                'netpol.ipblock-covers-cluster',
                'warning',
                policy,
                field,
                `ipBlock ${peer.cidr} covers ${isSubsetOf(analysis.serviceAddresses, peer.addresses) ? 'the service range' : 'part of the service range'} ${serviceRange}: ClusterIPs never match, because policies see traffic after the Service address is translated to a pod address; select the pods instead`,
              ),
            );
          }
        }
      }
    }
  }
  return findings;
}
