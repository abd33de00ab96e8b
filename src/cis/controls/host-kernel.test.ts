import { describe, expect, it } from 'vitest';
import type { SysctlFacts } from '../../facts/node-facts.ts';
import { configDirKubeletFlags, effectiveArgs, input, k3sKubeletDefaults, kubeletDropInPath, nodeFacts, verdictOf } from '../test-node.fixture.ts';

const guide = '/etc/sysctl.d/90-kubelet.conf';
const running = (values: Record<string, string>): SysctlFacts['runtime'] => ({
  available: true,
  values: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, source: { kind: 'proc-sys', path: `/proc/sys/${key.replaceAll('.', '/')}` } }])),
});
const boot = (values: Record<string, string>): SysctlFacts['boot'] =>
  Object.entries(values).map(([key, value], index) => ({ key, value, source: { kind: 'sysctl-file', path: guide, line: index + 1 } }));

const node = (sysctl: SysctlFacts, protect = true) =>
  input(
    nodeFacts('agent', { sysctl, kubeletConfigFiles: [{ path: kubeletDropInPath, present: true, content: k3sKubeletDefaults(protect ? { protectKernelDefaults: true } : {}) }] }),
    effectiveArgs({ kubelet: configDirKubeletFlags }),
  );

describe('host group: kernel parameters', () => {
  it.each([
    ['right now and at boot', running({ 'vm.overcommit_memory': '1' }), boot({ 'vm.overcommit_memory': '1' }), 'PASS'],
    ['wrong now', running({ 'vm.overcommit_memory': '0' }), boot({ 'vm.overcommit_memory': '1' }), 'FAIL'],
    ['right now, wrong at boot', running({ 'vm.overcommit_memory': '1' }), boot({ 'vm.overcommit_memory': '2' }), 'FAIL'],
    ['right now, not set at boot (Linux default 0 after a reboot)', running({ 'vm.overcommit_memory': '1' }), [], 'FAIL'],
  ])('vm.overcommit_memory %s → %s', (_name, runtime, bootValues, status) => {
    expect(verdictOf('host.kernel.vm.overcommit_memory', node({ runtime, boot: bootValues, bootErrors: [] })).status).toBe(status);
  });

  it('accepts the Linux default at boot when it is the required value', () => {
    const verdict = verdictOf('host.kernel.kernel.keys.root_maxkeys', node({ runtime: running({ 'kernel.keys.root_maxkeys': '1000000' }), boot: [], bootErrors: [] }));
    expect(verdict.status).toBe('PASS');
    expect(verdict.reason).toContain('Linux default');
  });

  it('the last sysctl file wins', () => {
    const bootValues = [...boot({ 'kernel.panic': '10' }), { key: 'kernel.panic', value: '0', source: { kind: 'sysctl-file' as const, path: '/etc/sysctl.d/99-local.conf', line: 4 } }];
    const verdict = verdictOf('host.kernel.kernel.panic', node({ runtime: running({ 'kernel.panic': '10' }), boot: bootValues, bootErrors: [] }));
    expect(verdict.status).toBe('FAIL');
    expect(verdict.evidence).toContainEqual({ subject: 'kernel.panic at boot', value: '0', source: { kind: 'sysctl-file', path: '/etc/sysctl.d/99-local.conf', line: 4 } });
  });

  it('judges the boot value only on an offline image, and says so', () => {
    const offline: SysctlFacts = { runtime: { available: false, reason: 'no /proc under --root /mnt/image', values: {} }, boot: boot({ 'kernel.panic_on_oops': '1' }), bootErrors: [] };
    const verdict = verdictOf('host.kernel.kernel.panic_on_oops', node(offline));
    expect(verdict.status).toBe('PASS');
    expect(verdict.reason).toContain('judged the boot value only');
    const unset = verdictOf('host.kernel.kernel.panic_on_oops', node({ ...offline, boot: [] }));
    expect(unset.status).toBe('FAIL');
  });

  it('is UNKNOWN when the running value could not be read', () => {
    const sysctl: SysctlFacts = { runtime: { available: true, values: { 'kernel.panic': { error: { message: 'permission denied' } } } }, boot: boot({ 'kernel.panic': '10' }), bootErrors: [] };
    expect(verdictOf('host.kernel.kernel.panic', node(sysctl)).status).toBe('UNKNOWN');
  });

  it('is UNKNOWN when nothing sets it in the readable files and some could not be read', () => {
    const sysctl: SysctlFacts = { runtime: running({ 'vm.panic_on_oom': '0' }), boot: [], bootErrors: [{ path: '/etc/sysctl.d/10-site.conf', error: { message: 'permission denied' } }] };
    expect(verdictOf('host.kernel.vm.panic_on_oom', node(sysctl)).status).toBe('UNKNOWN');
  });

  it('says that the kubelet refuses to start when protect-kernel-defaults is on', () => {
    const verdict = verdictOf('host.kernel.vm.overcommit_memory', node({ runtime: running({ 'vm.overcommit_memory': '0' }), boot: [], bootErrors: [] }));
    expect(verdict.reason).toContain('refuses to start');
    expect(verdict.evidence.map((item) => item.subject)).toContain('kubelet protectKernelDefaults');
  });
});

describe('host group: protect-kernel-defaults', () => {
  it.each([
    [true, 'PASS'],
    [false, 'FAIL'],
  ])('protectKernelDefaults %s → %s', (protect, status) => {
    expect(verdictOf('host.kubelet.protect_kernel_defaults', node({ runtime: running({}), boot: [], bootErrors: [] }, protect)).status).toBe(status);
  });
});
