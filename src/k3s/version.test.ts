import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compareK3sVersions, formatK3sVersion, isAtLeast, minorLine, parseK3sVersion } from './version.ts';

describe('parseK3sVersion', () => {
  it.each([
    ['v1.33.5+k3s1', 'v1.33.5+k3s1'],
    ['1.33.5+k3s1', 'v1.33.5+k3s1'],
    ['k3s version v1.34.1+k3s2 (4c6f3a1e)', 'v1.34.1+k3s2'],
    ['time="2026-05-06T11:05:06+02:00" level=info msg="Starting k3s v1.35.4+k3s1 (8f4c1d2a)"', 'v1.35.4+k3s1'],
    ['v1.32.4-rc1+k3s1', 'v1.32.4-rc1+k3s1'],
    ['v1.30.2', 'v1.30.2'],
  ])('%s → %s', (input, expected) => {
    expect(parseK3sVersion(input)?.text).toBe(expected);
  });

  it('returns null when there is no version', () => {
    expect(parseK3sVersion('k3s is not installed')).toBeNull();
  });
});

describe('compareK3sVersions', () => {
  const v = (text: string) => {
    const parsed = parseK3sVersion(text);
    if (parsed === null) throw new Error(text);
    return parsed;
  };

  it.each([
    ['v1.33.5+k3s1', 'v1.33.5+k3s2'],
    ['v1.33.5+k3s2', 'v1.33.5+k3s10'], // numeric, not lexical
    ['v1.33.5+k3s9', 'v1.33.6+k3s1'],
    ['v1.32.4-rc1+k3s1', 'v1.32.4+k3s1'],
    ['v1.32.4-rc2+k3s1', 'v1.32.4-rc10+k3s1'],
    ['v1.9.0+k3s1', 'v1.10.0+k3s1'],
  ])('%s < %s', (lower, higher) => {
    expect(compareK3sVersions(v(lower), v(higher))).toBeLessThan(0);
    expect(compareK3sVersions(v(higher), v(lower))).toBeGreaterThan(0);
  });

  it('isAtLeast treats a release candidate as before the release', () => {
    expect(isAtLeast(v('v1.32.4-rc1+k3s1'), 1, 32, 4)).toBe(false);
    expect(isAtLeast(v('v1.32.4+k3s1'), 1, 32, 4)).toBe(true);
    expect(isAtLeast(v('v1.33.0+k3s1'), 1, 32, 4)).toBe(true);
    expect(isAtLeast(v('v1.31.9+k3s1'), 1, 32)).toBe(false);
  });

  it('minorLine', () => {
    expect(minorLine(v('v1.33.5+k3s1'))).toBe('1.33');
  });

  const versionArbitrary = fc.record({
    major: fc.constant(1),
    minor: fc.integer({ min: 20, max: 40 }),
    patch: fc.integer({ min: 0, max: 20 }),
    k3sRevision: fc.integer({ min: 1, max: 12 }),
    prerelease: fc.option(fc.integer({ min: 1, max: 12 }).map((n) => `rc${n}`), { nil: undefined }),
  }).map(({ prerelease, ...rest }) => (prerelease === undefined ? rest : { ...rest, prerelease }));

  test.prop([versionArbitrary])('format and parse round-trip', (version) => {
    const text = formatK3sVersion(version);
    expect(parseK3sVersion(text)?.text).toBe(text);
  });

  test.prop([versionArbitrary, versionArbitrary, versionArbitrary])('is a total order', (a, b, c) => {
    const [pa, pb, pc] = [a, b, c].map((x) => v(formatK3sVersion(x))) as [ReturnType<typeof v>, ReturnType<typeof v>, ReturnType<typeof v>];
    expect(Math.sign(compareK3sVersions(pa, pb))).toBe(-Math.sign(compareK3sVersions(pb, pa)));
    if (compareK3sVersions(pa, pb) <= 0 && compareK3sVersions(pb, pc) <= 0) {
      expect(compareK3sVersions(pa, pc)).toBeLessThanOrEqual(0);
    }
  });
});
