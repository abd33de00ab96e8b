import { describe, expect, it } from 'vitest';
import type { SourcedObject } from '../../facts/kube-object.ts';
import { describeUnit, podUnits } from './pod-specs.ts';
import { deployment, ownedPod, pod, podSpec } from './test-cluster.fixture.ts';

const sourced = (objects: SourcedObject['object'][]): SourcedObject[] => objects.map((object) => ({ object, origin: { kind: 'cluster', server: 'https://x' } }));

const replicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'web-7d9',
    namespace: 'shop',
    uid: 'rs-1',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-1', controller: true }],
  },
  spec: { template: { spec: podSpec() } },
};

describe('podUnits', () => {
  it('judges pods under their top-most owner, and templates only where no pod stands for them', () => {
    const { units } = podUnits(
      sourced([
        deployment('shop', 'web', podSpec(), 'dep-1'),
        replicaSet,
        ownedPod('shop', 'web-7d9-a', { kind: 'ReplicaSet', name: 'web-7d9', uid: 'rs-1' }),
        ownedPod('shop', 'web-7d9-b', { kind: 'ReplicaSet', name: 'web-7d9', uid: 'rs-1' }),
        deployment('shop', 'idle', podSpec(), 'dep-2'),
        pod('shop', 'debug'),
        ownedPod('shop', 'orphan', { kind: 'ReplicaSet', name: 'gone', uid: 'rs-gone' }),
      ]),
    );
    expect(units.map(describeUnit)).toEqual(['Deployment shop/idle (pod template)', 'Deployment shop/web (2 pods)', 'Pod shop/debug', 'Pod shop/orphan']);
  });

  it('reports a spec that does not read as a pod spec instead of crashing', () => {
    const { units, unreadable } = podUnits(sourced([pod('shop', 'bad', { containers: 'nope' })]));
    expect(units).toEqual([]);
    expect(unreadable).toEqual([{ ref: { kind: 'Pod', namespace: 'shop', name: 'bad' }, origin: { kind: 'cluster', server: 'https://x' }, message: expect.stringContaining('spec.containers') }]);
  });

  it('reads a CronJob template', () => {
    const { units } = podUnits(
      sourced([{ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'ops' }, spec: { jobTemplate: { spec: { template: { spec: podSpec({ hostPID: true }) } } } } }]),
    );
    expect(units[0]?.template?.hostPID).toBe(true);
  });
});
