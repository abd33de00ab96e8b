import { describe, expect, it } from 'vitest';
import { analyzeObjects } from './analysis.ts';
import { caseObjects, loadConformanceCases } from './conformance-case.fixture.ts';
import { evaluateFlow } from './flow-evaluation.ts';
import type { Endpoint } from './inventory.ts';
import type { Protocol } from './port-set.ts';

const cases = loadConformanceCases();

describe('upstream e2e NetworkPolicy conformance (test/conformance/netpol)', () => {
  it('has all 59 cases and 4752 probes', () => {
    expect(cases).toHaveLength(59);
    expect(cases.reduce((sum, testCase) => sum + testCase.probes.length, 0)).toBe(4752);
  });

  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s: every probe answered as upstream expects', (_name, testCase) => {
    const analysis = analyzeObjects(caseObjects(testCase));
    expect(analysis.problems).toEqual([]);
    const endpoint = (key: string): Endpoint => {
      const found = analysis.inventory.byKey.get(key);
      if (found === undefined) throw new Error(`no endpoint ${key}`);
      return found;
    };
    const wrong = testCase.probes.flatMap((probe) => {
      const verdict = evaluateFlow(
        analysis,
        { from: endpoint(probe.from), to: endpoint(probe.to), port: probe.port, protocol: probe.protocol as Protocol },
        'spec',
      );
      const answer = verdict.allowed === 'yes';
      return answer === probe.expect ? [] : [`${probe.from} -> ${probe.to} ${probe.port}/${probe.protocol}: expected ${probe.expect}, got ${verdict.allowed}`];
    });
    expect(wrong).toEqual([]);
  });
});
