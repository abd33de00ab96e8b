import { describe, expect, it } from 'vitest';
import { applyApiDefaults } from './api-defaulting.ts';
import { podOf } from './pod.fixture.ts';

const key = (name: string) => `container.apparmor.security.beta.kubernetes.io/${name}`;

describe('applyApiDefaults', () => {
  it('makes a volume without source an emptyDir, for pods and templates', () => {
    const pod = podOf({ volumes: [{ name: 'a' }, { name: 'b', secret: {} }, { name: 'c', hostPath: null }] });
    for (const isPod of [true, false]) {
      expect(applyApiDefaults(pod, { isPod }).spec.volumes).toEqual([{ name: 'a', emptyDir: {} }, { name: 'b', secret: {} }, { name: 'c', hostPath: null, emptyDir: {} }]);
    }
  });

  it('gives Pods with hostNetwork a hostPort per containerPort, not templates and not ephemeral containers', () => {
    const pod = podOf({
      hostNetwork: true,
      initContainers: [{ name: 'i', ports: [{ containerPort: 53, protocol: 'UDP' }] }],
      containers: [{ name: 'c', ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 8443 }] }],
      ephemeralContainers: [{ name: 'e', ports: [{ containerPort: 9 }] }],
    });
    const defaulted = applyApiDefaults(pod, { isPod: true }).spec;
    expect(defaulted.initContainers?.[0]?.ports).toEqual([{ containerPort: 53, protocol: 'UDP', hostPort: 53 }]);
    expect(defaulted.containers?.[0]?.ports).toEqual([{ containerPort: 80, hostPort: 80 }, { containerPort: 443, hostPort: 8443 }]);
    expect(defaulted.ephemeralContainers?.[0]?.ports).toEqual([{ containerPort: 9 }]);
    expect(applyApiDefaults(pod, { isPod: false })).toBe(pod);
  });

  describe('AppArmor version skew (Pods only)', () => {
    it('copies a valid annotation into an unset container field', () => {
      const pod = podOf({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }, { [key('a')]: 'unconfined', [key('b')]: 'localhost/custom', [key('c')]: 'bogus' });
      const defaulted = applyApiDefaults(pod, { isPod: true });
      expect(defaulted.spec.containers?.map((container) => container.securityContext?.appArmorProfile)).toEqual([
        { type: 'Unconfined' },
        { type: 'Localhost', localhostProfile: 'custom' },
        undefined,
      ]);
      expect(applyApiDefaults(pod, { isPod: false })).toBe(pod);
    });

    it('does not copy an annotation equal to the pod profile, nor over a set field', () => {
      const pod = podOf(
        { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a' }, { name: 'b', securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } } }] },
        { [key('a')]: 'runtime/default', [key('b')]: 'unconfined' },
      );
      expect(applyApiDefaults(pod, { isPod: true })).toBe(pod);
    });

    it('adds annotations from the container or pod field when a container has none', () => {
      const pod = podOf({ securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'a' }, { name: 'b', securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }] });
      expect(applyApiDefaults(pod, { isPod: true }).metadata.annotations).toEqual({ [key('a')]: 'unconfined', [key('b')]: 'runtime/default' });
    });

    it('leaves Windows pods alone', () => {
      const pod = podOf({ os: { name: 'windows' }, containers: [{ name: 'a' }] }, { [key('a')]: 'unconfined' });
      expect(applyApiDefaults(pod, { isPod: true })).toBe(pod);
    });
  });
});
