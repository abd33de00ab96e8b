import { describe, expect, it } from 'vitest';
import { kubeletKernelParameters, procSysPath } from '../k3s/host-kernel.ts';
import { laterBootOverrides, parseSysctlLine, sysctlFileContent } from './sysctl-file.ts';

describe('sysctlFileContent', () => {
  it('writes the six parameters the kubelet checks', () => {
    const content = sysctlFileContent(null);
    const values = Object.fromEntries(
      content
        .split('\n')
        .map(parseSysctlLine)
        .filter((parsed) => parsed !== null)
        .map((parsed) => [parsed.key, parsed.value]),
    );
    expect(values).toEqual({
      'vm.panic_on_oom': '0',
      'vm.overcommit_memory': '1',
      'kernel.panic': '10',
      'kernel.panic_on_oops': '1',
      'kernel.keys.root_maxkeys': '1000000',
      'kernel.keys.root_maxbytes': '25000000',
    });
  });

  it('keeps comments, order and other parameters of an existing file', () => {
    const existing = '# mine\nnet.ipv4.ip_forward=1\nvm.overcommit_memory=0\n; old\nkernel/panic = 10\n';
    const content = sysctlFileContent(existing);
    expect(content.startsWith('# mine\nnet.ipv4.ip_forward=1\nvm.overcommit_memory=1\n; old\nkernel/panic = 10\n')).toBe(true);
    expect(content).toContain('vm.panic_on_oom = 0\n');
    expect(content.match(/panic =/g)).toHaveLength(1);
  });

  it('changes nothing in a file that already has every value', () => {
    const once = sysctlFileContent(null);
    expect(sysctlFileContent(once)).toBe(once);
  });
});

describe('laterBootOverrides', () => {
  const entry = (key: string, value: string, path: string) => ({ key, value, source: { kind: 'sysctl-file' as const, path, line: 1 } });

  it.each([
    ['a later file', '/etc/sysctl.d/99-local.conf', true],
    ['/etc/sysctl.conf (applied last)', '/etc/sysctl.conf', true],
    ['an earlier file', '/usr/lib/sysctl.d/50-default.conf', false],
  ])('reports %s that sets another value', (_name, path, reported) => {
    const overrides = laterBootOverrides([entry('kernel.panic', '0', path)]);
    expect(overrides.length > 0).toBe(reported);
  });

  it('ignores a later file that sets the same value', () => {
    expect(laterBootOverrides([entry('kernel.panic', '10', '/etc/sysctl.d/99-x.conf')])).toEqual([]);
  });
});

describe('procSysPath', () => {
  it.each(kubeletKernelParameters.map((param) => [param.name]))('maps %s under /proc/sys', (key) => {
    expect(procSysPath(key)).toBe(`/proc/sys/${key.split('.').join('/')}`);
  });
});
