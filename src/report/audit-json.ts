import type { AuditReport } from '../core/audit-report.ts';

/** The versioned JSON form (docs/json-schema.md). Key order is the report's own, so diffs stay small. */
export function renderAuditJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
