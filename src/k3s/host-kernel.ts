import type { SysctlFacts } from '../facts/node-facts.ts';

/**
 * The kernel parameters the kubelet's protect-kernel-defaults checks (kubernetes setupKernelTunables) and
 * the value it requires; the k3s hardening guide's host-level requirement.
 */
export const kubeletKernelParameters = {
  'vm.overcommit_memory': '1',
  'vm.panic_on_oom': '0',
  'kernel.panic': '10',
  'kernel.panic_on_oops': '1',
  'kernel.keys.root_maxkeys': '1000000',
  'kernel.keys.root_maxbytes': '25000000',
} as const;

export type KubeletKernelParameter = keyof typeof kubeletKernelParameters;

/** The value the node gets at boot for `key`: the last assignment in systemd-sysctl order, with its file and line. */
export function bootValue(facts: SysctlFacts, key: string): SysctlFacts['boot'][number] | null {
  for (let index = facts.boot.length - 1; index >= 0; index -= 1) {
    const assignment = facts.boot[index];
    if (assignment?.key === key) return assignment;
  }
  return null;
}
