import type { PodLike } from './pod-spec.ts';

/** The 19 check IDs of the Pod Security admission library (policy/check_*.go). */
export const baselineCheckIds = [
  'appArmorProfile',
  'capabilities_baseline',
  'hostNamespaces',
  'hostPathVolumes',
  'hostPorts',
  'hostProbesAndHostLifecycle',
  'privileged',
  'procMount',
  'seLinuxOptions',
  'seccompProfile_baseline',
  'sysctls',
  'windowsHostProcess',
] as const;
export const restrictedCheckIds = [
  'allowPrivilegeEscalation',
  'capabilities_restricted',
  'procMount_restricted',
  'restrictedVolumes',
  'runAsNonRoot',
  'runAsUser',
  'seccompProfile_restricted',
] as const;
export const checkIds = [...baselineCheckIds, ...restrictedCheckIds] as const;
export type CheckId = (typeof checkIds)[number];

/** A check's verdict on one pod: `reason` is the short ForbiddenReason, `detail` the parenthesised ForbiddenDetail. */
export type CheckResult = { allowed: true } | { allowed: false; reason: string; detail: string };

export const allowed: CheckResult = { allowed: true };

export function forbidden(reason: string, detail: string): CheckResult {
  return { allowed: false, reason, detail };
}

export type CheckPod = (pod: PodLike) => CheckResult;

/** One implementation of a check, used from `minimumVersion` (a v1.N minor) until the next entry's minimum. */
export interface VersionedCheck {
  minimumVersion: number;
  checkPod: CheckPod;
  /** Baseline checks this restricted check replaces at this version (OverrideCheckIDs). */
  overrides?: readonly CheckId[];
}

export interface CheckDefinition {
  id: CheckId;
  level: 'baseline' | 'restricted';
  /** The Pod Security Standards control it implements, in the standard's words. */
  title: string;
  /** Strictly increasing by minimumVersion. */
  versions: readonly VersionedCheck[];
}
