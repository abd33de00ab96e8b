import type { Finding } from './finding.ts';
import type { StatusCounts } from './status.ts';

/**
 * The result of `kharden audit`, the input of every renderer. Its JSON form is the documented,
 * versioned schema (docs/json-schema.md); change `apiVersion` when a field changes meaning.
 */
export const auditReportApiVersion = 'kharden.dev/v1';

export interface BenchmarkChoice {
  /** `k3s-cis-1.12`, `k3s-cis-2.1`, ... */
  id: string;
  title: string;
  /** How it was chosen: from the k3s version, by `--benchmark`, or the nearest one to an unknown version. */
  selectedBy: 'k3s-version' | 'flag' | 'nearest' | 'default';
  note?: string;
}

export interface AuditedNode {
  /** The node's name (hostname or Node object name). */
  name: string;
  role: 'server' | 'agent' | null;
  k3sVersion: string | null;
  datastore: 'sqlite' | 'etcd' | 'external' | 'unknown' | null;
  /** running: what k3s last started with; configured: what it will run after its next restart. */
  state: 'running' | 'configured';
  /** Where the facts came from: `live`, `--root /host`, `snapshot node.json`, `demo`, `cluster`. */
  origin: string;
}

export interface ReportSection {
  /** `1.1`, `1.2`, ..., `host`. */
  id: string;
  title: string;
  findings: Finding[];
}

/** Something the operator should know that is not a control's verdict (config changed since start, a file did not parse). */
export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
}

export interface AuditReport {
  apiVersion: typeof auditReportApiVersion;
  kind: 'AuditReport';
  generatedAt: string;
  kharden: string;
  benchmark: BenchmarkChoice;
  nodes: AuditedNode[];
  notices: Notice[];
  sections: ReportSection[];
  summary: StatusCounts;
}
