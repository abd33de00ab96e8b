import { compareBytewise } from './message-format.ts';
import type { CheckDefinition, CheckId, CheckPod } from './check.ts';
import { allowPrivilegeEscalationCheck } from './check-allow-privilege-escalation.ts';
import { appArmorProfileCheck } from './check-app-armor-profile.ts';
import { capabilitiesBaselineCheck } from './check-capabilities-baseline.ts';
import { capabilitiesRestrictedCheck } from './check-capabilities-restricted.ts';
import { hostNamespacesCheck } from './check-host-namespaces.ts';
import { hostPathVolumesCheck } from './check-host-path-volumes.ts';
import { hostPortsCheck } from './check-host-ports.ts';
import { hostProbesAndHostLifecycleCheck } from './check-host-probes-and-host-lifecycle.ts';
import { privilegedCheck } from './check-privileged.ts';
import { procMountCheck } from './check-proc-mount.ts';
import { procMountRestrictedCheck } from './check-proc-mount-restricted.ts';
import { restrictedVolumesCheck } from './check-restricted-volumes.ts';
import { runAsNonRootCheck } from './check-run-as-non-root.ts';
import { runAsUserCheck } from './check-run-as-user.ts';
import { seLinuxOptionsCheck } from './check-se-linux-options.ts';
import { seccompProfileBaselineCheck } from './check-seccomp-profile-baseline.ts';
import { seccompProfileRestrictedCheck } from './check-seccomp-profile-restricted.ts';
import { sysctlsCheck } from './check-sysctls.ts';
import { windowsHostProcessCheck } from './check-windows-host-process.ts';
import type { PolicyVersion } from './level-version.ts';

/** Every check kharden knows, as the admission library registers them. */
export const allChecks: readonly CheckDefinition[] = [
  appArmorProfileCheck,
  capabilitiesBaselineCheck,
  hostNamespacesCheck,
  hostPathVolumesCheck,
  hostPortsCheck,
  hostProbesAndHostLifecycleCheck,
  privilegedCheck,
  procMountCheck,
  seLinuxOptionsCheck,
  seccompProfileBaselineCheck,
  sysctlsCheck,
  windowsHostProcessCheck,
  allowPrivilegeEscalationCheck,
  capabilitiesRestrictedCheck,
  procMountRestrictedCheck,
  restrictedVolumesCheck,
  runAsNonRootCheck,
  runAsUserCheck,
  seccompProfileRestrictedCheck,
];

export interface RegisteredCheck {
  id: CheckId;
  level: 'baseline' | 'restricted';
  checkPod: CheckPod;
}

/**
 * The newest policy version kharden knows: the highest MinimumVersion of any check (sysctls v1.37),
 * as in pod-security-admission master for Kubernetes 1.37. `latest` means this version.
 */
export const knownLatestVersion: number = Math.max(
  ...allChecks.map((check) => check.versions[check.versions.length - 1]?.minimumVersion ?? 0),
);

/**
 * What `latest` means on an API server of a given Kubernetes minor: the max MinimumVersion compiled
 * into that release's library. Releases newer than kharden knows get kharden's latest.
 */
export function latestVersionForKubernetes(minor: number): number {
  const table: ReadonlyArray<[fromMinor: number, latest: number]> = [
    [37, 37],
    [35, 35],
    [34, 34],
    [32, 32],
    [31, 31],
    [29, 29],
    [27, 27],
    [25, 25],
    [23, 23],
    [22, 22],
  ];
  for (const [fromMinor, latest] of table) if (minor >= fromMinor) return Math.min(latest, knownLatestVersion);
  return 22;
}

/** The policy version actually evaluated: latest, or anything newer than latest, is clamped to latest. */
export function effectiveVersion(version: PolicyVersion, latest: number = knownLatestVersion): number {
  if (version === 'latest' || version > latest) return latest;
  return version;
}

type VersionTable = ReadonlyArray<readonly RegisteredCheck[]>;

/** One list per version 0..knownLatestVersion, in upstream order (baseline IDs sorted, then restricted IDs sorted). */
function buildTables(): { baseline: VersionTable; restricted: VersionTable } {
  const byId = (a: RegisteredCheck, b: RegisteredCheck) => compareBytewise(a.id, b.id);
  const baseline: RegisteredCheck[][] = [];
  const restricted: RegisteredCheck[][] = [];
  for (let version = 0; version <= knownLatestVersion; version++) {
    const baselineAtVersion: RegisteredCheck[] = [];
    const restrictedAtVersion: RegisteredCheck[] = [];
    const overridden = new Set<CheckId>();
    for (const check of allChecks) {
      const active = versionedCheckAt(check, version);
      if (active === undefined) continue;
      const registered = { id: check.id, level: check.level, checkPod: active.checkPod };
      if (check.level === 'baseline') baselineAtVersion.push(registered);
      else {
        restrictedAtVersion.push(registered);
        for (const id of active.overrides ?? []) overridden.add(id);
      }
    }
    baselineAtVersion.sort(byId);
    restrictedAtVersion.sort(byId);
    baseline.push(baselineAtVersion);
    restricted.push([...baselineAtVersion.filter((check) => !overridden.has(check.id)), ...restrictedAtVersion]);
  }
  return { baseline, restricted };
}

function versionedCheckAt(check: CheckDefinition, version: number) {
  let active: CheckDefinition['versions'][number] | undefined;
  for (const candidate of check.versions) if (candidate.minimumVersion <= version) active = candidate;
  return active;
}

const tables = buildTables();

/** The checks run for a level at an (already clamped) policy version, in message order. Privileged runs none. */
export function checksFor(level: 'privileged' | 'baseline' | 'restricted', version: number): readonly RegisteredCheck[] {
  if (level === 'privileged') return [];
  const table = level === 'baseline' ? tables.baseline : tables.restricted;
  return table[Math.min(Math.max(version, 0), knownLatestVersion)] ?? [];
}
