import { khardenVersion } from '../core/version.ts';
import {
  clusterFactsApiVersion,
  clusterFactsKind,
  clusterKinds,
  sanitizeObject,
  type ClusterFacts,
  type KindAccess,
} from '../facts/cluster-facts.ts';
import type { SourcedObject } from '../facts/kube-object.ts';
import type { ManifestSet } from './manifests.ts';

/**
 * Builds ClusterFacts from manifest files (the result of `loadManifests`), so that `--manifests` and
 * `--cluster` feed the same section-5 evaluation. Pure.
 *
 * Objects keep their file origin (path, document index, line) for the evidence. Every known kind is
 * marked `files`: the controls then say that they judged only the objects given. Secret objects are
 * dropped (their data is never read); kinds kharden does not read are left out and counted in a note.
 */
export function clusterFactsFromManifests(set: ManifestSet, collectedAt: string): ClusterFacts {
  const known = new Set<string>(clusterKinds.map((entry) => `${entry.apiVersion}/${entry.kind}`));
  const knownKinds = new Set<string>(clusterKinds.map((entry) => entry.kind));
  const objects: SourcedObject[] = [];
  let secrets = 0;
  const otherKinds = new Map<string, number>();
  for (const entry of set.objects) {
    const { kind, apiVersion } = entry.object;
    if (kind === 'Secret') {
      secrets += 1;
      continue;
    }
    if (!known.has(`${apiVersion}/${kind}`)) {
      // An older apiVersion of a kind kharden reads (extensions/v1beta1 Deployment) is read as the current one would be.
      if (!knownKinds.has(kind)) {
        otherKinds.set(kind, (otherKinds.get(kind) ?? 0) + 1);
        continue;
      }
    }
    objects.push({ object: sanitizeObject(entry.object), origin: entry.origin });
  }
  const access: KindAccess[] = clusterKinds.map((entry) => ({
    kind: entry.kind,
    apiVersion: entry.apiVersion,
    resource: entry.resource,
    group: entry.group,
    namespace: null,
    state: 'files',
    count: objects.filter((sourced) => sourced.object.kind === entry.kind).length,
  }));
  const notes: string[] = [];
  if (secrets > 0) notes.push(`${secrets} Secret object${secrets === 1 ? '' : 's'} left out: kharden never reads secret data`);
  if (otherKinds.size > 0) {
    const list = [...otherKinds.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, count]) => `${kind} (${count})`)
      .join(', ');
    notes.push(`kinds the cluster audit does not read were left out: ${list}`);
  }
  return {
    apiVersion: clusterFactsApiVersion,
    kind: clusterFactsKind,
    collectedAt,
    collector: { kharden: khardenVersion, mode: 'manifests' },
    server: null,
    files: [...set.files],
    access,
    objects,
    problems: [...set.problems],
    notes,
  };
}
