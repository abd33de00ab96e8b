import { describe, expect, it } from 'vitest';
import { restrictedVolumesV1Dot0 } from './check-restricted-volumes.ts';
import { podOf } from './pod.fixture.ts';
import type { Volume } from './pod-spec.ts';

describe('restrictedVolumes', () => {
  // Upstream policy/check_restrictedVolumes_test.go.
  it('names the volumes in spec order and the types sorted', () => {
    const allowedTypes = ['emptyDir', 'secret', 'persistentVolumeClaim', 'downwardAPI', 'configMap', 'projected', 'csi', 'ephemeral', 'image'];
    const restrictedTypes = [
      'hostPath',
      'gcePersistentDisk',
      'awsElasticBlockStore',
      'gitRepo',
      'nfs',
      'iscsi',
      'glusterfs',
      'rbd',
      'flexVolume',
      'cinder',
      'cephfs',
      'flocker',
      'fc',
      'azureFile',
      'vsphereVolume',
      'quobyte',
      'azureDisk',
      'photonPersistentDisk',
      'portworxVolume',
      'scaleIO',
      'storageos',
    ];
    const volumes: Volume[] = [
      ...allowedTypes.map((type, index) => ({ name: `a${index + 1}`, [type]: {} })),
      ...restrictedTypes.map((type, index) => ({ name: `b${index + 1}`, [type]: {} })),
      { name: 'c1' },
    ];
    expect(restrictedVolumesV1Dot0(podOf({ volumes }))).toEqual({
      allowed: false,
      reason: 'restricted volume types',
      detail:
        'volumes "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21", "c1"' +
        ' use restricted volume types "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", ' +
        '"hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "unknown", "vsphereVolume"',
    });
  });

  it('uses the singular for one volume', () => {
    expect(restrictedVolumesV1Dot0(podOf({ volumes: [{ name: 'data', hostPath: { path: '/' } }] }))).toMatchObject({
      detail: 'volume "data" uses restricted volume type "hostPath"',
    });
  });
});
