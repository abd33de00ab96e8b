import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import { joinQuote, pluralize, sortedSet } from './message-format.ts';
import type { PodLike, Volume, VolumeSourceKey } from './pod-spec.ts';

/** Volume types restricted pods may use. `image` is allowed by the k8s 1.33+ library in every policy version. */
export const allowedVolumeSources: readonly VolumeSourceKey[] = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** Restricted types the message names; any other (or none) is reported as "unknown". */
const namedRestrictedSources: readonly VolumeSourceKey[] = [
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

function restrictedTypeOf(volume: Volume): string | null {
  for (const key of allowedVolumeSources) if (volume[key] != null) return null;
  for (const key of namedRestrictedSources) if (volume[key] != null) return key;
  return 'unknown';
}

export function restrictedVolumesV1Dot0({ spec }: PodLike): CheckResult {
  const badVolumes: string[] = [];
  const badTypes: string[] = [];
  for (const volume of spec.volumes ?? []) {
    const type = restrictedTypeOf(volume);
    if (type === null) continue;
    badVolumes.push(volume.name);
    badTypes.push(type);
  }
  if (badVolumes.length === 0) return allowed;
  const types = sortedSet(badTypes);
  return forbidden(
    'restricted volume types',
    `${pluralize('volume', 'volumes', badVolumes.length)} ${joinQuote(badVolumes)} ${pluralize('uses', 'use', badVolumes.length)} ${pluralize('restricted volume type', 'restricted volume types', types.length)} ${joinQuote(types)}`,
  );
}

export const restrictedVolumesCheck: CheckDefinition = {
  id: 'restrictedVolumes',
  level: 'restricted',
  title: 'Volume Types',
  versions: [{ minimumVersion: 0, checkPod: restrictedVolumesV1Dot0, overrides: ['hostPathVolumes'] }],
};
