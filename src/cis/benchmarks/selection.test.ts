import { describe, expect, it } from 'vitest';
import { isKhardenError } from '../../core/errors.ts';
import { k3sMinor, parseBenchmarkId, selectBenchmark } from './selection.ts';

describe('benchmark selection by k3s version', () => {
  it.each([
    ['v1.27.16+k3s1', 'k3s-cis-1.9', 'k3s-version'],
    ['v1.28.15+k3s1', 'k3s-cis-1.10', 'k3s-version'],
    ['v1.29.0+k3s1', 'k3s-cis-1.11', 'k3s-version'],
    ['v1.31.9+k3s1', 'k3s-cis-1.11', 'k3s-version'],
    ['v1.32.4-rc1+k3s1', 'k3s-cis-1.12', 'k3s-version'],
    ['v1.33.1+k3s1', 'k3s-cis-1.12', 'k3s-version'],
    ['v1.34.2+k3s1', 'k3s-cis-2.0', 'k3s-version'],
    ['v1.35.0+k3s1', 'k3s-cis-2.0', 'k3s-version'],
    ['v1.36.1+k3s1', 'k3s-cis-2.1', 'k3s-version'],
    ['v1.37.0+k3s1', 'k3s-cis-2.1', 'k3s-version'],
    ['v1.26.15+k3s1', 'k3s-cis-1.9', 'nearest'],
    ['v1.24.17+k3s1', 'k3s-cis-1.9', 'nearest'],
    ['v1.40.0+k3s1', 'k3s-cis-2.1', 'nearest'],
    ['k3s version v1.33.1+k3s1 (abcdef12)', 'k3s-cis-1.12', 'k3s-version'],
  ])('%s → %s (%s)', (version, id, selectedBy) => {
    const { choice } = selectBenchmark(version);
    expect(choice.id).toBe(id);
    expect(choice.selectedBy).toBe(selectedBy);
  });

  it('says why when it chose the nearest benchmark', () => {
    expect(selectBenchmark('v1.26.15+k3s1').choice.note).toContain('no k3s benchmark for k3s 1.26');
    expect(selectBenchmark('v1.40.0+k3s1').choice.note).toContain('newer than every benchmark');
  });

  it('uses the newest benchmark for an unknown version and says so', () => {
    const { choice } = selectBenchmark(null);
    expect(choice).toMatchObject({ id: 'k3s-cis-2.1', selectedBy: 'default' });
    expect(choice.note).toContain('k3s version is unknown');
    expect(selectBenchmark('garbage').choice.note).toContain('could not be read');
  });

  it('--benchmark overrides, noting what the version would have used', () => {
    expect(selectBenchmark('v1.28.15+k3s1', '1.12').choice).toMatchObject({ id: 'k3s-cis-1.12', selectedBy: 'flag', note: 'k3s 1.28 would use k3s-cis-1.10' });
    expect(selectBenchmark('v1.33.1+k3s1', 'k3s-cis-1.12').choice.note).toBeUndefined();
    expect(selectBenchmark(null, 'cis-2.0').choice.id).toBe('k3s-cis-2.0');
  });

  it('refuses an unknown --benchmark with the list of known ones', () => {
    try {
      parseBenchmarkId('k3s-cis-1.8');
      expect.unreachable();
    } catch (error) {
      expect(isKhardenError(error) && error.code).toBe('usage');
      expect(String(error)).toContain('k3s-cis-1.9, k3s-cis-1.10');
    }
  });

  it('reads minors', () => {
    expect(k3sMinor('v1.33.1+k3s1')).toBe(33);
    expect(k3sMinor('1.9')).toBe(9);
    expect(k3sMinor(undefined)).toBeNull();
  });
});
