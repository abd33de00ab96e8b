import { describe, expect, it } from 'vitest';
import { checksFor, effectiveVersion, knownLatestVersion, latestVersionForKubernetes } from './registry.ts';

const ids = (level: 'baseline' | 'restricted', version: number) => checksFor(level, version).map((check) => check.id);

describe('check registry', () => {
  it('knows policy versions up to v1.37', () => {
    expect(knownLatestVersion).toBe(37);
  });

  it('orders baseline IDs byte-wise, then restricted IDs, with overridden baseline checks removed', () => {
    expect(ids('restricted', 37)).toEqual([
      'appArmorProfile',
      'hostNamespaces',
      'hostPorts',
      'hostProbesAndHostLifecycle',
      'privileged',
      'seLinuxOptions',
      'sysctls',
      'windowsHostProcess',
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'procMount_restricted',
      'restrictedVolumes',
      'runAsNonRoot',
      'runAsUser',
      'seccompProfile_restricted',
    ]);
    expect(ids('baseline', 37)).toEqual([
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
    ]);
  });

  it.each([
    ['v1.0 has no allowPrivilegeEscalation, runAsUser or capabilities_restricted; baseline seccomp and capabilities stay', 0, [
      'appArmorProfile',
      'capabilities_baseline',
      'hostNamespaces',
      'hostPorts',
      'privileged',
      'procMount',
      'seLinuxOptions',
      'seccompProfile_baseline',
      'sysctls',
      'windowsHostProcess',
      'restrictedVolumes',
      'runAsNonRoot',
    ]],
    ['v1.19 replaces baseline seccomp', 19, [
      'appArmorProfile',
      'capabilities_baseline',
      'hostNamespaces',
      'hostPorts',
      'privileged',
      'procMount',
      'seLinuxOptions',
      'sysctls',
      'windowsHostProcess',
      'allowPrivilegeEscalation',
      'restrictedVolumes',
      'runAsNonRoot',
      'seccompProfile_restricted',
    ]],
  ])('restricted %s', (_name, version, expected) => {
    expect(ids('restricted', version)).toEqual(expected);
  });

  it('adds hostProbesAndHostLifecycle at v1.34 and procMount_restricted at v1.35', () => {
    expect(ids('baseline', 33)).not.toContain('hostProbesAndHostLifecycle');
    expect(ids('baseline', 34)).toContain('hostProbesAndHostLifecycle');
    expect(ids('restricted', 34)).toContain('procMount');
    expect(ids('restricted', 35)).not.toContain('procMount');
    expect(ids('restricted', 35)).toContain('procMount_restricted');
  });

  it('runs nothing for privileged', () => {
    expect(checksFor('privileged', 37)).toEqual([]);
  });

  it('clamps latest and future versions to the latest known', () => {
    expect(effectiveVersion('latest')).toBe(37);
    expect(effectiveVersion(99)).toBe(37);
    expect(effectiveVersion(20)).toBe(20);
    expect(effectiveVersion('latest', 35)).toBe(35);
    expect(effectiveVersion(37, 35)).toBe(35);
  });

  it.each([
    [22, 22],
    [24, 23],
    [26, 25],
    [28, 27],
    [30, 29],
    [31, 31],
    [33, 32],
    [34, 34],
    [36, 35],
    [37, 37],
    [40, 37],
  ])('Kubernetes 1.%i evaluates latest as v1.%i', (minor, latest) => {
    expect(latestVersionForKubernetes(minor)).toBe(latest);
  });
});
