import { describe, expect, it } from 'vitest';
import { compareBytewise, goQuote, joinQuote, pluralize, sortedSet } from './message-format.ts';

describe('message helpers', () => {
  it('joinQuote adds quotes without escaping', () => {
    expect(joinQuote(['a', 'b"c'])).toBe('"a", "b"c"');
    expect(joinQuote([])).toBe('');
  });

  it('pluralize uses the singular only for one', () => {
    expect([0, 1, 2].map((count) => pluralize('container', 'containers', count))).toEqual(['containers', 'container', 'containers']);
  });

  it('sorts byte-wise like Go (uppercase before lowercase, code point order)', () => {
    expect(sortedSet(['b', 'B', 'a', 'b', '\u{1F600}', '\uFF21'])).toEqual(['B', 'a', 'b', '\uFF21', '\u{1F600}']);
    expect(compareBytewise('seLinuxOptions', 'seccompProfile_baseline')).toBeLessThan(0);
  });

  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['tab\tnew\nline', '"tab\\tnew\\nline"'],
    ['\x00\x7f', '"\\x00\\x7f"'],
    ['héllo ✓', '"héllo ✓"'],
    ['\u00a0', '"\\u00a0"'],
    ['\u200b', '"\\u200b"'],
  ])('goQuote(%j) = %s', (value, quoted) => {
    expect(goQuote(value)).toBe(quoted);
  });
});
