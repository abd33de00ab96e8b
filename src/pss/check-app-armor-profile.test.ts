import { describe, expect, it } from 'vitest';
import { appArmorProfileV1Dot0 } from './check-app-armor-profile.ts';
import { podOf } from './pod.fixture.ts';

describe('appArmorProfile', () => {
  it.each([
    ['no annotations', podOf({})],
    ['runtime/default annotation and others', podOf({}, { 'container.apparmor.security.beta.kubernetes.io/test': 'runtime/default', env: 'prod' })],
    ['localhost annotation', podOf({}, { 'container.apparmor.security.beta.kubernetes.io/test': 'localhost/sec-profile01' })],
    ['pod RuntimeDefault field', podOf({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } })],
    ['container Localhost field', podOf({ containers: [{ name: 'foo', securityContext: { appArmorProfile: { type: 'Localhost' } } }] })],
  ])('allows %s', (_name, pod) => {
    expect(appArmorProfileV1Dot0(pod)).toEqual({ allowed: true });
  });

  // Upstream policy/check_appArmorProfile_test.go.
  it.each([
    [
      'unconfined pod',
      podOf({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }),
      'forbidden AppArmor profile',
      'pod must not set AppArmor profile type to "Unconfined"',
    ],
    [
      'unconfined container',
      podOf({
        securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'foo', securityContext: { appArmorProfile: { type: 'Unconfined' } } }],
      }),
      'forbidden AppArmor profile',
      'container "foo" must not set AppArmor profile type to "Unconfined"',
    ],
    [
      'unconfined init container',
      podOf({
        containers: [{ name: 'foo' }],
        initContainers: [{ name: 'bar', securityContext: { appArmorProfile: { type: 'Unconfined' } } }],
      }),
      'forbidden AppArmor profile',
      'container "bar" must not set AppArmor profile type to "Unconfined"',
    ],
    [
      'annotations of any suffix, sorted, with Go-quoted values',
      podOf(
        {},
        {
          'container.apparmor.security.beta.kubernetes.io/': 'bogus',
          'container.apparmor.security.beta.kubernetes.io/a': '',
          'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default',
          'container.apparmor.security.beta.kubernetes.io/c': 'localhost/',
          'container.apparmor.security.beta.kubernetes.io/d': 'localhost/foo',
          'container.apparmor.security.beta.kubernetes.io/e': 'unconfined',
          'container.apparmor.security.beta.kubernetes.io/f': 'unknown',
        },
      ),
      'forbidden AppArmor profiles',
      'annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/="bogus"", "container.apparmor.security.beta.kubernetes.io/e="unconfined"", "container.apparmor.security.beta.kubernetes.io/f="unknown""',
    ],
    [
      'pod, containers and an annotation together: types first, then annotations',
      podOf(
        {
          securityContext: { appArmorProfile: { type: 'Unconfined' } },
          containers: [{ name: 'x', securityContext: { appArmorProfile: { type: '' } } }],
        },
        { 'container.apparmor.security.beta.kubernetes.io/x': 'unconfined' },
      ),
      'forbidden AppArmor profiles',
      'pod and container "x" and annotation must not set AppArmor profile type to "", "Unconfined", "container.apparmor.security.beta.kubernetes.io/x="unconfined""',
    ],
  ])('forbids %s', (_name, pod, reason, detail) => {
    expect(appArmorProfileV1Dot0(pod)).toEqual({ allowed: false, reason, detail });
  });
});
