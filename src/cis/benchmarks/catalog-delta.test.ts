import { describe, expect, it } from 'vitest';
import { type CatalogDelta, changeEach, compareIds, deriveBenchmarkSpec } from './catalog-delta.ts';
import { type BenchmarkSpec, commonSectionTitles, defineBenchmark } from './catalog.ts';

const base: BenchmarkSpec = {
  id: 'k3s-cis-1.9',
  title: 'base',
  cisVersion: '1.9',
  k3sMinors: { from: 27, to: 27 },
  source: 'test',
  sectionTitles: commonSectionTitles,
  controls: [
    { id: '1.1.1', title: 'pod spec', type: 'automated', scored: false, implementation: 'not-applicable', params: { reason: 'none' } },
    { id: '1.1.20', title: 'certs 600', type: 'automated', implementation: 'pki.cert-files-mode', params: { mode: 0o600 } },
    { id: '1.2.9', title: 'event rate limit', type: 'manual', implementation: 'apiserver.admission-event-rate-limit' },
    { id: '1.2.29', title: 'ciphers', type: 'automated', implementation: 'apiserver.tls-cipher-suites', params: { allowed: ['A', 'B'] } },
    { id: '5.2.9', title: 'added capabilities', type: 'manual', implementation: 'policy.added-capabilities', params: { assessment: 'manual' }, unmetStatus: 'WARN' },
    { id: '5.2.10', title: 'capabilities assigned', type: 'manual', implementation: 'policy.capabilities-assigned', params: { assessment: 'manual' }, unmetStatus: 'WARN' },
    { id: '5.7.1', title: 'namespaces', type: 'manual', implementation: 'policy.namespace-boundaries', params: { assessment: 'manual' }, unmetStatus: 'WARN' },
  ],
};

const identity = { id: 'k3s-cis-1.10', title: 'next', cisVersion: '1.10', k3sMinors: { from: 28, to: 28 }, source: 'test' } as const;

function derive(delta: Omit<CatalogDelta, keyof typeof identity>) {
  return defineBenchmark(deriveBenchmarkSpec(base, { ...identity, ...delta }));
}

describe('deriveBenchmarkSpec', () => {
  it('takes the new identity and keeps every unchanged control as it was', () => {
    const derived = derive({ unmet: { WARN: ['1.2.9'] } });
    const original = defineBenchmark(base);
    expect(derived).toMatchObject(identity);
    expect(derived.controls.filter((entry) => entry.id !== '1.2.9')).toEqual(original.controls.filter((entry) => entry.id !== '1.2.9'));
    expect(derived.controls.find((entry) => entry.id === '1.2.9')?.unmetStatus).toBe('WARN');
  });

  it('removes, then renumbers in place, then adds in id order', () => {
    const derived = derive({
      removed: ['5.2.9'],
      renumbered: { '5.2.10': '5.2.9', '5.7.1': '5.6.1' },
      added: [
        { id: '1.2.30', title: 'extend token expiration', type: 'automated', implementation: 'apiserver.service-account-extend-token-expiration' },
        { id: '5.2.13', title: 'proc mount', type: 'manual', implementation: 'policy.unmasked-proc-mount', params: { assessment: 'manual' }, unmetStatus: 'WARN' },
      ],
    });
    expect(derived.controls.map((entry) => [entry.id, entry.implementation])).toEqual([
      ['1.1.1', 'not-applicable'],
      ['1.1.20', 'pki.cert-files-mode'],
      ['1.2.9', 'apiserver.admission-event-rate-limit'],
      ['1.2.29', 'apiserver.tls-cipher-suites'],
      ['1.2.30', 'apiserver.service-account-extend-token-expiration'],
      ['5.2.9', 'policy.capabilities-assigned'],
      ['5.2.13', 'policy.unmasked-proc-mount'],
      ['5.6.1', 'policy.namespace-boundaries'],
    ]);
  });

  it('scores a relabelled control as its new label says, unless a change says otherwise', () => {
    const derived = derive({ labelled: { automated: ['1.1.1', '1.2.9'], manual: ['1.1.20', '1.2.29'] }, changed: { '1.2.29': { scored: true } } });
    const scoring = Object.fromEntries(derived.controls.map((entry) => [entry.id, [entry.type, entry.scored]]));
    expect(scoring).toMatchObject({
      '1.1.1': ['automated', true],
      '1.2.9': ['automated', true],
      '1.1.20': ['manual', false],
      '1.2.29': ['manual', true],
    });
  });

  it('replaces a changed control\'s parameters whole and recomputes its texts', () => {
    const derived = derive({ changed: { '1.1.20': { title: 'certs 644', params: { mode: 0o644 } } } });
    const entry = derived.controls.find((candidate) => candidate.id === '1.1.20');
    expect(entry).toMatchObject({ title: 'certs 644', params: { mode: 0o644 } });
    expect(entry?.expected).toContain('644');
  });

  it('applies one change to several controls with changeEach', () => {
    const derived = derive({ changed: changeEach(['5.2.9', '5.2.10'], { params: { assessment: 'manual-audited' } }), unmet: { FAIL: ['5.2.9', '5.2.10'] } });
    expect(derived.controls.filter((entry) => entry.id.startsWith('5.2.')).map((entry) => [entry.params['assessment'], entry.unmetStatus])).toEqual([
      ['manual-audited', 'FAIL'],
      ['manual-audited', 'FAIL'],
    ]);
  });

  it.each<[string, Omit<CatalogDelta, keyof typeof identity>, RegExp]>([
    ['an unknown id to remove', { removed: ['9.9'] }, /removed names 9\.9, which is not in the catalog/],
    ['an unknown id to renumber', { renumbered: { '5.7.9': '5.6.9' } }, /renumbered names 5\.7\.9/],
    ['a renumbering onto an existing id', { renumbered: { '5.2.10': '5.2.9' } }, /two controls numbered 5\.2\.9/],
    ['a change to a removed id', { removed: ['5.2.9'], changed: { '5.2.9': { title: 'x' } } }, /changed names 5\.2\.9/],
    ['a relabel that changes nothing', { labelled: { manual: ['1.2.9'] } }, /labelled\.manual leaves 1\.2\.9 as it was/],
    ['a change that changes nothing', { changed: { '1.2.29': { params: { allowed: ['A', 'B'] } } } }, /changed leaves 1\.2\.29 as it was/],
    ['an unmet status the control already has', { unmet: { FAIL: ['1.2.9'] } }, /unmet\.FAIL leaves 1\.2\.9 as it was/],
    ['an id listed twice', { unmet: { WARN: ['1.2.9', '1.2.9'] } }, /names a control twice/],
    ['an added id that exists', { added: [{ id: '1.2.9', title: 'again', type: 'manual', implementation: 'manual' }] }, /added 1\.2\.9, which is already in the catalog/],
  ])('refuses %s', (_what, delta, message) => {
    expect(() => derive(delta)).toThrow(message);
  });
});

describe('compareIds', () => {
  it.each([
    ['1.2.9', '1.2.10', -1],
    ['1.2.10', '1.3.1', -1],
    ['2.7', '3.1.1', -1],
    ['5.2.13', '5.2.9', 1],
    ['4.1.11', '4.1.11', 0],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareIds(a, b))).toBe(sign);
  });
});
