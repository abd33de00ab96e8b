import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { SourcedObject } from '../facts/kube-object.ts';
import { checkSuggestion } from '../netpol/suggest-check.ts';
import { bundledComponents, namespacePolicies } from './network-policies.ts';

const pod = (namespace: string, name: string, labels: Record<string, string>): SourcedObject => ({
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'c', image: 'x' }] } },
  origin: { kind: 'file', path: 'test.yaml', document: 0, line: 1 },
});
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

  it.each(['kube-system', 'default', 'tenant'])('leaves %s isolated for ingress with DNS still reachable (netpol analysis)', (namespace) => {
    const pods: SourcedObject[] = [
      pod(namespace, 'app', { app: 'web' }),
      pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }),
    ];
    const generated = [...new Set([namespace, 'kube-system'])].flatMap((ns) => namespacePolicies(ns, bundledComponents([])));
    const check = checkSuggestion(namespace, pods, generated);
    expect(check.invalid).toEqual([]);
    expect(check.notIsolated.ingress).toEqual([]);
    expect(check.dnsBlocked).toEqual([]);
  });
});
