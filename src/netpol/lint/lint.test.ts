import { describe, expect, it } from 'vitest';
import { analyzeObjects } from '../analysis.ts';
import { namespaceYaml, podYaml, yamlObjects } from '../yaml-objects.fixture.ts';
import { lintPolicies } from './index.ts';

const base = [
  namespaceYaml('web', { team: 'web' }),
  namespaceYaml('kube-system'),
  podYaml('web', 'api', { app: 'api' }, '10.42.0.5', [[8080, 'http']]),
  podYaml('web', 'db', { app: 'db' }, '10.42.0.6', [[5432, 'pg']]),
  podYaml('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, '10.42.0.2', [
    [53, 'dns', 'UDP'],
    [53, 'dns-tcp', 'TCP'],
  ]),
].join('');

const policy = (name: string, spec: string, namespace = 'web'): string => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
${spec
  .trim()
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
`;

const defaultDeny = policy('default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]');
const allowDns = policy(
  'allow-dns',
  `podSelector: {}
policyTypes: [Egress]
egress:
- to:
  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
    podSelector: {matchLabels: {k8s-app: kube-dns}}
  ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]`,
);

function lint(yaml: string) {
  return lintPolicies(analyzeObjects(yamlObjects(yaml)), { namespaces: ['web'] });
}

function found(yaml: string, check: string) {
  return lint(yaml)
    .filter((finding) => finding.check === check)
    .map((finding) => ({ policy: finding.policy, field: finding.field, severity: finding.severity }));
}

describe('netpol lint', () => {
  it('a hardened namespace (default deny + DNS) has no warnings about isolation or DNS', () => {
    const findings = lint(base + defaultDeny + allowDns).filter((finding) => finding.severity !== 'info');
    expect(findings).toEqual([]);
  });

  it('a namespace without policies (CIS 5.3.2)', () => {
    expect(found(base, 'netpol.namespace-without-policies')).toEqual([{ policy: null, field: null, severity: 'warning' }]);
  });

  it('no default deny, and the pods no policy isolates, per direction', () => {
    const yaml = base + policy('api-only', 'podSelector: {matchLabels: {app: api}}\npolicyTypes: [Ingress]');
    expect(found(yaml, 'netpol.no-default-deny')).toHaveLength(2);
    const notIsolated = lint(yaml).filter((finding) => finding.check === 'netpol.not-isolated');
    expect(notIsolated.map((finding) => finding.subjects)).toEqual([['web/db'], ['web/api', 'web/db']]);
  });

  it('egress default deny without DNS: both pods cannot reach kube-dns on UDP and TCP', () => {
    const [finding, ...rest] = lint(base + defaultDeny).filter((candidate) => candidate.check === 'netpol.dns-blocked');
    expect(rest).toEqual([]);
    expect(finding?.subjects).toEqual(['web/api', 'web/db']);
    expect(finding?.message).toContain('53/UDP and 53/TCP');
    expect(finding?.policy).toBe('web/default-deny');
  });

  it('DNS allowed on UDP only (the classic mistake): TCP is reported', () => {
    const udpOnly = policy(
      'allow-dns',
      `podSelector: {}
policyTypes: [Egress]
egress:
- to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
  ports: [{port: 53, protocol: UDP}]`,
    );
    const finding = lint(base + defaultDeny + udpOnly).find((candidate) => candidate.check === 'netpol.dns-blocked');
    expect(finding?.message).toContain('cannot reach kube-dns on 53/TCP:');
  });

  it('DNS judged against k3s CoreDNS when kube-dns is not in the input', () => {
    const yaml = [namespaceYaml('web'), podYaml('web', 'api', { app: 'api' }, '10.42.0.5'), defaultDeny, allowDns].join('');
    expect(lint(yaml).filter((finding) => finding.check === 'netpol.dns-blocked')).toEqual([]);
    const finding = lint([namespaceYaml('web'), podYaml('web', 'api', { app: 'api' }), defaultDeny].join('')).find(
      (candidate) => candidate.check === 'netpol.dns-blocked',
    );
    expect(finding?.message).toContain("judged against k3s's CoreDNS");
  });

  it('a policy that selects nothing and a peer that selects nothing', () => {
    const yaml =
      base +
      policy(
        'ghost',
        `podSelector: {matchLabels: {app: ghost}}
ingress:
- from:
  - podSelector: {matchLabels: {app: nobody}}
  - namespaceSelector: {matchLabels: {team: nobody}}`,
      );
    expect(found(yaml, 'netpol.policy-selects-nothing')).toEqual([{ policy: 'web/ghost', field: 'spec.podSelector', severity: 'warning' }]);
    expect(found(yaml, 'netpol.peer-selects-nothing')).toEqual([
      { policy: 'web/ghost', field: 'spec.ingress[0].from[0]', severity: 'warning' },
      { policy: 'web/ghost', field: 'spec.ingress[0].from[1]', severity: 'warning' },
    ]);
  });

  it('port 53 without protocol (TCP only) and a named port declared only for UDP', () => {
    const yaml =
      base +
      policy(
        'dns-wrong',
        `podSelector: {}
policyTypes: [Egress]
egress:
- to: [{namespaceSelector: {}}]
  ports: [{port: 53}]
- to: [{namespaceSelector: {}}]
  ports: [{port: dns}]`,
      );
    expect(found(yaml, 'netpol.protocol-defaulted')).toEqual([
      { policy: 'web/dns-wrong', field: 'spec.egress[0].ports[0].protocol', severity: 'warning' },
      { policy: 'web/dns-wrong', field: 'spec.egress[1].ports[0].protocol', severity: 'warning' },
    ]);
  });

  it('a named port no destination declares, and an egress named port without `to` (k3s)', () => {
    const yaml =
      base +
      policy(
        'named',
        `podSelector: {matchLabels: {app: db}}
ingress:
- ports: [{port: metrics}]
egress:
- ports: [{port: http}]`,
      );
    expect(found(yaml, 'netpol.named-port-undeclared')).toEqual([{ policy: 'web/named', field: 'spec.ingress[0].ports[0].port', severity: 'warning' }]);
    const k3s = lint(yaml).find((finding) => finding.check === 'netpol.egress-named-port-without-to');
    expect(k3s?.field).toBe('spec.egress[0].ports[0].port');
    expect(k3s?.k3s).toContain('8080/TCP');
  });

  it('0.0.0.0/0, ::/0 (k3s narrower), the pod and service ranges, and host bits', () => {
    const yaml =
      base +
      policy(
        'blocks',
        `podSelector: {}
policyTypes: [Egress]
egress:
- to:
  - ipBlock: {cidr: 0.0.0.0/0}
  - ipBlock: {cidr: "::/0"}
  - ipBlock: {cidr: 10.0.0.0/8}
  - ipBlock: {cidr: 10.43.0.10/32}
  - ipBlock: {cidr: 192.168.1.7/24}`,
      );
    const findings = lint(yaml);
    expect(findings.filter((finding) => finding.check === 'netpol.ipblock-everything').map((finding) => finding.field)).toEqual([
      'spec.egress[0].to[0].ipBlock.cidr',
      'spec.egress[0].to[1].ipBlock.cidr',
    ]);
    expect(findings.find((finding) => finding.field === 'spec.egress[0].to[1].ipBlock.cidr')?.k3s).toContain('2000::/3');
    expect(findings.filter((finding) => finding.check === 'netpol.ipblock-covers-cluster').map((finding) => finding.field)).toEqual([
      'spec.egress[0].to[2].ipBlock',
      'spec.egress[0].to[2].ipBlock',
      'spec.egress[0].to[3].ipBlock',
    ]);
    expect(findings.find((finding) => finding.check === 'netpol.ipblock-ambiguous-cidr')?.message).toBe(
      'CIDR value "192.168.1.7/24" is ambiguous in this context (should be "192.168.1.0/24" or "192.168.1.7/32"?): it means 192.168.1.0/24',
    );
  });

  it('AND/OR confusion between namespaceSelector and podSelector items', () => {
    const yaml =
      base +
      policy(
        'or',
        `podSelector: {}
ingress:
- from:
  - namespaceSelector: {matchLabels: {team: web}}
  - podSelector: {matchLabels: {app: api}}`,
      );
    expect(found(yaml, 'netpol.and-or-confusion')).toEqual([{ policy: 'web/or', field: 'spec.ingress[0].from[0]', severity: 'warning' }]);
  });

  it('ports without from (open to the Internet) and an allow-all rule', () => {
    const yaml = base + policy('open', 'podSelector: {}\ningress:\n- ports: [{port: 8080}]\n- {}');
    expect(found(yaml, 'netpol.open-to-all')).toEqual([{ policy: 'web/open', field: 'spec.ingress[0].from', severity: 'warning' }]);
    expect(found(yaml, 'netpol.allow-all-rule')).toEqual([{ policy: 'web/open', field: 'spec.ingress[1]', severity: 'info' }]);
  });

  it('policyTypes defaulted, and egress rules ignored without Egress', () => {
    const yaml = base + policy('types', 'podSelector: {}\npolicyTypes: [Ingress]\negress:\n- {}') + policy('defaulted', 'podSelector: {}');
    expect(found(yaml, 'netpol.policy-types')).toEqual([
      { policy: 'web/types', field: 'spec.egress', severity: 'warning' },
      { policy: 'web/defaulted', field: 'spec.policyTypes', severity: 'info' },
    ]);
  });

  it('a policy made redundant by another, but not the one that covers it', () => {
    const narrow = policy('narrow', 'podSelector: {matchLabels: {app: api}}\npolicyTypes: [Ingress]\ningress:\n- from: [{podSelector: {matchLabels: {app: db}}}]\n  ports: [{port: 8080}]');
    const wide = policy('wide', 'podSelector: {}\npolicyTypes: [Ingress]\ningress:\n- from: [{podSelector: {}}]');
    const findings = found(base + narrow + wide, 'netpol.redundant-policy');
    expect(findings).toEqual([{ policy: 'web/narrow', field: null, severity: 'info' }]);
  });

  it('an invalid policy is an error naming its field; the rest is still linted', () => {
    const yaml = base + policy('bad', 'podSelector: {}\ningress:\n- from: [{}]') + defaultDeny + allowDns;
    const findings = lint(yaml);
    expect(findings[0]).toMatchObject({ check: 'netpol.invalid', severity: 'error', policy: 'web/bad', field: 'spec.ingress[0].from[0]' });
    expect(findings[0]?.message).toContain('spec.ingress[0].from[0]: Required value: must specify a peer');
    expect(findings.filter((finding) => finding.severity === 'warning')).toEqual([]);
  });
});
