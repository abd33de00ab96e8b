import { describe, expect, it } from 'vitest';
import { benchmarkById } from './benchmarks/index.ts';
import { applyControlFilter, matchesId, parseControlFilter, parseTargets, validateFilter } from './filter.ts';

const benchmark = benchmarkById('k3s-cis-2.1');
if (benchmark === undefined) throw new Error('no k3s-cis-2.1');

describe('control filters', () => {
  it('parses targets like kube-bench (worker = node) plus host', () => {
    expect(parseTargets('master,worker')).toEqual(['master', 'node']);
    expect(parseTargets(['node', 'host,policies'])).toEqual(['node', 'host', 'policies']);
    expect(() => parseTargets('masters')).toThrow(/unknown target "masters"/);
  });

  it.each([
    ['4.2.1', '4.2.1', true],
    ['4.2.10', '4.2.1', false],
    ['4.2.10', '4.2', true],
    ['2.3', '2', true],
    ['host.kernel.kernel.panic', 'host', true],
    ['host.kernel.kernel.panic_on_oops', 'host.kernel.kernel.panic', false],
  ])('%s matches %s: %s', (id, token, expected) => {
    expect(matchesId(id, token)).toBe(expected);
  });

  it('--check keeps only the named controls and groups', () => {
    const { selected } = applyControlFilter(benchmark.controls, parseControlFilter({ check: '1.2.1,4.3' }));
    expect(selected.map((entry) => entry.id)).toEqual(['1.2.1', '4.3.1']);
  });

  it('--skip leaves controls out and reports them', () => {
    const { selected, skipped } = applyControlFilter(benchmark.controls, parseControlFilter({ skip: ['1.1', 'host'] }));
    expect(selected.some((entry) => entry.id.startsWith('1.1.') || entry.target === 'host')).toBe(false);
    expect(skipped).toHaveLength(21 + 7);
  });

  it('--targets keeps the targets asked for', () => {
    const { selected } = applyControlFilter(benchmark.controls, parseControlFilter({ targets: 'etcd' }));
    expect(selected.map((entry) => entry.id)).toEqual(['2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7']);
  });

  it('rejects ids that match nothing, naming them', () => {
    expect(() => validateFilter(parseControlFilter({ check: '1.2.99,4.2.1' }), benchmark)).toThrow('--check 1.2.99: no such control or group in k3s-cis-2.1');
    expect(() => validateFilter(parseControlFilter({ skip: '4.1.11' }), benchmarkById('k3s-cis-1.12') ?? benchmark)).toThrow(/4\.1\.11/);
  });
});
