import { describe, expect, it } from 'vitest';
import { evaluate, namespaceCoverage } from './index.ts';
import { namespaceYaml, podYaml, yamlObjects } from './yaml-objects.fixture.ts';

const objects = yamlObjects(
  [
    namespaceYaml('web'),
    namespaceYaml('empty'),
    podYaml('web', 'api', { app: 'api' }, '10.42.0.5', [[8080, 'http']]),
    podYaml('web', 'client', { app: 'client' }, '10.42.0.6'),
    `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: web}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: http}]}]
`,
  ].join(''),
);

describe('netpol public API', () => {
  it('evaluate: one flow from objects, by name and by named port', () => {
    const result = evaluate(objects, { from: 'web/client', to: 'web/api', port: 'http' });
    expect(result.ok && result.pairs.map((pair) => [pair.port, pair.explanation.verdict.allowed])).toEqual([[8080, 'yes']]);
    const denied = evaluate(objects, { from: '203.0.113.9', to: 'web/api', port: 8080 });
    expect(denied.ok && denied.pairs[0]?.explanation.verdict.allowed).toBe('no');
    expect(evaluate(objects, { from: 'web/nobody', to: 'web/api', port: 80 })).toMatchObject({ ok: false });
  });

  it('namespaceCoverage: CIS 5.3.2 per namespace, with evidence', () => {
    const coverage = namespaceCoverage(objects);
    expect(coverage.map((entry) => [entry.namespace, entry.hasPolicies, entry.ingress.notIsolated, entry.ingress.defaultDeny])).toEqual([
      ['empty', false, [], []],
      ['web', true, ['web/client'], []],
    ]);
    expect(coverage[1]?.evidence[0]).toMatchObject({ subject: 'Namespace web NetworkPolicies', value: '1: api', source: { kind: 'api-object', path: 'test.yaml' } });
  });
});
