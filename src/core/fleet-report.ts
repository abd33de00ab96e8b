import type { AuditReport } from './audit-report.ts';
import type { Status, StatusCounts } from './status.ts';

/**
 * The audit of several nodes at once (`kharden audit --snapshot DIR` with a snapshot per node): each node's
 * own AuditReport (its own benchmark, chosen for its k3s version), a line per node, and the controls that
 * did not pass somewhere, with the nodes concerned. JSON schema: docs/json-schema.md.
 */
export interface FleetNode {
  /** The snapshot it was read from. */
  file: string;
  name: string;
  role: 'server' | 'agent' | null;
  k3sVersion: string | null;
  benchmark: string;
  summary: StatusCounts;
}

/** One control that is FAIL, UNKNOWN or WARN on at least one node, with those nodes and their reasons. */
export interface FleetControl {
  id: string;
  title: string;
  /** The worst status among the nodes (FAIL over UNKNOWN over WARN). */
  status: Status;
  nodes: { name: string; status: Status; reason: string }[];
  /** How many audited nodes have this control at all (agents have no section 1, ...). */
  auditedOn: number;
}

export interface FleetAuditReport {
  apiVersion: 'kharden.dev/v1';
  kind: 'FleetAuditReport';
  generatedAt: string;
  kharden: string;
  nodes: FleetNode[];
  controls: FleetControl[];
  summary: StatusCounts;
  reports: AuditReport[];
}
