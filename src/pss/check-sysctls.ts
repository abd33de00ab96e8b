import { allowed, forbidden, type CheckDefinition, type CheckPod, type CheckResult } from './check.ts';
import type { PodLike } from './pod-spec.ts';

/** The "safe" namespaced sysctls, by the policy version that allowed them. */
export const allowedSysctlsByVersion: ReadonlyArray<{ minimumVersion: number; added: readonly string[] }> = [
  {
    minimumVersion: 0,
    added: [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  },
  { minimumVersion: 27, added: ['net.ipv4.ip_local_reserved_ports'] },
  {
    minimumVersion: 29,
    added: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'],
  },
  { minimumVersion: 32, added: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { minimumVersion: 37, added: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

/** The allow-list in force at a policy version. */
export function allowedSysctls(version: number): ReadonlySet<string> {
  const names = new Set<string>();
  for (const step of allowedSysctlsByVersion) if (step.minimumVersion <= version) for (const name of step.added) names.add(name);
  return names;
}

function sysctls(allowedNames: ReadonlySet<string>): CheckPod {
  return ({ spec }: PodLike): CheckResult => {
    const bad: string[] = [];
    for (const sysctl of spec.securityContext?.sysctls ?? []) {
      if (!allowedNames.has(sysctl.name)) bad.push(sysctl.name);
    }
    if (bad.length === 0) return allowed;
    // Spec order, not sorted, not de-duplicated, not quoted.
    return forbidden('forbidden sysctls', bad.join(', '));
  };
}

export const sysctlsCheck: CheckDefinition = {
  id: 'sysctls',
  level: 'baseline',
  title: 'Sysctls',
  versions: allowedSysctlsByVersion.map((step) => ({
    minimumVersion: step.minimumVersion,
    checkPod: sysctls(allowedSysctls(step.minimumVersion)),
  })),
};
