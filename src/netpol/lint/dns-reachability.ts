import type { NetpolAnalysis } from '../analysis.ts';
import type { Endpoint } from '../inventory.ts';
import { selectorMatches } from '../label-selector.ts';
import { pairAllowance } from '../pair-evaluation.ts';
import { type Protocol, portSetContains } from '../port-set.ts';
import { isPolicySubject, isolatingPolicies } from '../semantics.ts';
import { type LintFinding, endpointClasses, listSome } from './lint-finding.ts';

/**
 * netpol.dns-blocked: an egress-isolated pod that cannot reach kube-dns (k3s: CoreDNS pods in kube-system
 * labelled k8s-app=kube-dns) on 53/UDP or on 53/TCP. Judged against the real CoreDNS pods when they are in
 * the input, else against k3s's CoreDNS as it is deployed (its labels and ports, address unknown).
 */
export const kubeDnsNamespace = 'kube-system';
export const kubeDnsLabels = { 'k8s-app': 'kube-dns' } as const;

export function k3sCoreDnsEndpoint(): Endpoint {
  return {
    key: 'kube-system/coredns (k3s default)',
    kind: 'workload',
    namespace: kubeDnsNamespace,
    name: 'coredns',
    workload: { kind: 'Deployment', name: 'coredns' },
    labels: { ...kubeDnsLabels },
    ips: [],
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ],
    hostNetwork: false,
    replicas: 1,
    origin: null,
  };
}

export function dnsFindings(analysis: NetpolAnalysis): LintFinding[] {
  const inInput = (analysis.inventory.byNamespace.get(kubeDnsNamespace) ?? []).filter((endpoint) =>
    selectorMatches({ matchLabels: kubeDnsLabels, matchExpressions: [] }, endpoint.labels),
  );
  const dnsEndpoints = inInput.length > 0 ? inInput : [k3sCoreDnsEndpoint()];
  const assumed = inInput.length === 0 ? ' (kube-dns pods are not in the input: judged against k3s\'s CoreDNS, kube-system pods labelled k8s-app=kube-dns)' : '';
  // Group sources by (namespace, which protocols fail, isolating policies) so that one finding covers a workload's pods.
  const groups = new Map<string, { namespace: string; protocols: Protocol[]; policies: string[]; subjects: string[]; reason: string }>();
  for (const endpointClass of endpointClasses(analysis).classes) {
    const source = endpointClass.representative;
    if (!isPolicySubject(source)) continue;
    const egressPolicies = isolatingPolicies(analysis.policiesByNamespace, source, 'egress');
    if (egressPolicies.length === 0) continue;
    const failing: Protocol[] = [];
    let ingressBlocks = false;
    for (const protocol of ['UDP', 'TCP'] as const) {
      const reachable = dnsEndpoints.some((dns) => dns !== source && portSetContains(pairAllowance(analysis, 'spec', source, dns).sure, protocol, 53));
      if (!reachable) {
        failing.push(protocol);
        // Does the source's egress allow it, so that the DNS side's ingress is what blocks?
        ingressBlocks ||= dnsEndpoints.some((dns) => isolatingPolicies(analysis.policiesByNamespace, dns, 'ingress').length > 0);
      }
    }
    if (failing.length === 0) continue;
    const policies = egressPolicies.map((policy) => policy.key);
    const reason = ingressBlocks ? ' (or the ingress policies of kube-dns do not admit it)' : '';
    const key = [source.namespace, failing.join('+'), policies.join(','), reason].join('|');
    const group = groups.get(key) ?? { namespace: source.namespace, protocols: failing, policies, subjects: [], reason };
    group.subjects.push(...endpointClass.members.map((member) => member.key));
    groups.set(key, group);
  }
  return [...groups.values()].map(
    (group): LintFinding => ({
      check: 'netpol.dns-blocked',
      severity: 'error',
      namespace: group.namespace,
      policy: group.policies[0] ?? null,
      field: 'spec.egress',
      subjects: group.subjects,
      message: `${listSome(group.subjects)} cannot reach kube-dns on ${group.protocols.map((protocol) => `53/${protocol}`).join(' and ')}: their egress is isolated by ${group.policies.join(', ')} and no egress rule allows it${group.reason}${assumed}; add an egress rule to namespaceSelector kubernetes.io/metadata.name=kube-system AND podSelector k8s-app=kube-dns on 53/UDP and 53/TCP`,
      k3s: null,
      origin: analysis.policies.find((policy) => policy.key === group.policies[0])?.origin ?? null,
    }),
  );
}
