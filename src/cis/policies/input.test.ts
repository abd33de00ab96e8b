import { describe, expect, it } from 'vitest';
import { testCluster } from './test-cluster.fixture.ts';

describe('clusterAuditInput availability', () => {
  it('names the missing permission of a forbidden kind', () => {
    const input = testCluster([], { forbidden: ['Deployment'] });
    expect(input.availability('Deployment')).toEqual({
      complete: false,
      fromFiles: false,
      problem: 'kharden could not list deployments cluster-wide: forbidden (needs `list deployments.apps` cluster-wide)',
    });
    expect(input.availability('Pod')).toEqual({ complete: true, fromFiles: false, problem: null });
  });

  it('marks manifests as given, not complete', () => {
    expect(testCluster([], { mode: 'manifests' }).availability('Pod')).toEqual({ complete: false, fromFiles: true, problem: null });
  });
});
