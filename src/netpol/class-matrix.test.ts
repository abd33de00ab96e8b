import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { analyzeObjects } from './analysis.ts';
import { buildClassMatrix } from './class-matrix.ts';
import { caseObjects, loadConformanceCases } from './conformance-case.fixture.ts';
import { evaluateFlow } from './flow-evaluation.ts';
import { pairAllowance } from './pair-evaluation.ts';
import { type Protocol, portSetContains, portSetKey, protocols } from './port-set.ts';
import { randomClusterArb } from './random-cluster.fixture.ts';
import type { Semantics } from './semantics.ts';

const semanticsArb = fc.constantFrom<Semantics>('spec', 'kube-router');

describe('class matrix', () => {
  test.prop([randomClusterArb, semanticsArb], { numRuns: 300 })('every pair gets exactly the naive pod-by-pod answer', (objects, semantics) => {
    const analysis = analyzeObjects(objects);
    const matrix = buildClassMatrix(analysis, semantics);
    const endpoints = analysis.inventory.endpoints;
    for (const from of endpoints) {
      for (const to of endpoints) {
        const naive = pairAllowance(analysis, semantics, from, to);
        const fast = matrix.allowance(from, to);
        expect([from.key, to.key, portSetKey(fast.sure), portSetKey(fast.possible)]).toEqual([
          from.key,
          to.key,
          portSetKey(naive.sure),
          portSetKey(naive.possible),
        ]);
      }
    }
  });

  test.prop(
    [randomClusterArb, semanticsArb, fc.constantFrom<Protocol>(...protocols), fc.integer({ min: 78, max: 83 }), fc.nat(), fc.nat()],
    { numRuns: 500 },
  )('the explained verdict of one flow agrees with the pair allowance', (objects, semantics, protocol, port, i, j) => {
    const analysis = analyzeObjects(objects);
    const endpoints = analysis.inventory.endpoints;
    fc.pre(endpoints.length > 0);
    const from = endpoints[i % endpoints.length];
    const to = endpoints[j % endpoints.length];
    if (from === undefined || to === undefined) return;
    const allowance = pairAllowance(analysis, semantics, from, to);
    const expected = portSetContains(allowance.sure, protocol, port) ? 'yes' : portSetContains(allowance.possible, protocol, port) ? 'maybe' : 'no';
    expect(evaluateFlow(analysis, { from, to, port, protocol }, semantics).allowed).toBe(expected);
  });

  it('groups the nine pods of an upstream case into classes and answers its probes', () => {
    const testCase = loadConformanceCases().find((candidate) => candidate.name === 'e2e-10-podselector-and-nsselector');
    if (testCase === undefined) throw new Error('case missing');
    const analysis = analyzeObjects(caseObjects(testCase));
    const matrix = buildClassMatrix(analysis, 'spec');
    // x/a is the target; pod=b differs from pod=a/c; namespaces differ: fewer classes than pods is not
    // guaranteed here, but every probe must hold.
    for (const probe of testCase.probes) {
      const from = analysis.inventory.byKey.get(probe.from);
      const to = analysis.inventory.byKey.get(probe.to);
      if (from === undefined || to === undefined) throw new Error('endpoint missing');
      expect(portSetContains(matrix.allowance(from, to).sure, probe.protocol as Protocol, probe.port)).toBe(probe.expect);
    }
  });

  it('puts replicas of one deployment in one class even with different IPs', () => {
    const pod = (name: string, ip: string) => ({
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'web', labels: { app: 'web', 'pod-template-hash': 'abc', 'statefulset.kubernetes.io/pod-name': name } },
        spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
        status: { podIP: ip },
      },
      origin: { kind: 'file' as const, path: 'm.yaml', document: 0, line: 1 },
    });
    const analysis = analyzeObjects([pod('a', '10.42.0.1'), pod('b', '10.42.0.2'), pod('c', '10.42.0.3')]);
    expect(buildClassMatrix(analysis, 'spec').classes).toHaveLength(1);
  });
});
