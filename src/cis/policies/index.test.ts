import { describe, expect, it } from 'vitest';
import { policyImplementationIds } from '../benchmarks/policy-implementations.ts';
import { benchmarks } from '../benchmarks/index.ts';
import { auditCluster } from './cluster-audit.ts';
import { policyControls, policyControlsById } from './index.ts';
import { namespace, pod, podSpec, serviceAccount, testCluster } from './test-cluster.fixture.ts';
import { assessmentOf } from './verdict.ts';

describe('section-5 implementations', () => {
  it('are exactly the policy ids the benchmark catalogs name', () => {
    expect(policyControls.map((control) => control.id).sort()).toEqual([...policyImplementationIds].sort());
    for (const benchmark of benchmarks) {
      for (const entry of benchmark.controls.filter((control) => control.target === 'policies')) {
        expect(policyControlsById.has(entry.implementation), `${benchmark.id} ${entry.id}`).toBe(true);
      }
    }
  });

  it.each([
    ['k3s-cis-1.9', 'policy.cluster-admin-usage', 'automated'],
    ['k3s-cis-1.9', 'policy.privileged-containers', 'manual'],
    ['k3s-cis-1.12', 'policy.cluster-admin-usage', 'manual-audited'],
    ['k3s-cis-1.12', 'policy.privileged-containers', 'manual-audited'],
    ['k3s-cis-1.12', 'policy.host-ports', 'manual'],
    ['k3s-cis-2.1', 'policy.default-service-accounts', 'manual'],
  ] as const)('%s treats %s as %s', (benchmark, implementation, assessment) => {
    expect(assessmentOf({ id: benchmark, params: {} }, implementation, 'manual')).toBe(assessment);
  });
});

describe('section 5 through the engine', () => {
  it('gives one finding per catalog entry, grouped into the 5.x sections, with the benchmark assessment applied', () => {
    const facts = testCluster([namespace('shop'), serviceAccount('shop', 'default'), pod('shop', 'p', podSpec({ hostPID: true }))]).facts;
    const v19 = auditCluster(facts, { benchmark: 'k3s-cis-1.9' }).sections;
    expect(v19.map((section) => section.id)).toEqual(['5.1', '5.2', '5.3', '5.4', '5.5', '5.7']);
    const find = (sections: typeof v19, id: string) => sections.flatMap((section) => section.findings).find((finding) => finding.id === id);
    expect(find(v19, '5.1.5')).toMatchObject({ status: 'FAIL', type: 'automated', scored: true, target: 'policies', section: '5.1' });
    expect(find(v19, '5.2.3')).toMatchObject({ status: 'WARN', type: 'manual' });
    const v112 = auditCluster(facts, { benchmark: 'k3s-cis-1.12' }).sections;
    expect(find(v112, '5.2.3')).toMatchObject({ status: 'WARN', type: 'manual' });
    expect(find(v112, '5.2.4')).toMatchObject({ status: 'PASS' });
    const v21 = auditCluster(facts, { benchmark: 'k3s-cis-2.1' }).sections;
    expect(v21.flatMap((section) => section.findings)).toHaveLength(36);
  });
});
