/**
 * The kernel parameters the kubelet checks when it runs with --protect-kernel-defaults (kubelet
 * `setupKernelTunables`): with protection on, a different value makes the kubelet exit with
 * `invalid kernel flag: <name>, expected value: <v>, actual value: <v>`. The k3s hardening guide lists the
 * first four; the kubelet also checks the two keyring limits.
 */
export interface KernelParam {
  key: string;
  value: string;
  why: string;
}

export const kubeletKernelParams: readonly KernelParam[] = [
  { key: 'vm.panic_on_oom', value: '0', why: 'let the OOM killer act instead of panicking' },
  { key: 'vm.overcommit_memory', value: '1', why: 'always overcommit, as the kubelet expects' },
  { key: 'kernel.panic', value: '10', why: 'reboot 10 s after a panic' },
  { key: 'kernel.panic_on_oops', value: '1', why: 'panic on an oops' },
  { key: 'kernel.keys.root_maxkeys', value: '1000000', why: 'keyring limit the kubelet checks' },
  { key: 'kernel.keys.root_maxbytes', value: '25000000', why: 'keyring limit the kubelet checks (root_maxkeys x 25)' },
];

/** /proc/sys path of a parameter: `vm.panic_on_oom` -> `/proc/sys/vm/panic_on_oom`. */
export function procSysPath(key: string): string {
  return `/proc/sys/${key.replaceAll('.', '/')}`;
}
