import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bundledComponents, namespacePolicies } from './network-policies.ts';
import { validateGeneratedYaml } from './object-schemas.ts';

const names = (disabled: string[]) => namespacePolicies('kube-system', bundledComponents(disabled)).map((policy) => policy.object.metadata.name);

describe('namespacePolicies', () => {
  it('gives kube-system the policies that keep the bundled components reachable', () => {
    expect(names([])).toEqual([
      'intra-namespace',
      'default-network-dns-policy',
      'allow-all-metrics-server',
      'allow-all-svclbtraefik-ingress',
      'allow-all-traefik-v121-ingress',
    ]);
  });

  it.each([
    [['traefik'], ['intra-namespace', 'default-network-dns-policy', 'allow-all-metrics-server']],
    [['servicelb'], ['intra-namespace', 'default-network-dns-policy', 'allow-all-metrics-server', 'allow-all-traefik-v121-ingress']],
    [['coredns', 'metrics-server', 'traefik'], ['intra-namespace']],
  ])('leaves out what `disable: %j` turns off', (disabled, expected) => {
    expect(names(disabled)).toEqual(expected);
  });

  it('allows DNS on 53/UDP and 53/TCP', () => {
    const dns = namespacePolicies('kube-system', bundledComponents([])).find((policy) => policy.object.metadata.name === 'default-network-dns-policy');
    expect(dns?.object).toMatchObject({ spec: { ingress: [{ ports: [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }] } });
  });

  it('gives other namespaces the intra-namespace policy only', () => {
    const policies = namespacePolicies('default', bundledComponents([]));
    expect(policies).toHaveLength(1);
    expect(policies[0]?.object).toMatchObject({
      metadata: { namespace: 'default' },
      spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } } }] }] },
    });
  });

  it.each(['kube-system', 'default', 'kube-public'])('every policy for %s validates', (namespace) => {
    for (const policy of namespacePolicies(namespace, bundledComponents([]))) expect(validateGeneratedYaml(stringify(policy.object))).toEqual([]);
  });
});
