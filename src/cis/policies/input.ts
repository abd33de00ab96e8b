import { accessOfKind, describePermission, clusterKind, type ClusterFacts } from '../../facts/cluster-facts.ts';
import type { SourcedObject } from '../../facts/kube-object.ts';
import { nodeArgsOf, type NodeArgsView } from '../../k3s/node-args.ts';
import { podUnits, type PodUnits } from './pod-specs.ts';
import { rbacIndex, type RbacIndex } from './rbac.ts';

/**
 * The input of every section-5 control (`Control<ClusterAuditInput>`): the cluster facts, indexed once.
 * Build it with `clusterAuditInput(facts)` and hand the same value to every control.
 */
export interface ClusterAuditInput {
  facts: ClusterFacts;
  /** cluster: complete lists from the API; manifests: only the objects in the files. */
  origin: 'cluster' | 'manifests';
  objects(kind: string): readonly SourcedObject[];
  /** Whether a kind's objects are all there, and if not, why (naming the missing permission). */
  availability(kind: string): KindAvailability;
  /** Names of the Namespace objects, sorted. */
  namespaces: readonly string[];
  podUnits(): PodUnits;
  rbac(): RbacIndex;
  nodeArgs(): readonly NodeArgsView[];
}

export interface KindAvailability {
  /** Every object of the kind is in hand (a complete API list, or the API does not serve the kind). */
  complete: boolean;
  /** The objects came from files: those given, no claim about a cluster. */
  fromFiles: boolean;
  /** Why the kind is missing or incomplete, naming the permission: null when it is usable. */
  problem: string | null;
}

export function clusterAuditInput(facts: ClusterFacts): ClusterAuditInput {
  const byKind = new Map<string, SourcedObject[]>();
  for (const entry of facts.objects) {
    const list = byKind.get(entry.object.kind);
    if (list === undefined) byKind.set(entry.object.kind, [entry]);
    else list.push(entry);
  }
  const namespaces = (byKind.get('Namespace') ?? [])
    .map((entry) => entry.object.metadata.name)
    .filter((name): name is string => name !== undefined)
    .sort();
  let units: PodUnits | undefined;
  let rbac: RbacIndex | undefined;
  let nodes: NodeArgsView[] | undefined;
  const availabilityCache = new Map<string, KindAvailability>();
  return {
    facts,
    origin: facts.collector.mode,
    objects: (kind) => byKind.get(kind) ?? [],
    availability: (kind) => {
      const cached = availabilityCache.get(kind);
      if (cached !== undefined) return cached;
      const computed = availabilityOf(facts, kind);
      availabilityCache.set(kind, computed);
      return computed;
    },
    namespaces,
    podUnits: () => {
      units ??= podUnits(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'].flatMap((kind) => byKind.get(kind) ?? []));
      return units;
    },
    rbac: () => {
      rbac ??= rbacIndex(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].flatMap((kind) => byKind.get(kind) ?? []));
      return rbac;
    },
    nodeArgs: () => {
      nodes ??= (byKind.get('Node') ?? []).map((entry) => nodeArgsOf(entry.object));
      return nodes;
    },
  };
}

function availabilityOf(facts: ClusterFacts, kind: string): KindAvailability {
  const entries = accessOfKind(facts, kind);
  const known = clusterKind(kind);
  if (entries.length === 0) {
    const permission = known === undefined ? kind : describePermission('list', known);
    return { complete: false, fromFiles: false, problem: `${kind} objects were not collected (kharden needs \`${permission}\` cluster-wide)` };
  }
  const problems: string[] = [];
  for (const entry of entries) {
    const scope = entry.namespace === null ? 'cluster-wide' : `in namespace ${entry.namespace}`;
    if (entry.state === 'forbidden') {
      const missing = entry.missing;
      const permission = missing === undefined ? describePermission('list', entry) : describePermission(missing.verb, missing);
      problems.push(`kharden could not list ${entry.resource} ${scope}: forbidden (needs \`${permission}\`${missing?.namespace ? ` in namespace ${missing.namespace}` : ' cluster-wide'})`);
    } else if (entry.state === 'error') {
      problems.push(`kharden could not list ${entry.resource} ${scope}: ${entry.message ?? 'error'}`);
    } else if (entry.state === 'skipped') {
      problems.push(`${entry.resource} were not collected (left out of the requested kinds)`);
    }
  }
  if (problems.length > 0) return { complete: false, fromFiles: false, problem: problems.join('; ') };
  const fromFiles = entries.every((entry) => entry.state === 'files');
  // A list restricted to some namespaces says nothing about the others.
  if (!fromFiles && !entries.some((entry) => entry.namespace === null)) {
    const listed = entries.map((entry) => entry.namespace).join(', ');
    return { complete: false, fromFiles, problem: `${entries[0]?.resource ?? kind} were collected only in namespace(s) ${listed}` };
  }
  return { complete: !fromFiles, fromFiles, problem: null };
}
