import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import { pluralize, sortedSet } from './message-format.ts';
import type { PodLike } from './pod-spec.ts';
import { describeContainers, visitContainers } from './visit-containers.ts';

export function hostPortsV1Dot0({ spec }: PodLike): CheckResult {
  const badContainers: string[] = [];
  const ports: string[] = [];
  visitContainers(spec, (container) => {
    let bad = false;
    for (const port of container.ports ?? []) {
      if (port.hostPort != null && port.hostPort !== 0) {
        bad = true;
        ports.push(String(port.hostPort));
      }
    }
    if (bad) badContainers.push(container.name);
  });
  if (badContainers.length === 0) return allowed;
  // Upstream keeps the ports as strings in a string set, so they sort as text: 10000 before 8080.
  const unique = sortedSet(ports);
  return forbidden(
    'hostPort',
    `${describeContainers(badContainers)} ${pluralize('uses', 'use', badContainers.length)} ${pluralize('hostPort', 'hostPorts', unique.length)} ${unique.join(', ')}`,
  );
}

export const hostPortsCheck: CheckDefinition = {
  id: 'hostPorts',
  level: 'baseline',
  title: 'Host Ports',
  versions: [{ minimumVersion: 0, checkPod: hostPortsV1Dot0 }],
};
