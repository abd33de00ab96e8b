import { fc } from '@fast-check/vitest';
import type { KubeObject, SourcedObject } from '../facts/kube-object.ts';

/**
 * Small random clusters for property tests: few namespaces, labels and addresses, so that selectors,
 * named ports and ipBlocks collide often. Policies are random but mostly valid.
 */
const labelKey = fc.constantFrom('app', 'tier', 'team');
const labelValue = fc.constantFrom('a', 'b', 'c');
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const protocol = fc.constantFrom('TCP', 'UDP', 'SCTP');
const portName = fc.constantFrom('http', 'dns', 'metrics');
const namespaceNames = ['ns-a', 'ns-b', 'ns-c'] as const;
const namespaceName = fc.constantFrom(...namespaceNames);

const selector = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }) }),
  fc.record({
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(labelValue, { minLength: 1, maxLength: 2 }) }),
        fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ),
      { minLength: 1, maxLength: 2 },
    ),
  }),
);

const cidr = fc.oneof(
  fc.constantFrom('10.42.0.0/16', '10.42.0.0/24', '10.42.1.0/24', '0.0.0.0/0', '10.42.0.0/30', '192.168.0.0/16', '::/0', 'fd00::/8'),
  fc.integer({ min: 0, max: 7 }).map((host) => `10.42.0.${host}/32`),
);
const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: fc.oneof(selector, fc.record({ matchLabels: fc.record({ 'kubernetes.io/metadata.name': namespaceName }) })) }),
  fc.record({ podSelector: selector, namespaceSelector: selector }),
  fc.record({
    ipBlock: fc.oneof(
      fc.record({ cidr }),
      fc.constantFrom(
        { cidr: '10.42.0.0/16', except: ['10.42.0.0/30'] },
        { cidr: '10.42.0.0/24', except: ['10.42.0.1/32', '10.42.0.4/31'] },
        { cidr: '0.0.0.0/0', except: ['10.42.0.0/16'] },
      ),
    ),
  }),
);
const port = fc.oneof(
  fc.record({ port: fc.integer({ min: 79, max: 82 }) }),
  fc.record({ protocol, port: fc.integer({ min: 79, max: 82 }) }),
  fc.record({ protocol, port: fc.integer({ min: 79, max: 80 }), endPort: fc.integer({ min: 80, max: 82 }) }),
  fc.record({ protocol }),
  fc.record({ protocol, port: portName }),
  fc.record({ port: portName }),
);
const rule = (peersKey: 'from' | 'to') =>
  fc.record(
    { [peersKey]: fc.array(peer, { minLength: 0, maxLength: 3 }), ports: fc.array(port, { minLength: 0, maxLength: 2 }) },
    { requiredKeys: [] },
  );
const policySpec = fc.record(
  {
    podSelector: selector,
    ingress: fc.array(rule('from'), { maxLength: 2 }),
    egress: fc.array(rule('to'), { maxLength: 2 }),
    policyTypes: fc.oneof(fc.constant(['Ingress']), fc.constant(['Egress']), fc.constant(['Ingress', 'Egress'])),
  },
  { requiredKeys: ['podSelector'] },
);

const endpointArb = fc.record({
  kind: fc.constantFrom('pod', 'pod', 'pod', 'template', 'host'),
  namespace: namespaceName,
  labels,
  ip: fc.integer({ min: 0, max: 7 }),
  ipv6: fc.boolean(),
  ports: fc.array(fc.record({ name: fc.option(portName, { nil: undefined }), containerPort: fc.integer({ min: 79, max: 82 }), protocol }), {
    maxLength: 3,
  }),
});

export const randomClusterArb: fc.Arbitrary<SourcedObject[]> = fc
  .record({
    namespaceLabels: fc.tuple(labels, labels, labels),
    endpoints: fc.array(endpointArb, { minLength: 1, maxLength: 8 }),
    policies: fc.array(fc.record({ namespace: namespaceName, spec: policySpec }), { maxLength: 5 }),
  })
  .map(({ namespaceLabels, endpoints, policies }) => {
    const objects: KubeObject[] = namespaceNames.map((name, index) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: namespaceLabels[index] ?? {} },
    }));
    endpoints.forEach((endpoint, index) => {
      // Unique ports per name and protocol on one pod, as the API requires for names.
      const seen = new Set<string>();
      const ports = endpoint.ports.filter((p) => {
        const key = p.name ?? `#${p.containerPort}/${p.protocol}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const podSpec = { hostNetwork: endpoint.kind === 'host', containers: [{ name: 'c', ports }] };
      if (endpoint.kind === 'template') {
        objects.push({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: `w${index}`, namespace: endpoint.namespace },
          spec: { replicas: 2, template: { metadata: { labels: endpoint.labels }, spec: podSpec } },
        });
        return;
      }
      const address = endpoint.ipv6 ? `fd00::${endpoint.ip}` : `10.42.0.${endpoint.ip}`;
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${index}`, namespace: endpoint.namespace, labels: endpoint.labels },
        spec: podSpec,
        status: { phase: 'Running', podIP: address },
      });
    });
    policies.forEach((policy, index) => {
      objects.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `np${index}`, namespace: policy.namespace },
        spec: policy.spec,
      });
    });
    return objects.map((object, index): SourcedObject => ({ object, origin: { kind: 'file', path: 'random.yaml', document: index, line: 1 } }));
  });
