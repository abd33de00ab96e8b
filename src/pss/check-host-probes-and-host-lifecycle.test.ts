import { describe, expect, it } from 'vitest';
import { hostProbesAndHostLifecycleV1Dot34 } from './check-host-probes-and-host-lifecycle.ts';
import { podOf } from './pod.fixture.ts';

describe('hostProbesAndHostLifecycle', () => {
  it('allows probes without a host', () => {
    const pod = podOf({ containers: [{ name: 'a', livenessProbe: { tcpSocket: {} }, lifecycle: { postStart: { httpGet: { host: '' } } } }] });
    expect(hostProbesAndHostLifecycleV1Dot34(pod)).toEqual({ allowed: true });
  });

  // Upstream policy/check_hostProbesAndhostLifecycle_test.go.
  it.each([
    [
      'local host addresses are hosts too',
      [{ name: 'a', livenessProbe: { httpGet: { host: '127.0.0.1' } }, readinessProbe: { tcpSocket: { host: '::1' } }, startupProbe: { httpGet: { host: 'localhost' } } }],
      'container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost"',
    ],
    ['liveness httpGet', [{ name: 'a', livenessProbe: { httpGet: { host: 'invalid.host' } } }], 'container "a" uses probe or lifecycle host "invalid.host"'],
    ['preStop httpGet', [{ name: 'e', lifecycle: { preStop: { httpGet: { host: 'another.invalid.host' } } } }], 'container "e" uses probe or lifecycle host "another.invalid.host"'],
    [
      'several containers: names and hosts sorted and unique',
      [
        { name: 'valid' },
        { name: 'invalid2', lifecycle: { preStop: { tcpSocket: { host: 'b.com' } } }, startupProbe: { httpGet: { host: 'a.com' } } },
        { name: 'invalid1', livenessProbe: { httpGet: { host: 'a.com' } } },
      ],
      'containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com"',
    ],
  ])('%s', (_name, containers, detail) => {
    expect(hostProbesAndHostLifecycleV1Dot34(podOf({ containers }))).toEqual({ allowed: false, reason: 'probe or lifecycle host', detail });
  });
});
