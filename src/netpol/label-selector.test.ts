import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  type LabelSelector,
  type Labels,
  type SelectorRequirement,
  describeSelector,
  firstMismatch,
  selectorKey,
  selectorMatches,
} from './label-selector.ts';

const sel = (matchLabels: Record<string, string>, matchExpressions: SelectorRequirement[] = []): LabelSelector => ({
  matchLabels,
  matchExpressions,
});

describe('selectorMatches', () => {
  it.each([
    ['empty selector selects everything', sel({}), {}, true],
    ['matchLabels equal', sel({ pod: 'a' }), { pod: 'a', x: 'y' }, true],
    ['matchLabels different value', sel({ pod: 'a' }), { pod: 'b' }, false],
    ['matchLabels missing key', sel({ pod: 'a' }), {}, false],
    ['In', sel({}, [{ key: 'pod', operator: 'In', values: ['b', 'c'] }]), { pod: 'c' }, true],
    ['In, key missing', sel({}, [{ key: 'pod', operator: 'In', values: ['b'] }]), {}, false],
    ['NotIn, value listed', sel({}, [{ key: 'ns', operator: 'NotIn', values: ['x'] }]), { ns: 'x' }, false],
    ['NotIn, other value', sel({}, [{ key: 'ns', operator: 'NotIn', values: ['x'] }]), { ns: 'y' }, true],
    ['NotIn, key missing matches', sel({}, [{ key: 'ns', operator: 'NotIn', values: ['x'] }]), {}, true],
    ['Exists', sel({}, [{ key: 'k', operator: 'Exists', values: [] }]), { k: '' }, true],
    ['Exists, missing', sel({}, [{ key: 'k', operator: 'Exists', values: [] }]), {}, false],
    ['DoesNotExist, missing matches', sel({}, [{ key: 'k', operator: 'DoesNotExist', values: [] }]), {}, true],
    ['DoesNotExist, present', sel({}, [{ key: 'k', operator: 'DoesNotExist', values: [] }]), { k: 'v' }, false],
    ['matchLabels AND matchExpressions', sel({ a: '1' }, [{ key: 'b', operator: 'Exists', values: [] }]), { a: '1' }, false],
    ['label named like an Object prototype key', sel({}, [{ key: 'constructor', operator: 'Exists', values: [] }]), {}, false],
  ] as const)('%s', (_name, selector, labels, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });

  it('describes selectors like kubectl and says which requirement fails', () => {
    const selector = sel({ app: 'web' }, [
      { key: 'tier', operator: 'In', values: ['a', 'b'] },
      { key: 'legacy', operator: 'DoesNotExist', values: [] },
    ]);
    expect(describeSelector(selector)).toBe('app=web,tier in (a,b),!legacy');
    expect(describeSelector(sel({}))).toBe('{}');
    expect(firstMismatch(selector, { app: 'web', tier: 'c' })).toBe('tier in (a,b): tier is c');
    expect(firstMismatch(selector, { app: 'api' })).toBe('app=web: app is api');
    expect(firstMismatch(selector, { app: 'web', tier: 'a' })).toBeNull();
  });
});

// Property tests: the selector against a direct reading of the Kubernetes rules on a small alphabet,
// so that keys and values collide often.
const key = fc.constantFrom('a', 'b', 'c', 'd');
const value = fc.constantFrom('1', '2', '3', '');
const labelsArb: fc.Arbitrary<Labels> = fc.dictionary(key, value, { maxKeys: 4 });
const requirementArb: fc.Arbitrary<SelectorRequirement> = fc.oneof(
  fc.record({ key, operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.array(value, { minLength: 1, maxLength: 3 }) }),
  fc.record({ key, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const), values: fc.constant([]) }),
);
const selectorArb: fc.Arbitrary<LabelSelector> = fc.record({
  matchLabels: fc.dictionary(key, value, { maxKeys: 3 }),
  matchExpressions: fc.array(requirementArb, { maxLength: 4 }),
});

function naiveMatches(selector: LabelSelector, labels: Labels): boolean {
  const map = new Map(Object.entries(labels));
  const all: SelectorRequirement[] = [
    ...Object.entries(selector.matchLabels).map(([k, v]) => ({ key: k, operator: 'In' as const, values: [v] })),
    ...selector.matchExpressions,
  ];
  return all.every((r) => {
    if (r.operator === 'In') return map.has(r.key) && r.values.some((v) => v === map.get(r.key));
    if (r.operator === 'NotIn') return !(map.has(r.key) && r.values.some((v) => v === map.get(r.key)));
    if (r.operator === 'Exists') return map.has(r.key);
    return !map.has(r.key);
  });
}

describe('selector properties', () => {
  test.prop([selectorArb, labelsArb], { numRuns: 2000 })('matches like the naive reading', (selector, labels) => {
    expect(selectorMatches(selector, labels)).toBe(naiveMatches(selector, labels));
  });

  test.prop([selectorArb, labelsArb])('firstMismatch is null exactly when the selector matches', (selector, labels) => {
    expect(firstMismatch(selector, labels) === null).toBe(selectorMatches(selector, labels));
  });

  test.prop([selectorArb, fc.array(labelsArb, { minLength: 20, maxLength: 20 }), fc.integer()])(
    'equal keys for the same requirements in another order, and the same selection',
    (left, samples, seed) => {
      const shuffled = [...left.matchExpressions].sort((a, b) => ((a.key.charCodeAt(0) * 31 + seed) % 7) - ((b.key.charCodeAt(0) * 31 + seed) % 7));
      const reversedValues = shuffled.map((r) => ({ ...r, values: [...r.values].reverse() }));
      const right: LabelSelector = { matchLabels: left.matchLabels, matchExpressions: reversedValues };
      expect(selectorKey(right)).toBe(selectorKey(left));
      for (const labels of samples) expect(selectorMatches(left, labels)).toBe(selectorMatches(right, labels));
    },
  );

  test.prop([selectorArb, labelsArb])('matchLabels written as In requirements select the same', (selector, labels) => {
    const asExpressions: LabelSelector = {
      matchLabels: {},
      matchExpressions: [
        ...Object.entries(selector.matchLabels).map(([k, v]) => ({ key: k, operator: 'In' as const, values: [v] })),
        ...selector.matchExpressions,
      ],
    };
    expect(selectorKey(asExpressions)).toBe(selectorKey(selector));
    expect(selectorMatches(asExpressions, labels)).toBe(selectorMatches(selector, labels));
  });
});
