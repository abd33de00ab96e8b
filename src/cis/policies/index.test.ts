import { describe, expect, it } from 'vitest';
import { auditClusterPolicies, policyControls, policyControlsById, sectionFiveCatalogs } from './index.ts';
import { namespace, pod, podSpec, serviceAccount, testCluster } from './test-cluster.fixture.ts';

describe('section-5 catalogs', () => {
  it('name only implementations that exist, each once per benchmark', () => {
    for (const [benchmark, entries] of Object.entries(sectionFiveCatalogs)) {
      for (const entry of entries) expect(policyControlsById.has(entry.implementation), `${benchmark} ${entry.id}`).toBe(true);
      expect(new Set(entries.map((entry) => entry.id)).size, benchmark).toBe(entries.length);
    }
    expect(new Set(policyControls.map((control) => control.id)).size).toBe(policyControls.length);
  });

  it.each([
    ['k3s-cis-1.9', 35, ['5.2.9', 'added-capabilities'], ['5.7.4', 'default-namespace-use']],
    ['k3s-cis-1.12', 34, ['5.2.9', 'assigned-capabilities'], ['5.6.4', 'default-namespace-use']],
    ['k3s-cis-2.1', 36, ['5.1.14', 'nodes-proxy-fine-grained'], ['5.2.13', 'unmasked-proc-mount']],
  ] as const)('%s has %i entries, numbered as the benchmark numbers them', (benchmark, size, first, second) => {
    const entries = sectionFiveCatalogs[benchmark] ?? [];
    expect(entries).toHaveLength(size);
    for (const [id, implementation] of [first, second]) expect(entries.find((entry) => entry.id === id)?.implementation).toBe(implementation);
  });
});

describe('auditClusterPolicies', () => {
  it('gives one finding per catalog entry, grouped into the 5.x sections, with the benchmark assessment applied', () => {
    const facts = testCluster([namespace('shop'), serviceAccount('shop', 'default'), pod('shop', 'p', podSpec({ hostPID: true }))]).facts;
    const v19 = auditClusterPolicies(facts, 'k3s-cis-1.9');
    expect(v19.map((section) => section.id)).toEqual(['5.1', '5.2', '5.3', '5.4', '5.5', '5.7']);
    const find = (sections: typeof v19, id: string) => sections.flatMap((section) => section.findings).find((finding) => finding.id === id);
    expect(find(v19, '5.1.5')).toMatchObject({ status: 'FAIL', type: 'automated', scored: true, target: 'policies', section: '5.1' });
    expect(find(v19, '5.2.3')).toMatchObject({ status: 'WARN', type: 'manual' });
    const v112 = auditClusterPolicies(facts, 'k3s-cis-1.12');
    expect(find(v112, '5.1.5')).toMatchObject({ status: 'WARN', type: 'manual' });
    expect(find(v112, '5.2.4')).toMatchObject({ status: 'PASS' });
  });
});
