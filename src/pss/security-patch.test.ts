import { describe, expect, it } from 'vitest';
import { applyApiDefaults } from './api-defaulting.ts';
import { evaluatePodSecurity } from './evaluate.ts';
import type { LevelVersion } from './level-version.ts';
import { podOf } from './pod.fixture.ts';
import type { PodLike } from './pod-spec.ts';
import { securityPatch } from './security-patch.ts';
import type { PodSecurityKind } from './workload.ts';

function patchFor(pod: PodLike, kind: PodSecurityKind, levelVersion: LevelVersion) {
  const evaluation = evaluatePodSecurity(applyApiDefaults(pod, { isPod: true }), levelVersion);
  return securityPatch(pod, kind, evaluation.failed.map((check) => check.id), levelVersion, evaluation.evaluatedVersion);
}

const restricted: LevelVersion = { level: 'restricted', version: 'latest' };

describe('securityPatch', () => {
  it('makes a plain nginx Deployment restricted with securityContext only', () => {
    const pod = podOf({ containers: [{ name: 'nginx', ports: [{ containerPort: 80 }] }] });
    const result = patchFor(pod, 'Deployment', restricted);
    expect(result.remaining).toEqual([]);
    expect(result.manual).toEqual([]);
    expect(result.resolves).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
    expect(result.patch).toEqual({
      spec: {
        template: {
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{ name: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
          },
        },
      },
    });
  });

  it('keeps existing drops and NET_BIND_SERVICE, removes other adds, and leaves valid settings alone', () => {
    const pod = podOf({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost' } },
      initContainers: [{ name: 'init', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW'], add: ['NET_BIND_SERVICE', 'NET_ADMIN'] } } }],
    });
    const result = patchFor(pod, 'Pod', restricted);
    expect(result.patch).toEqual({ spec: { containers: [{ name: 'app', securityContext: { capabilities: { drop: ['NET_RAW', 'ALL'], add: ['NET_BIND_SERVICE'] } } }] } });
    expect(result.remaining).toEqual([]);
  });

  it('turns off host namespaces, which also removes the hostPorts a Pod gets from hostNetwork', () => {
    const pod = podOf({ hostNetwork: true, containers: [{ name: 'app', ports: [{ containerPort: 9100 }, { containerPort: 53, hostPort: 53, protocol: 'UDP' }] }] });
    const result = patchFor(pod, 'DaemonSet', { level: 'baseline', version: 'latest' });
    expect(result.patch).toEqual({
      spec: { template: { spec: { hostNetwork: false, containers: [{ name: 'app', ports: [{ containerPort: 53, hostPort: null, protocol: 'UDP' }] }] } } },
    });
    expect(result.remaining).toEqual([]);
  });

  it('cannot patch volumes away and says so', () => {
    const pod = podOf({ containers: [{ name: 'app' }], volumes: [{ name: 'host', hostPath: { path: '/var/log' } }, { name: 'nfs', nfs: {} }] });
    const result = patchFor(pod, 'StatefulSet', restricted);
    expect(result.remaining).toEqual(['restrictedVolumes']);
    expect(result.manual).toEqual([
      'replace volumes "host" (hostPath), "nfs" (nfs) with an allowed type: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret',
    ]);
  });

  it('wraps CronJob patches under the job template', () => {
    const pod = podOf({ containers: [{ name: 'job', securityContext: { privileged: true } }] });
    expect(patchFor(pod, 'CronJob', { level: 'baseline', version: 'latest' }).patch).toEqual({
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job', securityContext: { privileged: false } }] } } } } },
    });
  });

  it('fixes annotations for old policy versions and AppArmor', () => {
    const pod = podOf(
      { containers: [{ name: 'app' }] },
      { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' },
    );
    const result = patchFor(pod, 'Pod', { level: 'baseline', version: 18 });
    expect(result.patch).toEqual({
      metadata: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default', 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } },
    });
    expect(result.remaining).toEqual([]);
  });
});
