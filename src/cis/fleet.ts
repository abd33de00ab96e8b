import type { AuditReport } from '../core/audit-report.ts';
import type { FleetAuditReport, FleetControl, FleetNode } from '../core/fleet-report.ts';
import { emptyCounts, type Status, statuses } from '../core/status.ts';
import { khardenVersion } from '../core/version.ts';

/** Attention order: what an operator must act on first. PASS and N/A need no action across a fleet. */
const attention: readonly Status[] = ['FAIL', 'UNKNOWN', 'WARN'];

/** Combines the reports of several nodes (each audited on its own) into one fleet view. Pure. */
export function fleetReport(entries: readonly { file: string; report: AuditReport }[], generatedAt = new Date()): FleetAuditReport {
  const nodes: FleetNode[] = entries.map(({ file, report }) => {
    const node = report.nodes[0];
    return {
      file,
      name: node?.name ?? file,
      role: node?.role ?? null,
      k3sVersion: node?.k3sVersion ?? null,
      benchmark: report.benchmark.id,
      summary: report.summary,
    };
  });
  const summary = emptyCounts();
  for (const node of nodes) for (const status of statuses) summary[status] += node.summary[status];

  const controls = new Map<string, FleetControl>();
  entries.forEach(({ report }, index) => {
    const name = nodes[index]?.name ?? '';
    for (const section of report.sections) {
      for (const finding of section.findings) {
        // One control is the same id with the same wording: benchmarks of other versions may word (and judge) an id differently.
        const key = `${finding.id}\u0000${finding.title}`;
        const control = controls.get(key) ?? { id: finding.id, title: finding.title, status: 'PASS', nodes: [], auditedOn: 0 };
        control.auditedOn += 1;
        if (attention.includes(finding.status)) {
          control.nodes.push({ name, status: finding.status, reason: finding.reason });
          if (attention.indexOf(finding.status) < attentionIndex(control.status)) control.status = finding.status;
        }
        controls.set(key, control);
      }
    }
  });
  const flagged = [...controls.values()].filter((control) => control.nodes.length > 0).sort(byAttentionThenId);
  return {
    apiVersion: 'kharden.dev/v1',
    kind: 'FleetAuditReport',
    generatedAt: generatedAt.toISOString(),
    kharden: khardenVersion,
    nodes,
    controls: flagged,
    summary,
    reports: entries.map((entry) => entry.report),
  };
}

function attentionIndex(status: Status): number {
  const index = attention.indexOf(status);
  return index === -1 ? attention.length : index;
}

function byAttentionThenId(a: FleetControl, b: FleetControl): number {
  return attentionIndex(a.status) - attentionIndex(b.status) || compareIds(a.id, b.id);
}

/** CIS ids in numeric order (1.2.10 after 1.2.9); kharden's host ids after them. */
function compareIds(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const x = left[index] ?? '';
    const y = right[index] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const order = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (order !== 0) return order;
  }
  return 0;
}
