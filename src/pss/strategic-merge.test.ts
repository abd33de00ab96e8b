import { describe, expect, it } from 'vitest';
import { applyStrategicMerge } from './strategic-merge.ts';

describe('applyStrategicMerge', () => {
  it('merges maps, deletes with null, merges containers by name and replaces plain lists', () => {
    const target = {
      securityContext: { runAsUser: 0, fsGroup: 2000 },
      containers: [
        { name: 'a', image: 'a', securityContext: { capabilities: { drop: ['NET_RAW'] } }, ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 53, protocol: 'UDP', hostPort: 53 }] },
        { name: 'b', image: 'b' },
      ],
    };
    const patch = {
      securityContext: { runAsUser: null, runAsNonRoot: true },
      containers: [{ name: 'a', securityContext: { capabilities: { drop: ['NET_RAW', 'ALL'] } }, ports: [{ containerPort: 53, protocol: 'UDP', hostPort: null }] }],
    };
    expect(applyStrategicMerge(target, patch)).toEqual({
      securityContext: { fsGroup: 2000, runAsNonRoot: true },
      containers: [
        { name: 'a', image: 'a', securityContext: { capabilities: { drop: ['NET_RAW', 'ALL'] } }, ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 53, protocol: 'UDP' }] },
        { name: 'b', image: 'b' },
      ],
    });
  });
});
