import type { FleetAuditReport } from '../core/fleet-report.ts';
import { statuses } from '../core/status.ts';
import type { Palette } from './audit-text.ts';

/**
 * A fleet for a person: one line per node with its counts, then each control that failed, is unknown or
 * needs a manual check somewhere, with the nodes concerned. `kharden audit -v` adds each node's own report.
 */
export function renderFleetText(report: FleetAuditReport, colors: Palette): string {
  const lines = [colors.bold(`kharden ${report.kharden} — fleet audit of ${report.nodes.length} nodes`), ''];
  const nameWidth = Math.max(4, ...report.nodes.map((node) => node.name.length));
  lines.push(`${'node'.padEnd(nameWidth)}  role    k3s version       benchmark    ${statuses.join('  ')}`);
  for (const node of report.nodes) {
    const counts = statuses.map((status) => String(node.summary[status]).padStart(status.length)).join('  ');
    lines.push(`${node.name.padEnd(nameWidth)}  ${(node.role ?? '?').padEnd(6)}  ${(node.k3sVersion ?? 'unknown').padEnd(16)}  ${node.benchmark.padEnd(11)}  ${counts}`);
  }
  const paint = { FAIL: colors.red, UNKNOWN: colors.magenta, WARN: colors.yellow, PASS: colors.green, 'N/A': colors.dim } as const;
  if (report.controls.length > 0) lines.push('', colors.bold('Controls that need attention (worst status first):'));
  for (const control of report.controls) {
    const affected = control.nodes.length === control.auditedOn ? `all ${control.auditedOn} nodes` : `${control.nodes.length} of ${control.auditedOn} nodes`;
    lines.push(`${paint[control.status](`[${control.status}]`)} ${control.id} ${control.title} — ${affected}`);
    const first = control.nodes[0];
    if (first !== undefined && control.nodes.length > 1 && control.nodes.every((node) => node.reason === first.reason && node.status === first.status)) {
      lines.push(`        ${control.nodes.map((node) => node.name).join(', ')}: ${first.reason}`);
      continue;
    }
    for (const node of control.nodes) lines.push(`        ${node.name}: ${node.status === control.status ? '' : `${node.status}: `}${node.reason}`);
  }
  lines.push('', colors.bold('== Summary (all nodes) =='), statuses.map((status) => paint[status](`${status} ${report.summary[status]}`)).join(', '), '');
  return lines.join('\n');
}
