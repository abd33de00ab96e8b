import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import { joinQuote, pluralize } from './message-format.ts';
import type { PodLike } from './pod-spec.ts';

export function hostPathVolumesV1Dot0({ spec }: PodLike): CheckResult {
  const names: string[] = [];
  for (const volume of spec.volumes ?? []) {
    if (volume.hostPath != null) names.push(volume.name);
  }
  if (names.length === 0) return allowed;
  return forbidden('hostPath volumes', `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`);
}

export const hostPathVolumesCheck: CheckDefinition = {
  id: 'hostPathVolumes',
  level: 'baseline',
  title: 'HostPath Volumes',
  versions: [{ minimumVersion: 0, checkPod: hostPathVolumesV1Dot0 }],
};
