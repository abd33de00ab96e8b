import { describe, expect, it } from 'vitest';
import { judge, type Scan } from './verdict.ts';
import { testCluster } from './test-cluster.fixture.ts';

const text = { expected: 'nothing bad', found: (n: number) => `${n} bad things`, clean: 'no bad thing', byHand: 'the rest.' };
const offence = { subject: 'Pod a/b: x', value: 'true', source: { kind: 'api-object' as const, detail: 'Pod a/b' } };
const scan = (overrides: Partial<Scan>): Scan => ({ offences: [], gaps: [], examined: 3, what: 'pods', notes: [], ...overrides });
const input = testCluster([]);

describe('judge', () => {
  it.each([
    ['automated', scan({ offences: [offence] }), 'FAIL'],
    ['manual-audited', scan({ offences: [offence] }), 'WARN'],
    ['manual', scan({ offences: [offence] }), 'WARN'],
    ['automated', scan({}), 'PASS'],
    ['manual-audited', scan({}), 'PASS'],
    ['manual', scan({}), 'WARN'],
    ['automated', scan({ gaps: ['kharden could not list pods: forbidden'] }), 'UNKNOWN'],
    ['manual', scan({ gaps: ['kharden could not list pods: forbidden'] }), 'UNKNOWN'],
    ['automated', scan({ offences: [offence], gaps: ['some pods unreadable'] }), 'FAIL'],
    ['automated', scan({ examined: 0 }), 'N/A'],
    ['manual', scan({ examined: 0, alwaysApplicable: true }), 'WARN'],
    ['automated', scan({ examined: 0, alwaysApplicable: true }), 'UNKNOWN'],
  ] as const)('%s with %o is %s', (assessment, given, status) => {
    expect(judge(given, assessment, text, input).status).toBe(status);
  });

  it('never passes without evidence of what was examined', () => {
    const verdict = judge(scan({}), 'automated', text, input);
    expect(verdict.evidence).toEqual([{ subject: 'pods examined', value: '3', source: { kind: 'kharden' } }]);
  });

  it('names the missing permission when it cannot judge', () => {
    const verdict = judge(scan({ gaps: ['kharden could not list pods cluster-wide: forbidden (needs `list pods` cluster-wide)'] }), 'automated', text, input);
    expect(verdict.reason).toContain('needs `list pods`');
  });

  it('caps long evidence lists and says how many were left out', () => {
    const many = Array.from({ length: 5 }, (_, index) => ({ ...offence, subject: `Pod a/p${index}: x` }));
    const verdict = judge(scan({ offences: many }), 'automated', text, input, 2);
    expect(verdict.evidence.map((evidence) => evidence.subject)).toEqual(['Pod a/p0: x', 'Pod a/p1: x', 'and 3 more']);
    expect(verdict.reason).toMatch(/^5 bad things/);
  });

  it('says what a person must still check for a manual control', () => {
    expect(judge(scan({}), 'manual', text, input).reason).toBe('kharden found no bad thing; this control is manual. Check by hand: the rest.');
  });
});
