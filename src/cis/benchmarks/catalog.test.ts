import { describe, expect, it } from 'vitest';
import { targets } from '../../core/finding.ts';
import { nodeControls } from '../controls/index.ts';
import { policyControls } from '../policies/index.ts';
import { benchmarks } from './index.ts';
import { policyImplementationIds } from './policy-implementations.ts';

const nodeIds = new Set(nodeControls.map((control) => control.id));
const policyIds = new Set<string>(policyImplementationIds);

describe.each(benchmarks.map((benchmark) => [benchmark.id, benchmark] as const))('catalog %s', (_id, benchmark) => {
  it('has unique control ids', () => {
    const ids = benchmark.controls.map((control) => control.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it('names an existing implementation for every control (node controls registered, section 5 declared)', () => {
    const missing = benchmark.controls
      .filter((control) => (control.target === 'policies' ? !policyIds.has(control.implementation) : !nodeIds.has(control.implementation)))
      .map((control) => `${control.id} → ${control.implementation}`);
    expect(missing).toEqual([]);
  });

  it('covers sections 1 to 5 and the host group, each control with a title, a target, an expectation and a remediation', () => {
    expect(new Set(benchmark.controls.map((control) => control.id.split('.')[0]))).toEqual(new Set(['1', '2', '3', '4', '5', 'host']));
    for (const control of benchmark.controls) {
      expect(control.title, control.id).not.toBe('');
      expect(targets).toContain(control.target);
      expect(control.expected, control.id).not.toBe('');
      expect(control.remediation, control.id).not.toBe('');
      expect(control.title, control.id).not.toMatch(/\((Automated|Manual)\)$/);
    }
  });

  it('lists its sections in order with titles', () => {
    expect(benchmark.sections.map((section) => section.id)).toEqual([...new Set(benchmark.controls.map((control) => control.section))]);
    for (const section of benchmark.sections) expect(section.title).not.toBe('');
  });

  it('gives each section-5 control its assessment', () => {
    for (const control of benchmark.controls.filter((entry) => entry.target === 'policies')) {
      expect(['automated', 'manual-audited', 'manual'], control.id).toContain(control.params['assessment']);
    }
  });
});

describe('benchmark catalogs', () => {
  it('select every k3s minor from 1.27 to 1.37 exactly once', () => {
    for (let minor = 27; minor <= 37; minor += 1) {
      expect(benchmarks.filter((benchmark) => minor >= benchmark.k3sMinors.from && minor <= benchmark.k3sMinors.to), `1.${minor}`).toHaveLength(1);
    }
  });

  it('every registered section-5 control is one the catalogs can name', () => {
    expect(policyControls.map((control) => control.id).filter((id) => !policyIds.has(id))).toEqual([]);
  });

  it('every node implementation is used by some catalog', () => {
    const used = new Set(benchmarks.flatMap((benchmark) => benchmark.controls.map((control) => control.implementation)));
    expect([...nodeIds].filter((id) => !used.has(id))).toEqual([]);
  });

  it.each([
    ['k3s-cis-1.9', '1.1.20', 'automated', 0o600],
    ['k3s-cis-1.10', '1.1.20', 'manual', 0o600],
    ['k3s-cis-1.11', '1.1.20', 'automated', 0o644],
    ['k3s-cis-1.12', '1.1.20', 'automated', 0o644],
    ['k3s-cis-2.0', '1.1.20', 'automated', 0o644],
    ['k3s-cis-2.1', '1.1.20', 'manual', 0o644],
    ['k3s-cis-2.0', '4.1.7', 'automated', 0o600],
    ['k3s-cis-2.1', '4.1.7', 'manual', 0o644],
  ])('%s %s is %s with mode %o', (id, control, type, mode) => {
    const entry = benchmarks.find((benchmark) => benchmark.id === id)?.controls.find((candidate) => candidate.id === control);
    expect(entry?.type).toBe(type);
    expect(entry?.params['mode']).toBe(mode);
  });

  it.each([
    ['1.2.30', ['k3s-cis-1.11', 'k3s-cis-1.12', 'k3s-cis-2.0', 'k3s-cis-2.1']],
    ['4.2.14', ['k3s-cis-1.11', 'k3s-cis-1.12', 'k3s-cis-2.0', 'k3s-cis-2.1']],
    ['4.1.11', ['k3s-cis-2.1']],
    ['5.1.14', ['k3s-cis-2.1']],
    ['5.2.13', ['k3s-cis-1.9', 'k3s-cis-1.10', 'k3s-cis-1.11', 'k3s-cis-2.1']],
    ['5.7.4', ['k3s-cis-1.9', 'k3s-cis-1.10']],
    ['5.6.4', ['k3s-cis-1.11', 'k3s-cis-1.12', 'k3s-cis-2.0', 'k3s-cis-2.1']],
  ])('%s exists in %j only', (control, expected) => {
    expect(benchmarks.filter((benchmark) => benchmark.controls.some((entry) => entry.id === control)).map((benchmark) => benchmark.id)).toEqual(expected);
  });

  it('5.2.13 means host ports up to 1.11 and unmasked procMount in 2.1', () => {
    const implementation = (id: string) => benchmarks.find((benchmark) => benchmark.id === id)?.controls.find((entry) => entry.id === '5.2.13')?.implementation;
    expect(implementation('k3s-cis-1.9')).toBe('policy.host-ports');
    expect(implementation('k3s-cis-2.1')).toBe('policy.unmasked-proc-mount');
  });

  it('narrows the cipher lists over the versions', () => {
    const allowed = (id: string, control: string) => benchmarks.find((benchmark) => benchmark.id === id)?.controls.find((entry) => entry.id === control)?.params['allowed'];
    expect(allowed('k3s-cis-1.9', '1.2.29')).toContain('TLS_RSA_WITH_3DES_EDE_CBC_SHA');
    expect(allowed('k3s-cis-1.10', '1.2.29')).not.toContain('TLS_RSA_WITH_3DES_EDE_CBC_SHA');
    expect(allowed('k3s-cis-1.10', '1.2.29')).toContain('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
    expect(allowed('k3s-cis-1.12', '1.2.29')).not.toContain('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
    expect(allowed('k3s-cis-1.11', '4.2.12')).toContain('TLS_RSA_WITH_AES_128_GCM_SHA256');
    expect(allowed('k3s-cis-1.12', '4.2.12')).not.toContain('TLS_RSA_WITH_AES_128_GCM_SHA256');
  });
});
