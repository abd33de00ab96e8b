import { clusterFactsApiVersion, clusterFactsKind, clusterFactsSchema, type ClusterFacts } from '../facts/cluster-facts.ts';
import { parseFactsSnapshot } from './snapshot.ts';

/** Validates a cluster snapshot (`kharden collect --cluster -o cluster.json`); `file` is only used in messages. */
export function parseClusterSnapshot(text: string, file: string): ClusterFacts {
  return parseFactsSnapshot(text, file, {
    kind: clusterFactsKind,
    apiVersion: clusterFactsApiVersion,
    schema: clusterFactsSchema,
    label: 'cluster snapshot',
  });
}
