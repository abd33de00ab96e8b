import type { Evidence } from '../core/finding.ts';
import type { Source } from '../core/source.ts';
import type { NodeFacts } from '../facts/node-facts.ts';
import { settingBool } from '../k3s/config-merge.ts';
import type { Datastore } from '../k3s/datastore.ts';
import type { EffectiveArgs } from '../k3s/effective-args.ts';
import { nodeContext, type NodeContext as K3sNodeContext } from '../k3s/node-context.ts';
import { type K3sPaths, k3sPaths } from '../k3s/paths.ts';

/**
 * What a node control reads: the node's facts, the effective arguments of its components (running or
 * configured), and the k3s-level context every control needs the same way (role, datastore, data dir,
 * merged k3s settings), computed once by k3s/node-context for the same state as the arguments.
 */
export interface NodeAuditInput {
  facts: NodeFacts;
  args: EffectiveArgs;
  context: NodeContext;
}

export interface NodeContext {
  k3s: K3sNodeContext;
  role: 'server' | 'agent' | null;
  roleEvidence: Evidence[];
  datastore: Datastore;
  dataDir: string;
  paths: K3sPaths;
  /** A server started with --disable-agent runs no kubelet and no kube-proxy. */
  agentDisabled: Setting | null;
  /** --disable-kube-proxy */
  kubeProxyDisabled: Setting | null;
}

export interface Setting {
  value: string;
  source: Source;
}

export function buildNodeInput(facts: NodeFacts, args: EffectiveArgs): NodeAuditInput {
  const k3s = nodeContext(facts, args.state);
  const roleEvidence: Evidence[] =
    facts.k3s.role !== null
      ? [{ subject: 'k3s role', value: facts.k3s.role.value, source: facts.k3s.role.source }]
      : k3s.role !== null && k3s.launch !== null
        ? [{ subject: 'k3s role', value: k3s.role, source: k3s.launch.source }]
        : [];
  return {
    facts,
    args,
    context: {
      k3s,
      role: k3s.role,
      roleEvidence,
      datastore: k3s.datastore,
      dataDir: k3s.dataDir,
      paths: k3sPaths(k3s.dataDir),
      agentDisabled: enabled(k3s, 'disable-agent'),
      kubeProxyDisabled: enabled(k3s, 'disable-kube-proxy'),
    },
  };
}

function enabled(k3s: K3sNodeContext, flag: string): Setting | null {
  const setting = settingBool(k3s.settings, flag);
  return setting?.value === true ? { value: 'true', source: setting.source } : null;
}

export function datastoreEvidence(datastore: Datastore): Evidence[] {
  return datastore.evidence.map((item) => ({ subject: 'datastore', value: maskCredentials(item.value), source: item.source }));
}

/** Datastore endpoints can carry a password (`postgres://user:pass@db`); collectors mask it, this is a second guard. */
export function maskCredentials(text: string): string {
  return text.replace(/(\/\/[^:@/\s]+):[^@/\s]+@/g, '$1:********@');
}

/** Why etcd controls do not apply on this server, or null when it runs embedded etcd. */
export function etcdNotUsedReason(datastore: Datastore): string | null {
  switch (datastore.kind) {
    case 'embedded-etcd':
      return null;
    case 'sqlite':
      return `embedded etcd is not used: datastore is ${datastore.description}`;
    case 'external-sql':
      return `embedded etcd is not used: datastore is an ${datastore.description}`;
    case 'external-etcd':
      return 'etcd does not run on this node: the datastore is an external etcd; audit section 2 on the etcd hosts';
    case 'none':
      return 'this node holds no datastore (agent)';
  }
}
