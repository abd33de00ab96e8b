import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import { joinQuote, sortedSet } from './message-format.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, visitContainers } from './visit-containers.ts';

/** The container runtime's default set: adding any of these is allowed at baseline (exact, case-sensitive). */
export const baselineCapabilities: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export function capabilitiesBaselineV1Dot0({ spec }: PodLike): CheckResult {
  const badContainers: string[] = [];
  const nonDefault: string[] = [];
  visitContainers(spec, (container) => {
    const add = container.securityContext?.capabilities?.add;
    if (add == null) return;
    let bad = false;
    for (const capability of add) {
      if (!baselineCapabilities.has(capability)) {
        bad = true;
        nonDefault.push(capability);
      }
    }
    if (bad) badContainers.push(container.name);
  });
  if (badContainers.length === 0) return allowed;
  return forbidden(
    'non-default capabilities',
    `${describeContainers(badContainers)} must not include ${joinQuote(sortedSet(nonDefault))} in securityContext.capabilities.add`,
  );
}

export const capabilitiesBaselineCheck: CheckDefinition = {
  id: 'capabilities_baseline',
  level: 'baseline',
  title: 'Capabilities',
  versions: [{ minimumVersion: 0, checkPod: capabilitiesBaselineV1Dot0 }],
};
