import { describe, expect, it } from 'vitest';
import { seLinuxOptionsV1Dot0, seLinuxOptionsV1Dot31 } from './check-se-linux-options.ts';
import { podOf } from './pod.fixture.ts';
import type { Container } from './pod-spec.ts';

const okContainers: Container[] = [
  { name: 'a', securityContext: { seLinuxOptions: { type: 'container_t' } } },
  { name: 'b', securityContext: { seLinuxOptions: { type: 'container_init_t' } } },
  { name: 'c', securityContext: { seLinuxOptions: { type: 'container_kvm_t' } } },
  { name: 'd', securityContext: { seLinuxOptions: { type: 'container_engine_t' } } },
];
const badContainers: Container[] = [
  { name: 'e', securityContext: { seLinuxOptions: { type: 'bar' } } },
  { name: 'f', securityContext: { seLinuxOptions: { user: 'bar' } } },
  { name: 'g', securityContext: { seLinuxOptions: { role: 'baz' } } },
];

describe('seLinuxOptions', () => {
  // Upstream policy/check_seLinuxOptions_test.go (v1.31).
  it.each([
    [
      'invalid pod and containers',
      { securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } }, containers: [...okContainers, ...badContainers] },
      'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
    ],
    [
      'invalid pod',
      { securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } }, containers: okContainers },
      'pod set forbidden securityContext.seLinuxOptions: type "foo"; user may not be set; role may not be set',
    ],
    [
      'invalid containers',
      { securityContext: { seLinuxOptions: {} }, containers: [...okContainers, ...badContainers] },
      'containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: type "bar"; user may not be set; role may not be set',
    ],
    ['bad type', { securityContext: { seLinuxOptions: { type: 'bad' } } }, 'pod set forbidden securityContext.seLinuxOptions: type "bad"'],
    ['bad user', { securityContext: { seLinuxOptions: { user: 'bad' } } }, 'pod set forbidden securityContext.seLinuxOptions: user may not be set'],
    ['bad role', { securityContext: { seLinuxOptions: { role: 'bad' } } }, 'pod set forbidden securityContext.seLinuxOptions: role may not be set'],
  ])('%s', (_name, spec, detail) => {
    expect(seLinuxOptionsV1Dot31(podOf(spec))).toEqual({ allowed: false, reason: 'seLinuxOptions', detail });
  });

  it('allows container_engine_t only from v1.31', () => {
    const pod = podOf({ containers: [okContainers[3] as Container] });
    expect(seLinuxOptionsV1Dot31(pod)).toEqual({ allowed: true });
    expect(seLinuxOptionsV1Dot0(pod)).toMatchObject({ detail: 'container "d" set forbidden securityContext.seLinuxOptions: type "container_engine_t"' });
  });

  it('does not restrict level', () => {
    expect(seLinuxOptionsV1Dot0(podOf({ securityContext: { seLinuxOptions: { level: 's0:c123,c456' } } }))).toEqual({ allowed: true });
  });
});
