import { describe, expect, it } from 'vitest';
import { hostPortsV1Dot0 } from './check-host-ports.ts';
import { podOf } from './pod.fixture.ts';

describe('hostPorts', () => {
  // Upstream policy/check_hostPorts_test.go.
  it.each([
    [
      'one container, one host port',
      [
        { name: 'a', ports: [{ hostPort: 0 }] },
        { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 20 }] },
      ],
      'container "b" uses hostPort 20',
    ],
    [
      'multiple containers, multiple host ports',
      [
        { name: 'a', ports: [{ hostPort: 0 }] },
        { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 20 }] },
        { name: 'c', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 30 }] },
      ],
      'containers "b", "c" use hostPorts 10, 20, 30',
    ],
    ['ports sort as text', [{ name: 'a', ports: [{ hostPort: 8080 }, { hostPort: 10000 }, { hostPort: 9 }] }], 'container "a" uses hostPorts 10000, 8080, 9'],
  ])('%s', (_name, containers, detail) => {
    expect(hostPortsV1Dot0(podOf({ containers }))).toEqual({ allowed: false, reason: 'hostPort', detail });
  });
});
