/**
 * The kernel parameters the kubelet checks when it runs with --protect-kernel-defaults (kubelet
 * `setupKernelTunables`), and the value it requires: with protection on, a different value makes the kubelet
 * exit with `invalid kernel flag: <name>, expected value: <v>, actual value: <v>`. The k3s hardening guide's
 * /etc/sysctl.d/90-kubelet.conf sets the first four; the two keyring limits match the Linux defaults since 3.x.
 * One table for the audit's host group (src/cis/benchmarks/host-group.ts), the collector (which /proc/sys
 * files to read) and harden (90-kubelet.conf, --apply-sysctl).
 */
export interface KubeletKernelParameter {
  /** The sysctl key: `vm.panic_on_oom`. */
  name: string;
  /** The value the kubelet requires. */
  expected: string;
  /** What Linux uses when nothing sets the parameter at boot. */
  kernelDefault: string;
}

export const kubeletKernelParameters: readonly KubeletKernelParameter[] = [
  { name: 'vm.panic_on_oom', expected: '0', kernelDefault: '0' },
  { name: 'vm.overcommit_memory', expected: '1', kernelDefault: '0' },
  { name: 'kernel.panic', expected: '10', kernelDefault: '0' },
  { name: 'kernel.panic_on_oops', expected: '1', kernelDefault: '0' },
  { name: 'kernel.keys.root_maxkeys', expected: '1000000', kernelDefault: '1000000' },
  { name: 'kernel.keys.root_maxbytes', expected: '25000000', kernelDefault: '25000000' },
];

/** /proc/sys path of a parameter: `vm.panic_on_oom` -> `/proc/sys/vm/panic_on_oom`. */
export function procSysPath(name: string): string {
  return `/proc/sys/${name.replaceAll('.', '/')}`;
}
