import type { Source, Sourced } from '../core/source.ts';
import type { NodeFacts } from '../facts/node-facts.ts';
import { settingBool, settingValue, type K3sSettings } from './config-merge.ts';
import { k3sPaths } from './paths.ts';

/**
 * Which datastore a k3s server uses: SQLite through kine (the default), embedded etcd (`--cluster-init`,
 * a server joining another, or an existing server/db/etcd), or an external one (`--datastore-endpoint`:
 * etcd, MySQL, PostgreSQL; through kine unless it is etcd). Agents hold no datastore.
 */
export type DatastoreKind = 'sqlite' | 'embedded-etcd' | 'external-etcd' | 'external-sql' | 'none';

export interface Datastore {
  kind: DatastoreKind;
  /** Human readable, for N/A reasons: `SQLite (kine, the k3s default)`. */
  description: string;
  evidence: Sourced<string>[];
}

export const datastoreDescriptions: Record<DatastoreKind, string> = {
  sqlite: 'SQLite (kine, the k3s default)',
  'embedded-etcd': 'embedded etcd',
  'external-etcd': 'external etcd',
  'external-sql': 'external SQL database (kine)',
  none: 'none (agent node)',
};

export function detectDatastore(facts: NodeFacts, settings: K3sSettings, role: 'server' | 'agent' | null): Datastore {
  const result = (kind: DatastoreKind, evidence: Sourced<string>[]): Datastore => ({ kind, description: datastoreDescriptions[kind], evidence });
  if (role === 'agent') return result('none', facts.k3s.role === null ? [] : [{ value: 'agent', source: facts.k3s.role.source }]);

  const endpoint = settingValue(settings, 'datastore-endpoint');
  if (endpoint !== null && endpoint.value.trim() !== '') {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(endpoint.value)?.[1]?.toLowerCase();
    const evidence = [{ value: `datastore-endpoint ${endpoint.value}`, source: endpoint.source }];
    if (scheme === 'sqlite') return result('sqlite', evidence);
    if (scheme === 'http' || scheme === 'https') return result('external-etcd', evidence);
    return result('external-sql', evidence);
  }

  const paths = k3sPaths(facts.k3s.dataDir);
  const etcdDir = facts.files.find((file) => file.path === paths.etcdDataDir && file.exists);
  if (facts.etcdConfig?.present === true) {
    return result('embedded-etcd', [{ value: `${paths.etcdConfig} exists`, source: { kind: 'file-stat', path: facts.etcdConfig.path } }]);
  }
  if (etcdDir !== undefined) {
    return result('embedded-etcd', [{ value: `${paths.etcdDataDir} exists`, source: { kind: 'file-stat', path: etcdDir.path } }]);
  }
  const clusterInit = settingBool(settings, 'cluster-init');
  if (clusterInit?.value === true) return result('embedded-etcd', [{ value: 'cluster-init: true', source: clusterInit.source }]);
  const joining = settingValue(settings, 'server');
  if (joining !== null && joining.value !== '') {
    return result('embedded-etcd', [{ value: `server ${joining.value} (a server joining a cluster uses embedded etcd)`, source: joining.source }]);
  }

  const logged = [...facts.k3s.logs.datastoreLines].reverse();
  const etcdLine = logged.find((line) => /etcd/i.test(line.text));
  const sqliteLine = logged.find((line) => /sqlite/i.test(line.text));
  if (etcdLine !== undefined && (sqliteLine === undefined || logged.indexOf(etcdLine) < logged.indexOf(sqliteLine))) {
    return result('embedded-etcd', [{ value: etcdLine.text, source: etcdLine.source }]);
  }
  if (sqliteLine !== undefined) return result('sqlite', [{ value: sqliteLine.text, source: sqliteLine.source }]);

  const sqliteDb = facts.files.find((file) => file.path === paths.sqliteDb && file.exists);
  if (sqliteDb !== undefined) return result('sqlite', [{ value: `${paths.sqliteDb} exists`, source: { kind: 'file-stat', path: sqliteDb.path } }]);
  const fallback: Source = { kind: 'k3s-default', detail: 'no datastore-endpoint, no cluster-init, no etcd data: k3s uses SQLite' };
  return result('sqlite', [{ value: 'k3s default datastore', source: fallback }]);
}

/**
 * The flannel backend: `flannel-backend` (default vxlan; `none` when another CNI is used). An agent
 * receives it from the server, so on an agent it is only known when the agent's own flags say so.
 */
export function flannelBackend(settings: K3sSettings, role: 'server' | 'agent' | null): Sourced<string> | null {
  const noFlannel = settingBool(settings, 'no-flannel');
  if (noFlannel?.value === true) return { value: 'none', source: noFlannel.source };
  const backend = settingValue(settings, 'flannel-backend');
  if (backend !== null) return backend;
  if (role === 'agent') return null;
  return { value: 'vxlan', source: { kind: 'k3s-default', detail: 'flannel-backend default' } };
}
