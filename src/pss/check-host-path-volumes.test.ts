import { describe, expect, it } from 'vitest';
import { hostPathVolumesV1Dot0 } from './check-host-path-volumes.ts';
import { podOf } from './pod.fixture.ts';

describe('hostPathVolumes', () => {
  it('lists hostPath volumes in spec order', () => {
    const pod = podOf({
      volumes: [
        { name: 'b', hostPath: { path: '/b' } },
        { name: 'x', emptyDir: {} },
        { name: 'a', hostPath: { path: '/a' } },
      ],
    });
    expect(hostPathVolumesV1Dot0(pod)).toEqual({ allowed: false, reason: 'hostPath volumes', detail: 'volumes "b", "a"' });
  });

  it('uses the singular for one volume', () => {
    expect(hostPathVolumesV1Dot0(podOf({ volumes: [{ name: 'data', hostPath: {} }] }))).toMatchObject({ detail: 'volume "data"' });
  });

  it('treats hostPath: null as unset', () => {
    expect(hostPathVolumesV1Dot0(podOf({ volumes: [{ name: 'data', hostPath: null }] }))).toEqual({ allowed: true });
  });
});
