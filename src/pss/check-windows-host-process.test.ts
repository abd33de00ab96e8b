import { describe, expect, it } from 'vitest';
import { windowsHostProcessV1Dot0 } from './check-windows-host-process.ts';
import { containersWith, podOf } from './pod.fixture.ts';

describe('windowsHostProcess', () => {
  // Upstream policy/check_windowsHostProcess_test.go.
  it('names the pod and the containers', () => {
    const pod = podOf({
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: containersWith(
        null,
        {},
        { windowsOptions: {} },
        { windowsOptions: { hostProcess: false } },
        { windowsOptions: { hostProcess: true } },
        { windowsOptions: { hostProcess: true } },
      ),
    });
    expect(windowsHostProcessV1Dot0(pod)).toEqual({
      allowed: false,
      reason: 'hostProcess',
      detail: 'pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true',
    });
  });
});
